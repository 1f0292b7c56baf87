import { type Kysely, type RawBuilder, type SqlBool, sql } from 'kysely';
import type { ScopeFilter } from '../auth/roles.ts';
import type { Database } from '../store/schema.ts';

/**
 * The one translation of a user's scope into SQL: rows whose county (and, for school staff, whose
 * school) the user may see. `countyColumn` and `schoolColumn` name the row's columns.
 */
export function scopeCondition(
  scope: ScopeFilter,
  countyColumn: string,
  schoolColumn: string | null,
): RawBuilder<SqlBool> {
  switch (scope.kind) {
    case 'all':
      return sql<SqlBool>`1 = 1`;
    case 'none':
      return sql<SqlBool>`1 = 0`;
    case 'county_prefix':
      return sql<SqlBool>`${sql.ref(countyColumn)} like ${`${scope.prefix}%`}`;
    case 'county':
      return sql<SqlBool>`${sql.ref(countyColumn)} = ${scope.countyCode}`;
    case 'school':
      return schoolColumn ? sql<SqlBool>`${sql.ref(schoolColumn)} = ${scope.schoolId}` : sql<SqlBool>`1 = 0`;
  }
}

export interface LatestYears {
  census: number | null;
  classes: number | null;
  teachers: number | null;
}

/** The newest census, class and teacher years, in one round trip (each is an index lookup). */
export async function latestYears(db: Kysely<Database>): Promise<LatestYears> {
  const r = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom('census')
        .select((e) => e.fn.max('year').as('y'))
        .as('census'),
      eb
        .selectFrom('classes')
        .select((e) => e.fn.max('year').as('y'))
        .as('classes'),
      eb
        .selectFrom('census_teachers')
        .select((e) => e.fn.max('year').as('y'))
        .as('teachers'),
    ])
    .executeTakeFirstOrThrow();
  const n = (v: unknown) => (v == null ? null : Number(v));
  return { census: n(r.census), classes: n(r.classes), teachers: n(r.teachers) };
}
