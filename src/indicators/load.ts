/**
 * Store → engine input: the census, classes, teachers, population and registers of a region and year.
 * Reading and assembling are split so that one read of a city serves every region below it
 * (`regions.ts`) with the same code that serves one region.
 */
import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { ParsedIndicatorInput } from '../engines/indicators/contract.ts';
import { countiesUnder } from '../store/regions.ts';
import type { Database } from '../store/schema.ts';

/** `all` is every school in the store (the demo's check); otherwise a region code or a school code. */
export type IndicatorScope = { kind: 'all' } | { kind: 'region'; code: string };

type Db = Kysely<Database>;
type School = ParsedIndicatorInput['schools'][number];
type CensusRow = ParsedIndicatorInput['census'][number];
type Placement = NonNullable<ParsedIndicatorInput['disabled_register']>[number]['placement'];

/**
 * The schools a figure is about, and with them which population and register rows count: a city or
 * county is its counties (population rows of the counties, register rows of the counties), a township
 * its own code, a school itself (no population; register rows placed in it).
 */
export type RegionSet =
  | { kind: 'all' }
  | { kind: 'counties'; counties: string[] }
  | { kind: 'township'; township: string }
  | { kind: 'school'; schoolId: number };

export interface ResolvedRegion {
  code: string;
  name: string;
  level: 'province' | 'city' | 'county' | 'township' | 'school';
  /** The county a township or school lies in (for scope checks); null above the county. */
  countyCode: string | null;
  set: RegionSet;
}

/** A region or school code → what it covers; unknown codes fail naming `field`. */
export async function resolveRegion(db: Db, code: string, field = '--region'): Promise<ResolvedRegion> {
  const region = await db.selectFrom('regions').selectAll().where('code', '=', code).executeTakeFirst();
  if (region?.level === 'township')
    return {
      code,
      name: region.name,
      level: 'township',
      countyCode: region.parent_code,
      set: { kind: 'township', township: code },
    };
  if (region?.level === 'county')
    return {
      code,
      name: region.name,
      level: 'county',
      countyCode: code,
      set: { kind: 'counties', counties: [code] },
    };
  if (region) {
    const counties = (await countiesUnder(db, code)).map((c) => c.code);
    return {
      code,
      name: region.name,
      level: region.level,
      countyCode: null,
      set: { kind: 'counties', counties },
    };
  }
  const school = await db
    .selectFrom('schools')
    .select(['id', 'name', 'county_code'])
    .where('code', '=', code)
    .executeTakeFirst();
  if (!school)
    throw new AppError(
      'indicators.region_not_found',
      `找不到区划或学校 ${code}`,
      `no region or school with code ${code}`,
      field,
    );
  return {
    code,
    name: school.name,
    level: 'school',
    countyCode: school.county_code,
    set: { kind: 'school', schoolId: school.id },
  };
}

export interface StoredSchool extends School {
  code: string;
  name: string;
  county_code: string;
  township_code: string | null;
  /** First year the school leads or belongs to an education group; null if never. */
  group_since: number | null;
}

/** The rows behind the indicators of a region set over a span of years, as read from the store. */
export interface IndicatorRows {
  from: number;
  to: number;
  schools: StoredSchool[];
  /** Census of the years `from`…`to`, and the cells of their cohorts before them (for retention). */
  census: CensusRow[];
  teachers: { school_id: number; year: number; full_time_teachers: number }[];
  classes: { school_id: number; year: number; grade: CensusRow['grade']; size: number }[];
  population: { region_code: string; county_code: string; year: number; age: number; persons: number }[];
  /** Register entries counted by where they are and their placement. */
  register: {
    county_code: string;
    township_code: string | null;
    school_id: number | null;
    year: number;
    placement: Placement;
    children: number;
  }[];
}

/**
 * Rows of a set, by the row's own columns: county (for a city or county), township and school
 * (`null`: the table has no such column, so no row of that kind of set matches).
 */
export function setCondition(
  set: RegionSet,
  c: { county: string; township: string; school: string | null },
): RawBuilder<SqlBool> {
  switch (set.kind) {
    case 'all':
      return sql<SqlBool>`1 = 1`;
    case 'counties':
      return set.counties.length
        ? sql<SqlBool>`${sql.ref(c.county)} in (${sql.join(set.counties)})`
        : sql<SqlBool>`1 = 0`;
    case 'township':
      return sql<SqlBool>`${sql.ref(c.township)} = ${set.township}`;
    case 'school':
      return c.school ? sql<SqlBool>`${sql.ref(c.school)} = ${set.schoolId}` : sql<SqlBool>`1 = 0`;
  }
}

/** The ids of the schools of a set, as a subquery (never a long `in` list). */
export function schoolsOfSet(db: Db, set: RegionSet) {
  return db
    .selectFrom('schools')
    .select('schools.id')
    .where(
      setCondition(set, {
        county: 'schools.county_code',
        township: 'schools.township_code',
        school: 'schools.id',
      }),
    );
}

