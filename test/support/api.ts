import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { ROLES, type Role } from '../../src/auth/roles.ts';
import { createUser } from '../../src/auth/users.ts';
import { buildDemoCity } from '../../src/demo/index.ts';
import { buildApp } from '../../src/server/app.ts';
import { seedRegions } from '../../src/store/regions.ts';
import type { NewSchool } from '../../src/store/schema.ts';
import type { TestDatabase } from './databases.ts';

export const TEST_PASSWORD = 'test2025pass';
export const HOME_COUNTY = '411402';
export const OTHER_COUNTY = '411403';

/** A school row with sensible defaults; override what the test is about. */
export function buildSchool(over: Partial<NewSchool> = {}): NewSchool {
  return {
    code: '4114020001',
    name: '梁园区测试小学',
    county_code: HOME_COUNTY,
    school_type: 'primary',
    ownership: 'public',
    locale: 'urban',
    lng: 115.6,
    lat: 34.4,
    updated_at: new Date().toISOString(),
    ...over,
  };
}

export interface ApiWorld {
  app: FastifyInstance;
  homeSchoolId: number;
  otherSchoolId: number;
}

/** Two schools in two counties, one user per role (county staff and school staff at home), and the app. */
export async function buildApiWorld(t: TestDatabase): Promise<ApiWorld> {
  await seedRegions(t.store.db);
  const home = await t.store.db
    .insertInto('schools')
    .values(buildSchool())
    .returning('id')
    .executeTakeFirstOrThrow();
  const other = await t.store.db
    .insertInto('schools')
    .values(
      buildSchool({
        code: '4114030001',
        name: '睢阳区测试初中',
        county_code: OTHER_COUNTY,
        school_type: 'junior',
      }),
    )
    .returning('id')
    .executeTakeFirstOrThrow();
  for (const role of ROLES) {
    await createUser(t.store.db, {
      username: userOf(role),
      displayName: role,
      password: TEST_PASSWORD,
      role,
      regionCode: role === 'county_staff' ? HOME_COUNTY : role.startsWith('city_') ? '411400' : null,
      schoolCode: role === 'school_staff' ? '4114020001' : null,
    });
  }
  const app = await buildApp(t.store, { logger: false, webDir: '/nonexistent' });
  return { app, homeSchoolId: home.id, otherSchoolId: other.id };
}

export const userOf = (role: Role) => `u_${role}`;

export interface Session {
  cookie: string;
  csrf: string;
}

export async function signInAs(app: FastifyInstance, role: Role): Promise<Session> {
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: userOf(role), password: TEST_PASSWORD },
  });
  if (r.statusCode !== 200) throw new Error(`sign-in as ${role} failed: ${r.body}`);
  const cookie = String(r.headers['set-cookie']).split(';')[0];
  return { cookie, csrf: r.json().csrfToken };
}

/** The small demo city (seed 1) over the bureau's regions: what the demo-data API tests read. */
export async function seedDemoCity(t: TestDatabase): Promise<void> {
  await seedRegions(t.store.db);
  await buildDemoCity(t.store, { scale: 'small', seed: 1 });
}

/** A user made for one test: username, role, region, and school for school staff. */
export type NamedUser = [username: string, role: Role, regionCode: string | null, schoolCode?: string | null];

export interface NamedUsersApp {
  app: FastifyInstance;
  /** A request as `who` (with their cookie and CSRF token); the body is parsed when it is JSON. */
  call<T>(
    who: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    headers?: Record<string, string>,
  ): Promise<{ status: number; body: T; raw: LightMyRequestResponse }>;
}

/** Creates `users` with TEST_PASSWORD, builds the app and signs each of them in. */
export async function appWithUsers(t: TestDatabase, users: NamedUser[]): Promise<NamedUsersApp> {
  for (const [username, role, regionCode, schoolCode] of users)
    await createUser(t.store.db, {
      username,
      displayName: username,
      password: TEST_PASSWORD,
      role,
      regionCode,
      schoolCode: schoolCode ?? null,
    });
  const app = await buildApp(t.store, { logger: false, webDir: '/nonexistent' });
  const sessions = new Map<string, Session>();
  for (const [username] of users) {
    const r = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: TEST_PASSWORD },
    });
    if (r.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${r.body}`);
    sessions.set(username, {
      cookie: String(r.headers['set-cookie']).split(';')[0]!,
      csrf: r.json().csrfToken,
    });
  }
  return {
    app,
    call: async (who, method, url, payload, headers) => {
      const s = sessions.get(who);
      if (!s) throw new Error(`no user ${who} in this test`);
      const r = await app.inject({
        method,
        url,
        payload,
        headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...headers },
      });
      return {
        status: r.statusCode,
        body: (String(r.headers['content-type']).includes('json') ? r.json() : null) as never,
        raw: r,
      };
    },
  };
}
