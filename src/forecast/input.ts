/**
 * Store → forecast engine input (the "forecast solve" contract): per area, the pupils of its schools
 * per census year and grade, and the births behind its entry grades.
 *
 * Births are stored per county. A township or catchment gets its county's births × its share of the
 * county's grade-1 pupils over the observed years — one constant per area. Under the default method
 * a constant factor on births cancels out (the entry ratio is calibrated against the same births it
 * is applied to), so the area follows its county's birth trend with its own entry ratios.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { GRADES, type Grade } from '../domain/stages.ts';
import type { ForecastInput } from '../engines/forecast/contract.ts';
import { ENTRY_LAGS } from '../engines/forecast/engine.ts';
import type { Database } from '../store/schema.ts';
import {
  type AreaLevel,
  type AreaSet,
  defaultAreaLevel,
  loadAreaSet,
  resolveForecastRegion,
} from './areas.ts';

type Db = Kysely<Database>;

export interface ForecastInputOptions {
  region: string;
  horizon: number;
  window?: number;
  cutoffMonth?: number;
  areas?: AreaLevel;
  /** The last observed year; default the newest census year of the region. */
  baseYear?: number;
}

/** A grade of an area left out of the input, and why (shown to the planner). */
export interface ExcludedGrade {
  area: string;
  grade: Grade;
  reason: { zh: string; en: string };
}

export interface StoreForecastInput {
  set: AreaSet;
  input: ForecastInput;
  excluded: ExcludedGrade[];
  /** 1 when every school behind the input is a demo-city record. */
  synthetic: number;
}

export const DEFAULT_WINDOW = 3;
export const DEFAULT_CUTOFF_MONTH = 8;

/** Oldest birth year an entry grade of year `year` reads: G1 (lag 6) blends t−6 with t−7. */
const entryBirthLag = (cutoffMonth: number) => (cutoffMonth === 12 ? 6 : 7);

/** Builds the engine input for a region's areas from the census and births in the store. */
export async function loadForecastInput(db: Db, o: ForecastInputOptions): Promise<StoreForecastInput> {
  const window = o.window ?? DEFAULT_WINDOW;
  const cutoffMonth = o.cutoffMonth ?? DEFAULT_CUTOFF_MONTH;
  const region = await resolveForecastRegion(db, o.region);
  const set = await loadAreaSet(db, region, o.areas ?? defaultAreaLevel(region));
  if (set.areaOfSchool.size === 0)
    throw new AppError(
      'forecast.no_schools',
      `区划 ${region.code} 没有学校`,
      `region ${region.code} has no schools`,
      '--region',
    );
  const counties = region.counties;
  const [census, births, countyG1, synthetic] = await Promise.all([
    db
      .selectFrom('census')
      .innerJoin('schools', 'schools.id', 'census.school_id')
      .select(['census.school_id', 'census.year', 'census.grade'])
      .select((eb) => eb(eb.ref('census.pupils_male'), '+', eb.ref('census.pupils_female')).as('pupils'))
      .where('schools.county_code', 'in', counties)
      .$if(o.baseYear !== undefined, (q) => q.where('census.year', '<=', o.baseYear!))
      .execute(),
    db
      .selectFrom('births')
      .select(['region_code', 'year', 'births'])
      .where('region_code', 'in', counties)
      .orderBy('year')
      .execute(),
    db
      .selectFrom('census')
      .select(['county_code', 'year'])
      .select((eb) => eb.fn.sum<number>(eb(eb.ref('pupils_male'), '+', eb.ref('pupils_female'))).as('n'))
      .where('county_code', 'in', counties)
      .where('grade', '=', 'G1')
      .groupBy(['county_code', 'year'])
      .execute(),
    db
      .selectFrom('schools')
      .select((eb) => eb.fn.min('synthetic').as('s'))
      .where('county_code', 'in', counties)
      .executeTakeFirst(),
  ]);
  if (census.length === 0)
    throw new AppError(
      'forecast.no_census',
      `区划 ${region.code} 没有基础统计数据`,
      `region ${region.code} has no census data`,
      '--region',
    );
  const baseYear = o.baseYear ?? Math.max(...census.map((c) => Number(c.year)));

  const birthsOf = new Map<string, Map<number, number>>();
  for (const b of births) {
    const m = birthsOf.get(b.region_code) ?? new Map<number, number>();
    m.set(Number(b.year), Number(b.births));
    birthsOf.set(b.region_code, m);
  }
  for (const c of new Set(set.areas.map((a) => a.countyCode)))
    if (!birthsOf.get(c)?.size)
      throw new AppError(
        'forecast.no_births',
        `县区 ${c} 没有出生人口数据：请先导入出生人口`,
        `county ${c} has no births: import them first`,
        '--region',
      );
  const firstBirthYear = Math.max(...[...birthsOf.values()].map((m) => Math.min(...m.keys())));
  const firstYear = Math.max(
    Math.min(...census.map((c) => Number(c.year))),
    firstBirthYear + entryBirthLag(cutoffMonth),
  );
  const years: number[] = [];
  for (let y = firstYear; y <= baseYear; y++) years.push(y);

  // area → year → grade → pupils
  const pupils = new Map<string, Map<number, Map<Grade, number>>>();
  for (const c of census) {
    const area = set.areaOfSchool.get(Number(c.school_id));
    const year = Number(c.year);
    if (!area || year < firstYear) continue;
    const byYear = pupils.get(area) ?? new Map<number, Map<Grade, number>>();
    const byGrade = byYear.get(year) ?? new Map<Grade, number>();
    byGrade.set(c.grade as Grade, (byGrade.get(c.grade as Grade) ?? 0) + Number(c.pupils));
    byYear.set(year, byGrade);
    pupils.set(area, byYear);
  }
  const countyG1Total = new Map<string, number>();
  for (const r of countyG1)
    if (Number(r.year) >= firstYear && Number(r.year) <= baseYear)
      countyG1Total.set(r.county_code, (countyG1Total.get(r.county_code) ?? 0) + Number(r.n));

  const excluded: ExcludedGrade[] = [];
  const areas: ForecastInput['areas'] = [];
  for (const area of set.areas) {
    const byYear = pupils.get(area.id) ?? new Map();
    const grades = observedGrades(byYear, years, window, (grade, reason) =>
      excluded.push({ area: area.id, grade, reason }),
    );
    if (grades.length === 0) continue;
    const enrollment: ForecastInput['areas'][number]['enrollment'] = {};
    for (const y of years.slice(years.length - runLength(byYear, years, grades))) {
      const row: Partial<Record<Grade, number>> = {};
      for (const g of grades) row[g] = byYear.get(y)!.get(g)!;
      enrollment[String(y)] = row;
    }
    let share = 1;
    if (set.level !== 'county') {
      let g1 = 0;
      for (const y of years) g1 += byYear.get(y)?.get('G1') ?? 0;
      const total = countyG1Total.get(area.countyCode) ?? 0;
      // An area without grade 1 (a kindergarten-only township) takes its share of all pupils instead.
      share = g1 > 0 && total > 0 ? g1 / total : pupilShare(byYear, years, pupils, set, area.countyCode);
    }
    const areaBirths: Record<string, number> = {};
    for (const [y, n] of [...birthsOf.get(area.countyCode)!].sort((a, b) => a[0] - b[0]))
      areaBirths[String(y)] = Math.round(n * share * 100) / 100;
    areas.push({ id: area.id, births: areaBirths, enrollment });
  }
  return {
    set,
    input: { baseYear, horizon: o.horizon, window, cutoffMonth, areas },
    excluded,
    synthetic: Number(synthetic?.s ?? 0) === 1 ? 1 : 0,
  };
}

