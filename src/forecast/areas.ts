/**
 * The areas a forecast is made for, and which schools belong to each: the counties of a city, the
 * townships (乡镇/街道) of a city or county, or the primary-school catchments (学区) stored for them.
 * The census, the supply and the build pipeline are all summed over these same school sets.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { countiesUnder } from '../store/regions.ts';
import type { Database } from '../store/schema.ts';

type Db = Kysely<Database>;

export const AREA_LEVELS = ['county', 'township', 'catchment'] as const;
export type AreaLevel = (typeof AREA_LEVELS)[number];

export interface ForecastRegion {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'township';
  /** The county of a county or township; null for a city or the province. */
  countyCode: string | null;
  /** The counties the region covers. */
  counties: string[];
}

export interface ForecastArea {
  /** County or township code; for a catchment, `C` + the code of its first school. */
  id: string;
  name: string;
  countyCode: string;
  schoolIds: number[];
}

export interface AreaSet {
  region: ForecastRegion;
  level: AreaLevel;
  areas: ForecastArea[];
  /** school id → area id, for the schools that lie in an area. */
  areaOfSchool: Map<number, string>;
}

/** A region code → the region and the counties it covers; unknown codes fail naming `field`. */
export async function resolveForecastRegion(
  db: Db,
  code: string,
  field = '--region',
): Promise<ForecastRegion> {
  const r = await db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
  if (!r)
    throw new AppError(
      'forecast.region_not_found',
      `找不到区划 ${code}`,
      `no region with code ${code}`,
      field,
    );
  if (r.level === 'township')
    return { code, name: r.name, level: r.level, countyCode: r.parent_code, counties: [r.parent_code!] };
  if (r.level === 'county') return { code, name: r.name, level: r.level, countyCode: code, counties: [code] };
  const counties = (await countiesUnder(db, code)).map((c) => c.code);
  return { code, name: r.name, level: r.level, countyCode: null, counties };
}

/** The area level used when none is asked for: a city's counties, a county's townships. */
export function defaultAreaLevel(region: ForecastRegion): AreaLevel {
  return region.level === 'city' || region.level === 'province' ? 'county' : 'township';
}

/**
 * The areas of a region at a level. Areas without schools are left out. A catchment area is a set
 * of primary schools linked through the communities they share (多校划片 joins them into one), from the
 * newest year of stored catchments.
 */
export async function loadAreaSet(db: Db, region: ForecastRegion, level: AreaLevel): Promise<AreaSet> {
  if (level === 'county' && region.level === 'township')
    throw new AppError(
      'forecast.area_level',
      '乡镇不能按县区划分预测区域',
      'a township cannot be split into counties',
      '--areas',
    );
  const counties = region.counties.length ? region.counties : [''];
  const schools = await db
    .selectFrom('schools')
    .select(['id', 'code', 'name', 'county_code', 'township_code'])
    .where('county_code', 'in', counties)
    .$if(region.level === 'township', (q) => q.where('township_code', '=', region.code))
    .orderBy('code')
    .execute();
  const groups = new Map<string, ForecastArea>();
  const add = (id: string, name: string, countyCode: string, schoolId: number) => {
    const a = groups.get(id) ?? { id, name, countyCode, schoolIds: [] };
    a.schoolIds.push(schoolId);
    groups.set(id, a);
  };
  if (level === 'catchment') {
    for (const a of await catchmentAreas(db, counties, schools)) groups.set(a.id, a);
  } else {
    const names = new Map(
      (
        await db
          .selectFrom('regions')
          .select(['code', 'name'])
          .where((eb) => eb.or([eb('code', 'in', counties), eb('parent_code', 'in', counties)]))
          .execute()
      ).map((r) => [r.code, r.name]),
    );
    for (const s of schools) {
      const id = level === 'county' ? s.county_code : s.township_code;
      // A school without a township has no township area; it still counts in its county.
      if (id) add(id, names.get(id) ?? id, s.county_code, Number(s.id));
    }
  }
  const areas = [...groups.values()].sort((a, b) => a.id.localeCompare(b.id));
  const areaOfSchool = new Map<number, string>();
  for (const a of areas) for (const id of a.schoolIds) areaOfSchool.set(id, a.id);
  return { region, level, areas, areaOfSchool };
}

/** Connected components of the school–community links of the newest primary catchments. */
async function catchmentAreas(
  db: Db,
  counties: string[],
  schools: { id: number; code: string; name: string; county_code: string }[],
): Promise<ForecastArea[]> {
  const newest = await db
    .selectFrom('catchments')
    .select((eb) => eb.fn.max('year').as('year'))
    .where('county_code', 'in', counties)
    .where('stage', '=', 'primary')
    .executeTakeFirst();
  if (newest?.year == null)
    throw new AppError(
      'forecast.no_catchments',
      '该区划没有小学学区划片数据：请先导入学区划片，或按县区、乡镇预测',
      'no primary catchments are stored for this region: import them, or forecast by county or township',
      '--areas',
    );
  const links = await db
    .selectFrom('catchments')
    .select(['community_code', 'school_id'])
    .where('county_code', 'in', counties)
    .where('stage', '=', 'primary')
    .where('year', '=', Number(newest.year))
    .execute();
  const byId = new Map(schools.map((s) => [Number(s.id), s]));
  // Union–find over schools: two schools sharing a community are one catchment area.
  const parent = new Map<number, number>();
  const find = (x: number): number => {
    let r = x;
    while (parent.get(r) !== r) r = parent.get(r)!;
    parent.set(x, r);
    return r;
  };
  const firstSchoolOf = new Map<string, number>();
  for (const l of links) {
    const id = Number(l.school_id);
    if (!byId.has(id)) continue;
    if (!parent.has(id)) parent.set(id, id);
    const other = firstSchoolOf.get(l.community_code);
    if (other === undefined) firstSchoolOf.set(l.community_code, id);
    else parent.set(find(id), find(other));
  }
  const members = new Map<number, number[]>();
  for (const id of parent.keys()) members.set(find(id), [...(members.get(find(id)) ?? []), id]);
  return [...members.values()].map((ids) => {
    const list = ids.map((id) => byId.get(id)!).sort((a, b) => a.code.localeCompare(b.code));
    const first = list[0]!;
    return {
      id: `C${first.code}`,
      name: list.length === 1 ? first.name : `${first.name}等${list.length}校`,
      countyCode: first.county_code,
      schoolIds: list.map((s) => Number(s.id)),
    };
  });
}
