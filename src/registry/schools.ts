import { type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from 'kysely';
import type { ScopeFilter } from '../auth/roles.ts';
import { SCHOOL_TYPE_STAGES, SCHOOL_TYPES, type SchoolType, type Stage } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';
import { latestYears, scopeCondition } from './scope.ts';

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

/** A LIKE pattern that finds `s` as text: wildcards in it are escaped (with ESCAPE, for SQLite too). */
function containsText(column: string, s: string): RawBuilder<SqlBool> {
  const pattern = `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
  return sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
}

function filteredSchools(db: Kysely<Database>, scope: ScopeFilter, f: SchoolFilter) {
  return db
    .selectFrom('schools as s')
    .leftJoin('school_figures as f', 'f.school_id', 's.id')
    .where(scopeCondition(scope, 's.county_code', 's.id'))
    .$if(Boolean(f.q), (qb) =>
      qb.where((eb) => eb.or([containsText('s.name', f.q!), containsText('s.code', f.q!)])),
    )
    .$if(Boolean(f.county), (qb) => qb.where('s.county_code', '=', f.county!))
    .$if(Boolean(f.schoolType), (qb) => qb.where('s.school_type', '=', f.schoolType!))
    .$if(Boolean(f.stage), (qb) => qb.where('s.school_type', 'in', schoolTypesOfStage(f.stage!)))
    .$if(Boolean(f.ownership), (qb) => qb.where('s.ownership', '=', f.ownership!))
    .$if(Boolean(f.locale), (qb) => qb.where('s.locale', '=', f.locale!));
}

type Schools = ReturnType<typeof filteredSchools>;

function withListColumns(q: Schools) {
  return q.innerJoin('regions as county', 'county.code', 's.county_code').select((eb) => [
    eb
      .selectFrom('census')
      .select((m) => m.fn.max('year').as('y'))
      .as('census_year'),
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
    'f.pupils',
    'f.classes',
  ]);
}

function presentRow<R extends { pupils: unknown; classes: unknown; census_year: unknown }>({
  census_year: _y,
  ...r
}: R) {
  return { ...r, pupils: Number(r.pupils ?? 0), classes: Number(r.classes ?? 0) };
}

/**
 * One page of schools in the user's scope, with pupils (latest census) and classes (latest year)
 * from `school_figures`, in one statement: the page's ids are chosen by an ordered subquery, and the
 * total comes from an uncorrelated count, evaluated once.
 */
export async function listSchools(db: Kysely<Database>, scope: ScopeFilter, o: SchoolListOptions) {
  const base = filteredSchools(db, scope, o);
  const order = <
    Q extends SelectQueryBuilder<
      Database & { s: Database['schools'] } & { f: Database['school_figures'] },
      's' | 'f',
      object
    >,
  >(
    q: Q,
  ): Q => q.orderBy(SORT_COLUMN[o.sort], o.order).orderBy('s.id') as Q;
  const pageIds = order(base.select('s.id')).limit(o.limit).offset(o.offset);
  const rows = await order(
    withListColumns(
      db
        .selectFrom('schools as s')
        .leftJoin('school_figures as f', 'f.school_id', 's.id')
        .where('s.id', 'in', pageIds),
    ).select(() => [base.select((eb) => eb.fn.countAll<number>().as('n')).as('total')]),
  ).execute();
  if (rows.length === 0) {
    // Past the last page (or nothing matches): no row carries the total, so count separately.
    const n = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    return { total: Number(n.n), year: (await latestYears(db)).census, rows: [] };
  }
  const year = rows[0].census_year == null ? null : Number(rows[0].census_year);
  return { total: Number(rows[0].total), year, rows: rows.map(({ total: _t, ...r }) => presentRow(r)) };
}

const SORT_COLUMN = {
  code: 's.code',
  name: 's.name',
  county: 's.county_code',
  pupils: 'f.pupils',
  classes: 'f.classes',
} as const;

/** Every matching school in the scope (for exports); pages through by id to keep memory flat. */
export async function* iterateSchools(
  db: Kysely<Database>,
  scope: ScopeFilter,
  f: SchoolFilter,
  pageSize = 2000,
) {
  let after = 0;
  for (;;) {
    const rows = await withListColumns(filteredSchools(db, scope, f))
      .where('s.id', '>', after)
      .orderBy('s.id')
      .limit(pageSize)
      .execute();
    if (rows.length === 0) return;
    yield* rows.map(presentRow);
    after = rows[rows.length - 1].id;
  }
}