/**
 * The grades of an area that have pupils in each of the last `window + 1` observed years — what the
 * engine needs for an entry or progression ratio — and, above an entry grade, the grade below too.
 * A grade with pupils in the base year but too few years behind it (a new school filling up) is left
 * out and reported.
 */
function observedGrades(
  byYear: Map<number, Map<Grade, number>>,
  years: number[],
  window: number,
  exclude: (g: Grade, reason: ExcludedGrade['reason']) => void,
): Grade[] {
  const base = years[years.length - 1]!;
  const out: Grade[] = [];
  for (const g of GRADES) {
    if (!(byYear.get(base)?.get(g) ?? 0)) continue;
    const below = GRADES[GRADES.indexOf(g) - 1];
    if (runLength(byYear, years, [g]) < window + 1)
      exclude(g, {
        zh: `连续有在校生的年份少于 ${window + 1} 年`,
        en: `fewer than ${window + 1} consecutive years with pupils`,
      });
    else if (!(g in ENTRY_LAGS) && !out.includes(below!))
      exclude(g, {
        zh: `由 ${below} 升级推算，而 ${below} 不在预测中`,
        en: `projected from ${below}, which is left out`,
      });
    else out.push(g);
  }
  return out;
}

/** How many years back from the base year every grade of `grades` has pupils. */
function runLength(byYear: Map<number, Map<Grade, number>>, years: number[], grades: Grade[]): number {
  let n = 0;
  for (let i = years.length - 1; i >= 0; i--) {
    const row = byYear.get(years[i]!);
    if (!row || grades.some((g) => !(row.get(g) ?? 0))) break;
    n++;
  }
  return n;
}

/** The area's share of all pupils of the areas of its county, over the observed years. */
function pupilShare(
  byYear: Map<number, Map<Grade, number>>,
  years: number[],
  pupils: Map<string, Map<number, Map<Grade, number>>>,
  set: AreaSet,
  county: string,
): number {
  const sum = (m: Map<number, Map<Grade, number>> | undefined) => {
    let n = 0;
    for (const y of years) for (const v of m?.get(y)?.values() ?? []) n += v;
    return n;
  };
  let total = 0;
  for (const a of set.areas) if (a.countyCode === county) total += sum(pupils.get(a.id));
  return total > 0 ? sum(byYear) / total : 0;
}
