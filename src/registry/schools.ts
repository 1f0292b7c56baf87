import type { Kysely } from 'kysely';
import type { ScopeFilter } from '../auth/roles.ts';
import { SCHOOL_TYPE_STAGES, SCHOOL_TYPES, type SchoolType, type Stage } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';
import { type LatestYears, latestYears, scopeCondition } from './scope.ts';

export interface SchoolFilter {
  q?: string;
  county?: string;
  schoolType?: string;
  stage?: Stage;
  ownership?: string;
  locale?: string;
}

export interface SchoolListOptions extends SchoolFilter {
  sort: 'code' | 'name' | 'county' | 'pupils' | 'classes';
  order: 'asc' | 'desc';
  limit: number;
  offset: number;
}

/** School types that teach a stage (a nine-year school counts for primary and junior). */
export function schoolTypesOfStage(stage: Stage): SchoolType[] {
  return SCHOOL_TYPES.filter((t) => SCHOOL_TYPE_STAGES[t].includes(stage));
}

/** Escapes LIKE wildcards so a search for "50%" finds the text, not everything. */
const likeText = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function filteredSchools(db: Kysely<Database>, scope: ScopeFilter, f: SchoolFilter) {
  return db
    .selectFrom('schools as s')
    .innerJoin('regions as county', 'county.code', 's.county_code')
    .where(scopeCondition(scope, 's.county_code', 's.id'))
    .$if(Boolean(f.q), (qb) =>
      qb.where((eb) => eb.or([eb('s.name', 'like', likeText(f.q!)), eb('s.code', 'like', likeText(f.q!))])),
    )
    .$if(Boolean(f.county), (qb) => qb.where('s.county_code', '=', f.county!))
    .$if(Boolean(f.schoolType), (qb) => qb.where('s.school_type', '=', f.schoolType!))
    .$if(Boolean(f.stage), (qb) => qb.where('s.school_type', 'in', schoolTypesOfStage(f.stage!)))
    .$if(Boolean(f.ownership), (qb) => qb.where('s.ownership', '=', f.ownership!))
    .$if(Boolean(f.locale), (qb) => qb.where('s.locale', '=', f.locale!));
}

const pupilsPerSchool = (db: Kysely<Database>, year: number | null) =>
  db
    .selectFrom('census')
    .select([
      'school_id',
      (eb) => eb.fn.sum<number>(eb('pupils_male', '+', eb.ref('pupils_female'))).as('pupils'),
    ])
    .where('year', '=', year ?? -1)
    .groupBy('school_id');
const classesPerSchool = (db: Kysely<Database>, year: number | null) =>
  db
    .selectFrom('classes')
    .select(['school_id', (eb) => eb.fn.countAll<number>().as('classes')])
    .where('year', '=', year ?? -1)
    .groupBy('school_id');

/** Pupils (latest census) and classes (latest year) of the given schools only. */
async function statsOf(db: Kysely<Database>, ids: number[], years: LatestYears) {
  if (ids.length === 0) return { pupils: new Map<number, number>(), classes: new Map<number, number>() };
  const [p, c] = await Promise.all([
    pupilsPerSchool(db, years.census).where('school_id', 'in', ids).execute(),
    classesPerSchool(db, years.classes).where('school_id', 'in', ids).execute(),
  ]);
  return {
    pupils: new Map(p.map((r) => [r.school_id, Number(r.pupils)])),
    classes: new Map(c.map((r) => [r.school_id, Number(r.classes)])),
  };
}

const LIST_COLUMNS = [
  's.id',
  's.code',
  's.name',
  's.county_code',
  'county.name as county_name',
  's.township_code',
  's.school_type',
  's.ownership',
  's.inclusive',
  's.locale',
  's.lng',
  's.lat',
] as const;

const SORT_COLUMN = { code: 's.code', name: 's.name', county: 's.county_code' } as const;

/**
 * One page of schools in the user's scope, with pupils (latest census) and classes (latest year).
 * Sorting by a name or code pages the schools first and counts pupils for that page only; sorting
 * by pupils or classes has to aggregate every school in the filter.
 */
export async function listSchools(db: Kysely<Database>, scope: ScopeFilter, o: SchoolListOptions) {
  const years = await latestYears(db);
  const base = filteredSchools(db, scope, o);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  let page: { id: number; [k: string]: unknown }[];
  if (o.sort === 'pupils' || o.sort === 'classes') {
    page = await base
      .leftJoin(pupilsPerSchool(db, years.census).as('p'), 'p.school_id', 's.id')
      .leftJoin(classesPerSchool(db, years.classes).as('c'), 'c.school_id', 's.id')
      .select(LIST_COLUMNS)
      .orderBy((eb) => eb.fn.coalesce(o.sort === 'pupils' ? 'p.pupils' : 'c.classes', eb.lit(0)), o.order)
      .orderBy('s.id')
      .limit(o.limit)
      .offset(o.offset)
      .execute();
  } else {
    page = await base
      .select(LIST_COLUMNS)
      .orderBy(SORT_COLUMN[o.sort], o.order)
      .orderBy('s.id')
      .limit(o.limit)
      .offset(o.offset)
      .execute();
  }
  return {
    total: Number(total.n),
    year: years.census,
    rows: await withStats(db, page as SchoolRowOut[], years),
  };
}

type SchoolRowOut = {
  id: number;
  code: string;
  name: string;
  county_code: string;
  county_name: string;
  township_code: string | null;
  school_type: string;
  ownership: string;
  inclusive: number;
  locale: string;
  lng: number | null;
  lat: number | null;
};

async function withStats(db: Kysely<Database>, rows: SchoolRowOut[], years: LatestYears) {
  const stats = await statsOf(
    db,
    rows.map((r) => r.id),
    years,
  );
  return rows.map((r) => ({
    ...r,
    pupils: stats.pupils.get(r.id) ?? 0,
    classes: stats.classes.get(r.id) ?? 0,
  }));
}

/** Every matching school in the scope (for exports); pages through by id to keep memory flat. */
export async function* iterateSchools(
  db: Kysely<Database>,
  scope: ScopeFilter,
  f: SchoolFilter,
  pageSize = 2000,
) {
  const years = await latestYears(db);
  let after = 0;
  for (;;) {
    const rows = await filteredSchools(db, scope, f)
      .select(LIST_COLUMNS)
      .where('s.id', '>', after)
      .orderBy('s.id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield* await withStats(db, rows, years);
    after = rows[rows.length - 1].id;
  }
}
