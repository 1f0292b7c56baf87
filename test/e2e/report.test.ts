import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromiumAvailable, counted, type E2eWorld, openE2eWorld, screenshot, shown } from './support.ts';

/**
 * The statistics office downloads the city's annual report from the indicator page in real
 * Chromium, in the page's language; a township has no report, so no button.
 */
describe.skipIf(!chromiumAvailable())('annual report download in Chromium', () => {
  let world: E2eWorld;
  let page: Page;

  beforeAll(async () => {
    world = await openE2eWorld({ role: 'city_statistics' });
    ({ page } = world);
  }, 180_000);

  afterAll(() => world?.close());

  async function download(): Promise<ExcelJS.Workbook> {
    const [d] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('report-download').click(),
    ]);
    const file = path.join(world.server.dir, d.suggestedFilename());
    await d.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    return book;
  }

  it('downloads the city report from the indicator page', async () => {
    await page.goto(`${world.url}/indicators?region=411400&year=2023`);
    await shown(page.getByTestId('report-download'));
    await screenshot(page, '30-indicators-report-button');
    const book = await download();
    expect(book.worksheets.map((w) => w.name)).toEqual([
      '封面',
      '学前教育',
      '义务教育',
      '高中阶段',
      '班额',
      '生师比',
      '随迁子女与特殊教育',
      '课后服务与集团化',
      '指标说明',
    ]);
    expect(book.getWorksheet('封面')!.getRow(2).getCell(1).value).toBe('商丘市2023年基础教育统计指标年报');
    expect(world.problems).toEqual([]);
  });

  it('downloads it with English headings after the language switch', async () => {
    await page.getByTestId('lang-switch').click();
    await shown(page.getByTestId('report-download'));
    const book = await download();
    expect(book.worksheets[0].name).toBe('Cover');
    expect(book.worksheets[1].getRow(1).getCell(1).value).toBe('Indicator');
    await page.getByTestId('lang-switch').click();
    expect(world.problems).toEqual([]);
  });

  it('offers no report for a township', async () => {
    await page.goto(`${world.url}/indicators?region=411402001&year=2023`);
    await shown(page.getByTestId('indicators-export'));
    await counted(page.getByTestId('report-download'), 0);
    expect(world.problems).toEqual([]);
  });
});
