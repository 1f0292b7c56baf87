import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import { importFile } from '../../src/io/import.ts';
import { detectEncoding } from '../../src/io/read/csv.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { id, load, SCHOOLS, type Sheet, snapshot, tempDir, writeCsv, writeXlsx } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const HEADER = ['学校标识码', '学籍号', '身份证号', '姓名', '学年', '年级'];
// 𠮷 lies outside GBK (GB18030 four-byte): it shows that GBK files are read as GB18030.
const pupils = (n: number, from = 0): Sheet =>
  Array.from({ length: n }, (_, i) => {
    const idn = id('411402', '2018-10-02', 100 + from + i);
    return ['4114020001', `G${idn}`, idn, `欧阳${'一二三四五六七八九十'[i % 10]}`, 2025, '一年级'];
  });

/**
 * An 18-digit ID number that a double holds exactly and whose check digit is right: doubles near 4.1e17
 * are 64 apart, so about one number in 64 is exact.
 */
function exactlyRepresentableId(): string {
  for (let seq = 0; seq < 1000; seq++) {
    const candidate = makeIdNumber('411402', '2018-10-02', seq);
    if (!candidate.endsWith('X') && String(Number(candidate)) === candidate) return candidate;
  }
  throw new Error('no exactly representable ID number found');
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`Excel habits on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await load(t.store.db, 'schools', SCHOOLS, dir);
    });
    afterAll(() => t?.drop());

    const names = async () =>
      (await t.store.db.selectFrom('students').select('name').orderBy('id').execute()).map((r) => r.name);

    it('imports a GBK CSV (Excel’s “CSV” on Chinese Windows) with its Chinese intact', async () => {
      const file = writeCsv(path.join(dir, 'gbk.csv'), [HEADER, ...pupils(3)], 'gbk');
      expect(
        fs
          .readFileSync(file)
          .subarray(0, 3)
          .equals(Buffer.from([0xef, 0xbb, 0xbf])),
      ).toBe(false);
      const r = await importFile(t.store.db, 'students', file);
      expect(r).toMatchObject({ inserted: 3, errorCount: 0 });
      expect(await names()).toEqual(['欧阳一', '欧阳二', '欧阳三']);
    });

    it('reads GB18030 names outside GBK, UTF-8 without BOM, and UTF-16 tab-separated text', async () => {
      const H = [...HEADER, '性别', '出生日期'];
      const rows = [H, ['4114020001', 'L1', '', '吉𠮷', 2025, '一年级', '男', '2018-05-05']];
      const gb = path.join(dir, 'gb18030.csv');
      fs.writeFileSync(gb, iconv.encode(rows.map((r) => r.join(',')).join('\n'), 'gb18030'));
      expect(detectEncoding(fs.readFileSync(gb)).encoding).toBe('gb18030');
      const plain = writeCsv(
        path.join(dir, 'nobom.csv'),
        [H, ['4114020001', 'L2', null, '无签名', 2025, '一年级', '女', '2018-05-05']],
        'utf8',
      );
      const utf16 = path.join(dir, 'unicode.txt');
      const text = [H, ['4114020001', 'L3', '', '制表符', 2025, '一年级', '男', '2018/5/5']]
        .map((r) => r.join('\t'))
        .join('\r\n');
      fs.writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]));
      for (const f of [gb, plain, utf16]) {
        const r = await importFile(t.store.db, 'students', f);
        expect(r.errors, f).toEqual([]);
        expect(r.inserted).toBe(1);
      }
      expect((await names()).slice(-3)).toEqual(['吉𠮷', '无签名', '制表符']);
    });

    it('rejects an XLSX whose ID numbers are numbers, naming row and column, even when the digits look valid', async () => {
      const exact = exactlyRepresentableId();
      const rows: Sheet = [HEADER, ...pupils(2, 10)];
      rows[1][2] = Number(rows[1][2]); // Excel’s 4.11402E+17: the last digits are gone
      rows.push(['4114020001', `G${exact}`, Number(exact), '碰巧', 2025, '一年级']);
      const file = await writeXlsx(path.join(dir, 'numeric-id.xlsx'), rows);
      const before = await snapshot(t.store.db);
      const r = await importFile(t.store.db, 'students', file);
      expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [2, '身份证号', 'io.number_precision'],
        [4, '身份证号', 'io.number_precision'],
      ]);
      expect(r.errors[0].zh).toContain('文本');
      expect(await snapshot(t.store.db)).toEqual(before);
    });

    it('imports the same XLSX with the ID column as text, a numeric school code, and date cells', async () => {
      const rows: Sheet = [
        [...HEADER, '出生日期'],
        ...pupils(2, 10).map((r) => [...r, new Date(Date.UTC(2018, 9, 2))]),
      ];
      for (const r of rows.slice(1)) r[0] = 4114020001; // a 10-digit code typed into a General cell
      const file = await writeXlsx(path.join(dir, 'text-id.xlsx'), rows, [2]);
      const r = await importFile(t.store.db, 'students', file);
      expect(r.errors).toEqual([]);
      expect(r.inserted).toBe(2);
      const stored = await t.store.db
        .selectFrom('students')
        .select(['id_number', 'birth_date'])
        .where('student_no', '=', String(rows[1][1]))
        .executeTakeFirstOrThrow();
      expect(stored).toEqual({ id_number: rows[1][2], birth_date: '2018-10-02' });
    });

    it('keeps Chinese text whole in large XLSX files (characters split between ZIP chunks)', async () => {
      for (const useSharedStrings of [true, false]) {
        const file = path.join(dir, `chinese-${useSharedStrings}.xlsx`);
        const wb = new ExcelJS.stream.xlsx.WorkbookWriter({
          filename: file,
          useSharedStrings,
          useStyles: true,
        });
        const ws = wb.addWorksheet('数据');
        ws.addRow([
          '学校标识码',
          '学校名称',
          '县（市、区）代码',
          '学校类型',
          '办学性质',
          '城乡分类',
        ]).commit();
        const names: string[] = [];
        for (let i = 0; i < 3000; i++) {
          const name = `${'商丘市梁园区平原街道第'.repeat(1 + (i % 3))}${i}小学`;
          names.push(name);
          ws.addRow([String(4114025000 + i), name, '411402', '小学', '公办', '城区']).commit();
        }
        ws.commit();
        await wb.commit();
        expect(fs.statSync(file).size).toBeGreaterThan(100_000);
        const r = await importFile(t.store.db, 'schools', file);
        expect(r.errors).toEqual([]);
        const stored = await t.store.db
          .selectFrom('schools')
          .select('name')
          .where('code', '>=', '4114025000')
          .where('code', '<', '4114028000')
          .orderBy('code')
          .execute();
        expect(stored.map((s) => s.name)).toEqual(names);
      }
    });

    it('finds the header below a title row, and numbers rows as Excel does', async () => {
      const rows: Sheet = [['2025 年梁园区一年级新生名单'], [], HEADER, ...pupils(2, 20)];
      rows[4][3] = '';
      const file = await writeXlsx(path.join(dir, 'title.xlsx'), rows, [2]);
      const r = await importFile(t.store.db, 'students', file);
      expect(r.errors.map((e) => [e.row, e.column])).toEqual([[5, '姓名']]);
      expect(r.sheet.headerRow).toBe(3);
    });

    it('takes English keys, full-width digits and stray spaces', async () => {
      const idn = id('411402', '2018-10-02', 30);
      const wide = idn.replace(/\d/g, (d) => String.fromCharCode(0xff10 + Number(d)));
      const file = writeCsv(path.join(dir, 'english.csv'), [
        ['School_Code', 'student_no', 'ID_NUMBER', 'name', 'year', 'grade'],
        [' 4114020001 ', `G${idn}`, wide, ' 全角 ', '2025年', ' g1 '],
      ]);
      const r = await importFile(t.store.db, 'students', file);
      expect(r.errors).toEqual([]);
      const s = await t.store.db
        .selectFrom('students')
        .selectAll()
        .where('id_number', '=', idn)
        .executeTakeFirstOrThrow();
      expect(s).toMatchObject({
        name: '全角',
        grade: 'G1',
        year: 2025,
        sex: 'F',
        birth_date: '2018-10-02',
      });
    });

    it('refuses an old .xls file and a CSV with an unclosed quote with one clear error', async () => {
      const xls = path.join(dir, 'old.xls');
      fs.writeFileSync(xls, Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, 0, 0, 0, 0]));
      await expect(importFile(t.store.db, 'students', xls)).rejects.toMatchObject({
        code: 'io.xls_unsupported',
      });
      const broken = path.join(dir, 'broken.csv');
      fs.writeFileSync(broken, `${HEADER.join(',')}\n4114020001,L9,,"没闭合,2025,一年级\n`);
      await expect(importFile(t.store.db, 'students', broken)).rejects.toMatchObject({
        code: 'io.csv_syntax',
      });
    });

    it('imports from a stream and from bytes, as a web upload would', async () => {
      const rows = [
        ['行政区划代码', '出生年份', '出生人数'],
        ['411402', 2010, 9000],
      ];
      const file = writeCsv(path.join(dir, 'stream.csv'), rows);
      const r1 = await importFile(t.store.db, 'births', fs.createReadStream(file));
      expect(r1.inserted).toBe(1);
      const x = await writeXlsx(path.join(dir, 'bytes.xlsx'), [rows[0], ['411402', 2011, 9100]]);
      const r2 = await importFile(t.store.db, 'births', fs.readFileSync(x));
      expect(r2).toMatchObject({ inserted: 1, errorCount: 0 });
    });
  });
}
