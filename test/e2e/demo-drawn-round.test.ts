import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARENT_PHONE } from '../../src/demo/admissions.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import {
  chromiumAvailable,
  type E2eWorld,
  hasText,
  openE2eWorld,
  screenshot,
  seen,
  shown,
} from './support.ts';

/**
 * The demo as built, in real Chromium, nothing set up by the test: the junior round the demo drew and
 * published shows on the office's draw, results and appeals pages, and the demo family reads its
 * child's result on a phone, with the appeal window still open.
 */
describe.skipIf(!chromiumAvailable())('the demo drawn round in Chromium', () => {
  let w: E2eWorld;
  let store: Store;
  let roundId: number;
  let approved: number;
  let appealsClose: string;

  beforeAll(async () => {
    w = await openE2eWorld({ role: 'county_staff' });
    store = openStore({ dialect: 'sqlite', location: path.join(w.server.dir, 'e2e.sqlite') });
    const round = await store.db
      .selectFrom('admission_rounds')
      .select(['id', 'rules'])
      .where('stage', '=', 'junior')
      .executeTakeFirstOrThrow();
    roundId = round.id;
    appealsClose = JSON.parse(round.rules).schedule.appealsClose;
    approved = Number(
      (
        await store.db
          .selectFrom('admission_applications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('round_id', '=', roundId)
          .where('status', '=', 'approved')
          .executeTakeFirstOrThrow()
      ).n,
    );
  }, 240_000);

  afterAll(async () => {
    await store?.close();
    await w?.close();
  });

  it('the office reads the published draw, its results and the appeals', async () => {
    const page = w.page;
    await page.goto(`${w.url}/admissions/draw?round=${roundId}`);
    await hasText(page.getByTestId('published'), '已公布');
    await hasText(page.getByTestId('draw-public-value'), /^演示公开值 /);
    await hasText(page.getByTestId('draw-seed'), /^[0-9a-f]{64}$/);
    await shown(page.getByTestId('download-draw-file'));
    await page.getByTestId('results-tab').click();
    await hasText(page.getByTestId('results-applicants'), String(approved));
    await screenshot(page, 'demo-drawn-round-results');

    await page.goto(`${w.url}/admissions/appeals?round=${roundId}`);
    const counts = await seen(page.getByTestId('appeals-counts'));
    expect(counts).toMatch(/待处理 [1-9]\d* · 已同意 1 · 不予支持 1 · 已撤回 1/);
    await shown(page.locator('.ant-table-row', { hasText: '已同意' }));
    await shown(page.locator('.ant-table-row', { hasText: '不予支持' }));
    await screenshot(page, 'demo-drawn-round-appeals');
    expect(w.problems).toEqual([]);
  }, 120_000);

  it('the demo family reads its child’s result on a phone and may still appeal', async () => {
    const mine = await store.db
      .selectFrom('admission_applications')
      .innerJoin('users', 'users.id', 'admission_applications.parent_id')
      .select('admission_applications.id')
      .where('users.username', '=', DEMO_PARENT_PHONE)
      .where('admission_applications.round_id', '=', roundId)
      .executeTakeFirstOrThrow();
    const phone = await w.phone();
    const p = phone.page;
    await p.goto(`${w.url}/parent`);
    await p.getByTestId('parent-phone').fill(DEMO_PARENT_PHONE);
    await p.getByTestId('parent-password').fill(w.password);
    await p.getByTestId('parent-sign-in').click();
    await p.waitForURL(`${w.url}/parent/home`, { timeout: 60_000 });
    await p.goto(`${w.url}/parent/applications/${mine.id}`);
    await shown(p.getByTestId('result-card'));
    await hasText(p.getByTestId('result-by'), /第一志愿录取|后续志愿录取|统筹安排/);
    await hasText(p.getByTestId('appeal-window'), appealsClose);
    await shown(p.getByTestId('appeal-submit'));
    await screenshot(p, 'demo-drawn-round-parent');
    expect(phone.problems).toEqual([]);
    await phone.close();
  }, 120_000);
});
