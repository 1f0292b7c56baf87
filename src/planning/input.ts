/**
 * The planning engine's input built from the store (docs/planning.md): one county, one stage, one target
 * year. Demand comes from a saved forecast run, apportioned to the communities of each forecast area;
 * the existing schools and their seats come from the registry; candidate sites from a file.
 */
import type { Kysely } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { type Grade, STAGE_GRADES } from '../domain/stages.ts';
import type { PlanningInput } from '../engines/planning/contract.ts';
import { loadAreaSet, resolveForecastRegion } from '../forecast/areas.ts';
import type { ForecastRun } from '../forecast/runs.ts';
import type { Database } from '../store/schema.ts';
import {
  DEFAULT_PLANNING_OPTIONS,
  DEFAULT_RADIUS_KM,
  type PlanningMethod,
  type PlanningStage,
} from './defaults.ts';

type Db = Kysely<Database>;

export {
  DEFAULT_PLANNING_OPTIONS,
  DEFAULT_RADIUS_KM,
  PLANNING_METHODS,
  PLANNING_STAGES,
  type PlanningMethod,
  type PlanningStage,
} from './defaults.ts';

type Site = NonNullable<PlanningInput['sites']>[number];

/** What a scenario is built with besides county, stage, year and run; every field has a default. */
export interface PlanningOptions {
  /** 服务半径 in road km (defaults: DEFAULT_RADIUS_KM). */
  radiusKm?: { urban: number; rural: number; rural_boarding?: number };
  /** Extra classes a public school may add (扩建), default 6; 0: no expansion. */
  maxExtraClasses?: number;
  /** Cost of one added class, fen; default 100 万元 (practice for a county's 扩建 per class). */
  expansionCostPerClassFen?: number;
  /** Saving when a school is closed and merged, fen; default 0 (closures then only follow distance). */
  closureSavingFen?: number;
  /** School codes that may not be closed; private schools are always kept. */
  mustKeep?: string[];
  /** Seats per planned class; default each school's standard class size. */
  seatsPerClass?: number;
  budgetFen?: number;
  maxNewSchools?: number;
  /** Pupil-km one fen is worth; default 1e-6 (100 万元 weighs as much as 100 pupil-km). */
  costWeight?: number;
  allowSplit?: boolean;
  detourFactor?: number;
  timeLimitS?: number;
  /** auto (default), exact or heuristic. */
  method?: PlanningMethod;
  /** Relative gap at which the exact solve stops; default 0.01 (1 %). */
  gapTolerance?: number;
  /** Keep only the k nearest schools and sites within the radius of each demand point; default all. */
  nearestK?: number;
}

/** What an error names for each input: the command's options (default) or the API's body fields. */
export interface PlanningFields {
  county: string;
  forecast: string;
  year: string;
  mustKeep: string;
}

export const CLI_PLANNING_FIELDS: PlanningFields = {
  county: '--county',
  forecast: '--forecast',
  year: '--year',
  mustKeep: '--must-keep',
};

export interface StorePlanningInput {
  input: PlanningInput;
  /** Planned classes of the stage per school code (the large-class share is measured against them). */
  classes: Record<string, number>;
  /** The same per grade: school code → grade → planned classes. */
  classesByGrade: Record<string, Partial<Record<Grade, number>>>;
  /**
   * Forecast pupils of each area in the target year (unrounded), by grade of the stage, and the demand
   * points it went to.
   */
  areas: { id: string; pupils: number; grades: Partial<Record<Grade, number>>; points: string[] }[];
  /** Schools of the stage left out, and why (no coordinates). */
  skipped: { code: string; name: string; reason: string }[];
}

/**
 * Largest-remainder rounding of `total × weight / Σ weights`: whole pupils that sum to round(total).
 * @example apportion(10, [1, 1, 1]) // [4, 3, 3]
 */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  const w = sum > 0 ? weights : weights.map(() => 1);
  const s = sum > 0 ? sum : w.length;
  const exact = w.map((x) => (Math.round(total) * x) / s);
  const out = exact.map(Math.floor);
  let left = Math.round(total) - out.reduce((a, b) => a + b, 0);
  const order = exact
    .map((x, i) => [x - Math.floor(x), i] as const)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1]);
  for (const [, i] of order) {
    if (left <= 0) break;
    out[i]++;
    left--;
  }
  return out;
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

