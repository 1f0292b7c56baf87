import type { Kysely } from 'kysely';
import type { Database } from '../store/schema.ts';
import { ROLE_LABELS, ROLES, type Role } from './roles.ts';
import { createUser } from './users.ts';

/**
 * The demo city's accounts: one per role, all with this published password. They exist only in a
 * demo database, and the sign-in page lists them only there.
 */
export const DEMO_PASSWORD = 'demo2025edu';
export const DEMO_CITY = '411400';
export const DEMO_COUNTY = '411402';

const DEMO_USERNAME: Record<Role, string> = {
  city_admin: 'demo-admin',
  city_planning: 'demo-planning',
  city_admissions: 'demo-admissions',
  city_statistics: 'demo-statistics',
  city_finance: 'demo-finance',
  city_personnel: 'demo-personnel',
  city_welfare: 'demo-welfare',
  county_staff: 'demo-county',
  school_staff: 'demo-school',
  parent: 'demo-parent',
};

/** Creates (or re-creates) the demo users; the school user gets the first school of the demo county. */
export async function createDemoUsers(db: Kysely<Database>): Promise<void> {
  await db.deleteFrom('users').where('demo', '=', 1).execute();
  const school = await db
    .selectFrom('schools')
    .select('code')
    .where('county_code', '=', DEMO_COUNTY)
    .where('school_type', '=', 'primary')
    .orderBy('code')
    .executeTakeFirst();
  for (const role of ROLES) {
    if (role === 'school_staff' && !school) continue;
    const label = ROLE_LABELS[role];
    await createUser(db, {
      username: DEMO_USERNAME[role],
      displayName: `演示-${label.zh}`,
      password: DEMO_PASSWORD,
      role,
      regionCode: role === 'county_staff' ? DEMO_COUNTY : role.startsWith('city_') ? DEMO_CITY : null,
      schoolCode: role === 'school_staff' ? school!.code : null,
      demo: true,
    });
  }
}

export async function listDemoAccounts(db: Kysely<Database>) {
  const rows = await db
    .selectFrom('users')
    .leftJoin('regions', 'regions.code', 'users.region_code')
    .leftJoin('schools', 'schools.id', 'users.school_id')
    .select(['users.username', 'users.role', 'regions.name as region', 'schools.name as school'])
    .where('users.demo', '=', 1)
    .execute();
  const order = (r: string) => ROLES.indexOf(r as Role);
  return rows
    .sort((a, b) => order(a.role) - order(b.role))
    .map((r) => ({
      username: r.username,
      role: r.role,
      roleLabel: ROLE_LABELS[r.role as Role],
      scope: r.school ?? r.region ?? '',
    }));
}
