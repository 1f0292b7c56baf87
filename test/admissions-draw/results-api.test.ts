import ExcelJS from 'exceljs';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerParent } from '../../src/admissions/parents.ts';
import { closeRound, type Round } from '../../src/admissions/rounds.ts';
import { createUser } from '../../src/auth/users.ts';
import { verifyDraw } from '../../src/engines/admissions/verify.ts';
import { buildApiWorld, type Session, signInAs } from '../support/api.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { buildDrawRound, clerk, PUBLIC_VALUE } from './fixture.ts';

const as = (s: Session) => ({ cookie: s.cookie, 'x-csrf-token': s.csrf });

async function signIn(app: FastifyInstance, username: string, password: string): Promise<Session> {
  const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  if (r.statusCode !== 200) throw new Error(`sign-in of ${username}: ${r.body}`);
  return { cookie: String(r.headers['set-cookie']).split(';')[0], csrf: r.json().csrfToken };
}

describe('the results API', () => {
  let t: TestDatabase;
  let app: FastifyInstance;
  let round: Round;
  let staff: Session;
  let family: Session;
  let stranger: Session;
  let elsewhere: Session;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    ({ app } = await buildApiWorld(t));
    ({ round } = await buildDrawRound(t));
    round = await closeRound(t.store.db, clerk, round);
    staff = await signInAs(app, 'county_staff');
    family = await signIn(app, '13800000009', 'parent2026pw');
    await registerParent(t.store.db, null, { phone: '13800000010', password: 'parent2026pw' });
    stranger = await signIn(app, '13800000010', 'parent2026pw');
    await createUser(t.store.db, {
      username: 'clerk_suiyang',
      displayName: 'clerk_suiyang',
      password: 'test-Password-2026',
      role: 'county_staff',
      regionCode: '411403',
      schoolCode: null,
    });
    elsewhere = await signIn(app, 'clerk_suiyang', 'test-Password-2026');
  });
  afterAll(async () => {
    await app?.close();
    await t?.drop();
  });

  const call = (who: Session, method: 'GET' | 'POST', url: string, payload?: Record<string, string>) =>
    app.inject({ method, url, headers: as(who), payload });
  const base = () => `/api/admissions/rounds/${round.id}`;

  it('publishes only after the draw, once, and then the results are there', async () => {
    const early = await call(staff, 'POST', `${base()}/publish`);
    expect(early.statusCode).toBe(400);
    expect(early.json()).toMatchObject({ code: 'admissions.draw_not_drawn' });
    expect((await call(staff, 'GET', `${base()}/results`)).json()).toMatchObject({
      code: 'admissions.results_not_published',
    });
    expect((await call(staff, 'POST', `${base()}/freeze`)).statusCode).toBe(200);
    expect((await call(staff, 'POST', `${base()}/draw`, { publicValue: PUBLIC_VALUE })).statusCode).toBe(200);
    const mine = (await call(family, 'GET', '/api/admissions/my/applications')).json().applications;
    const before = await call(family, 'GET', `/api/admissions/my/applications/${mine[0].id}/result`);
    expect(before.json()).toMatchObject({ published: false, next: 'pending' });
    expect(
      (await call(family, 'GET', `/api/admissions/my/rounds/${round.id}/draw/file`)).json(),
    ).toMatchObject({
      code: 'admissions.results_not_published',
    });
    expect((await call(family, 'GET', `/api/admissions/my/rounds/${round.id}/results`)).json()).toMatchObject(
      {
        code: 'admissions.results_not_published',
      },
    );
    // Another county's clerk does not see the round.
    expect((await call(elsewhere, 'POST', `${base()}/publish`)).statusCode).toBe(404);
    // The round lists say how far its draw has gone (the round itself stays `frozen`).
    const listed = async () =>
      (await call(staff, 'GET', '/api/admissions/rounds'))
        .json()
        .rounds.find((r: { id: number }) => r.id === round.id);
    expect(await listed()).toMatchObject({ status: 'frozen', drawStatus: 'drawn' });

    const published = await call(staff, 'POST', `${base()}/publish`);
    expect(published.statusCode, published.body).toBe(200);
    expect(published.json()).toMatchObject({ status: 'drawn', publishedBy: 'u_county_staff' });
    expect(published.json().publishedAt).toBeTruthy();
    expect((await call(staff, 'GET', `${base()}/draw`)).json().publishedAt).toBe(
      published.json().publishedAt,
    );
    expect((await call(staff, 'POST', `${base()}/publish`)).json()).toMatchObject({
      code: 'admissions.results_published',
    });
    expect(await listed()).toMatchObject({ drawStatus: 'published' });

    const results = (await call(staff, 'GET', `${base()}/results`)).json();
    expect(results.totals).toMatchObject({ applicants: 7, placed: 5, unplaced: 2 });
    const school = results.schools.find((s: { placed: number }) => s.placed === 2);
    const list = (await call(staff, 'GET', `${base()}/results/schools/${school.id}`)).json();
    expect(list.rows).toHaveLength(2);
    for (const r of list.rows) expect(r.childName).toMatch(/^张\*+$/);
    expect((await call(elsewhere, 'GET', `${base()}/results`)).statusCode).toBe(404);
  });

  it('gives a family its own result and why, and nobody else’s', async () => {
    const mine = (await call(family, 'GET', '/api/admissions/my/applications')).json().applications as {
      id: number;
      status: string;
    }[];
    const approved = mine.filter((a) => a.status === 'approved');
    expect(approved).toHaveLength(7);
    const results = await Promise.all(
      approved.map(async (a) =>
        (await call(family, 'GET', `/api/admissions/my/applications/${a.id}/result`)).json(),
      ),
    );
    const placed = results.filter((r) => r.placed);
    expect(placed).toHaveLength(5);
    for (const r of placed) {
      expect(r.school.name).toBeTruthy();
      expect(r.key).toMatch(/^[0-9a-f]{64}$/);
      expect(['choice', 'fallback', 'overflow']).toContain(r.by);
      expect(r.notice.childName).toMatch(/^张小/);
    }
    expect(results.filter((r) => r.next === 'unplaced')).toHaveLength(2);
    // The family can check the lottery itself: the published file, without anybody's name.
    const file = await call(family, 'GET', `/api/admissions/my/rounds/${round.id}/draw/file`);
    expect(file.statusCode).toBe(200);
    expect(verifyDraw(file.json())).toMatchObject({ ok: true });
    expect(file.body).not.toContain('张小');
    const other = await call(stranger, 'GET', `/api/admissions/my/applications/${approved[0].id}/result`);
    expect(other.statusCode).toBe(404);
    expect(other.body).not.toContain('张小');
    // A clerk reads results through the office routes, not a family's.
    expect(
      (await call(staff, 'GET', `/api/admissions/my/applications/${approved[0].id}/result`)).statusCode,
    ).toBe(403);
  });

  it('shows the families of the round the per-school results, masked; nobody else', async () => {
    const mine = `/api/admissions/my/rounds/${round.id}/results`;
    const res = await call(family, 'GET', mine);
    expect(res.statusCode, res.body).toBe(200);
    const office = (await call(staff, 'GET', `${base()}/results`)).json();
    const pub = res.json();
    // The same figures as the office's table: admitted, cutoff and seats left per school.
    expect(pub.schools).toEqual(
      office.schools.map((s: { id: number; placed: number; left: number }) =>
        expect.objectContaining({ id: s.id, admitted: s.placed, left: s.left }),
      ),
    );
    for (const s of pub.schools)
      expect(s.cutoff).toEqual(office.schools.find((o: { id: number }) => o.id === s.id).cutoff);
    const school = pub.schools.find((s: { admitted: number }) => s.admitted === 2);
    const list = (await call(family, 'GET', `${mine}/schools/${school.id}`)).json();
    const officeList = (await call(staff, 'GET', `${base()}/results/schools/${school.id}`)).json();
    expect(list.rows.map((r: { applicationNo: string }) => r.applicationNo)).toEqual(
      officeList.rows.map((r: { applicationNo: string }) => r.applicationNo),
    );
    for (const r of list.rows) {
      expect(r.applicationNo).toMatch(/^A\d{7}$/);
      expect(r.childName).toMatch(/^张\*+$/);
      expect(r).not.toHaveProperty('idNumber');
    }
    expect(JSON.stringify(list)).not.toContain('张小');
    // A parent without an application in the round, and a clerk, do not read it here.
    expect((await call(stranger, 'GET', mine)).statusCode).toBe(404);
    expect((await call(stranger, 'GET', `${mine}/schools/${school.id}`)).statusCode).toBe(404);
    expect((await call(staff, 'GET', mine)).statusCode).toBe(403);
  });

  it('exports the results and the queue as XLSX, masked and audited, in the language asked', async () => {
    const res = await call(staff, 'GET', `${base()}/results/export?lang=en`);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('spreadsheetml');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    expect(book.worksheets.map((w) => w.name)).toEqual(['Schools', 'Admitted']);
    expect(book.worksheets[1].rowCount).toBe(6);
    const queue = await call(staff, 'GET', `${base()}/queue/export`);
    expect(queue.statusCode).toBe(200);
    const qbook = new ExcelJS.Workbook();
    await qbook.xlsx.load(queue.rawPayload as unknown as ArrayBuffer);
    expect(qbook.worksheets[0].name).toBe('审核队列');
    expect(qbook.worksheets[0].getRow(1).getCell(1).value).toBe('报名号');
    expect(JSON.stringify(qbook.worksheets[0].getSheetValues())).not.toContain('张小');
    const audits = await t.store.db
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'in', ['export.admission_results', 'export.admission_queue'])
      .execute();
    expect(audits.map((a) => a.action).sort()).toEqual([
      'export.admission_queue',
      'export.admission_results',
    ]);
    expect((await call(elsewhere, 'GET', `${base()}/queue/export`)).statusCode).toBe(404);
  });
});
