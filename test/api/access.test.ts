import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Action, ROLE_ACTIONS, ROLES, type Role } from '../../src/auth/roles.ts';
import { type ApiWorld, buildApiWorld, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

type Where = 'home' | 'other';
// Nobody's upload: every role allowed to import gets 404 for it.
const UNKNOWN_UPLOAD = '00000000-0000-4000-8000-000000000000';
interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH';
  /** OpenAPI path, as the server documents it. */
  path: string;
  url: (w: ApiWorld) => string;
  /** null: any signed-in user. */
  action: Action | null;
  /** The school the request is about, for scope checks. */
  school?: Where;
  /** The record does not exist (or is not the user's): 404 once the role passes. */
  missing?: boolean;
  body?: unknown;
}

// Every protected route, with the action it needs. A route missing here fails the last test.
const ROUTES: RouteCase[] = [
  { method: 'GET', path: '/api/auth/me', url: () => '/api/auth/me', action: null },
  {
    method: 'POST',
    path: '/api/auth/password',
    url: () => '/api/auth/password',
    action: null,
    body: { currentPassword: 'x', newPassword: 'y' },
  },
  { method: 'GET', path: '/api/users', url: () => '/api/users', action: 'user.manage' },
  {
    method: 'POST',
    path: '/api/users',
    url: () => '/api/users',
    action: 'user.manage',
    body: { username: 'x', displayName: 'x', password: 'short', role: 'parent' },
  },
  {
    method: 'POST',
    path: '/api/users/{id}/password',
    url: () => '/api/users/999999/password',
    action: 'user.manage',
    body: { password: 'short' },
  },
  {
    method: 'PATCH',
    path: '/api/users/{id}',
    url: () => '/api/users/999999',
    action: 'user.manage',
    body: { active: true },
  },
  { method: 'GET', path: '/api/regions', url: () => '/api/regions', action: 'registry.read' },
  { method: 'GET', path: '/api/dashboard', url: () => '/api/dashboard', action: 'dashboard.read' },
  { method: 'GET', path: '/api/schools', url: () => '/api/schools', action: 'registry.read' },
  {
    method: 'GET',
    path: '/api/schools/{id}',
    url: (w) => `/api/schools/${w.homeSchoolId}`,
    action: 'registry.read',
    school: 'home',
  },
  {
    method: 'GET',
    path: '/api/schools/{id}',
    url: (w) => `/api/schools/${w.otherSchoolId}`,
    action: 'registry.read',
    school: 'other',
  },
  { method: 'GET', path: '/api/map', url: () => '/api/map', action: 'registry.read' },
  {
    method: 'GET',
    path: '/api/schools/{id}/students',
    url: (w) => `/api/schools/${w.homeSchoolId}/students`,
    action: 'personal.read',
    school: 'home',
  },
  {
    method: 'GET',
    path: '/api/schools/{id}/students',
    url: (w) => `/api/schools/${w.otherSchoolId}/students`,
    action: 'personal.read',
    school: 'other',
  },
  {
    method: 'POST',
    path: '/api/map/outlines',
    url: () => '/api/map/outlines?region=411402',
    action: 'registry.write',
  },
  { method: 'GET', path: '/api/audit', url: () => '/api/audit', action: 'audit.read' },
  { method: 'GET', path: '/api/imports/kinds', url: () => '/api/imports/kinds', action: 'import.run' },
  {
    method: 'GET',
    path: '/api/imports/{kind}/template',
    url: () => '/api/imports/schools/template',
    action: 'import.run',
  },
  { method: 'POST', path: '/api/imports/{kind}', url: () => '/api/imports/schools', action: 'import.run' },
  {
    method: 'GET',
    path: '/api/imports/uploads/{uploadId}/errors.xlsx',
    url: () => `/api/imports/uploads/${UNKNOWN_UPLOAD}/errors.xlsx`,
    action: 'import.run',
    missing: true,
  },
  {
    method: 'POST',
    path: '/api/imports/uploads/{uploadId}/confirm',
    url: () => `/api/imports/uploads/${UNKNOWN_UPLOAD}/confirm`,
    action: 'import.run',
    missing: true,
  },
  { method: 'GET', path: '/api/audit/export', url: () => '/api/audit/export', action: 'audit.read' },
  { method: 'GET', path: '/api/schools/export', url: () => '/api/schools/export', action: 'export.run' },
];
// Sign-out routes end the session, so they are checked separately below.
const SESSION_ENDING = ['/api/auth/logout', '/api/auth/logout-all'];
const PUBLIC = ['/api/health', '/api/auth/login', '/api/auth/demo-accounts'];

