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

export async function latestYear(
  db: Kysely<Database>,
  table: 'census' | 'classes' | 'census_teachers',
): Promise<number | null> {
  const r = await db
    .selectFrom(table)
    .select((eb) => eb.fn.max('year').as('y'))
    .executeTakeFirst();
  return r?.y == null ? null : Number(r.y);
}
