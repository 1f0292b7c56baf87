/**
 * Every region below a city or county at once: one read of the store (the queries of `load.ts`),
 * then the rows are split in memory and the engine runs once per region.
 */
import type { Kysely } from 'kysely';
import { computeParsedIndicators, type IndicatorResult } from '../engines/indicators/engine.ts';
import { countiesUnder } from '../store/regions.ts';
import type { Database } from '../store/schema.ts';
import {
  type IndexedRows,
  indexRows,
  inputFor,
  loadIndicatorRows,
  type RegionSet,
  type ResolvedRegion,
  resolveRegion,
  schoolsOfSet,
} from './load.ts';

type Db = Kysely<Database>;
export type RegionLevel = ResolvedRegion['level'];
const DEPTH: Record<RegionLevel, number> = { province: 0, city: 1, county: 2, township: 3, school: 4 };

export interface RegionIndicators {
  code: string;
  name: string;
  level: RegionLevel;
  /** The region one level up in this result (the region asked for has null). */
  parentCode: string | null;
  /** The county the region lies in; null above the county. */
  countyCode: string | null;
  /** For a school: its id (the register and the school page use it). */
  schoolId: number | null;
  results: IndicatorResult[];
}

interface Node {
  code: string;
  name: string;
  level: RegionLevel;
  parentCode: string | null;
  countyCode: string | null;
  schoolId: number | null;
  set: RegionSet;
}

/** The tree of regions under `top` down to `deepest`, in order: the region, then each child's subtree. */
async function regionTree(
  db: Db,
  top: ResolvedRegion,
  index: IndexedRows,
  deepest: RegionLevel,
): Promise<Node[]> {
  const nodes: Node[] = [
    { ...top, parentCode: null, schoolId: top.set.kind === 'school' ? top.set.schoolId : null },
  ];
  const want = (l: RegionLevel) => DEPTH[l] > DEPTH[top.level] && DEPTH[l] <= DEPTH[deepest];
  const counties = top.level === 'city' || top.level === 'province' ? await countiesUnder(db, top.code) : [];
  const countyCodes = top.level === 'county' ? [top.code] : counties.map((c) => c.code);
  const townships =
    want('township') && countyCodes.length
      ? await db
          .selectFrom('regions')
          .select(['code', 'name', 'parent_code'])
          .where('level', '=', 'township')
          .where('parent_code', 'in', countyCodes)
          .orderBy('code')
          .execute()
      : [];
  const schoolsOf = (township: string) => index.rows.schools.filter((s) => s.township_code === township);
  const addSchools = (township: string) => {
    for (const s of schoolsOf(township))
      nodes.push({
        code: s.code,
        name: s.name,
        level: 'school',
        parentCode: township,
        countyCode: s.county_code,
        schoolId: s.id,
        set: { kind: 'school', schoolId: s.id },
      });
  };
  const addTownships = (county: string) => {
    for (const t of townships.filter((x) => x.parent_code === county)) {
      nodes.push({
        code: t.code,
        name: t.name,
        level: 'township',
        parentCode: county,
        countyCode: county,
        schoolId: null,
        set: { kind: 'township', township: t.code },
      });
      if (want('school')) addSchools(t.code);
    }
  };
  if (top.level === 'township') {
    if (want('school')) addSchools(top.code);
  } else if (top.level === 'county') {
    addTownships(top.code);
  } else if (want('county'))
    for (const c of counties) {
      nodes.push({
        code: c.code,
        name: c.name,
        level: 'county',
        parentCode: top.code,
        countyCode: c.code,
        schoolId: null,
        set: { kind: 'counties', counties: [c.code] },
      });
      if (want('township')) addTownships(c.code);
    }
  return nodes;
}

/** One read of the store for a region and the regions below it: the rows and the tree to split them by. */
export interface RegionsRead {
  year: number;
  index: IndexedRows;
  nodes: Node[];
}

/**
 * The read behind `computeRegionIndicators` (the bench times it apart from the sums). `from` widens
 * it to earlier years, so that one read serves several (the annual report's previous year).
 */
export async function readRegions(
  db: Db,
  code: string,
  year: number,
  opts: { deepest?: RegionLevel; field?: string; from?: number } = {},
): Promise<RegionsRead> {
  const top = await resolveRegion(db, code, opts.field);
  const index = indexRows(await loadIndicatorRows(db, top.set, opts.from ?? year, year));
  return { year, index, nodes: await regionTree(db, top, index, opts.deepest ?? 'township') };
}

/** Splits the read by region and runs the engine on each for `year` (default the read's): no I/O. */
export function computeRegions(read: RegionsRead, year = read.year): RegionIndicators[] {
  return read.nodes.map(({ set, ...n }) => ({
    ...n,
    results: computeParsedIndicators(inputFor(read.index, set, year)),
  }));
}

/**
 * All indicators for `code` (a city, county or township) and every region below it down to
 * `deepest` (default township; 'school' adds each school), for year Y.
 * Example: `computeRegionIndicators(db, '411400', 2023)` → the city, its 9 counties and their
 * townships, each with its 21 results.
 */
export async function computeRegionIndicators(
  db: Db,
  code: string,
  year: number,
  opts: { deepest?: RegionLevel; field?: string } = {},
): Promise<RegionIndicators[]> {
  return computeRegions(await readRegions(db, code, year, opts));
}

/** The years with census data for a region, and its indicators in each: one read for all of them. */
export async function computeIndicatorTrend(
  db: Db,
  region: ResolvedRegion,
): Promise<{ year: number; results: IndicatorResult[] }[]> {
  const years = await yearsWithData(db, region.set);
  if (years.length === 0) return [];
  const index = indexRows(await loadIndicatorRows(db, region.set, years[0], years[years.length - 1]));
  return years.map((year) => ({ year, results: computeParsedIndicators(inputFor(index, region.set, year)) }));
}

/** Census years of the schools of a set, ascending. */
export async function yearsWithData(db: Db, set: RegionSet): Promise<number[]> {
  const rows = await db
    .selectFrom('census')
    .select('year')
    .distinct()
    .where('school_id', 'in', schoolsOfSet(db, set))
    .orderBy('year')
    .execute();
  return rows.map((r) => Number(r.year));
}