/**
 * Builds the input. Each forecast area's pupils of the stage in the target year go to its communities
 * (with coordinates) in proportion to the pupils of the stage registered there (students.community_code,
 * newest student year); where none are, to the census (communityWeights); else equally. An area without such communities becomes one
 * demand point at the centre of its schools (a township). A community is urban when most schools of its
 * township are 城区 or 镇区.
 */
export async function loadPlanningInput(
  db: Db,
  o: {
    county: string;
    stage: PlanningStage;
    year: number;
    run: ForecastRun;
    sites?: Site[];
  } & PlanningOptions,
  fields: PlanningFields = CLI_PLANNING_FIELDS,
): Promise<StorePlanningInput> {
  const region = await resolveForecastRegion(db, o.county, fields.county);
  if (region.level !== 'county')
    throw new AppError(
      'planning.not_county',
      `${o.county} 不是县（市、区）代码`,
      `${o.county} is not a county code`,
      fields.county,
    );
  const run = o.run;
  if (!(run.countyCode === o.county || (run.countyCode === null && run.areaLevel === 'county')))
    throw new AppError(
      'planning.run_county',
      `预测方案“${run.name}”不覆盖 ${o.county}`,
      `forecast run "${run.name}" does not cover ${o.county}`,
      fields.forecast,
    );
  const first = run.input.baseYear + 1;
  const last = run.input.baseYear + run.input.horizon;
  if (o.year < first || o.year > last)
    throw new AppError(
      'planning.year_outside_run',
      `目标年份应在预测方案的 ${first}–${last} 年之间`,
      `the target year must be within the run's ${first}–${last}`,
      fields.year,
    );
  const grades = STAGE_GRADES[o.stage];
  const areaSet = await loadAreaSet(db, region, run.areaLevel);
  const areas = areaSet.areas.filter((a) => a.countyCode === o.county && run.result.areas[a.id]);

  const schools = await db
    .selectFrom('schools')
    .select(['id', 'code', 'name', 'township_code', 'ownership', 'locale', 'lng', 'lat', 'boarding'])
    .where('county_code', '=', o.county)
    .orderBy('code')
    .execute();
  const schoolById = new Map(schools.map((s) => [Number(s.id), s]));
  const urbanTownship = new Map<string, number>();
  for (const s of schools)
    if (s.township_code)
      urbanTownship.set(
        s.township_code,
        (urbanTownship.get(s.township_code) ?? 0) + (s.locale === 'rural' ? -1 : 1),
      );

  const communities = await db
    .selectFrom('communities')
    .select(['code', 'township_code', 'lng', 'lat'])
    .where('county_code', '=', o.county)
    .where('lng', 'is not', null)
    .where('lat', 'is not', null)
    .orderBy('code')
    .execute();
  // The catchment links of the stage and of primary, read once: the census weights use the stage's own
  // (primary's when it has none), a catchment run's areas the primary ones.
  const links = (
    await db
      .selectFrom('catchments')
      .select(['community_code', 'school_id', 'stage', 'year'])
      .where('county_code', '=', o.county)
      .where('stage', 'in', [o.stage, 'primary'])
      .execute()
  ).map((l) => ({
    community: l.community_code,
    school: Number(l.school_id),
    stage: l.stage,
    year: Number(l.year),
  }));
  const { registered, census } = await communityWeights(db, o.county, o.stage, links);

  // A community's area: its township, its county, or the catchment area of the first school it is linked to.
  const areaOfCommunity = new Map<string, string>();
  if (run.areaLevel === 'catchment') {
    const primary = links.filter((l) => l.stage === 'primary');
    const newest = Math.max(...primary.map((l) => l.year));
    for (const l of primary.filter((x) => x.year === newest).sort((a, b) => a.school - b.school))
      if (!areaOfCommunity.has(l.community)) {
        const area = areaSet.areaOfSchool.get(l.school);
        if (area) areaOfCommunity.set(l.community, area);
      }
  }
  const areaOf = (c: (typeof communities)[number]) =>
    run.areaLevel === 'county'
      ? o.county
      : run.areaLevel === 'township'
        ? (c.township_code ?? undefined)
        : areaOfCommunity.get(c.code);
  const byArea = new Map<string, typeof communities>();
  for (const c of communities) {
    const a = areaOf(c);
    if (a) byArea.set(a, [...(byArea.get(a) ?? []), c]);
  }

  const demand: PlanningInput['demand_points'] = [];
  const areaRows: StorePlanningInput['areas'] = [];
  for (const a of areas) {
    const byGrade = run.result.areas[a.id]?.[String(o.year)] ?? {};
    const pupils = grades.reduce((sum, g) => sum + (byGrade[g] ?? 0), 0);
    const ofGrades = Object.fromEntries(grades.map((g) => [g, byGrade[g] ?? 0]));
    const members = byArea.get(a.id) ?? [];
    if (members.length > 0) {
      const byRecords = members.map((c) => registered.get(c.code) ?? 0);
      const shares = apportion(
        pupils,
        byRecords.some((x) => x > 0) ? byRecords : members.map((c) => census.get(c.code) ?? 0),
      );
      members.forEach((c, i) => {
        demand.push({
          id: c.code,
          pupils: shares[i]!,
          lng: c.lng!,
          lat: c.lat!,
          area: (urbanTownship.get(c.township_code ?? '') ?? 0) > 0 ? 'urban' : 'rural',
        });
      });
      areaRows.push({ id: a.id, pupils, grades: ofGrades, points: members.map((c) => c.code) });
      continue;
    }
    const located = a.schoolIds
      .map((id) => schoolById.get(id))
      .filter((s) => s?.lng != null && s.lat != null);
    if (located.length === 0)
      throw new AppError(
        'planning.area_unlocated',
        `预测区域 ${a.name}（${a.id}）既没有带坐标的社区，也没有带坐标的学校`,
        `forecast area ${a.name} (${a.id}) has neither communities nor schools with coordinates`,
        fields.forecast,
      );
    demand.push({
      id: a.id,
      pupils: Math.round(pupils),
      lng: mean(located.map((s) => s!.lng!)),
      lat: mean(located.map((s) => s!.lat!)),
      area: located.filter((s) => s!.locale !== 'rural').length * 2 > located.length ? 'urban' : 'rural',
    });
    areaRows.push({ id: a.id, pupils, grades: ofGrades, points: [a.id] });
  }

  const capacity = await db
    .selectFrom('school_capacity')
    .select(['school_id', 'grade', 'planned_classes', 'standard_class_size'])
    .where('county_code', '=', o.county)
    .where('grade', 'in', [...grades])
    .execute();
  const seats = new Map<
    number,
    { seats: number; classes: number; byGrade: Partial<Record<Grade, number>> }
  >();
  for (const c of capacity) {
    const s = seats.get(Number(c.school_id)) ?? { seats: 0, classes: 0, byGrade: {} };
    s.classes += Number(c.planned_classes);
    const g = c.grade as Grade;
    s.byGrade[g] = (s.byGrade[g] ?? 0) + Number(c.planned_classes);
    s.seats += Number(c.planned_classes) * (o.seatsPerClass ?? Number(c.standard_class_size));
    seats.set(Number(c.school_id), s);
  }
  const mustKeep = new Set(o.mustKeep ?? []);
  const known = new Set(schools.map((s) => s.code));
  for (const code of mustKeep)
    if (!known.has(code))
      throw new AppError(
        'planning.unknown_school',
        `${o.county} 没有学校 ${code}`,
        `${o.county} has no school ${code}`,
        fields.mustKeep,
      );
  const d = { ...DEFAULT_PLANNING_OPTIONS, ...definedOf(o) };
  const classSize = o.seatsPerClass ?? (o.stage === 'primary' ? 45 : 50);
  const planned: PlanningInput['schools'] = [];
  const classes: Record<string, number> = {};
  const classesByGrade: StorePlanningInput['classesByGrade'] = {};
  const skipped: StorePlanningInput['skipped'] = [];
  for (const s of schools) {
    const c = seats.get(Number(s.id));
    if (!c || c.classes === 0) continue;
    if (s.lng == null || s.lat == null) {
      skipped.push({ code: s.code, name: s.name, reason: '没有坐标 / no coordinates' });
      continue;
    }
    // The bureau neither closes nor extends a private school (民办): it stays as it is.
    const isPublic = s.ownership === 'public';
    classes[s.code] = c.classes;
    classesByGrade[s.code] = c.byGrade;
    planned.push({
      id: s.code,
      capacity: c.seats,
      lng: s.lng,
      lat: s.lat,
      must_keep: !isPublic || mustKeep.has(s.code),
      closure_saving_fen: d.closureSavingFen,
      ...(isPublic && d.maxExtraClasses > 0
        ? {
            expansion: {
              class_size: classSize,
              max_extra_classes: d.maxExtraClasses,
              cost_per_class_fen: d.expansionCostPerClassFen,
            },
          }
        : {}),
      boarding: s.boarding === 1,
    });
  }
  const input: PlanningInput = {
    stage: o.stage,
    demand_points: demand,
    schools: planned,
    sites: o.sites ?? [],
    distance: { method: 'haversine', detour_factor: d.detourFactor },
    service_radius_km: o.radiusKm ?? DEFAULT_RADIUS_KM[o.stage],
    cost_weight: d.costWeight,
    allow_split: d.allowSplit,
    time_limit_s: d.timeLimitS,
    method: d.method,
    gap_tolerance: d.gapTolerance,
    ...(d.nearestK != null ? { nearest_k: d.nearestK } : {}),
    ...(o.budgetFen !== undefined ? { budget_fen: o.budgetFen } : {}),
    ...(o.maxNewSchools !== undefined ? { max_new_schools: o.maxNewSchools } : {}),
  };
  return { input, classes, classesByGrade, areas: areaRows, skipped };
}

