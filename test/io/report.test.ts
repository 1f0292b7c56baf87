import fs from 'node:fs';
import path from 'node:path';
import type ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/io/import.ts';
import { formatIssue, writeErrorReport } from '../../src/io/report.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { id, load, readWorkbook, SCHOOLS, type Sheet, tempDir, writeXlsx } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADER = ['学校标识码', '学籍号', '身份证号', '姓名', '性别', '出生日期', '学年', '年级'];
const good = (i: number) => {
  const idn = id('411402', '2018-10-02', 200 + i);
  return ['4114020001', `G${idn}`, idn, `好${i}`, null, null, 2025, '一年级'];
};
const RED = 'FFFFC7CE';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`error report on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await load(t.store.db, 'schools', SCHOOLS, dir);
    });
    afterAll(() => t?.drop());

    it('has the bad rows as uploaded with the bad cells red and noted, and every problem listed', async () => {
      const id2 = String(good(2)[2]);
      const badId = `${id2.slice(0, 17)}${id2[17] === '0' ? '1' : '0'}`;
      const rows: Sheet = [
        HEADER,
        good(1),
        ['4114020001', 'L2', badId, '坏二', null, null, 2025, '一年级'],
        good(3),
        ['4114029999', 'L4', null, '坏四', '男', '2030-01-01', 2025, '一年级'],
      ];
      const file = await writeXlsx(path.join(dir, 'bad.xlsx'), rows, [0, 1, 2]);
      const result = await importFile(t.store.db, 'students', file);
      expect(result.errors.map((e) => [e.row, e.column])).toEqual([
        [3, '身份证号'],
        [5, '学校标识码'],
      ]);
      expect(formatIssue(result.errors[0])).toMatch(
        /^第 3 行「身份证号」「411402\*+\d{3}[\dX]」：.*row 3 column id_number: /,
      );

      const report = path.join(dir, 'bad-report.xlsx');
      await writeErrorReport(result, report);
      const wb = await readWorkbook(report);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['错误数据', '错误列表']);
      const [data, list] = wb.worksheets;
      expect((data.getRow(1).values as unknown[]).slice(1)).toEqual(['原行号', ...HEADER, '错误说明']);
      expect(data.rowCount).toBe(3);
      expect(data.getRow(2).getCell(1).value).toBe(3);
      expect(data.getRow(2).getCell(4).value).toBe(badId); // as uploaded, in full: the clerk must fix it
      const bad = data.getRow(2).getCell(4);
      expect((bad.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(RED);
      expect(
        String(typeof bad.note === 'string' ? bad.note : bad.note?.texts?.map((x) => x.text).join('')),
      ).toContain('校验位');
      const fine = data.getRow(2).getCell(5);
      expect((fine.fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).not.toBe(RED);
      expect(data.getRow(3).getCell(1).value).toBe(5);
      expect((data.getRow(3).getCell(2).fill as ExcelJS.FillPattern).fgColor?.argb).toBe(RED);
      expect(String(data.getRow(3).getCell(10).value)).toContain('学校标识码');
      expect(list.rowCount).toBe(3);
      expect((list.getRow(2).values as unknown[]).slice(1, 3)).toEqual([3, '身份证号']);
    });

    it('a corrected report imports as it is (原行号 and 错误说明 are ignored)', async () => {
      const rows: Sheet = [HEADER, ['4114020001', 'L7', null, '改七', '男', '2030-01-01', 2025, '一年级']];
      const file = await writeXlsx(path.join(dir, 'fixme.xlsx'), rows, [0, 1, 2]);
      const result = await importFile(t.store.db, 'students', file);
      expect(result.errorCount).toBe(1);
      const report = path.join(dir, 'fixme-report.xlsx');
      await writeErrorReport(result, report);
      const wb = await readWorkbook(report);
      wb.worksheets[0].getRow(2).getCell(7).value = '2018-07-07';
      const fixed = path.join(dir, 'fixed.xlsx');
      await wb.xlsx.writeFile(fixed);
      const again = await importFile(t.store.db, 'students', fixed);
      expect(again.errors).toEqual([]);
      expect(again.inserted).toBe(1);
    });

    it('writes the report in English when asked, and a corrected English report imports as it is', async () => {
      const rows: Sheet = [HEADER, ['4114020001', 'L8', null, '改八', '男', '2030-01-01', 2025, '一年级']];
      const file = await writeXlsx(path.join(dir, 'fixme-en.xlsx'), rows, [0, 1, 2]);
      const result = await importFile(t.store.db, 'students', file);
      const report = path.join(dir, 'fixme-en-report.xlsx');
      await writeErrorReport(result, report, 'en');
      const wb = await readWorkbook(report);
      expect(wb.worksheets.map((w) => w.name)).toEqual(['Rows with errors', 'Problems']);
      const [data, list] = wb.worksheets;
      expect((data.getRow(1).values as unknown[]).slice(1)).toEqual(['source_row', ...HEADER, 'problems']);
      expect(String(data.getRow(2).getCell(HEADER.length + 2).value)).toBe(
        `出生日期: ${result.errors[0].en}`,
      );
      expect((list.getRow(1).values as unknown[]).slice(1)).toEqual([
        'Row',
        'Column',
        'Value',
        'Problem',
        '错误说明',
      ]);
      expect((list.getRow(2).values as unknown[]).slice(4)).toEqual([
        result.errors[0].en,
        result.errors[0].zh,
      ]);
      data.getRow(2).getCell(7).value = '2018-07-08';
      const fixed = path.join(dir, 'fixed-en.xlsx');
      await wb.xlsx.writeFile(fixed);
      const again = await importFile(t.store.db, 'students', fixed);
      expect(again.errors).toEqual([]);
      expect(again.inserted).toBe(1);
    });

    it('marks an unknown column in the header row', async () => {
      const file = await writeXlsx(path.join(dir, 'unknown.xlsx'), [[...HEADER, '家庭住址'], good(9)]);
      const result = await importFile(t.store.db, 'students', file);
      const report = path.join(dir, 'unknown-report.xlsx');
      await writeErrorReport(result, report);
      const data = (await readWorkbook(report)).worksheets[0];
      const cell = data.getRow(1).getCell(HEADER.length + 2);
      expect(cell.value).toBe('家庭住址');
      expect((cell.fill as ExcelJS.FillPattern).fgColor?.argb).toBe(RED);
    });
  });
}
