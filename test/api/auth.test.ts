import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveSession, SESSION_CACHE_MS, SIGN_IN_POLICY } from '../../src/auth/sessions.ts';
import { type ApiWorld, buildApiWorld, signInAs, TEST_PASSWORD, userOf } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`sign-in and sessions on ${dialect}`, () => {
    let t: TestDatabase;
    let w: ApiWorld;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      w = await buildApiWorld(t);
    });
    afterAll(async () => {
      await w?.app.close();
      await t?.drop();
    });
    const login = (username: string, password: string, ip = '10.0.0.1') =>
      w.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password },
        remoteAddress: ip,
      });

    it('sets an httpOnly SameSite=Lax session cookie and returns the user with allowed actions', async () => {
      const r = await login(userOf('county_staff'), TEST_PASSWORD);
      expect(r.statusCode).toBe(200);
      const cookie = String(r.headers['set-cookie']);
      expect(cookie).toMatch(/HttpOnly/);
      expect(cookie).toMatch(/SameSite=Lax/);
      expect(cookie).not.toMatch(/Secure/);
      const me = r.json();
      expect(me).toMatchObject({
        role: 'county_staff',
        regionCode: '411402',
        regionName: '梁园区',
        demo: false,
      });
      expect(me.actions).toContain('import.run');
      expect(me.actions).not.toContain('user.manage');
    });

    it('marks the cookie Secure behind HTTPS', async () => {
      const r = await w.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: userOf('parent'), password: TEST_PASSWORD },
        headers: { 'x-forwarded-proto': 'https' },
      });
      // trustProxy is off by default: a forged header must not change anything.
      expect(String(r.headers['set-cookie'])).not.toMatch(/Secure/);
    });

    it('locks an account after repeated wrong passwords, with a message in the caller’s language', async () => {
      const name = userOf('city_finance');
      for (let i = 0; i < SIGN_IN_POLICY.maxFailures; i++) {
        const r = await login(name, 'wrong-password-1', `10.1.0.${i}`);
        expect(r.statusCode).toBe(401);
        expect(r.json().message).toBe('登录名或密码不正确');
      }
      const locked = await w.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: name, password: TEST_PASSWORD },
        headers: { 'accept-language': 'en-US,en;q=0.9' },
      });
      expect(locked.statusCode).toBe(423);
      expect(locked.json().message).toMatch(/locked/);
    });

    it('limits failed sign-ins per address', async () => {
      const ip = '10.9.9.9';
      for (let i = 0; i < SIGN_IN_POLICY.maxFailuresPerIp; i++) await login('nobody', 'x', ip);
      const r = await login(userOf('city_planning'), TEST_PASSWORD, ip);
      expect(r.statusCode).toBe(429);
      expect((await login(userOf('city_planning'), TEST_PASSWORD, '10.9.9.10')).statusCode).toBe(200);
    });

    it('signs out one session, or every session of the user', async () => {
      const a = await signInAs(w.app, 'city_statistics');
      const b = await signInAs(w.app, 'city_statistics');
      const out = await w.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie: a.cookie, 'x-csrf-token': a.csrf },
      });
      expect(out.statusCode).toBe(204);
      expect((await w.app.inject({ url: '/api/auth/me', headers: { cookie: a.cookie } })).statusCode).toBe(
        401,
      );
      expect((await w.app.inject({ url: '/api/auth/me', headers: { cookie: b.cookie } })).statusCode).toBe(
        200,
      );
      const c = await signInAs(w.app, 'city_statistics');
      await w.app.inject({
        method: 'POST',
        url: '/api/auth/logout-all',
        headers: { cookie: c.cookie, 'x-csrf-token': c.csrf },
      });
      expect((await w.app.inject({ url: '/api/auth/me', headers: { cookie: b.cookie } })).statusCode).toBe(
        401,
      );
    });

    it('sees a session deleted by another server process within the cache interval', async () => {
      const s = await signInAs(w.app, 'school_staff');
      const token = decodeURIComponent(s.cookie.split('=')[1]);
      const now = new Date();
      expect(await resolveSession(t.store.db, token, now)).not.toBeNull();
      // Another process signs the user out: only the database knows.
      await t.store.db.deleteFrom('sessions').execute();
      const later = new Date(now.getTime() + SESSION_CACHE_MS + 1);
      expect(await resolveSession(t.store.db, token, later)).toBeNull();
    });

    it('lets an administrator create a user under the password rules, and audits it with names masked', async () => {
      const admin = await signInAs(w.app, 'city_admin');
      const headers = { cookie: admin.cookie, 'x-csrf-token': admin.csrf };
      const weak = await w.app.inject({
        method: 'POST',
        url: '/api/users',
        headers,
        payload: {
          username: 'clerk1',
          displayName: '王小明',
          password: 'short',
          role: 'county_staff',
          regionCode: '411421',
        },
      });
      expect(weak.statusCode).toBe(400);
      expect(weak.json().field).toBe('password');
      const badScope = await w.app.inject({
        method: 'POST',
        url: '/api/users',
        headers,
        payload: {
          username: 'clerk1',
          displayName: '王小明',
          password: 'longenough123',
          role: 'county_staff',
          regionCode: '411400',
        },
      });
      expect(badScope.json().field).toBe('region');
      const ok = await w.app.inject({
        method: 'POST',
        url: '/api/users',
        headers,
        payload: {
          username: 'clerk1',
          displayName: '王小明',
          password: 'longenough123',
          role: 'county_staff',
          regionCode: '411421',
        },
      });
      expect(ok.statusCode).toBe(200);
      const again = await w.app.inject({
        method: 'POST',
        url: '/api/users',
        headers,
        payload: { username: 'clerk1', displayName: 'x', password: 'longenough123', role: 'parent' },
      });
      expect(again.statusCode).toBe(409);
      expect(ok.json()).toMatchObject({ regionCode: '411421', regionName: '民权县', schoolCode: null });
      const first = await login('clerk1', 'longenough123');
      expect(first.json().mustChangePassword).toBe(true);
      const audit = (await w.app.inject({ url: '/api/audit?action=user.create', headers })).json();
      expect(audit.total).toBe(1);
      expect(JSON.stringify(audit.rows[0].detail)).not.toContain('王小明');
      expect(audit.rows[0].detail.after).toMatchObject({
        displayName: '王**',
        username: 'clerk1',
        role: 'county_staff',
      });
    });

    it('resets a password: old sessions end and the user must change it', async () => {
      const admin = await signInAs(w.app, 'city_admin');
      const victim = await signInAs(w.app, 'city_personnel');
      const me = (await w.app.inject({ url: '/api/auth/me', headers: { cookie: victim.cookie } })).json();
      const r = await w.app.inject({
        method: 'POST',
        url: `/api/users/${me.id}/password`,
        headers: { cookie: admin.cookie, 'x-csrf-token': admin.csrf },
        payload: { password: 'brandnew2026x' },
      });
      expect(r.statusCode).toBe(204);
      expect(
        (await w.app.inject({ url: '/api/auth/me', headers: { cookie: victim.cookie } })).statusCode,
      ).toBe(401);
      expect((await login(userOf('city_personnel'), 'brandnew2026x')).json().mustChangePassword).toBe(true);
    });
  });
}
