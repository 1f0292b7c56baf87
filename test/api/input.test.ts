import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApiWorld, buildApiWorld, buildSchool, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe('hostile and malformed input', () => {
  let t: TestDatabase;
  let w: ApiWorld;
  let admin: Session;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    w = await buildApiWorld(t);
    await t.store.db
      .insertInto('schools')
      .values(buildSchool({ code: '4114020099', name: '<script>alert(1)</script>小学' }))
      .execute();
    admin = await signInAs(w.app, 'city_admin');
  });
  afterAll(async () => {
    await w?.app.close();
    await t?.drop();
  });

  it('treats SQL in a search as text', async () => {
    for (const q of ["' OR 1=1 --", '%', '_', "'; DROP TABLE schools; --"]) {
      const r = await w.app.inject({
        url: `/api/schools?q=${encodeURIComponent(q)}`,
        headers: { cookie: admin.cookie },
      });
      expect(r.statusCode).toBe(200);
      expect(r.json().total, q).toBe(0);
    }
    const all = await w.app.inject({ url: '/api/schools', headers: { cookie: admin.cookie } });
    expect(all.json().total).toBe(3);
  });

  it('finds wildcard characters literally', async () => {
    await t.store.db
      .insertInto('schools')
      .values(buildSchool({ code: '4114020098', name: '梁园区50%_实验学校' }))
      .execute();
    const r = await w.app.inject({
      url: `/api/schools?q=${encodeURIComponent('50%_')}`,
      headers: { cookie: admin.cookie },
    });
    expect(r.json().rows.map((x: { code: string }) => x.code)).toEqual(['4114020098']);
    await t.store.db.deleteFrom('schools').where('code', '=', '4114020098').execute();
  });

  it('returns a script-like name as data, for the client to escape', async () => {
    const r = await w.app.inject({
      url: `/api/schools?q=${encodeURIComponent('<script>')}`,
      headers: { cookie: admin.cookie },
    });
    expect(r.headers['content-type']).toContain('application/json');
    expect(r.json().rows[0].name).toBe('<script>alert(1)</script>小学');
  });

  it('answers 400 naming the field for a bad query, a malformed body and a wrong type', async () => {
    const bad = await w.app.inject({
      url: '/api/schools?pageSize=100000',
      headers: { cookie: admin.cookie },
    });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ code: 'request.invalid', field: 'querystring.pageSize' });
    const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf, 'content-type': 'application/json' };
    const malformed = await w.app.inject({
      method: 'POST',
      url: '/api/users',
      headers,
      payload: '{"username": ',
    });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().code).toBe('request.invalid');
    const wrongType = await w.app.inject({
      method: 'PATCH',
      url: '/api/users/1',
      headers,
      payload: { active: 'yes' },
    });
    expect(wrongType.statusCode).toBe(400);
    expect(wrongType.json().field).toBe('body.active');
  });

  it('refuses an oversized body with 413', async () => {
    const r = await w.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
    });
    expect(r.statusCode).toBe(413);
    expect(r.json().code).toBe('request.too_large');
  });

  it('answers an unknown API path with 404 JSON, not the web page', async () => {
    const r = await w.app.inject({ url: '/api/nothing-here', headers: { cookie: admin.cookie } });
    expect(r.statusCode).toBe(404);
    expect(r.json().code).toBe('route.not_found');
  });

  it('refuses a form-encoded sign-in (no cross-site form can sign anyone in)', async () => {
    const r = await w.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'username=u_parent&password=test2025pass',
    });
    expect(r.statusCode).toBe(415);
  });
});
