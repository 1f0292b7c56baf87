import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARENT_PHONE } from '../../src/demo/admissions.ts';
import { openStore, type Store } from '../../src/store/db.ts';
import {
  chromiumAvailable,
  counted,
  type E2eWorld,
  hasText,
  openE2eWorld,
  screenshot,
  shown,
} from './support.ts';

/**
 * 各校录取结果 in real Chromium on a phone: the demo family, under its child's published result,
 * opens every school's results and its child's school's admitted list — application numbers and
 * masked names, the same count as the database holds.
 */
describe.skipIf(!chromiumAvailable())('per-school results for families in Chromium', () => {
  let w: E2eWorld;
  let store: Store;
  let mine: { id: number; result_school_id: number | null; child_name: string };
  let admitted: number;

  beforeAll(async () => {
    w = await openE2eWorld({ role: 'county_staff' });
    store = openStore({ dialect: 'sqlite', location: path.join(w.server.dir, 'e2e.sqlite') });
    const found = await store.db
      .selectFrom('admission_applications')
      .innerJoin('users', 'users.id', 'admission_applications.parent_id')
      .innerJoin('admission_rounds', 'admission_rounds.id', 'admission_applications.round_id')
      .select([
        'admission_applications.id',
        'admission_applications.result_school_id',
        'admission_applications.child_name',
        'admission_applications.round_id',
      ])
      .where('users.username', '=', DEMO_PARENT_PHONE)
      .where('admission_rounds.stage', '=', 'junior')
      .where('admission_applications.result_school_id', 'is not', null)
      .executeTakeFirstOrThrow();
    mine = found;
    admitted = Number(
      (
        await store.db
          .selectFrom('admission_applications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('round_id', '=', found.round_id)
          .where('result_school_id', '=', found.result_school_id)
          .executeTakeFirstOrThrow()
      ).n,
    );
  }, 240_000);

  afterAll(async () => {
    await store?.close();
    await w?.close();
  });

  it('the demo family reads every school’s results and its child’s school’s masked list', async () => {
    const phone = await w.phone();
    const p = phone.page;
    await p.goto(`${w.url}/parent`);
    await p.getByTestId('parent-phone').fill(DEMO_PARENT_PHONE);
    await p.getByTestId('parent-password').fill(w.password);
    await p.getByTestId('parent-sign-in').click();
    await p.waitForURL(`${w.url}/parent/home`, { timeout: 60_000 });
    await p.goto(`${w.url}/parent/applications/${mine.id}`);
    await shown(p.getByTestId('result-card'));
    await p.getByTestId('public-results-toggle').locator('summary').click();
    const table = p.getByTestId('public-results');
    const row = table.locator(`tr[data-row-key="${mine.result_school_id}"]`);
    await shown(row);
    // Columns: expand, school, admitted, cutoff, seats left.
    await hasText(row.locator('td').nth(2), String(admitted));
    await row.locator('.ant-table-row-expand-icon').click();
    const list = p.getByTestId(`public-admitted-${mine.result_school_id}`);
    // 50 to a page: the family's own number may be on a later one.
    await counted(list.locator('.ant-list-item'), Math.min(admitted, 50));
    const text = (await list.textContent()) ?? '';
    expect(text).toMatch(/A\d{7}/);
    // Names masked as in the office's lists: the family name, then stars.
    expect(text).toMatch(/\p{Script=Han}\*+/u);
    expect(text).not.toContain(mine.child_name);
    await screenshot(p, 'parent-school-results');
    expect(phone.problems).toEqual([]);
    await phone.close();
  }, 180_000);
});
