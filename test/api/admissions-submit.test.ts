import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerParent } from '../../src/admissions/parents.ts';
import { signIn } from '../../src/auth/sessions.ts';
import {
  type AdmissionsWorld,
  buildApplication,
  buildRules,
  childId,
  seedAdmissionsWorld,
} from '../support/admissions.ts';
import { buildApiWorld, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const as = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

/**
 * The submit path as registration day uses it: one statement for the application, its choices and
 * its audit entry, and an answer built without reading the application back — which must be the
 * same view the family reads afterwards.
 */
for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`application submission on ${dialect}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let w: AdmissionsWorld;
    let clerk: Session;
    let roundId: number;
    let phone = 13600000000;
    const family = async (): Promise<Session & { id: number }> => {
      const p = String(phone++);
      const user = await registerParent(t.store.db, null, { phone: p, password: 'family2026pw' });
      const s = await signIn(t.store.db, p, 'family2026pw', '127.0.0.1');
      return { id: user.id, cookie: `eduatlas_session=${s.token}`, csrf: s.csrfToken };
    };
    const submit = (s: Session, clientKey: string, over: Record<string, unknown> = {}) =>
      app.inject({
        method: 'POST',
        url: '/api/admissions/my/applications',
        headers: as(s),
        payload: { roundId, clientKey, ...buildApplication(w, over) },
      });
    const countOf = async (table: 'admission_applications' | 'admission_choices' | 'audit_log') => {
      const r = await t.store.db
        .selectFrom(table)
        .select(sql<number>`count(*)`.as('n'))
        .$if(table === 'audit_log', (q) => q.where(sql.ref('action'), '=', 'admissions.apply'))
        .executeTakeFirstOrThrow();
      return Number(r.n);
    };

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      app = (await buildApiWorld(t)).app;
      w = await seedAdmissionsWorld(t.store.db);
      clerk = await signInAs(app, 'county_staff');
      const created = await app.inject({
        method: 'POST',
        url: '/api/admissions/rounds',
        headers: as(clerk),
        payload: {
          countyCode: '411402',
          year: 2026,
          stage: 'primary',
          name: '2026 提交',
          rules: buildRules(),
        },
      });
      roundId = created.json().id;
      const opened = await app.inject({
        method: 'POST',
        url: `/api/admissions/rounds/${roundId}/open`,
        headers: as(clerk),
      });
      expect(opened.statusCode, opened.body).toBe(200);
    });
    afterAll(async () => {
      await app?.close();
      await t?.drop();
    });

    it('answers a new application with the view the family reads back, and a replay with the same', async () => {
      const f = await family();
      const created = await submit(f, 'view-check-0001', {
        child: { idNumber: childId(101), name: '林小雨' },
        choices: [w.otherPublicId],
      });
      expect(created.statusCode, created.body).toBe(201);
      const read = await app.inject({
        url: `/api/admissions/my/applications/${created.json().id}`,
        headers: as(f),
      });
      expect(read.statusCode).toBe(200);
      expect(created.json()).toEqual(read.json());
      expect(created.json()).toMatchObject({
        communityName: '平原小区',
        choices: [{ rank: 1, id: w.otherPublicId, name: expect.any(String), ownership: 'public' }],
        documents: [],
        decisions: [],
        missingProofs: expect.arrayContaining([['property_deed', 'purchase_contract']]),
      });
      const replay = await submit(f, 'view-check-0001', {
        child: { idNumber: childId(101), name: '林小雨' },
        choices: [w.otherPublicId],
      });
      expect(replay.statusCode).toBe(200);
      expect(replay.json()).toEqual(read.json());
    });

    it('takes no application number for a replay or a refused child: the next application is the next number', async () => {
      const [a, b] = [await family(), await family()];
      const first = await submit(a, 'numbers-0001', { child: { idNumber: childId(106), name: '冯一' } });
      expect(first.statusCode).toBe(201);
      expect(
        (await submit(a, 'numbers-0001', { child: { idNumber: childId(106), name: '冯一' } })).statusCode,
      ).toBe(200);
      expect(
        (await submit(b, 'numbers-0002', { child: { idNumber: childId(106), name: '冯一' } })).statusCode,
      ).toBe(409);
      const next = await submit(b, 'numbers-0003', { child: { idNumber: childId(107), name: '冯二' } });
      expect(next.statusCode).toBe(201);
      expect(next.json().id).toBe(first.json().id + 1);
      expect(next.json().applicationNo).toBe(`A${String(first.json().id + 1).padStart(7, '0')}`);
    });

    it('writes the application, its choice and one audit entry together, and nothing for a refused twin', async () => {
      const [a, b] = [await family(), await family()];
      const before = await Promise.all([
        countOf('admission_applications'),
        countOf('admission_choices'),
        countOf('audit_log'),
      ]);
      const first = await submit(a, 'together-0001', { child: { idNumber: childId(102), name: '周一' } });
      expect(first.statusCode).toBe(201);
      // Another family, the same child: refused on the ID field, and no choice or audit row is left behind.
      const other = await submit(b, 'together-0002', { child: { idNumber: childId(102), name: '周一' } });
      expect(other.statusCode).toBe(409);
      expect(other.json()).toMatchObject({ code: 'admissions.application_exists', field: 'child.idNumber' });
      const after = await Promise.all([
        countOf('admission_applications'),
        countOf('admission_choices'),
        countOf('audit_log'),
      ]);
      expect(after.map((n, i) => n - before[i])).toEqual([1, 1, 1]);
      const entry = await t.store.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'admissions.apply')
        .where('resource_id', '=', String(first.json().id))
        .executeTakeFirstOrThrow();
      expect(entry).toMatchObject({
        user_id: a.id,
        county_code: '411402',
        resource_type: 'admission_application',
      });
      // Names and ID numbers masked in the audit, as writeAudit masks them.
      expect(entry.detail).not.toContain('周一');
      expect(entry.detail).not.toContain(childId(102));
      expect(JSON.parse(entry.detail!).after.category).toBe('hukou_property');
    });

    it('checks the choices against the catchments: another community’s school is refused', async () => {
      const f = await family();
      const r = await submit(f, 'catchment-0001', {
        communityCode: '411402001002',
        child: { idNumber: childId(103), name: '吴二' },
        choices: [w.publicId],
      });
      expect(r.statusCode).toBe(400);
      expect(r.json()).toMatchObject({ code: 'admissions.outside_catchment', field: 'choices[0]' });
      const unknown = await submit(f, 'catchment-0002', {
        communityCode: '999999999999',
        child: { idNumber: childId(103), name: '吴二' },
      });
      expect(unknown.json()).toMatchObject({ code: 'admissions.bad_community', field: 'communityCode' });
    });

    it('still answers a retried key with its application once the round has closed, and refuses a new one', async () => {
      const f = await family();
      const first = await submit(f, 'after-close-0001', { child: { idNumber: childId(104), name: '郑三' } });
      expect(first.statusCode).toBe(201);
      const closed = await app.inject({
        method: 'POST',
        url: `/api/admissions/rounds/${roundId}/close`,
        headers: as(clerk),
      });
      expect(closed.statusCode, closed.body).toBe(200);
      const retry = await submit(f, 'after-close-0001', { child: { idNumber: childId(104), name: '郑三' } });
      expect(retry.statusCode).toBe(200);
      expect(retry.json().id).toBe(first.json().id);
      const late = await submit(f, 'after-close-0002', { child: { idNumber: childId(105), name: '郑四' } });
      expect(late.statusCode).toBe(400);
      expect(late.json()).toMatchObject({ code: 'admissions.round_not_open', field: 'round' });
    });
  });
}