/** Reads every row the indicators of `set` need for the years `from`…`to`: seven queries in all. */
export async function loadIndicatorRows(
  db: Db,
  set: RegionSet,
  from: number,
  to: number,
): Promise<IndicatorRows> {
  const ids = () => schoolsOfSet(db, set);
  const [schools, leads, members, census, teachers, classes, population, register] = await Promise.all([
    db
      .selectFrom('schools')
      .select(['id', 'code', 'name', 'county_code', 'township_code', 'school_type', 'ownership', 'inclusive'])
      .where('id', 'in', ids())
      .orderBy('id')
      .execute(),
    db
      .selectFrom('education_groups')
      .select(['lead_school_id as id', 'start_year as since'])
      .where('lead_school_id', 'in', ids())
      .execute(),
    db
      .selectFrom('group_members as m')
      .innerJoin('education_groups as g', 'g.id', 'm.group_id')
      .select(['m.school_id as id', 'm.joined_year', 'g.start_year'])
      .where('m.school_id', 'in', ids())
      .execute(),
    db
      .selectFrom('census')
      .select([
        'school_id',
        'year',
        'grade',
        'pupils_male',
        'pupils_female',
        'migrant',
        'migrant_purchased',
        'after_school',
        'entrants',
        'transfers_in',
        'transfers_out',
        'graduates',
      ])
      .where('school_id', 'in', ids())
      // Year Y whole, and before it only the cohort cells retention reads: (Y−9, G1), (Y−9+k, Gk).
      .where((eb) =>
        eb.or([
          eb.between('year', from, to),
          ...Array.from({ length: 9 }, (_, i) =>
            eb.and([
              eb('grade', '=', `G${i + 1}`),
              eb.between('year', from - 9 + i + (i === 0 ? 0 : 1), to - 8 + i),
            ]),
          ),
        ]),
      )
      .execute(),
    db
      .selectFrom('census_teachers')
      .select(['school_id', 'year', (eb) => eb.fn.sum<number>('full_time_teachers').as('n')])
      .where('school_id', 'in', ids())
      .where('year', '>=', from)
      .where('year', '<=', to)
      .groupBy(['school_id', 'year'])
      .execute(),
    db
      .selectFrom('classes')
      .select(['school_id', 'year', 'grade', 'size'])
      .where('school_id', 'in', ids())
      .where('year', '>=', from)
      .where('year', '<=', to)
      .execute(),
    set.kind === 'school'
      ? Promise.resolve([])
      : db
          .selectFrom('population')
          .select(['region_code', 'county_code', 'year', 'age', 'persons'])
          .where('year', '>=', from)
          .where('year', '<=', to)
          // A township's own rows; a city's or county's: its counties' (their townships' rows too).
          .where(setCondition(set, { county: 'county_code', township: 'region_code', school: null }))
          .execute(),
    db
      .selectFrom('disabled_children')
      .select([
        'county_code',
        'township_code',
        'school_id',
        'year',
        'placement',
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('year', '>=', from)
      .where('year', '<=', to)
      .where(setCondition(set, { county: 'county_code', township: 'township_code', school: 'school_id' }))
      .groupBy(['county_code', 'township_code', 'school_id', 'year', 'placement'])
      .execute(),
  ]);
  // A lead is covered from its group's start; a member from the later of joining and the start.
  const since = new Map<number, number>();
  const cover = (id: number, year: number) => since.set(id, Math.min(since.get(id) ?? year, year));
  for (const l of leads) cover(Number(l.id), Number(l.since));
  for (const m of members) cover(Number(m.id), Math.max(Number(m.joined_year), Number(m.start_year)));
  return {
    from,
    to,
    schools: schools.map((s) => ({
      id: Number(s.id),
      code: s.code,
      name: s.name,
      county_code: s.county_code,
      township_code: s.township_code,
      school_type: s.school_type as School['school_type'],
      ownership: s.ownership as School['ownership'],
      inclusive: Number(s.inclusive) === 1,
      in_group: false,
      group_since: since.get(Number(s.id)) ?? null,
    })),
    census: census.map((c) => ({
      school_id: Number(c.school_id),
      year: Number(c.year),
      grade: c.grade as CensusRow['grade'],
      pupils: Number(c.pupils_male) + Number(c.pupils_female),
      migrant: Number(c.migrant),
      migrant_purchased: Number(c.migrant_purchased),
      after_school: Number(c.after_school),
      entrants: Number(c.entrants),
      transfers_in: Number(c.transfers_in),
      transfers_out: Number(c.transfers_out),
      graduates: Number(c.graduates),
    })),
    teachers: teachers.map((t) => ({
      school_id: Number(t.school_id),
      year: Number(t.year),
      full_time_teachers: Number(t.n),
    })),
    classes: classes.map((c) => ({
      school_id: Number(c.school_id),
      year: Number(c.year),
      grade: c.grade as CensusRow['grade'],
      size: Number(c.size),
    })),
    population: population.map((p) => ({
      region_code: p.region_code,
      county_code: p.county_code,
      year: Number(p.year),
      age: Number(p.age),
      persons: Number(p.persons),
    })),
    register: register.map((r) => ({
      county_code: r.county_code,
      township_code: r.township_code,
      school_id: r.school_id === null ? null : Number(r.school_id),
      year: Number(r.year),
      placement: r.placement as Placement,
      children: Number(r.n),
    })),
  };
}

function groupBy<T>(rows: readonly T[], key: (r: T) => number | string): Map<number | string, T[]> {
  const m = new Map<number | string, T[]>();
  for (const r of rows) {
    const k = key(r);
    const list = m.get(k);
    if (list) list.push(r);
    else m.set(k, [r]);
  }
  return m;
}

/** The rows of a read, indexed by school, so that each region takes only its own. */
export interface IndexedRows {
  rows: IndicatorRows;
  census: Map<number | string, CensusRow[]>;
  teachers: Map<number | string, IndicatorRows['teachers']>;
  classes: Map<number | string, IndicatorRows['classes']>;
}

export function indexRows(rows: IndicatorRows): IndexedRows {
  return {
    rows,
    census: groupBy(rows.census, (r) => r.school_id),
    teachers: groupBy(rows.teachers, (r) => r.school_id),
    classes: groupBy(rows.classes, (r) => r.school_id),
  };
}

function inSet(set: RegionSet, s: StoredSchool): boolean {
  switch (set.kind) {
    case 'all':
      return true;
    case 'counties':
      return set.counties.includes(s.county_code);
    case 'township':
      return s.township_code === set.township;
    case 'school':
      return s.id === set.schoolId;
  }
}

/** The engine input of one region set and year, taken from a read that covers it. */
export function inputFor(index: IndexedRows, set: RegionSet, year: number): ParsedIndicatorInput {
  const { rows } = index;
  if (year < rows.from || year > rows.to)
    throw new RangeError(`year ${year} outside the read ${rows.from}–${rows.to}`);
  const schools = rows.schools.filter((s) => inSet(set, s));
  const census: CensusRow[] = [];
  const teachers: ParsedIndicatorInput['teachers'] = [];
  const classes: ParsedIndicatorInput['classes'] = [];
  for (const s of schools) {
    for (const c of index.census.get(s.id) ?? []) if (c.year >= year - 9 && c.year <= year) census.push(c);
    for (const t of index.teachers.get(s.id) ?? [])
      if (t.year === year)
        teachers.push({ school_id: t.school_id, full_time_teachers: t.full_time_teachers });
    for (const c of index.classes.get(s.id) ?? [])
      if (c.year === year) classes.push({ school_id: c.school_id, grade: c.grade, size: c.size });
  }
  // Population: a county's own rows (region_code = its code), or a township's; a school has none.
  const popRows =
    set.kind === 'school'
      ? []
      : rows.population.filter(
          (p) =>
            p.year === year &&
            (set.kind === 'township'
              ? p.region_code === set.township
              : p.region_code === p.county_code &&
                (set.kind === 'all' || set.counties.includes(p.county_code))),
        );
  const register = rows.register.filter(
    (r) =>
      r.year === year &&
      (set.kind === 'all' ||
        (set.kind === 'counties' && set.counties.includes(r.county_code)) ||
        (set.kind === 'township' && r.township_code === set.township) ||
        (set.kind === 'school' && r.school_id === set.schoolId)),
  );
  const placements = new Map<Placement, number>();
  for (const r of register) placements.set(r.placement, (placements.get(r.placement) ?? 0) + r.children);
  return {
    year,
    schools: schools.map((s) => ({
      id: s.id,
      county_code: s.county_code,
      school_type: s.school_type,
      ownership: s.ownership,
      inclusive: s.inclusive,
      in_group: s.group_since !== null && s.group_since <= year,
    })),
    census,
    teachers,
    classes,
    population:
      popRows.length > 0
        ? popRows.map((p) => ({ region_code: p.region_code, age: p.age, persons: p.persons }))
        : null,
    // A county with schools but no population makes the figure unavailable; one with neither is no data.
    population_areas:
      set.kind === 'school'
        ? undefined
        : set.kind === 'township'
          ? [set.township]
          : [...new Set(schools.map((s) => s.county_code))],
    disabled_register:
      placements.size > 0 ? [...placements].map(([placement, children]) => ({ placement, children })) : null,
  };
}

/** Loads the engine input for a scope and year Y from the store. */
export async function loadIndicatorInput(
  db: Db,
  scope: IndicatorScope,
  year: number,
): Promise<ParsedIndicatorInput> {
  const set: RegionSet = scope.kind === 'all' ? { kind: 'all' } : (await resolveRegion(db, scope.code)).set;
  return inputFor(indexRows(await loadIndicatorRows(db, set, year, year)), set, year);
}
