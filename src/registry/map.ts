import type { Kysely } from 'kysely';
import type { ScopeFilter } from '../auth/roles.ts';
import { AppError } from '../domain/errors.ts';
import { regionNames } from '../store/regions.ts';
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

/**
 * A schematic outline around points: the convex hull of a small diamond around each point, so that
 * it encloses them all with `margin` degrees to spare, and one or two schools still get an outline.
 */
export function schematicOutline(points: Point[], margin: number): Point[] {
  const hull = convexHull(
    points.flatMap(([x, y]): Point[] => [
      [x - margin, y],
      [x + margin, y],
      [x, y - margin],
      [x, y + margin],
    ]),
  );
  return hull.length ? [...hull, hull[0]] : [];
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
  const names = await regionNames(db, countyCodes);
  const features = countyCodes.map((code) => ({
    type: 'Feature',
    properties: { code, name: names.get(code) ?? code },
    geometry: {
      type: 'Polygon',
      coordinates: [
        schematicOutline(
          schools.filter((s) => s.countyCode === code).map((s) => [s.lng, s.lat] as Point),
          0.02,
        ),
      ],
    },
  }));
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

/** The code prefix of the counties an outline's region covers: a province's 2 digits, a city's 4, a county's 6. */
function regionPrefix(region: string): string {
  return region.endsWith('0000') ? region.slice(0, 2) : region.endsWith('00') ? region.slice(0, 4) : region;
}

/** The newest imported outline whose region covers every county shown (a city's, or the one county's). */
async function importedOutlines(db: Kysely<Database>, countyCodes: string[]): Promise<unknown | null> {
  if (countyCodes.length === 0) return null;
  const candidates = await db
    .selectFrom('map_outlines')
    .select(['region_code', 'geojson'])
    .orderBy('id', 'desc')
    .execute();
  const hit = candidates.find((c) =>
    countyCodes.every((code) => code.startsWith(regionPrefix(c.region_code))),
  );
  return hit ? JSON.parse(hit.geojson) : null;
}

/** An area to outline (a county, township or catchment) and the schools in it. */
export interface OutlinedArea {
  id: string;
  name: string;
  countyCode: string;
  schoolIds: readonly number[];
}

interface Feature {
  type: 'Feature';
  properties: { code: string; name: string };
  geometry: { type: string; coordinates: unknown };
}

/** What a feature of an imported outline may call its region by. */
function featureKeys(f: { properties?: Record<string, unknown> | null }): string[] {
  const p = f.properties ?? {};
  return ['code', 'adcode', 'name']
    .map((k) => p[k])
    .filter((v) => v != null)
    .map(String);
}

/**
 * One outline per area, each feature's `properties.code` the area's id. The bureau's imported
 * outlines when a feature names every area (by code, adcode or name; newest upload first), else a
 * schematic, flagged as such: the outline around the schools (of the city, or of each county for
 * townships and catchments) cut into the cells nearest each area's schools.
 */
export async function loadAreaOutlines(
  db: Kysely<Database>,
  areas: readonly OutlinedArea[],
): Promise<{ schematic: boolean; geojson: { type: 'FeatureCollection'; features: Feature[] } }> {
  const counties = [...new Set(areas.map((a) => a.countyCode))];
  if (counties.length === 0) return { schematic: true, geojson: { type: 'FeatureCollection', features: [] } };
  const uploads = await db
    .selectFrom('map_outlines')
    .select(['region_code', 'geojson'])
    .orderBy('id', 'desc')
    .execute();
  const byKey = new Map<string, Feature['geometry']>();
  for (const u of uploads) {
    if (!counties.some((c) => c.startsWith(regionPrefix(u.region_code)))) continue;
    const doc = JSON.parse(u.geojson) as {
      features: { properties?: Record<string, unknown>; geometry: Feature['geometry'] }[];
    };
    for (const f of doc.features) for (const k of featureKeys(f)) if (!byKey.has(k)) byKey.set(k, f.geometry);
  }
  const imported = areas.map((a) => byKey.get(a.id) ?? byKey.get(a.name));
  if (imported.every((g) => g !== undefined))
    return {
      schematic: false,
      geojson: {
        type: 'FeatureCollection',
        features: areas.map((a, i) => ({
          type: 'Feature',
          properties: { code: a.id, name: a.name },
          geometry: imported[i]!,
        })),
      },
    };
  const schools = await db
    .selectFrom('schools')
    .select(['id', 'lng', 'lat', 'county_code'])
    .where('county_code', 'in', counties)
    .where('lng', 'is not', null)
    .where('lat', 'is not', null)
    .execute();
  const at = new Map(schools.map((s) => [Number(s.id), [s.lng!, s.lat!] as Point]));
  // Counties tile the outline of all their schools; townships and catchments their county's outline.
  const frameOf = (a: OutlinedArea) => (a.id === a.countyCode ? '' : a.countyCode);
  const features: Feature[] = [];
  for (const frame of new Set(areas.map(frameOf))) {
    const inFrame = areas.filter((a) => frameOf(a) === frame);
    const outline = schematicOutline(
      schools.filter((s) => frame === '' || s.county_code === frame).map((s) => [s.lng!, s.lat!] as Point),
      0.02,
    );
    const cells = schematicCells(
      inFrame.map((a) => ({
        id: a.id,
        points: a.schoolIds.flatMap((id) => (at.has(id) ? [at.get(id)!] : [])),
      })),
      outline,
    );
    for (const a of inFrame) {
      const ring = cells.get(a.id);
      if (ring)
        features.push({
          type: 'Feature',
          properties: { code: a.id, name: a.name },
          geometry: { type: 'Polygon', coordinates: [ring] },
        });
    }
  }
  return { schematic: true, geojson: { type: 'FeatureCollection', features } };
}

/** The part of a convex ring on the side of the line through `m` where `(x − m)·d ≤ 0`. */
function clipHalfPlane(ring: Point[], m: Point, d: Point): Point[] {
  const side = (p: Point) => (p[0] - m[0]) * d[0] + (p[1] - m[1]) * d[1];
  const out: Point[] = [];
  ring.forEach((a, i) => {
    const b = ring[(i + 1) % ring.length]!;
    const sa = side(a);
    const sb = side(b);
    if (sa <= 0) out.push(a);
    if ((sa < 0 && sb > 0) || (sa > 0 && sb < 0)) {
      const t = sa / (sa - sb);
      out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    }
  });
  return out;
}

/**
 * Schematic cells: each area gets the part of the convex `frame` (a closed ring) nearer the centre
 * of its points than any other area's centre — a Voronoi cell — so neighbours tile the frame
 * without overlapping. Areas without points get no cell. Returns closed rings by area id.
 */
export function schematicCells(
  areas: readonly { id: string; points: Point[] }[],
  frame: Point[],
): Map<string, Point[]> {
  const centres = areas
    .filter((a) => a.points.length > 0)
    .map((a) => ({
      id: a.id,
      c: [
        a.points.reduce((x, p) => x + p[0], 0) / a.points.length,
        a.points.reduce((y, p) => y + p[1], 0) / a.points.length,
      ] as Point,
    }));
  const open = frame.slice(0, -1);
  const cells = new Map<string, Point[]>();
  for (const { id, c } of centres) {
    let cell = open;
    for (const o of centres) {
      const d: Point = [o.c[0] - c[0], o.c[1] - c[1]];
      // Two areas with the same centre share the cell rather than cancel each other out.
      if (o.id === id || (d[0] === 0 && d[1] === 0)) continue;
      cell = clipHalfPlane(cell, [(c[0] + o.c[0]) / 2, (c[1] + o.c[1]) / 2], d);
      if (cell.length < 3) break;
    }
    if (cell.length >= 3) cells.set(id, [...cell, cell[0]!]);
  }
  return cells;
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