/** What a role may reach under the policy: school staff see their school only, county staff their county. */
function expectedStatus(role: Role, c: RouteCase): 'allowed' | 403 | 404 {
  if (c.action && !ROLE_ACTIONS[role].includes(c.action)) return 403;
  if (c.missing) return 404;
  if (c.school === 'other' && (role === 'county_staff' || role === 'school_staff')) return 404;
  return 'allowed';
}

describe('API access: every role × every route', () => {
  let t: TestDatabase;
  let w: ApiWorld;
  const sessions = new Map<Role, Session>();
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    w = await buildApiWorld(t);
    for (const role of ROLES) sessions.set(role, await signInAs(w.app, role));
  });
  afterAll(async () => {
    await w?.app.close();
    await t?.drop();
  });

  it('answers 401 to every protected route without a session', async () => {
    for (const c of ROUTES) {
      const r = await w.app.inject({ method: c.method, url: c.url(w), payload: c.body as object });
      expect(r.statusCode, `${c.method} ${c.path}`).toBe(401);
      expect(r.json().code).toBe('auth.required');
    }
  });

  for (const role of ROLES) {
    it(`enforces the policy for ${role}`, async () => {
      const s = sessions.get(role)!;
      for (const c of ROUTES) {
        const r = await w.app.inject({
          method: c.method,
          url: c.url(w),
          payload: c.body as object,
          headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
        });
        const want = expectedStatus(role, c);
        const label = `${role} ${c.method} ${c.url(w)} → ${r.statusCode} ${r.body.slice(0, 120)}`;
        if (want === 'allowed')
          expect(
            [401, 403].includes(r.statusCode) || (r.statusCode === 404 && Boolean(c.school)),
            label,
          ).toBe(false);
        else expect(r.statusCode, label).toBe(want);
      }
    });
  }

  it('shows a county clerk only their county, and a school only itself', async () => {
    const county = sessions.get('county_staff')!;
    const list = await w.app.inject({ url: '/api/schools', headers: { cookie: county.cookie } });
    expect(list.json().rows.map((r: { countyCode: string }) => r.countyCode)).toEqual(['411402']);
    const other = await w.app.inject({
      url: `/api/schools/${w.otherSchoolId}`,
      headers: { cookie: county.cookie },
    });
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('睢阳区测试初中');
    const school = sessions.get('school_staff')!;
    const own = await w.app.inject({ url: '/api/schools', headers: { cookie: school.cookie } });
    expect(own.json().total).toBe(1);
    const city = sessions.get('city_planning')!;
    expect((await w.app.inject({ url: '/api/schools', headers: { cookie: city.cookie } })).json().total).toBe(
      2,
    );
  });

  it('rejects a state change without the CSRF token', async () => {
    const s = sessions.get('city_admin')!;
    const r = await w.app.inject({
      method: 'PATCH',
      url: '/api/users/1',
      payload: { active: true },
      headers: { cookie: s.cookie },
    });
    expect(r.statusCode).toBe(403);
    expect(r.json()).toMatchObject({ code: 'auth.csrf', field: 'X-CSRF-Token' });
    const wrong = await w.app.inject({
      method: 'PATCH',
      url: '/api/users/1',
      payload: { active: true },
      headers: { cookie: s.cookie, 'x-csrf-token': 'forged' },
    });
    expect(wrong.statusCode).toBe(403);
  });

  it('documents every route, and this table covers every protected one', async () => {
    const doc = (await w.app.inject('/api/openapi.json')).json();
    const documented = Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(
      ([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p}`),
    );
    const covered = new Set([
      ...ROUTES.map((c) => `${c.method} ${c.path}`),
      ...SESSION_ENDING.map((p) => `POST ${p}`),
    ]);
    const missing = documented.filter((d) => !covered.has(d) && !PUBLIC.some((p) => d.endsWith(` ${p}`)));
    expect(missing).toEqual([]);
    expect((await w.app.inject('/api/docs')).statusCode).toBeLessThan(400);
  });
});
