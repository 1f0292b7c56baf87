import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { typicalRules } from '../../src/admissions/rules.ts';
import { type Action, ROLE_ACTIONS, ROLES, type Role } from '../../src/auth/roles.ts';
import { type ApiWorld, buildApiWorld, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

type Where = 'home' | 'other';
// Nobody's upload: every role allowed to import gets 404 for it.
const UNKNOWN_UPLOAD = '00000000-0000-4000-8000-000000000000';
interface RouteCase {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** OpenAPI path, as the server documents it. */
  path: string;
  url: (w: ApiWorld) => string;
  /** null: any signed-in user. */
  action: Action | null;
  /** The school the request is about, for scope checks. */
  school?: Where;
  /** The record does not exist (or is not the user's): 404 once the role passes. */
  missing?: boolean;
  /** A region's record (not a school's): school staff, scoped to their school, get 404 for it. */
  region?: boolean;
  body?: unknown;
}

const APPLICATION = {
  child: { idNumber: '411402201910010014', name: '张小明' },
  communityCode: '411402001001',
  facts: { localHukou: true, hukouAtProperty: true, hasProperty: true, residencePermit: false },
  propertyNo: 'P1',
  guardian: { name: '张大明', relation: 'father' },
  consent: true,
  category: 'hukou_property',
  choices: [1],
};

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
  // The school registers (personal records; the register export also needs export.run, which every
  // role with personal.read has).
  ...(['home', 'other'] as const).flatMap((school): RouteCase[] => [
    {
      method: 'GET',
      path: '/api/schools/{id}/students/export',
      url: (w) => `/api/schools/${school === 'home' ? w.homeSchoolId : w.otherSchoolId}/students/export`,
      action: 'personal.read',
      school,
    },
    {
      method: 'GET',
      path: '/api/schools/{id}/teachers',
      url: (w) => `/api/schools/${school === 'home' ? w.homeSchoolId : w.otherSchoolId}/teachers`,
      action: 'staff.read',
      school,
    },
  ]),
  // Indicator targets of the home county or another one; each role's PUT makes the row its DELETE restores.
  ...(['home', 'other'] as const).flatMap((school): RouteCase[] => {
    const region = school === 'home' ? '411402' : '411403';
    return [
      {
        method: 'GET',
        path: '/api/indicators/targets',
        url: () => `/api/indicators/targets?region=${region}&year=2023`,
        action: 'indicators.read',
        school,
        region: true,
      },
      {
        method: 'PUT',
        path: '/api/indicators/targets',
        url: () => '/api/indicators/targets',
        action: 'targets.write',
        school,
        region: true,
        body: {
          region_code: region,
          year: 2023,
          indicator_id: 'preschool_ger',
          stage: null,
          comparator: 'at_least',
          threshold: 86,
        },
      },
      {
        method: 'DELETE',
        path: '/api/indicators/targets',
        url: () => `/api/indicators/targets?region_code=${region}&year=2023&indicator_id=preschool_ger`,
        action: 'targets.write',
        school,
        region: true,
      },
    ];
  }),
  // The annual report of the home county or another one (it needs export.run too, which every role
  // with indicators.read has).
  ...(['home', 'other'] as const).map(
    (school): RouteCase => ({
      method: 'GET',
      path: '/api/indicators/report',
      url: () => `/api/indicators/report?region=${school === 'home' ? '411402' : '411403'}&year=2023`,
      action: 'indicators.read',
      school,
      region: true,
    }),
  ),
  // The indicator pages' views of the home county or another one (no census in this world: empty views,
  // and records answer 400 for want of a year, past the access checks).
  ...(['home', 'other'] as const).flatMap((school): RouteCase[] => {
    const region = school === 'home' ? '411402' : '411403';
    return [
      ['/api/indicators', `/api/indicators?region=${region}`, 'indicators.read'],
      ['/api/indicators/trend', `/api/indicators/trend?region=${region}`, 'indicators.read'],
      ['/api/indicators/children', `/api/indicators/children?region=${region}`, 'indicators.read'],
      [
        '/api/indicators/records',
        `/api/indicators/records?region=${region}&indicator=public_kg_share`,
        'indicators.read',
      ],
      ['/api/indicators/export', `/api/indicators/export?view=region&region=${region}`, 'export.run'],
    ].map(
      ([path, url, action]): RouteCase => ({
        method: 'GET',
        path,
        url: () => url,
        action: action as Action,
        school,
        region: true,
      }),
    );
  }),
  // Forecast runs: the list; a run made for the home county or another one (no census in this world:
  // 400 past the access checks); a run that does not exist behind every run route.
  { method: 'GET', path: '/api/forecast/runs', url: () => '/api/forecast/runs', action: 'forecast.read' },
  ...(['home', 'other'] as const).map(
    (school): RouteCase => ({
      method: 'POST',
      path: '/api/forecast/runs',
      url: () => '/api/forecast/runs',
      action: 'forecast.run',
      school,
      region: true,
      body: { name: 'x', region: school === 'home' ? '411402' : '411403', horizon: 5 },
    }),
  ),
  {
    method: 'DELETE',
    path: '/api/forecast/runs/{id}',
    url: () => '/api/forecast/runs/999999',
    action: 'forecast.run',
    missing: true,
  },
  ...['', '/balance', '/areas/411402', '/export'].map(
    (tail): RouteCase => ({
      method: 'GET',
      path: `/api/forecast/runs/{id}${tail.replace('411402', '{area}')}`,
      url: () => `/api/forecast/runs/999999${tail}`,
      action: 'forecast.read',
      missing: true,
    }),
  ),
  // The forecast pages' extra routes (routes/forecast-web.ts): a run that does not exist is 404.
  ...[
    ['/api/forecast/runs/{id}/outlines', '/api/forecast/runs/999999/outlines'],
    ['/api/forecast/compare', '/api/forecast/compare?runs=999999'],
    ['/api/forecast/compare/export', '/api/forecast/compare/export?runs=999999'],
  ].map(
    ([path, url]): RouteCase => ({
      method: 'GET',
      path: path!,
      url: () => url!,
      action: 'forecast.read',
      missing: true,
    }),
  ),
  // Planning scenarios (routes/planning.ts): the list; a scenario for the home county or another one
  // (no forecast run 999999 in this world: 400 past the county check); one that does not exist.
  {
    method: 'GET',
    path: '/api/planning/scenarios',
    url: () => '/api/planning/scenarios',
    action: 'forecast.read',
  },
  ...(['home', 'other'] as const).map(
    (school): RouteCase => ({
      method: 'POST',
      path: '/api/planning/scenarios',
      url: () => '/api/planning/scenarios',
      action: 'forecast.run',
      school,
      region: true,
      body: {
        name: 'x',
        county: school === 'home' ? '411402' : '411403',
        stage: 'primary',
        year: 2028,
        forecastRunId: 999999,
      },
    }),
  ),
  ...[
    ['/api/planning/scenarios/{id}', '/api/planning/scenarios/999999'],
    ['/api/planning/scenarios/{id}/export', '/api/planning/scenarios/999999/export'],
    ['/api/planning/compare', '/api/planning/compare?ids=999999'],
  ].map(
    ([path, url]): RouteCase => ({
      method: 'GET',
      path: path!,
      url: () => url!,
      action: 'forecast.read',
      missing: true,
    }),
  ),
  // Admissions: round setup (a draft for the home county or another; then 409 "exists", past the
  // checks), a round, application and document that do not exist behind every record route; the
  // parent portal reaches only the family's own records, so 999999 is 404 for a parent too.
  {
    method: 'GET',
    path: '/api/admissions/rounds',
    url: () => '/api/admissions/rounds',
    action: 'admissions.manage',
  },
  {
    method: 'GET',
    path: '/api/admissions/rules/template',
    url: () => '/api/admissions/rules/template?year=2026',
    action: 'admissions.manage',
  },
  {
    method: 'POST',
    path: '/api/admissions/rules/validate',
    url: () => '/api/admissions/rules/validate',
    action: 'admissions.manage',
    body: { rules: {} },
  },
  ...(['home', 'other'] as const).map(
    (school): RouteCase => ({
      method: 'POST',
      path: '/api/admissions/rounds',
      url: () => '/api/admissions/rounds',
      action: 'admissions.manage',
      school,
      region: true,
      body: {
        countyCode: school === 'home' ? '411402' : '411403',
        year: 2026,
        stage: 'primary',
        name: 'x',
        rules: typicalRules(2026),
      },
    }),
  ),
  ...(
    [
      ['GET', '', 'admissions.manage'],
      ['PUT', '', 'admissions.manage', { rules: {} }],
      ['POST', '/open', 'admissions.manage'],
      ['POST', '/close', 'admissions.manage'],
      ['GET', '/counts', 'admissions.manage'],
      ['GET', '/queue', 'admissions.verify'],
    ] as const
  ).map(
    ([method, tail, action, body]): RouteCase => ({
      method,
      path: `/api/admissions/rounds/{id}${tail}`,
      url: () => `/api/admissions/rounds/999999${tail}`,
      action,
      missing: true,
      body,
    }),
  ),
  // The draw (摇号): src/server/routes/admissions-draw.ts.
  ...(
    [
      ['GET', '/draw'],
      ['POST', '/freeze'],
      ['POST', '/draw', { publicValue: 'x' }],
      ['GET', '/draw/file'],
      ['POST', '/publish'],
      ['GET', '/results'],
      ['GET', '/results/export'],
    ] as const
  ).map(
    ([method, tail, body]): RouteCase => ({
      method,
      path: `/api/admissions/rounds/{id}${tail}`,
      url: () => `/api/admissions/rounds/999999${tail}`,
      action: 'admissions.manage',
      missing: true,
      body,
    }),
  ),
  {
    method: 'GET',
    path: '/api/admissions/rounds/{id}/results/schools/{schoolId}',
    url: () => '/api/admissions/rounds/999999/results/schools/1',
    action: 'admissions.manage',
    missing: true,
  },
  {
    method: 'GET',
    path: '/api/admissions/rounds/{id}/queue/export',
    url: () => '/api/admissions/rounds/999999/queue/export',
    action: 'admissions.verify',
    missing: true,
  },
  {
    method: 'GET',
    path: '/api/admissions/applications/{id}',
    url: () => '/api/admissions/applications/999999',
    action: 'admissions.verify',
    missing: true,
  },
  {
    method: 'POST',
    path: '/api/admissions/applications/{id}/decision',
    url: () => '/api/admissions/applications/999999/decision',
    action: 'admissions.verify',
    missing: true,
    body: { decision: 'return', reason: 'x' },
  },
  {
    method: 'GET',
    path: '/api/admissions/documents/{id}',
    url: () => '/api/admissions/documents/999999',
    action: 'admissions.verify',
    missing: true,
  },
  {
    method: 'POST',
    path: '/api/admissions/parents/reset-password',
    url: () => '/api/admissions/parents/reset-password',
    action: 'admissions.manage',
    missing: true,
    body: { phone: '13800000009' },
  },
  {
    method: 'GET',
    path: '/api/admissions/my/rounds',
    url: () => '/api/admissions/my/rounds',
    action: 'admissions.apply',
  },
  {
    method: 'GET',
    path: '/api/admissions/my/applications',
    url: () => '/api/admissions/my/applications',
    action: 'admissions.apply',
  },
  ...(
    [
      ['GET', '/api/admissions/my/rounds/{id}', '/api/admissions/my/rounds/999999'],
      [
        'POST',
        '/api/admissions/my/applications',
        '/api/admissions/my/applications',
        { roundId: 999999, clientKey: 'access-key-1', ...APPLICATION },
      ],
      ['GET', '/api/admissions/my/applications/{id}', '/api/admissions/my/applications/999999'],
      ['PUT', '/api/admissions/my/applications/{id}', '/api/admissions/my/applications/999999', APPLICATION],
      [
        'POST',
        '/api/admissions/my/applications/{id}/withdraw',
        '/api/admissions/my/applications/999999/withdraw',
      ],
      [
        'POST',
        '/api/admissions/my/applications/{id}/documents',
        '/api/admissions/my/applications/999999/documents?docType=hukou_book',
      ],
      ['GET', '/api/admissions/my/documents/{id}', '/api/admissions/my/documents/999999'],
      ['DELETE', '/api/admissions/my/documents/{id}', '/api/admissions/my/documents/999999'],
      ['GET', '/api/admissions/my/applications/{id}/result', '/api/admissions/my/applications/999999/result'],
      ['GET', '/api/admissions/my/rounds/{id}/draw/file', '/api/admissions/my/rounds/999999/draw/file'],
      ['GET', '/api/admissions/my/rounds/{id}/results', '/api/admissions/my/rounds/999999/results'],
      [
        'GET',
        '/api/admissions/my/rounds/{id}/results/schools/{schoolId}',
        '/api/admissions/my/rounds/999999/results/schools/1',
      ],
      // Appeals (申诉): src/server/routes/admissions-appeals.ts.
      ['GET', '/api/admissions/my/applications/{id}/appeal', '/api/admissions/my/applications/999999/appeal'],
      [
        'POST',
        '/api/admissions/my/applications/{id}/appeal',
        '/api/admissions/my/applications/999999/appeal',
        { reason: 'x' },
      ],
      ['POST', '/api/admissions/my/appeals/{id}/withdraw', '/api/admissions/my/appeals/999999/withdraw'],
    ] as const
  ).map(
    ([method, path, url, body]): RouteCase => ({
      method,
      path,
      url: () => url,
      action: 'admissions.apply',
      missing: true,
      body,
    }),
  ),
  // Appeals, the clerks' side: a round or appeal that does not exist.
  ...(
    [
      ['GET', '/api/admissions/rounds/{id}/appeals', '/api/admissions/rounds/999999/appeals'],
      ['GET', '/api/admissions/rounds/{id}/appeals/export', '/api/admissions/rounds/999999/appeals/export'],
      ['GET', '/api/admissions/appeals/{id}', '/api/admissions/appeals/999999'],
      [
        'POST',
        '/api/admissions/appeals/{id}/decision',
        '/api/admissions/appeals/999999/decision',
        { decision: 'refuse', reason: 'x' },
      ],
    ] as const
  ).map(
    ([method, path, url, body]): RouteCase => ({
      method,
      path,
      url: () => url,
      action: 'admissions.verify',
      missing: true,
      body,
    }),
  ),
];
// Sign-out routes end the session, so they are checked separately below.
const SESSION_ENDING = ['/api/auth/logout', '/api/auth/logout-all'];
const PUBLIC = [
  '/api/health',
  '/api/auth/login',
  '/api/auth/demo-accounts',
  '/api/admissions/parents',
  '/api/admissions/parents/sms-code',
];

/** What a role may reach under the policy: school staff see their school only, county staff their county. */
function expectedStatus(role: Role, c: RouteCase): 'allowed' | 403 | 404 {
  if (c.action && !ROLE_ACTIONS[role].includes(c.action)) return 403;
  if (c.missing) return 404;
  if (c.region && role === 'school_staff') return 404;
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
