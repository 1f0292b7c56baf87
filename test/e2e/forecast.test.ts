import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BalanceView, RunList } from '../../src/server/forecast-contracts.ts';
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
 * The forecast pages in real Chromium over the small demo city: the planning office starts two runs
 * (the default and a one-year window), reads the flagged areas by severity, opens an area's chart,
 * the shortfall map and the comparison of the two runs, exports, and switches to English; the
 * pages fit a phone; the county clerk sees only their county's runs.
 */
describe.skipIf(!chromiumAvailable())('forecast pages in Chromium', () => {
  let world: E2eWorld;
  let page: Page;
  let runIds: number[] = [];

  beforeAll(async () => {
    world = await openE2eWorld();
    ({ page } = world);
  }, 180_000);

  afterAll(() => world?.close());

  /** A building project for 梁园区's junior schools, imported as the bureau would (dry run, then confirm). */
  async function importProject(role: string) {
    const api = await world.api(role);
    const form = new FormData();
    const csv =
      'code,name,region_code,school_code,stage,seats,delivery_year,status\n' +
      'XM-E2E,梁园区新建初级中学（示例）,411402,,初中,1500,2028,在建\n';
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'projects.csv');
    const check = await api.post('/api/imports/projects', form);
    const report = (await check.json()) as { uploadId: string; errorCount: number };
    expect(report.errorCount, JSON.stringify(report)).toBe(0);
    const done = await api.post(`/api/imports/uploads/${report.uploadId}/confirm`);
    expect(done.status).toBe(200);
  }

  async function startRun(name: string, window?: number) {
    await page.getByRole('menuitem', { name: '新建预测' }).click();
    await page.waitForURL(/\/forecast\/new$/);
    await page.getByTestId('run-name').fill(name);
    if (window !== undefined) {
      const input = page.getByLabel('平均窗口（年）');
      await input.fill(String(window));
    }
    await page.getByTestId('run-submit').click();
    await page.waitForURL(/\/forecast\/runs\/\d+$/);
    return Number(page.url().match(/runs\/(\d+)$/)![1]);
  }

  it('lets the planning office start a run and read the flagged areas by severity', async () => {
    await world.signIn('city_planning');
    await importProject('city_planning');
    await page.getByRole('menuitem', { name: '预测方案' }).click();
    await page.waitForURL(/\/forecast$/);
    await hasText(page.locator('.ant-empty'), '还没有预测方案');
    await screenshot(page, '30-forecast-runs-empty');

    const base = await startRun('基准');
    const table = page.getByTestId('flags-table');
    const api = await world.api('city_planning');
    const view = await api.get<BalanceView>(`/api/forecast/runs/${base}/balance?flagged=1`);
    expect(view.run).toMatchObject({ name: '基准', regionCode: '411400', areaLevel: 'county' });
    expect(view.flags.length).toBeGreaterThan(0);
    await counted(table.locator('tbody tr.ant-table-row'), view.flags.length);
    // Most severe first, as the server sorts them, with the flags in words.
    const first = table.locator('tbody tr.ant-table-row').first();
    await hasText(first, view.flags[0]!.name);
    await hasText(first, view.flags[0]!.severity.toFixed(1));
    await hasText(table, /缺口|大班额风险|持续富余/);
    await hasText(table, '需求峰值');
    await screenshot(page, '31-forecast-flags');

    const second = await startRun('窗口1年', 1);
    runIds = [base, second];
    const list = await api.get<RunList>('/api/forecast/runs');
    expect(list.runs.map((r) => r.name)).toEqual(['窗口1年', '基准']);
  });

  it('opens an area: demand against seats per stage, the interval shaded, the flags explained', async () => {
    await page.goto(`${world.url}/forecast/runs/${runIds[0]}`);
    const row = page.getByTestId('flags-table').locator('tbody tr.ant-table-row').first();
    const areaName = (await seen(row.locator('td:nth-child(3)'))).trim();
    await row.click();
    await page.waitForURL(/\/areas\/\d+$/);
    await shown(page.getByRole('heading', { name: `${areaName} · 学位供需` }));
    for (const stage of ['kindergarten', 'primary', 'junior', 'senior'])
      await shown(page.getByTestId(`chart-${stage}`).locator('canvas'));
    await hasText(page.getByTestId('stage-primary'), '80% 区间');
    await hasText(page.getByTestId('stage-primary'), '项目交付');
    await hasText(page.getByTestId('stage-primary'), '需求峰值');
    await page.waitForTimeout(800); // the lines finish drawing
    await screenshot(page, '32-forecast-area');

    const download = page.waitForEvent('download');
    await page.getByTestId('view-export').click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/\.xlsx$/);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile((await file.path())!);
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toBe('方案对比');
    expect(String(sheet.getRow(1).getCell(5).value)).toBe('基准：在校生');
    expect(String(sheet.getRow(2).getCell(2).value)).toBe(areaName);

    // The project's seats count from its delivery year: a pin on the junior seats line, in words below.
    await page.goto(`${world.url}/forecast/runs/${runIds[0]}/areas/411402`);
    const junior = page.getByTestId('stage-junior');
    await hasText(junior, '梁园区新建初级中学（示例）：2028 年交付 1,500 个学位（在建）');
    await shown(page.getByTestId('chart-junior').locator('canvas'));
    await page.waitForTimeout(800);
    await screenshot(page, '32b-forecast-area-delivery');
  });

  it('colours the map by shortfall or surplus for a chosen year and stage, marked schematic', async () => {
    await page.getByTestId('run-views').getByText('供需地图').click();
    await page.waitForURL(/\/map$/);
    await shown(page.getByTestId('forecast-map').locator('canvas'));
    await shown(page.getByTestId('schematic-badge'));
    await page.getByTestId('map-stage').click();
    await page.getByTitle('初中').click();
    await page.waitForURL(/stage=junior/);
    await hasText(page.getByTestId('page-sub').filter({ hasText: '学位富余' }), '初中');
    await page.waitForTimeout(800);
    await screenshot(page, '33-forecast-map');
  });

  it('compares the two runs side by side and exports the comparison', async () => {
    await page.getByRole('menuitem', { name: '预测方案' }).click();
    await page.waitForURL(/\/forecast$/);
    const runs = page.getByTestId('runs-table');
    await counted(runs.locator('tbody tr.ant-table-row'), 2);
    for (const r of await runs.locator('tbody tr.ant-table-row .ant-checkbox-input').all()) await r.check();
    await page.getByTestId('compare-selected').click();
    await page.waitForURL(/\/forecast\/compare\?runs=/);
    const table = page.getByTestId('compare-table');
    await hasText(table.locator('thead'), '基准');
    await hasText(table.locator('thead'), '窗口1年');
    // The base year and ten years ahead.
    await counted(table.locator('tbody tr.ant-table-row'), 11);
    await shown(page.getByTestId('compare-chart').locator('canvas'));
    await page.waitForTimeout(800);
    await screenshot(page, '34-forecast-compare');
    const download = page.waitForEvent('download');
    await page.getByTestId('view-export').click();
    expect((await download).suggestedFilename()).toMatch(/^方案对比.*\.xlsx$/);
  });

  it('switches the forecast pages to English', async () => {
    await page.goto(`${world.url}/forecast/runs/${runIds[0]}`);
    await page.getByTestId('lang-switch').click();
    await shown(page.getByRole('heading', { name: 'Flagged areas' }));
    await hasText(page.getByTestId('flags-table'), 'Demand peaks');
    await hasText(page.getByTestId('module-menu'), 'Compare runs');
    await screenshot(page, '35-forecast-flags-en');
    await page.getByTestId('lang-switch').click();
    await shown(page.getByRole('heading', { name: '预警区域' }));
    expect(world.problems).toEqual([]);
  });

  it('fits a phone', async () => {
    const phone = await world.phone('city_planning');
    const p = phone.page;
    for (const [path, testId, shot] of [
      [`/forecast/runs/${runIds[0]}`, 'flags-table', '36-phone-forecast-flags'],
      [`/forecast/runs/${runIds[0]}/areas/411402`, 'chart-primary', '37-phone-forecast-area'],
      [`/forecast/compare?runs=${runIds.join(',')}`, 'compare-table', '38-phone-forecast-compare'],
    ] as const) {
      await p.goto(`${world.url}${path}`);
      await shown(p.getByTestId(testId));
      await p.waitForTimeout(600);
      expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
      await screenshot(p, shot);
    }
    await phone.close();
    expect(phone.problems).toEqual([]);
  });

  it('keeps the county clerk to their county', async () => {
    await world.signIn('county_staff');
    await page.getByRole('menuitem', { name: '预测方案' }).click();
    await page.waitForURL(/\/forecast$/);
    // The city's runs are the city's: the clerk starts one for their own county, by township.
    await hasText(page.locator('.ant-empty'), '还没有预测方案');
    const own = await startRun('本县乡镇');
    const api = await world.api('county_staff');
    const view = await api.get<BalanceView>(`/api/forecast/runs/${own}/balance`);
    expect(view.run.areaLevel).toBe('township');
    expect(view.areas.every((a) => a.id.startsWith(view.run.regionCode))).toBe(true);
    // A name already used in the region is said under the name, and nothing is saved.
    await page.getByRole('menuitem', { name: '新建预测' }).click();
    await page.getByTestId('run-name').fill('本县乡镇');
    await page.getByTestId('run-submit').click();
    await hasText(page.locator('.ant-form-item-explain-error'), '已有名为“本县乡镇”');
    await page.goto(`${world.url}/forecast/runs/${own}/map`);
    await shown(page.getByTestId('forecast-map').locator('canvas'));
    await page.waitForTimeout(800);
    await screenshot(page, '39-forecast-clerk-map');
    await page.goto(`${world.url}/forecast`);
    await counted(page.getByTestId('runs-table').locator('tbody tr.ant-table-row'), 1);
    await page.goto(`${world.url}/forecast/runs/${runIds[0]}`);
    await shown(page.getByText('找不到该记录，或不在你的权限范围内'));
    await page.goto(`${world.url}/forecast/compare?runs=${own},${runIds[0]}`);
    await shown(page.getByText('找不到该记录，或不在你的权限范围内'));
    await screenshot(page, '40-forecast-clerk-other-run');
    // The browser logs the taken name's 409 above; nothing else.
    expect(world.problems.filter((p) => !/status of 409/.test(p))).toEqual([]);
  });
});
