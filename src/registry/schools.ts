import type { Kysely } from 'kysely';
import type { ScopeFilter } from '../auth/roles.ts';
import { SCHOOL_TYPE_STAGES, SCHOOL_TYPES, type SchoolType, type Stage } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';
import { latestYear, scopeCondition } from './scope.ts';

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

function filteredSchools(
  db: Kysely<Database>,
  scope: ScopeFilter,
  f: SchoolFilter,
  censusYear: number | null,
  classYear: number | null,
) {
  const pupils = db
    .selectFrom('census')
    .select([
      'school_id',
      (eb) => eb.fn.sum<number>(eb('pupils_male', '+', eb.ref('pupils_female'))).as('pupils'),
    ])
    .where('year', '=', censusYear ?? -1)
    .groupBy('school_id')
    .as('p');
  const classes = db
    .selectFrom('classes')
    .select(['school_id', (eb) => eb.fn.countAll<number>().as('classes')])
    .where('year', '=', classYear ?? -1)
    .groupBy('school_id')
    .as('c');
  return db
    .selectFrom('schools as s')
    .innerJoin('regions as county', 'county.code', 's.county_code')
    .leftJoin(pupils, 'p.school_id', 's.id')
    .leftJoin(classes, 'c.school_id', 's.id')
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

const SORT_COLUMN = {
  code: 's.code',
  name: 's.name',
  county: 's.county_code',
  pupils: 'pupils',
  classes: 'classes',
} as const;

/** One page of schools in the user's scope, with pupils (latest census) and classes (latest year). */
export async function listSchools(db: Kysely<Database>, scope: ScopeFilter, o: SchoolListOptions) {
  const [censusYear, classYear] = await Promise.all([latestYear(db, 'census'), latestYear(db, 'classes')]);
  const base = filteredSchools(db, scope, o, censusYear, classYear);
  const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await base
    .select([
      's.id',
      's.code',
      's.name',
      's.county_code',
      'county.name as county_name',
      's.school_type',
      's.ownership',
      's.inclusive',
      's.locale',
      (eb) => eb.fn.coalesce('p.pupils', eb.lit(0)).as('pupils'),
      (eb) => eb.fn.coalesce('c.classes', eb.lit(0)).as('classes'),
    ])
    .orderBy(SORT_COLUMN[o.sort] as 's.code', o.order)
    .orderBy('s.id')
    .limit(o.limit)
    .offset(o.offset)
    .execute();
  return {
    total: Number(total.n),
    year: censusYear,
    rows: rows.map((r) => ({ ...r, pupils: Number(r.pupils), classes: Number(r.classes) })),
  };
}

/** Every matching school in the scope (for exports); pages through by id to keep memory flat. */
export async function* iterateSchools(
  db: Kysely<Database>,
  scope: ScopeFilter,
  f: SchoolFilter,
  pageSize = 2000,
) {
  const [censusYear, classYear] = await Promise.all([latestYear(db, 'census'), latestYear(db, 'classes')]);
  let after = 0;
  for (;;) {
    const rows = await filteredSchools(db, scope, f, censusYear, classYear)
      .select([
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
        (eb) => eb.fn.coalesce('p.pupils', eb.lit(0)).as('pupils'),
        (eb) => eb.fn.coalesce('c.classes', eb.lit(0)).as('classes'),
      ])
      .where('s.id', '>', after)
      .orderBy('s.id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield* rows.map((r) => ({ ...r, pupils: Number(r.pupils), classes: Number(r.classes) }));
    after = rows[rows.length - 1].id;
  }
}
