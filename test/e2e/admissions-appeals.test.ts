import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitApplication } from '../../src/admissions/applications.ts';
import { addDocument } from '../../src/admissions/documents.ts';
import { freezeDraw, runDraw } from '../../src/admissions/draw.ts';
import { publishResults, seatsLeftBySchool } from '../../src/admissions/results.ts';
import {
  closeRound,
  getRound,
  type Round,
  roundCatchments,
  roundSchools,
} from '../../src/admissions/rounds.ts';
import { decideApplication } from '../../src/admissions/verification.ts';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import {
  choose,
  chromiumAvailable,
  type E2eWorld,
  hasText,
  openE2eWorld,
  screenshot,
  seen,
  shown,
} from './support.ts';

const DEMO_PARENT = '13800138000';
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.alloc(2000, 1)]);
const bureau = { userId: null, username: 'e2e-office', role: 'city_admissions', ip: '127.0.0.1' };

/**
 * Appeals 申诉 in real Chromium. Set up through the store on the server's own database: the demo
 * family applies, is verified, and the demo round is closed, frozen, drawn and published. Then the
 * family appeals on a phone-sized page, the county clerk grants it into a school with seats left
 * (the seats the round reserved for appeals), and the family reads the decision.
 */
describe.skipIf(!chromiumAvailable())('admissions appeals in Chromium', () => {
  let world: E2eWorld;
  let store: Store;
  let round: Round;
  let applicationId: number;
  let applicationNo: string;
  let returnedId: number;
  let grantSchool: { id: number; name: string; left: number };
  let phone: { page: Page; problems: string[]; close(): Promise<void> };

  beforeAll(async () => {
    world = await openE2eWorld();
    store = openStore({ dialect: 'sqlite', location: path.join(world.server.dir, 'e2e.sqlite') });
    const db = store.db;
    const open = (
      await db
        .selectFrom('admission_rounds')
        .select('id')
        .where('status', '=', 'open')
        .executeTakeFirstOrThrow()
    ).id;
    const draft = await getRound(db, open);
    const parent = await db
      .selectFrom('users')
      .select('id')
      .where('username', '=', DEMO_PARENT)
      .executeTakeFirstOrThrow();
    const family = { userId: parent.id, username: DEMO_PARENT, role: 'parent', ip: null };
    const [community] = await roundCatchments(db, draft);
    /** One child of the family (ID sequence `seq`), applying to the community's first school. */
    const apply = (key: string, seq: number, name: string) =>
      submitApplication(db, family, draft, key, {
        child: { idNumber: makeIdNumber('411490', draft.parsedRules.ageWindow.bornFrom, seq), name },
        communityCode: community.code,
        facts: { localHukou: true, hukouAtProperty: true, hasProperty: true, residencePermit: false },
        propertyNo: '豫(2024)商丘市不动产权第0977977号',
        guardian: { name: '赵大河', relation: 'mother' },
        consent: true,
        category: 'hukou_property',
        choices: [community.schoolIds[0]],
      });
    const { application } = await apply('e2e-appeal', 977, '赵小禾');
    for (const d of ['hukou_book', 'property_deed', 'birth_certificate'])
      await addDocument(db, { dir: null }, family, draft, application, d, JPEG);
    await decideApplication(db, bureau, draft, application, {
      decision: 'approve',
      category: 'hukou_property',
    });
    applicationId = application.id;
    applicationNo = `A${String(application.id).padStart(7, '0')}`;
    // A second child of the family, returned by the clerk and never verified: not in the draw.
    const second = await apply('e2e-appeal-returned', 978, '赵小苗');
    await decideApplication(db, bureau, draft, second.application, {
      decision: 'return',
      reason: '缺少出生医学证明照片',
    });
    returnedId = second.application.id;
    await closeRound(db, bureau, draft);
    await freezeDraw(db, bureau, await getRound(db, open));
    round = await getRound(db, open);
    await runDraw(db, bureau, round, '2026-08-08 福彩3D 第2026210期 7 7 3');
    await publishResults(db, bureau, round);
    const placedAt = (
      await db
        .selectFrom('admission_applications')
        .select('result_school_id')
        .where('id', '=', applicationId)
        .executeTakeFirstOrThrow()
    ).result_school_id;
    const seats = await seatsLeftBySchool(db, round);
    const schools = await roundSchools(db, round, round.parsedRules);
    const s = schools.find((x) => x.id !== placedAt && (seats.get(x.id)?.left ?? 0) > 0);
    if (!s) throw new Error('the published demo round has no school with seats left');
    grantSchool = { id: s.id, name: s.name, left: seats.get(s.id)!.left };
    phone = await world.phone();
  }, 240_000);

  afterAll(async () => {
    await phone?.close();
    await store?.close();
    await world?.close();
  });

  it('the family appeals on a phone-sized page', async () => {
    const p = phone.page;
    await p.goto(`${world.url}/parent`);
    await p.getByTestId('parent-phone').fill(DEMO_PARENT);
    await p.getByTestId('parent-password').fill(world.password);
    await p.getByTestId('parent-sign-in').click();
    await p.waitForURL(`${world.url}/parent/home`);
    await p.goto(`${world.url}/parent/applications/${applicationId}`);
    await hasText(p.getByTestId('appeal-window'), round.parsedRules.schedule.appealsClose);
    // An empty reason is refused, naming what is missing, in Chinese.
    await p.getByTestId('appeal-submit').click();
    await hasText(p.getByTestId('appeal-error'), '请写明申诉理由');
    await p.getByTestId('appeal-reason').fill('孩子患有哮喘，需就近入学，附医院证明');
    await choose(p.getByTestId('appeal-school'), grantSchool.name);
    await p.getByTestId('appeal-submit').click();
    await hasText(p.getByTestId('appeal-status'), '待处理');
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, 'appeals-parent-submitted');
  }, 120_000);

  it('offers no appeal for the returned application, and says why', async () => {
    const p = phone.page;
    await p.goto(`${world.url}/parent/applications/${returnedId}`);
    await hasText(p.getByTestId('appeal-not-in-draw'), '未参加派位');
    expect(await p.getByTestId('appeal-submit').count()).toBe(0);
    expect(await p.getByTestId('appeal-reason').count()).toBe(0);
  }, 60_000);

  it('the clerk opens it (audited) and grants it into a school with seats left', async () => {
    const page = world.page;
    await world.signIn('county_staff');
    await page.goto(`${world.url}/admissions/appeals?round=${round.id}`);
    await page.getByTestId(`open-appeal-${applicationNo}`).click();
    await hasText(page.getByTestId('appeal-detail-reason'), '孩子患有哮喘');
    // The list masks the name; the single view shows it and is audited.
    await shown(page.locator('.ant-table-row', { hasText: '赵*' }));
    await hasText(page.locator('.ant-drawer'), '赵小禾');
    await hasText(page.getByTestId('appeal-grant-school'), `${grantSchool.name}（剩余 ${grantSchool.left}）`);
    await page.getByTestId('appeal-decision-input').fill('经核实病历，使用申诉预留学位安排');
    await page.getByTestId('appeal-grant').click();
    await shown(page.locator('.ant-table-row', { hasText: '已同意' }));
    await screenshot(page, 'appeals-office-granted');
    const read = await store.db
      .selectFrom('audit_log')
      .select('username')
      .where('action', '=', 'admissions.appeal_read')
      .execute();
    expect(read.map((r) => r.username)).toEqual([world.account('county_staff').username]);
    const app = await store.db
      .selectFrom('admission_applications')
      .select(['result_school_id', 'result_by'])
      .where('id', '=', applicationId)
      .executeTakeFirstOrThrow();
    expect(app).toEqual({ result_school_id: grantSchool.id, result_by: 'appeal' });
    expect(world.problems).toEqual([]);
  }, 120_000);

  it('the family reads the decision', async () => {
    const p = phone.page;
    await p.goto(`${world.url}/parent/applications/${applicationId}`);
    await hasText(p.getByTestId('appeal-status'), '已同意');
    await hasText(p.getByTestId('appeal-decision'), grantSchool.name);
    expect(await seen(p.getByTestId('appeal-decision-reason'))).toContain('经核实病历，使用申诉预留学位安排');
    await screenshot(p, 'appeals-parent-granted');
    // The one refusal the family met (the empty reason) is the only failed request.
    expect(phone.problems).toEqual([expect.stringContaining('status of 400')]);
  }, 60_000);
});
