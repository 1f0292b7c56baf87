import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SchoolList, SchoolStudents } from '../../src/server/contracts.ts';
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
 * The county clerk opens a school's pupil register and teacher register in real Chromium: names and
 * ID numbers arrive masked, as the server decides for the role.
 */
describe.skipIf(!chromiumAvailable())('school registers in Chromium (county clerk)', () => {
  let world: E2eWorld;
  let page: Page;

  beforeAll(async () => {
    world = await openE2eWorld();
    ({ page } = world);
  }, 180_000);

  afterAll(() => world?.close());

  it('shows the pupil register with masked names and the teacher register', async () => {
    const api = await world.api('county_staff');
    const school = (await api.get<SchoolList>('/api/schools?sort=pupils&order=desc&pageSize=1')).rows[0];
    const register = await api.get<SchoolStudents>(`/api/schools/${school.id}/students?pageSize=1`);
    expect(register.total, 'the demo school has a pupil register').toBeGreaterThan(0);

    await world.signIn('county_staff');
    await page.goto(`${world.url}/schools/${school.id}`);
    await shown(page.getByRole('heading', { name: school.name }));
    await page.getByRole('tab', { name: '学生名册' }).click();
    await page.waitForURL(/tab=students/);

    const table = page.getByTestId('students-table');
    await hasText(table, register.rows[0].name);
    const names = await table.locator('tbody tr.ant-table-row td:nth-child(2)').allInnerTexts();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^.\*+$/u);
    const ids = await table.locator('tbody tr.ant-table-row td:nth-child(3)').allInnerTexts();
    for (const id of ids.filter((v) => v !== '—')) expect(id).toMatch(/^\d{6}\*+[\dX]{4}$/);
    await hasText(page.getByTestId('register-mask-notice'), '已按你的权限脱敏');
    await hasText(page.getByTestId('pupil-register'), `共 ${register.total} 条`);
    expect(await page.getByTestId('students-export').getAttribute('href')).toContain('lang=zh');
    await screenshot(page, '10-pupil-register');

    await page.getByRole('tab', { name: '教师名册' }).click();
    await page.waitForURL(/tab=teachers/);
    const teachers = page.getByTestId('teachers-table');
    await shown(teachers.locator('tbody tr.ant-table-row'));
    expect(await seen(teachers.locator('tbody tr.ant-table-row td:nth-child(2)'))).toMatch(/^.\*+$/u);
    await screenshot(page, '11-teacher-register');
    expect(world.problems).toEqual([]);
  });

  it('downloads the register in the language of the page', async () => {
    await page.getByTestId('lang-switch').click();
    await page.getByRole('tab', { name: 'Pupil register' }).click();
    await hasText(page.getByTestId('register-mask-notice'), 'masked for your role');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('students-export').click(),
    ]);
    const file = path.join(world.server.dir, download.suggestedFilename());
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const sheet = wb.worksheets[0];
    expect(sheet.name).toBe('Pupil register');
    expect((sheet.getRow(1).values as unknown[]).slice(1, 3)).toEqual(['Student number', 'Name (masked)']);
    expect(String(sheet.getRow(2).getCell(2).value)).toMatch(/^.\*+$/u);
    expect(world.problems).toEqual([]);
  });
});
