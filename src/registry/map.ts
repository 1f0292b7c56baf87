import type { Kysely } from 'kysely';
import type { ScopeFilter } from '../auth/roles.ts';
import { AppError } from '../domain/errors.ts';
import type { Database } from '../store/schema.ts';
import { latestYears, scopeCondition } from './scope.ts';

type Point = [number, number];

/** Convex hull (Andrew's monotone chain), counter-clockwise, for the schematic county outlines. */
export function convexHull(points: Point[]): Point[] {
  const p = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (p.length < 3) return p;
  const cross = (o: Point, a: Point, b: Point) =>
    (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const half = (pts: Point[]) => {
    const h: Point[] = [];
    for (const q of pts) {
      while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], q) <= 0) h.pop();
      h.push(q);
    }
    h.pop();
    return h;
  };
  return [...half(p), ...half([...p].reverse())];
}

/** Pushes each hull vertex away from the centroid so the outline encloses its points with a margin. */
function padded(hull: Point[], margin: number): Point[] {
  const cx = hull.reduce((a, q) => a + q[0], 0) / hull.length;
  const cy = hull.reduce((a, q) => a + q[1], 0) / hull.length;
  return hull.map(([x, y]) => {
    const d = Math.hypot(x - cx, y - cy) || 1;
    return [x + ((x - cx) / d) * margin, y + ((y - cy) / d) * margin];
  });
}

/**
 * Schools with coordinates in scope, sized by pupils, and the outlines to draw under them: the
 * bureau's imported GeoJSON where it has one for the area, otherwise a schematic of each county
 * (the padded convex hull of its schools), flagged as schematic.
 */
export async function loadMap(db: Kysely<Database>, scope: ScopeFilter, county?: string) {
  const year = (await latestYears(db)).census;
  const pupils = db
    .selectFrom('census')
    .select([
      'school_id',
      (eb) => eb.fn.sum<number>(eb('pupils_male', '+', eb.ref('pupils_female'))).as('pupils'),
    ])
    .where('year', '=', year ?? -1)
    .groupBy('school_id')
    .as('p');
  const rows = await db
    .selectFrom('schools as s')
    .leftJoin(pupils, 'p.school_id', 's.id')
    .select([
      's.id',
      's.name',
      's.school_type',
      's.lng',
      's.lat',
      's.county_code',
      (eb) => eb.fn.coalesce('p.pupils', eb.lit(0)).as('pupils'),
    ])
    .where(scopeCondition(scope, 's.county_code', 's.id'))
    .$if(Boolean(county), (q) => q.where('s.county_code', '=', county!))
    .where('s.lng', 'is not', null)
    .where('s.lat', 'is not', null)
    .execute();
  const schools = rows.map((r) => ({
    id: r.id,
    name: r.name,
    schoolType: r.school_type,
    lng: r.lng!,
    lat: r.lat!,
    pupils: Number(r.pupils),
    countyCode: r.county_code,
  }));
  const countyCodes = [...new Set(schools.map((s) => s.countyCode))];
  const imported = await importedOutlines(db, countyCodes);
  if (imported) return { schools, outlines: { schematic: false, geojson: imported } };
  const names = new Map(
    (countyCodes.length
      ? await db.selectFrom('regions').select(['code', 'name']).where('code', 'in', countyCodes).execute()
      : []
    ).map((r) => [r.code, r.name]),
  );
  const features = countyCodes.map((code) => {
    const hull = padded(
      convexHull(schools.filter((s) => s.countyCode === code).map((s) => [s.lng, s.lat] as Point)),
      0.02,
    );
    return {
      type: 'Feature',
      properties: { code, name: names.get(code) ?? code },
      geometry: { type: 'Polygon', coordinates: [[...hull, hull[0]]] },
    };
  });
  return {
    schools,
    outlines: {
      schematic: true,
      geojson: {
        type: 'FeatureCollection',
        features: features.filter((f) => f.geometry.coordinates[0].length >= 4),
      },
    },
  };
}

/** The newest imported outline whose region covers every county shown (a city's, or the one county's). */
async function importedOutlines(db: Kysely<Database>, countyCodes: string[]): Promise<unknown | null> {
  if (countyCodes.length === 0) return null;
  const candidates = await db
    .selectFrom('map_outlines')
    .select(['region_code', 'geojson'])
    .orderBy('id', 'desc')
    .execute();
  const covers = (region: string) => {
    const prefix = region.endsWith('0000')
      ? region.slice(0, 2)
      : region.endsWith('00')
        ? region.slice(0, 4)
        : region;
    return countyCodes.every((c) => c.startsWith(prefix));
  };
  const hit = candidates.find((c) => covers(c.region_code));
  return hit ? JSON.parse(hit.geojson) : null;
}

/** Checks a bureau's GeoJSON before it is stored: a FeatureCollection of (Multi)Polygons in lng/lat. */
export function checkOutlines(text: string): { features: number } {
  const fail = (zh: string, en: string) => {
    throw new AppError('map.bad_geojson', zh, en, 'file');
  };
  let doc: {
    type?: string;
    features?: { type?: string; geometry?: { type?: string; coordinates?: unknown } }[];
  };
  try {
    doc = JSON.parse(text);
  } catch {
    return fail('文件不是有效的 GeoJSON（JSON 格式错误）', 'The file is not valid GeoJSON (malformed JSON)');
  }
  if (doc.type !== 'FeatureCollection' || !Array.isArray(doc.features) || doc.features.length === 0) {
    fail('GeoJSON 须为包含要素的 FeatureCollection', 'The GeoJSON must be a FeatureCollection with features');
  }
  doc.features!.forEach((f, i) => {
    const g = f.geometry;
    if (f.type !== 'Feature' || !g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      fail(
        `第 ${i + 1} 个要素不是面（Polygon/MultiPolygon）`,
        `Feature ${i + 1} is not a Polygon or MultiPolygon`,
      );
    }
    const first =
      JSON.stringify(g!.coordinates)
        .match(/-?\d+(\.\d+)?/g)
        ?.slice(0, 2)
        .map(Number) ?? [];
    if (first.length < 2 || Math.abs(first[0]) > 180 || Math.abs(first[1]) > 90) {
      fail(
        `第 ${i + 1} 个要素的坐标不是经纬度`,
        `Feature ${i + 1} does not use longitude/latitude coordinates`,
      );
    }
  });
  return { features: doc.features!.length };
}

export async function saveOutlines(
  db: Kysely<Database>,
  regionCode: string,
  name: string,
  text: string,
  by: string,
) {
  const { features } = checkOutlines(text);
  await db
    .insertInto('map_outlines')
    .values({
      region_code: regionCode,
      name,
      geojson: text,
      uploaded_at: new Date().toISOString(),
      uploaded_by: by,
    })
    .execute();
  return { features };
}
