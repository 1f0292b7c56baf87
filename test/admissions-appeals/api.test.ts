import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRegions } from '../../src/store/regions.ts';
import { appWithUsers, HOME_COUNTY, type NamedUsersApp, OTHER_COUNTY } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import {
  type AppealWorld,
  buildPublishedRound,
  FAMILY_PASSWORD,
  FAMILY_PHONE,
  unplacedApplications,
} from './fixture.ts';

async function signInFamily(app: FastifyInstance) {
  const r = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: FAMILY_PHONE, password: FAMILY_PASSWORD },
  });
  if (r.statusCode !== 200) throw new Error(r.body);
  return {
    cookie: String(r.headers['set-cookie']).split(';')[0]!,
    'x-csrf-token': r.json().csrfToken as string,
  };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`the appeals API on ${dialect}`, () => {
    let t: TestDatabase;
    let world: AppealWorld;
    let api: NamedUsersApp;
    let family: Record<string, string>;
    let unplaced: number[];
    let appealId: number;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      world = await buildPublishedRound(t.store.db);
      api = await appWithUsers(t, [
        ['clerk', 'county_staff', HOME_COUNTY],
        ['far_clerk', 'county_staff', OTHER_COUNTY],
        ['city', 'city_admissions', '411400'],
        ['other_family', 'parent', null],
      ]);
      family = await signInFamily(api.app);
      unplaced = await unplacedApplications(t.store.db, world.round);
    });
    afterAll(async () => {
      await api?.app.close();
      await t?.drop();
    });

    const asFamily = (method: 'GET' | 'POST', url: string, payload?: object, lang?: string) =>
      api.app.inject({
        method,
        url,
        payload,
        headers: { ...family, ...(lang ? { 'accept-language': lang } : {}) },
      });

    it('lets the family see the window and appeal for its own application only', async () => {
      const url = `/api/admissions/my/applications/${unplaced[0]}/appeal`;
      const before = await asFamily('GET', url);
      expect(before.statusCode, before.body).toBe(200);
      expect(before.json()).toMatchObject({
        appeal: null,
        canAppeal: true,
        window: { open: true, closesOn: '2099-08-20', closesAt: '2099-08-20T16:00:00.000Z' },
      });
      expect(before.json().schools.map((s: { name: string }) => s.name)).toContain('梁园区第一实验小学');
      const empty = await asFamily('POST', url, { reason: '' });
      expect(empty.statusCode).toBe(400);
      expect(empty.json()).toMatchObject({ code: 'admissions.reason_required', field: 'reason' });
      expect(empty.json().message).toBe('请写明申诉理由');
      const english = await asFamily('POST', url, { reason: '' }, 'en');
      expect(english.json().message).toBe('Give the reason for the appeal');
      const made = await asFamily('POST', url, { reason: '离家 300 米', desiredSchoolId: world.w.publicId });
      expect(made.statusCode, made.body).toBe(201);
      expect(made.json()).toMatchObject({
        canAppeal: false,
        appeal: { status: 'submitted', reason: '离家 300 米', desiredSchool: { name: '梁园区第一实验小学' } },
      });
      appealId = made.json().appeal.id;
      const twice = await asFamily('POST', url, { reason: '再来' });
      expect(twice.statusCode).toBe(409);
      expect(twice.json()).toMatchObject({ code: 'admissions.appeal_exists' });
      // Another family reaches neither the application nor the appeal.
      expect((await api.call('other_family', 'GET', url)).status).toBe(404);
      expect((await api.call('other_family', 'POST', url, { reason: 'x' })).status).toBe(404);
      expect(
        (await api.call('other_family', 'POST', `/api/admissions/my/appeals/${appealId}/withdraw`)).status,
      ).toBe(404);
    });

    it('shows the clerks a masked list of their county only, and audits opening one', async () => {
      const list = await api.call<{ total: number; rows: { childName: string; idNumber: string }[] }>(
        'clerk',
        'GET',
        `/api/admissions/rounds/${world.round.id}/appeals?status=submitted`,
      );
      expect(list.status).toBe(200);
      expect(list.body.total).toBe(1);
      expect(list.body.rows[0].childName).toMatch(/^李\*+$/);
      expect(list.raw.body).not.toContain('李小');
      const city = await api.call('city', 'GET', `/api/admissions/rounds/${world.round.id}/appeals`);
      expect(city.status).toBe(200);
      expect(
        (await api.call('far_clerk', 'GET', `/api/admissions/rounds/${world.round.id}/appeals`)).status,
      ).toBe(404);
      expect((await api.call('far_clerk', 'GET', `/api/admissions/appeals/${appealId}`)).status).toBe(404);
      const one = await api.call<{
        childName: string;
        seats: { id: number; left: number }[];
      }>('clerk', 'GET', `/api/admissions/appeals/${appealId}`);
      expect(one.status).toBe(200);
      expect(one.body.childName).toMatch(/^李小/);
      expect(one.body.seats.find((s) => s.id === world.w.publicId)?.left).toBe(1);
      expect(one.body.seats.find((s) => s.id === world.w.otherPublicId)?.left).toBe(0);
      const read = await t.store.db
        .selectFrom('audit_log')
        .select(['username', 'resource_id'])
        .where('action', '=', 'admissions.appeal_read')
        .execute();
      expect(read).toEqual([{ username: 'clerk', resource_id: String(appealId) }]);
    });

    it('refuses a grant where no seat is left, naming the school; grants where one is', async () => {
      const url = `/api/admissions/appeals/${appealId}/decision`;
      const full = await api.call<{ code: string; field: string; message: string }>('clerk', 'POST', url, {
        decision: 'grant',
        schoolId: world.w.otherPublicId,
        reason: '就近安排',
      });
      expect(full.status).toBe(400);
      expect(full.body).toMatchObject({ code: 'admissions.no_seats_left', field: 'schoolId' });
      expect(full.body.message).toContain('梁园区第二实验小学');
      const ok = await api.call<{ status: string; placedSchool: { name: string }; result: { by: string } }>(
        'clerk',
        'POST',
        url,
        { decision: 'grant', schoolId: world.w.publicId, reason: '使用申诉预留学位' },
      );
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toMatchObject({
        status: 'granted',
        placedSchool: { name: '梁园区第一实验小学' },
        result: { by: 'appeal' },
      });
      const again = await api.call('clerk', 'POST', url, { decision: 'refuse', reason: 'x' });
      expect(again.status).toBe(400);
      const mine = await asFamily('GET', `/api/admissions/my/applications/${unplaced[0]}/appeal`);
      expect(mine.json().appeal).toMatchObject({
        status: 'granted',
        decisionReason: '使用申诉预留学位',
        placedSchool: { name: '梁园区第一实验小学' },
      });
      const withdraw = await asFamily('POST', `/api/admissions/my/appeals/${appealId}/withdraw`);
      expect(withdraw.json()).toMatchObject({ code: 'admissions.appeal_decided' });
    });

    it('exports the list as XLSX, masked, and audits the export', async () => {
      const r = await api.call('clerk', 'GET', `/api/admissions/rounds/${world.round.id}/appeals/export`);
      expect(r.status).toBe(200);
      expect(String(r.raw.headers['content-type'])).toContain('spreadsheetml');
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(r.raw.rawPayload as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      expect(sheet.name).toBe('申诉列表');
      expect(sheet.rowCount).toBe(2);
      const row = sheet.getRow(2).values as unknown[];
      expect(row.slice(1, 5)).toEqual([
        `A${String(unplaced[0]).padStart(7, '0')}`,
        expect.stringMatching(/^李\*+$/),
        expect.stringMatching(/\*{8}/),
        '已同意',
      ]);
      expect(row).toContain('使用申诉预留学位');
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['username', 'resource_id'])
        .where('action', '=', 'export.admission_appeals')
        .execute();
      expect(audit).toEqual([{ username: 'clerk', resource_id: String(world.round.id) }]);
    });
  });
}
