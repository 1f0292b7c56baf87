import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import ExcelJS from 'exceljs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Me, SchoolDetail, SchoolList } from '../../src/server/contracts.ts';
import {
  choose,
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
 * The county clerk's day in real Chromium against the real server and the small demo city: sign in
 * with the demo account the sign-in page offers, see only their county, filter and open a school,
 * see the map, import a file with a bad row, read the error, fix it and import, export the list,
 * switch the language. Screenshots of the main pages go to test/e2e/artifacts/.
 */
describe.skipIf(!chromiumAvailable())('web app in Chromium (county clerk)', () => {
  let world: E2eWorld;
  let page: Page;
  let clerk: { username: string; password: string; me: Me };
  const firstPageScripts = new Map<string, number>();
  const rows = (table: Locator, column: number) =>
    table.locator(`tbody tr.ant-table-row td:nth-child(${column})`);

  beforeAll(async () => {
    world = await openE2eWorld();
    ({ page } = world);
    const { me } = await world.api('county_staff');
    clerk = { username: world.account('county_staff').username, password: world.password, me };
    page.on('response', async (r) => {
      if (r.request().resourceType() !== 'script') return;
      try {
        firstPageScripts.set(r.url(), gzipSync(await r.body()).length);
      } catch {
        // a navigation away can cancel a body; the size check below reads the map when it is quiet
      }
    });
  }, 180_000);

  afterAll(() => world?.close());

  it('offers the demo accounts on the sign-in page and signs the county clerk in', async () => {
    await page.goto(`${world.url}/`);
    await page.waitForURL(/\/login/);
    const accounts = page.getByTestId('demo-accounts');
    await shown(accounts.getByText(world.password));
    await counted(accounts.getByText(clerk.username, { exact: true }), 1);
    await screenshot(page, '01-sign-in');
    const signInJs = [...firstPageScripts.values()].reduce((a, b) => a + b, 0);
    console.log(`sign-in page: ${firstPageScripts.size} scripts, ${(signInJs / 1024).toFixed(1)} KB gzip`);
    expect(signInJs).toBeLessThanOrEqual(600 * 1024);

    await page.getByTestId(`fill-${clerk.username}`).click();
    expect(await page.getByLabel('用户名').inputValue()).toBe(clerk.username);
    await page.getByRole('button', { name: /登\s*录/ }).click();
    await page.waitForURL(`${world.url}/`);
    await shown(page.getByRole('heading', { name: '概览' }));
    await hasText(page.getByTestId('total-schools'), '所');
    await page.waitForTimeout(600); // charts finish their entry animation
    await screenshot(page, '02-dashboard');

    // The signed-in first page, loaded afresh (no cache): layout, dashboard and its charts.
    const fresh = await world.browser.newContext({ storageState: await world.context.storageState() });
    const p = await fresh.newPage();
    const scripts = new Map<string, number>();
    p.on('response', async (r) => {
      if (r.request().resourceType() === 'script') scripts.set(r.url(), gzipSync(await r.body()).length);
    });
    await p.goto(`${world.url}/`, { waitUntil: 'networkidle' });
    await shown(p.getByTestId('total-schools'));
    const dashboardJs = [...scripts.values()].reduce((a, b) => a + b, 0);
    console.log(
      `dashboard as first page: ${scripts.size} scripts, ${(dashboardJs / 1024).toFixed(1)} KB gzip`,
    );
    expect(dashboardJs).toBeLessThanOrEqual(600 * 1024);
    await fresh.close();
  });

  it('shows the clerk only the modules and the county they may see', async () => {
    const menu = page.getByTestId('module-menu');
    for (const label of ['概览', '行政区划', '学校名录', '学校地图', '数据导入']) await hasText(menu, label);
    expect(await seen(menu)).not.toContain('用户管理');
    expect(await seen(menu)).not.toContain('审计日志');
    // One county in scope: no county filter anywhere, and the list holds that county's schools only.
    await counted(page.getByTestId('county-select'), 0);
    await page.goto(`${world.url}/regions`);
    await hasText(page.getByTestId('region-tree'), clerk.me.regionName!);
    await screenshot(page, '03-regions');

    // A school of another county is "not found", not shown.
    const city = await world.api('city_admin');
    const other = await city.get<SchoolList>('/api/schools?pageSize=200');
    const foreign = other.rows.find((r) => r.countyCode !== clerk.me.regionCode);
    expect(foreign, 'the demo city has schools in another county').toBeDefined();
    await page.goto(`${world.url}/schools/${foreign!.id}`);
    await shown(page.getByText('找不到该记录，或不在你的权限范围内'));
    await counted(page.getByText(foreign!.name), 0);
  });

  it('filters the school list, sorts it, and opens a school', async () => {
    await page.goto(`${world.url}/schools`);
    const table = page.getByTestId('school-table');
    await shown(table.locator('tbody tr.ant-table-row'));
    const counties = await rows(table, 3).allInnerTexts();
    expect(new Set(counties)).toEqual(new Set([clerk.me.regionName]));

    await choose(page.getByTestId('filter-schoolType'), '小学');
    await page.waitForURL(/schoolType=primary/);
    await expect.poll(async () => new Set(await rows(table, 4).allInnerTexts())).toEqual(new Set(['小学']));
    // Each click must land before the next: on a busy machine a second click can meet the old header.
    const pupilsHeader = table.getByRole('columnheader', { name: '在校生' });
    await pupilsHeader.click(); // ascending
    await page.waitForURL(/sort=pupils/);
    // The address changes before the header renders its new state: click again only once it shows it.
    await expect.poll(() => pupilsHeader.getAttribute('aria-sort'), { timeout: 15_000 }).toBe('ascending');
    await pupilsHeader.click(); // descending
    await page.waitForURL(/sort=pupils&order=desc/);
    await expect
      .poll(async () => {
        const pupils = (await rows(table, 7).allInnerTexts()).map((s) => Number(s.replace(/,/g, '')));
        return pupils.length > 1 && pupils.every((p, i) => i === 0 || pupils[i - 1] >= p);
      })
      .toBe(true);
    await screenshot(page, '04-schools');

    const first = table.locator('tbody tr.ant-table-row').first().getByRole('link');
    const name = await seen(first);
    await first.click();
    await shown(page.getByRole('heading', { name }));
    await hasText(page.getByTestId('school-profile'), clerk.me.regionName!);
    await hasText(page.getByTestId('school-capacity'), '学位数');
    await hasText(page.getByTestId('school-classes'), '大班额');
    await page.waitForTimeout(600);
    await screenshot(page, '05-school');

    // A school with large classes (56–65) shows them highlighted, and can show only them.
    const session = await world.api('county_staff');
    const list = await session.get<SchoolList>('/api/schools?pageSize=200&sort=pupils&order=desc');
    let crowded: SchoolDetail | undefined;
    for (const r of list.rows) {
      const d = await session.get<SchoolDetail>(`/api/schools/${r.id}`);
      if (d.classes.rows.some((c) => c.band === 'large' || c.band === 'super_large')) {
        crowded = d;
        break;
      }
    }
    expect(crowded, 'the demo county has a school with large classes').toBeDefined();
    await page.goto(`${world.url}/schools/${crowded!.id}`);
    const classes = page.getByTestId('school-classes');
    await hasText(classes, '大班额');
    await classes.getByRole('switch').click();
    const bands = await classes.locator('[data-band]').evaluateAll((tags) =>
      tags.map((t) => ({
        band: t.getAttribute('data-band'),
        background: getComputedStyle(t.closest('tr')!).backgroundColor,
      })),
    );
    const large = crowded!.classes.rows.filter((c) => c.band === 'large' || c.band === 'super_large').length;
    expect(bands.length).toBe(Math.min(large, 30));
    for (const b of bands) {
      expect(['large', 'super_large']).toContain(b.band);
      expect(b.background).not.toBe('rgba(0, 0, 0, 0)');
    }
    await screenshot(page, '05b-school-large-classes');
  });

  it('draws the map of the county from the bureau outlines, with no outside request', async () => {
    await page.goto(`${world.url}/map`);
    const map = page.getByTestId('school-map');
    await counted(map.locator('canvas'), 1);
    await shown(page.getByText(/共 \d+ 所学校有坐标/));
    const data = (await (await page.request.get(`${world.url}/api/map`)).json()) as {
      schools: { id: number; schoolType: string }[];
      outlines: { schematic: boolean };
    };
    if (data.outlines.schematic) await hasText(page.getByTestId('schematic-badge'), '示意图');
    await page.waitForTimeout(800); // the points' entry animation
    await screenshot(page, '06-map');

    // Click a senior secondary school's dot (the only red-orange one, #e8684a): its page opens.
    const seniors = data.schools.filter((s) => s.schoolType === 'senior').map((s) => s.id);
    expect(seniors.length, 'the demo county has a senior secondary school').toBeGreaterThan(0);
    const box = (await map.boundingBox())!;
    const spot = await map.locator('canvas').evaluate((canvas: HTMLCanvasElement) => {
      const ctx = canvas.getContext('2d')!;
      const { width, height } = canvas;
      const px = ctx.getImageData(0, 0, width, height).data;
      const scale = width / canvas.clientWidth;
      for (let y = Math.round(50 * scale); y < height; y += 2)
        for (let x = 0; x < width; x += 2) {
          const i = (y * width + x) * 4;
          if (px[i] > 200 && px[i + 1] > 90 && px[i + 1] < 150 && px[i + 2] < 130)
            return { x: x / scale, y: y / scale };
        }
      return null;
    });
    expect(spot, 'a senior school dot is drawn').not.toBeNull();
    await page.mouse.click(box.x + spot!.x + 1, box.y + spot!.y + 1);
    await page.waitForURL(/\/schools\/\d+$/);
    expect(seniors).toContain(Number(new URL(page.url()).pathname.split('/').pop()));
    await hasText(page.getByTestId('school-profile'), '高级中学');
  });

  it('imports a file with one bad row, shows the error, then imports the fixed file', async () => {
    await page.goto(`${world.url}/imports`);
    // Eleven kinds: the list is virtual, so pick by typing rather than by scrolling to it.
    await page.getByTestId('import-kind').click();
    await page.keyboard.type('出生人口');
    await page.locator('.ant-select-item-option', { hasText: /^出生人口$/ }).click();
    await shown(page.getByTestId('import-template'));
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('import-template').click(),
    ]);
    const template = path.join(world.server.dir, 'template.xlsx');
    await download.saveAs(template);

    const county = clerk.me.regionCode!;
    const bad = await fillTemplate(template, [
      { 行政区划代码: county, 出生年份: 1998, 出生人数: 6100 },
      { 行政区划代码: county, 出生年份: 1999, 出生人数: '六千' },
    ]);
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '出生人口.xlsx', mimeType: XLSX, buffer: bad });
    const errors = page.getByTestId('import-errors');
    await shown(errors);
    await hasText(page.getByTestId('import-errors-summary'), '发现 1 处问题');
    const row = errors.locator('tbody tr.ant-table-row').first();
    expect(await seen(row.locator('td').nth(0))).toBe('3');
    expect(await seen(row.locator('td').nth(1))).toContain('出生人数');
    expect(await seen(row.locator('td').nth(2))).toContain('六千');
    await screenshot(page, '07-import-errors');

    const fixed = await fillTemplate(template, [
      { 行政区划代码: county, 出生年份: 1998, 出生人数: 6100 },
      { 行政区划代码: county, 出生年份: 1999, 出生人数: 5900 },
    ]);
    await page
      .locator('input[type=file]')
      .setInputFiles({ name: '出生人口.xlsx', mimeType: XLSX, buffer: fixed });
    await hasText(page.getByTestId('import-report'), '检查通过：2 行');
    await page.getByTestId('import-confirm').click();
    await hasText(page.getByTestId('import-done'), '导入完成');
    await hasText(page.getByTestId('import-done'), '共 2 行');
    await screenshot(page, '08-import-done');
  });

  it('exports the filtered school list as Excel', async () => {
    await page.goto(`${world.url}/schools?schoolType=primary`);
    await shown(page.getByTestId('school-table').locator('tbody tr.ant-table-row'));
    const total = Number((await seen(page.getByText(/^共 \d+ 条$/))).match(/\d+/)![0]);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('export-xlsx').click(),
    ]);
    const file = path.join(world.server.dir, 'schools.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0];
    const texts: string[] = [];
    ws.eachRow((r) => texts.push((r.values as unknown[]).map((v) => String(v ?? '')).join('|')));
    const dataRows = texts.filter((t) => t.includes('小学') && t.includes(clerk.me.regionName!));
    expect(dataRows.length).toBe(total);
  });

  it('switches to English and keeps the choice after a reload', async () => {
    await page.goto(`${world.url}/schools`);
    await page.getByTestId('lang-switch').click();
    await shown(page.getByRole('heading', { name: 'Schools' }));
    await hasText(page.getByTestId('module-menu'), 'School map');
    await page.reload();
    await shown(page.getByRole('heading', { name: 'Schools' }));
    // antd's own texts follow too (the pagination's page-size changer).
    await hasText(page.locator('.ant-pagination'), '/ page');
    await screenshot(page, '09-schools-en');
    await page.getByTestId('lang-switch').click();
    await shown(page.getByRole('heading', { name: '学校名录' }));
  });

  it('fits a phone: the menu moves into a drawer', async () => {
    const phone = await world.phone();
    const p = phone.page;
    await p.goto(`${world.url}/login`);
    await p.getByLabel('用户名').fill(clerk.username);
    await p.getByLabel('密码').fill(clerk.password);
    await p.getByRole('button', { name: /登\s*录/ }).click();
    await shown(p.getByRole('heading', { name: '概览' }));
    await p.waitForTimeout(600);
    await screenshot(p, '10-phone-dashboard');
    const width = await p.evaluate(() => document.documentElement.scrollWidth);
    expect(width).toBeLessThanOrEqual(390);
    await p.getByTestId('menu-button').click();
    await p.getByRole('menuitem', { name: '学校名录' }).click();
    await shown(p.getByRole('heading', { name: '学校名录' }));
    await shown(p.getByTestId('school-table').locator('tbody tr.ant-table-row'));
    await p.waitForTimeout(500); // the drawer slides away
    await screenshot(p, '11-phone-schools');
    await phone.close();
    expect(phone.problems).toEqual([]);
  });

  it('signs out, and the page sends a signed-out visitor back to sign-in', async () => {
    await page.goto(`${world.url}/`);
    await page.getByTestId('user-menu').click();
    await page.getByRole('menuitem', { name: '退出登录' }).click();
    await page.waitForURL(/\/login/);
    await page.goto(`${world.url}/schools`);
    await page.waitForURL(/\/login\?next=%2Fschools/);
    expect(world.problems).toEqual([]);
  });
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** The downloaded template with its example rows replaced by these rows, keyed by Chinese header. */
async function fillTemplate(file: string, rows: Record<string, string | number>[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  let headerRow = 0;
  const columns = new Map<string, number>();
  ws.eachRow((row, n) => {
    if (headerRow) return;
    row.eachCell((cell, col) => {
      const text = String(cell.text ?? '').replace(/[*＊\s]/g, '');
      for (const key of Object.keys(rows[0])) if (text.startsWith(key)) columns.set(key, col);
    });
    if (columns.size === Object.keys(rows[0]).length) headerRow = n;
    else columns.clear();
  });
  if (!headerRow) throw new Error(`no header row with ${Object.keys(rows[0]).join(', ')} in the template`);
  if (ws.rowCount > headerRow) ws.spliceRows(headerRow + 1, ws.rowCount - headerRow);
  rows.forEach((values, i) => {
    const row = ws.getRow(headerRow + 1 + i);
    for (const [key, value] of Object.entries(values)) row.getCell(columns.get(key)!).value = value;
    row.commit();
  });
  return Buffer.from(await wb.xlsx.writeBuffer());
}

// Keep the artefacts folder visible even when a run fails before its first screenshot.
fs.mkdirSync(path.resolve(import.meta.dirname, 'artifacts'), { recursive: true });
