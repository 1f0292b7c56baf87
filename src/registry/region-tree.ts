import type { Kysely } from 'kysely';
import { inScope, type ScopeFilter } from '../auth/roles.ts';
import type { Database } from '../store/schema.ts';
import { scopeCondition } from './scope.ts';

/**
 * The regions a user may see, with the number of schools in each (cities and the province count
 * their counties' schools), plus the province and city above them so the client can draw a tree.
 * Outside a full-scope administrator's view, cities with no school in scope are left out.
 */
export async function loadRegionTree(db: Kysely<Database>, scope: ScopeFilter) {
  const schools = await db
    .selectFrom('schools as s')
    .select(['s.county_code', 's.township_code'])
    .where(scopeCondition(scope, 's.county_code', 's.id'))
    .execute();
  const count = new Map<string, number>();
  const bump = (code: string | null) => {
    if (code) count.set(code, (count.get(code) ?? 0) + 1);
  };
  for (const s of schools) {
    bump(s.county_code);
    bump(s.township_code);
    bump(`${s.county_code.slice(0, 4)}00`);
    bump(`${s.county_code.slice(0, 2)}0000`);
  }
  // The region table is small (a province's divisions): filter it here with the same scope rule.
  const regions = await db
    .selectFrom('regions')
    .select(['code', 'name', 'level', 'parent_code'])
    .orderBy('code')
    .execute();
  const schoolCounties = new Set(schools.map((s) => s.county_code));
  const visible = regions.filter((r) => {
    if (r.level === 'province') return true;
    if (r.level === 'city')
      return scope.kind === 'all' || (count.get(r.code) ?? 0) > 0 || inScope(scope, { countyCode: r.code });
    if (scope.kind === 'school')
      return schoolCounties.has(r.code.slice(0, 6)) && (count.get(r.code) ?? 0) > 0;
    return inScope(scope, { countyCode: r.code.slice(0, 6) });
  });
  return visible.map((r) => ({
    code: r.code,
    name: r.name,
    level: r.level,
    parentCode: r.parent_code,
    schools: count.get(r.code) ?? 0,
  }));
}
