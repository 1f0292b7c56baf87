import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me } from '../../src/server/contracts.ts';
import type { IndicatorChildrenView, IndicatorRegionView } from '../../src/server/indicator-contracts.ts';
import {
  chromiumAvailable,
  counted,
  type E2eWorld,
  hasText,
  openE2eWorld,
  screenshot,
  seen,
  shown,
} from './support.ts';

/**
 * The indicator pages in real Chromium over the small demo city: the statistics office opens the
 * dashboard (a card per indicator and stage, the definition on hover), the county comparison, drills
 * down to a school and opens the records behind a figure, then the pupils behind it (masked); the
 * county clerk sees only their county; the dashboard fits a phone.
 */
describe.skipIf(!chromiumAvailable())('indicator pages in Chromium', () => {
  let world: E2eWorld;
  let page: Page;
  const cards = () => page.locator('.ant-card[data-testid^="card-"]');

  beforeAll(async () => {
    world = await openE2eWorld();
    ({ page } = world);
  }, 180_000);

  afterAll(() => world?.close());

  it('shows the statistics office a card per indicator, with the definition on hover', async () => {
    await world.signIn('city_statistics');
    await page.getByRole('menuitem', { name: '指标概览' }).click();
    await page.waitForURL(/\/indicators$/);
    const api = await world.api('city_statistics');
    const view = await api.get<IndicatorRegionView>('/api/indicators');
    await counted(cards(), view.figures.length);
    expect(view.figures.length).toBe(21);
    await hasText(page.locator('h3').first(), '统计指标');
    const ger = view.figures.find((f) => f.id === 'preschool_ger')!;
    const card = page.getByTestId('card-preschool_ger');
    await hasText(card, `${ger.value!.toFixed(2)}%`);
    await hasText(card, '≥');
    await shown(card.getByTestId('card-status'));
    await card.getByTestId('card-value').hover();
    const details = page.getByTestId('figure-details');
    await hasText(details, '公式');
    await hasText(details, '3–5 周岁人口');
    await shown(card.getByTestId('card-trend'));
    await page.waitForTimeout(600); // the trend lines finish drawing
    await screenshot(page, '20-indicators-dashboard');
  });

  it('ranks the counties by an indicator, with the target line', async () => {
    await page.getByRole('menuitem', { name: '县区对比' }).click();
    await page.waitForURL(/\/indicators\/compare/);
    const api = await world.api('city_statistics');
    const children = await api.get<IndicatorChildrenView>('/api/indicators/children');
    const table = page.getByTestId('compare-table');
    await counted(table.locator('tbody tr.ant-table-row'), children.children.length);
    await shown(page.getByTestId('compare-chart'));
    await page.getByTestId('compare-indicator').click();
    await page.keyboard.type('大班额比例（小学');
    await page.keyboard.press('Enter');
    await page.waitForURL(/indicator=large_class_share%3Aprimary|indicator=large_class_share:primary/);
    await hasText(page.locator('.ant-card-head-title').first(), '大班额比例（小学）');
    await page.waitForTimeout(600);
    await screenshot(page, '21-indicators-compare');
  });

  it('drills down from a county to a school and opens the records behind a figure', async () => {
    const table = page.getByTestId('compare-table');
    const county = await seen(table.locator('tbody tr.ant-table-row').first().locator('td:nth-child(2)'));
    await table.locator('tbody tr.ant-table-row').first().getByRole('button').first().click();
    await page.waitForURL(/\/indicators\/drill/);
    await hasText(page.getByTestId('drill-current'), county.trim());
    await hasText(page.getByTestId('drill-breadcrumb'), '商丘市');
    await page.getByTestId('drill-open').first().click(); // a township
    await hasText(page.locator('.ant-card-head-title').first(), '学校');
    const primary = page.getByTestId('drill-open').filter({ hasText: '小学' }).first();
    const schoolName = (await seen(primary)).trim();
    await primary.click(); // a primary school
    await hasText(page.getByTestId('drill-current'), schoolName);
    await hasText(page.getByTestId('indicator-region'), schoolName);
    await screenshot(page, '22-indicators-drill-school');

    // One click from the school's after-school figure to the census rows behind it.
    await page.getByTestId('drill-value-after_school_participation').first().click();
    const records = page.getByTestId('records-table');
    await shown(records.locator('tbody tr.ant-table-row'));
    await hasText(page.locator('.ant-drawer-title'), schoolName);
    await hasText(records.locator('thead'), '参加课后服务');
    await screenshot(page, '23-indicators-records');

    // The pupils behind it, from the register: masked for the statistics office, and audited.
    await page.getByTestId('records-source').getByText('学籍名册中的学生').click();
    await hasText(page.locator('.ant-drawer-body .ant-alert'), '已按权限脱敏');
    await hasText(records.locator('thead'), '姓名');
    const name = await seen(records.locator('tbody tr.ant-table-row').first().locator('td:nth-child(2)'));
    expect(name).toContain('*');
    await screenshot(page, '24-indicators-register');
    const download = page.waitForEvent('download');
    await page.getByTestId('records-export').click();
    expect((await download).suggestedFilename()).toMatch(/\.xlsx$/);
    await page.keyboard.press('Escape');
  });

  it('keeps the county clerk to their county', async () => {
    await world.signIn('county_staff');
    const api = await world.api('county_staff');
    const me = await api.get<Me>('/api/auth/me');
    await page.goto(`${world.url}/indicators`);
    await counted(cards(), 21);
    await hasText(page.getByTestId('page-sub'), me.regionName!);
    await page.goto(`${world.url}/indicators/compare`);
    await hasText(page.locator('.ant-card-head-title').first(), '学前三年毛入园率');
    const rows = page.getByTestId('compare-table').locator('tbody tr.ant-table-row');
    await shown(rows);
    // The clerk's comparison is their townships (codes of their county), not the city's counties.
    const children = await api.get<IndicatorChildrenView>('/api/indicators/children');
    expect(children.childLevel).toBe('township');
    expect(children.children.every((c) => c.region.countyCode === me.regionCode)).toBe(true);
    await counted(rows, children.children.length);
    const other = me.regionCode === '411402' ? '411423' : '411402';
    await page.goto(`${world.url}/indicators?region=${other}`);
    await shown(page.getByText('找不到该记录，或不在你的权限范围内'));
    await screenshot(page, '25-indicators-clerk-other-county');
    expect(world.problems).toEqual([]);
  });

  it('fits a phone', async () => {
    const phone = await world.phone('city_statistics');
    const p = phone.page;
    await p.goto(`${world.url}/indicators`);
    await counted(p.locator('.ant-card[data-testid^="card-"]'), 21);
    await p.waitForTimeout(600);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, '26-phone-indicators');
    await p.goto(`${world.url}/indicators/drill`);
    await shown(p.getByTestId('drill-table'));
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, '27-phone-indicators-drill');
    await phone.close();
    expect(phone.problems).toEqual([]);
  });
});
