import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/server/contracts.ts';
import {
  chromiumAvailable,
  counted,
  type E2eWorld,
  hasText,
  openE2eWorld,
  screenshot,
  settled,
  shown,
} from './support.ts';

/**
 * The statistics office edits a county's target in real Chromium: a bad threshold is refused with
 * the server's message on the field, in the user's language; a good one replaces the preloaded
 * figure, and restoring brings it back. The county clerk sees the same table without the buttons.
 */
describe.skipIf(!chromiumAvailable())('indicator targets in Chromium', () => {
  let world: E2eWorld;
  let page: Page;

  beforeAll(async () => {
    world = await openE2eWorld();
    ({ page } = world);
  }, 180_000);

  afterAll(() => world?.close());

  /** The demo county clerk's county, as the server tells them. */
  async function clerkCounty(): Promise<string> {
    const me = await (await world.api('county_staff')).get<Me>('/api/auth/me');
    return me.regionCode!;
  }
  const gerRow = () => page.locator('tr.ant-table-row', { hasText: '学前三年毛入园率' });

  it('lets the statistics office set a target and restore the preloaded one', async () => {
    await world.signIn('city_statistics');
    await page.getByRole('menuitem', { name: '目标值' }).click();
    await page.waitForURL(/\/indicators\/targets/);
    const code = await clerkCounty();
    await page.goto(`${world.url}/indicators/targets?region=${code}&year=2023`);
    await hasText(gerRow(), '≥ 85%');
    await hasText(gerRow(), '预置');

    await gerRow().getByTestId('target-edit').click();
    const threshold = page.locator('.ant-modal input#threshold');
    await threshold.fill('120');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await hasText(page.locator('.ant-form-item-explain-error'), '百分比目标值应在 0 到 100 之间');
    await threshold.fill('88');
    await page.getByRole('button', { name: /保\s*存/ }).click();
    await hasText(gerRow(), '≥ 88%');
    await hasText(gerRow(), '已修改 · 2023');
    await hasText(gerRow(), '预置：≥ 85%');
    await screenshot(page, '20-indicator-targets');

    await gerRow().getByTestId('target-restore').click();
    const popconfirm = page.locator('.ant-popconfirm');
    await shown(popconfirm);
    await settled(popconfirm);
    await popconfirm.getByRole('button', { name: /确\s*定/ }).click();
    await hasText(gerRow(), '≥ 85%');
    await counted(page.getByTestId('target-restore'), 0);
  }, 60_000);

  it("shows the server's error in English after the switch", async () => {
    await page.getByTestId('lang-switch').click();
    const row = page.locator('tr.ant-table-row', { hasText: 'Gross pre-school enrolment rate' });
    await row.getByTestId('target-edit').click();
    await page.locator('.ant-modal input#threshold').fill('150');
    await page.getByRole('button', { name: /Save/ }).click();
    await hasText(
      page.locator('.ant-form-item-explain-error'),
      'a percent threshold must be between 0 and 100',
    );
    await page.getByRole('button', { name: /Cancel/ }).click();
    await page.getByTestId('lang-switch').click();
  }, 60_000);

  it('shows the county clerk the targets without edit buttons, and a school why it has none', async () => {
    await world.signIn('county_staff');
    await page.goto(`${world.url}/indicators/targets`);
    await shown(page.locator('tr.ant-table-row').first());
    await counted(page.getByTestId('target-edit'), 0);
    await world.signIn('school_staff');
    await page.goto(`${world.url}/indicators/targets`);
    await hasText(page.locator('.ant-card'), '目标值按区划设定');
    // The browser logs the two refused edits (400); nothing else may go wrong.
    const refused = world.problems.filter((p) => p.includes('status of 400 (Bad Request)'));
    expect(refused).toHaveLength(2);
    expect(world.problems.filter((p) => !refused.includes(p))).toEqual([]);
  }, 60_000);
});
