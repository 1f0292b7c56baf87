import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PARENT_ROUTE_LIMITS } from '../../src/admissions/parents.ts';
import { buildApp } from '../../src/server/app.ts';
import { buildApiWorld } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const PASSWORD = 'family2026pw';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`per-address limits of the parent routes on ${dialect}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let proxied: FastifyInstance;
    let phone = 13700000000;
    const nextPhone = () => String(phone++);
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      app = (await buildApiWorld(t)).app;
      proxied = await buildApp(t.store, { logger: false, webDir: '/nonexistent', trustProxy: true });
    });
    afterAll(async () => {
      await app?.close();
      await proxied?.close();
      await t?.drop();
    });
    const register = (
      ip: string,
      p = nextPhone(),
      headers: Record<string, string> = {},
      on: FastifyInstance = app,
    ) =>
      on.inject({
        method: 'POST',
        url: '/api/admissions/parents',
        payload: { phone: p, password: PASSWORD },
        remoteAddress: ip,
        headers,
      });

    it('allows 10 registration attempts an hour per address, failed ones included, then answers 429', async () => {
      expect(PARENT_ROUTE_LIMITS.registration()).toEqual({ max: 10, windowMinutes: 60 });
      const ip = '198.51.100.1';
      // Nine attempts that fail (a malformed number, a number already registered) count as well.
      for (let i = 0; i < 8; i++) expect((await register(ip, '12345')).statusCode).toBe(400);
      const taken = nextPhone();
      expect((await register('198.51.100.99', taken)).statusCode).toBe(204);
      expect((await register(ip, taken)).statusCode).toBe(409);
      expect((await register(ip)).statusCode).toBe(204);
      const refused = await register(ip);
      expect(refused.statusCode).toBe(429);
      expect(refused.json()).toMatchObject({ code: 'parent.rate_limited', field: 'phone' });
      expect(refused.json().message).toBe('同一网络地址的注册过于频繁（每 60 分钟最多 10 次），请稍后再试');
      const en = await register(ip, nextPhone(), { 'accept-language': 'en' });
      expect(en.statusCode).toBe(429);
      expect(en.json().message).toBe(
        'Too many registrations from this address (at most 10 in 60 minutes); try again later',
      );
      // Another address is not affected, and the refused phone was not created.
      expect((await register('198.51.100.2')).statusCode).toBe(204);
      const users = await t.store.db
        .selectFrom('users')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('username', 'like', '137%')
        .executeTakeFirstOrThrow();
      expect(Number(users.n)).toBe(3);
    });

    it('counts attempts older than the window no more', async () => {
      const ip = '198.51.100.3';
      const hourAgo = new Date(Date.now() - 61 * 60_000).toISOString();
      await t.store.db
        .insertInto('login_failures')
        .values(Array.from({ length: 10 }, () => ({ ip: `parent_register:${ip}`, at: hourAgo })))
        .execute();
      expect((await register(ip)).statusCode).toBe(204);
    });

    it('takes the limit from EDUATLAS_PARENT_REGISTRATIONS_PER_IP', async () => {
      process.env.EDUATLAS_PARENT_REGISTRATIONS_PER_IP = '2';
      try {
        const ip = '198.51.100.4';
        expect((await register(ip, '1')).statusCode).toBe(400);
        expect((await register(ip, '2')).statusCode).toBe(400);
        const r = await register(ip);
        expect(r.statusCode).toBe(429);
        expect(r.json().message).toContain('最多 2 次');
      } finally {
        delete process.env.EDUATLAS_PARENT_REGISTRATIONS_PER_IP;
      }
    });

    it('limits SMS code requests per address too, before anything else is answered', async () => {
      const ip = '198.51.100.5';
      const code = () =>
        app.inject({
          method: 'POST',
          url: '/api/admissions/parents/sms-code',
          payload: { phone: '13900000000' },
          remoteAddress: ip,
        });
      for (let i = 0; i < 10; i++) expect((await code()).json().code).toBe('sms.not_configured');
      const r = await code();
      expect(r.statusCode).toBe(429);
      expect(r.json()).toMatchObject({ code: 'sms.rate_limited', field: 'phone' });
      expect(r.json().message).toContain('验证码请求过于频繁');
    });

    it('counts the client behind a trusted proxy by X-Forwarded-For, and ignores the header otherwise', async () => {
      const proxy = '10.0.0.9';
      process.env.EDUATLAS_PARENT_REGISTRATIONS_PER_IP = '1';
      try {
        // trustProxy on: two families behind one proxy are two addresses.
        const a = await register(proxy, nextPhone(), { 'x-forwarded-for': '203.0.113.1' }, proxied);
        const b = await register(proxy, nextPhone(), { 'x-forwarded-for': '203.0.113.2' }, proxied);
        expect([a.statusCode, b.statusCode]).toEqual([204, 204]);
        expect(
          (await register(proxy, nextPhone(), { 'x-forwarded-for': '203.0.113.1' }, proxied)).statusCode,
        ).toBe(429);
        // trustProxy off (the default): a forged header does not buy a fresh address.
        const c = await register('10.0.0.10', nextPhone(), { 'x-forwarded-for': '203.0.113.3' });
        const d = await register('10.0.0.10', nextPhone(), { 'x-forwarded-for': '203.0.113.4' });
        expect([c.statusCode, d.statusCode]).toEqual([204, 429]);
      } finally {
        delete process.env.EDUATLAS_PARENT_REGISTRATIONS_PER_IP;
      }
    });
  });
}
