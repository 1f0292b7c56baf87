import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentMyAppeal } from '../../src/admissions/appeal-views.ts';
import { submitAppeal } from '../../src/admissions/appeals.ts';
import { findApplication } from '../../src/admissions/applications.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { appWithUsers, type NamedUsersApp } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import {
  type AppealWorld,
  buildPublishedRound,
  FAMILY_PASSWORD,
  FAMILY_PHONE,
  unplacedApplications,
} from './fixture.ts';

const NOT_IN_DRAW = {
  code: 'admissions.appeal_not_in_draw',
  field: 'application',
  zh: '该报名未通过审核、未参加本批次派位，没有可申诉的派位结果',
  en: 'This application was not verified and did not take part in the round’s draw: there is no result to appeal',
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`who may appeal on ${dialect}`, () => {
    let t: TestDatabase;
    let world: AppealWorld;
    let api: NamedUsersApp;
    let family: Record<string, string>;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      world = await buildPublishedRound(t.store.db, { outsideDraw: true });
      api = await appWithUsers(t, []);
      const r = await api.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: FAMILY_PHONE, password: FAMILY_PASSWORD },
      });
      if (r.statusCode !== 200) throw new Error(r.body);
      family = {
        cookie: String(r.headers['set-cookie']).split(';')[0]!,
        'x-csrf-token': r.json().csrfToken as string,
      };
    });
    afterAll(async () => {
      await api?.app.close();
      await t?.drop();
    });

    const app = async (id: number) => (await findApplication(t.store.db, id))!;
    const appealRows = () => t.store.db.selectFrom('admission_appeals').select('id').execute();

    it('refuses a returned or never-decided application: it took no part in the draw', async () => {
      const { returned, pending } = world.outside!;
      expect((await app(returned)).status).toBe('returned');
      expect((await app(pending)).status).toBe('submitted');
      for (const id of [returned, pending]) {
        const a = await app(id);
        expect(a.result_key).toBeNull();
        expect(await presentMyAppeal(t.store.db, world.round, a)).toMatchObject({
          window: { open: true },
          appeal: null,
          inDraw: false,
          canAppeal: false,
        });
        await expect(
          submitAppeal(t.store.db, world.family, world.round, a, { reason: '材料已补齐，请复核' }),
        ).rejects.toMatchObject(NOT_IN_DRAW);
      }
      expect(await appealRows()).toEqual([]);
    });

    it('lets an application of the draw appeal, placed or not', async () => {
      const [unplaced] = await unplacedApplications(t.store.db, world.round);
      const { id: placed } = await t.store.db
        .selectFrom('admission_applications')
        .select('id')
        .where('round_id', '=', world.round.id)
        .where('result_school_id', 'is not', null)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      for (const id of [unplaced, placed])
        expect(await presentMyAppeal(t.store.db, world.round, await app(id))).toMatchObject({
          inDraw: true,
          canAppeal: true,
        });
    });

    it('answers the family over HTTP: no form offered, the appeal refused on the application field', async () => {
      const url = `/api/admissions/my/applications/${world.outside!.returned}/appeal`;
      const view = await api.app.inject({ method: 'GET', url, headers: family });
      expect(view.statusCode, view.body).toBe(200);
      expect(view.json()).toMatchObject({ inDraw: false, canAppeal: false, appeal: null });
      const zh = await api.app.inject({
        method: 'POST',
        url,
        headers: family,
        payload: { reason: '请复核' },
      });
      expect(zh.statusCode).toBe(400);
      expect(zh.json()).toEqual({ code: NOT_IN_DRAW.code, message: NOT_IN_DRAW.zh, field: 'application' });
      const en = await api.app.inject({
        method: 'POST',
        url,
        headers: { ...family, 'accept-language': 'en' },
        payload: { reason: 'please review' },
      });
      expect(en.json()).toMatchObject({ message: NOT_IN_DRAW.en, field: 'application' });
      expect(await appealRows()).toEqual([]);
    });
  });
}