/** A catchment link (学区划片): a community served by a school for a stage and year. */
interface CatchmentLink {
  community: string;
  school: number;
  stage: string;
  year: number;
}

/**
 * Two weights per community for the stage: pupils registered there (students.community_code, the newest
 * student year), and its part of the census — each school's pupils of the stage in the newest census year
 * shared equally among the communities of its newest catchments of the stage (primary catchments when the
 * stage has none).
 */
async function communityWeights(
  db: Db,
  county: string,
  stage: PlanningStage,
  links: CatchmentLink[],
): Promise<{ registered: Map<string, number>; census: Map<string, number> }> {
  const grades = [...STAGE_GRADES[stage]];
  const registered = new Map<string, number>();
  const newestStudents = await db
    .selectFrom('students')
    .select((eb) => eb.fn.max('year').as('year'))
    .where('county_code', '=', county)
    .executeTakeFirst();
  if (newestStudents?.year != null)
    for (const r of await db
      .selectFrom('students')
      .select(['community_code'])
      .select((eb) => eb.fn.countAll().as('n'))
      .where('county_code', '=', county)
      .where('year', '=', Number(newestStudents.year))
      .where('grade', 'in', grades)
      .where('community_code', 'is not', null)
      .groupBy('community_code')
      .execute())
      registered.set(r.community_code!, Number(r.n));

  const census = new Map<string, number>();
  const newestCensus = await db
    .selectFrom('census')
    .select((eb) => eb.fn.max('year').as('year'))
    .where('county_code', '=', county)
    .executeTakeFirst();
  if (newestCensus?.year == null) return { registered, census };
  const pupils = new Map(
    (
      await db
        .selectFrom('census')
        .select('school_id')
        .select((eb) => eb.fn.sum<number>(eb(eb.ref('pupils_male'), '+', eb.ref('pupils_female'))).as('n'))
        .where('county_code', '=', county)
        .where('year', '=', Number(newestCensus.year))
        .where('grade', 'in', grades)
        .groupBy('school_id')
        .execute()
    ).map((r) => [Number(r.school_id), Number(r.n)]),
  );
  const own = links.filter((l) => l.stage === stage);
  const use = own.length > 0 ? own : links;
  const newest = Math.max(...use.map((l) => l.year));
  const communitiesOf = new Map<number, string[]>();
  for (const l of use)
    if (l.year === newest) communitiesOf.set(l.school, [...(communitiesOf.get(l.school) ?? []), l.community]);
  for (const [school, list] of communitiesOf)
    for (const c of list) census.set(c, (census.get(c) ?? 0) + (pupils.get(school) ?? 0) / list.length);
  return { registered, census };
}

/** The options that were given (undefined ones must not override the defaults). */
function definedOf(o: PlanningOptions): Partial<PlanningOptions> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
