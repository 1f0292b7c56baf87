import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScopeFilter } from '../../src/auth/roles.ts';
import { exportTable } from '../../src/io/export.ts';
import { importFile } from '../../src/io/import.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { id, loadAll, type Sheet, snapshot, tempDir, writeCsv } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const BIRTHS = ['行政区划代码', '出生年份', '出生人数'];
const PUPILS = ['学校标识码', '学籍号', '身份证号', '姓名', '学年', '年级'];
const pupil = (school: string, seq: number) => {
  const idn = id('411402', '2018-10-02', 400 + seq);
  return [school, `G${idn}`, idn, `范${seq}`, 2025, '一年级'];
};

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`the role's scope on ${dialect}`, () => {
    let t: TestDatabase;
    let school1: number;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await loadAll(t.store.db, dir);
      school1 = Number(
        (
          await t.store.db
            .selectFrom('schools')
            .select('id')
            .where('code', '=', '4114020001')
            .executeTakeFirstOrThrow()
        ).id,
      );
    });
    afterAll(() => t?.drop());

    const run = async (kind: 'births' | 'students' | 'schools', rows: Sheet, scope: ScopeFilter) => {
      const before = await snapshot(t.store.db);
      const r = await importFile(t.store.db, kind, writeCsv(path.join(dir, `${kind}-scope.csv`), rows), {
        scope,
      });
      if (r.errorCount > 0) expect(await snapshot(t.store.db)).toEqual(before);
      return r;
    };

    it('a county clerk imports their own county, and no row of another', async () => {
      const county: ScopeFilter = { kind: 'county', countyCode: '411403' };
      const bad = await run('births', [BIRTHS, ['411403', 2015, 4300], ['411402', 2015, 9000]], county);
      expect(bad.errors.map((e) => [e.row, e.column, e.code])).toEqual([
        [3, '行政区划代码', 'io.out_of_scope'],
      ]);
      expect((await run('births', [BIRTHS, ['411403', 2015, 4300]], county)).inserted).toBe(1);
      const city = await run('births', [BIRTHS, ['411402', 2016, 9100]], {
        kind: 'county_prefix',
        prefix: '4114',
      });
      expect(city.inserted).toBe(1);
    });

    it('moving another county’s school into one’s own is refused (the stored record is checked too)', async () => {
      const r = await run(
        'schools',
        [
          ['学校标识码', '学校名称', '县（市、区）代码', '学校类型', '办学性质', '城乡分类'],
          ['4114020001', '平原路小学', '411403', '小学', '公办', '城区'],
        ],
        { kind: 'county', countyCode: '411403' },
      );
      expect(r.errors.map((e) => [e.row, e.column, e.code])).toEqual([[2, '学校标识码', 'io.out_of_scope']]);
    });

    it('school staff import their own school’s pupils only, and no county data', async () => {
      const own: ScopeFilter = { kind: 'school', schoolId: school1 };
      const mixed = await run('students', [PUPILS, pupil('4114020001', 1), pupil('4114020002', 2)], own);
      expect(mixed.errors.map((e) => [e.row, e.column])).toEqual([[3, '学校标识码']]);
      expect((await run('students', [PUPILS, pupil('4114020001', 1)], own)).inserted).toBe(1);
      const births = await run('births', [BIRTHS, ['411402', 2017, 1]], own);
      expect(births.errors.map((e) => e.code)).toEqual(['io.out_of_scope']);
      expect((await run('births', [BIRTHS, ['411402', 2017, 1]], { kind: 'none' })).errorCount).toBe(1);
    });

    it('exports only the rows in scope', async () => {
      const file = path.join(dir, 'scoped.csv');
      const lines = () => fs.readFileSync(file, 'utf8').split('\r\n').filter(Boolean).slice(1);
      expect(
        (
          await exportTable(t.store.db, 'schools', file, {
            format: 'csv',
            scope: { kind: 'county', countyCode: '411403' },
          })
        ).rows,
      ).toBe(1);
      expect(lines()[0]).toMatch(/^4114030001,/);
      const own = await exportTable(t.store.db, 'students', file, {
        format: 'csv',
        scope: { kind: 'school', schoolId: school1 },
      });
      expect(own.rows).toBe(4);
      expect(lines().every((l) => l.startsWith('4114020001,'))).toBe(true);
      expect(
        (
          await exportTable(t.store.db, 'schools', file, {
            format: 'csv',
            scope: { kind: 'school', schoolId: school1 },
          })
        ).rows,
      ).toBe(1);
      expect(
        (
          await exportTable(t.store.db, 'births', file, {
            format: 'csv',
            scope: { kind: 'school', schoolId: school1 },
          })
        ).rows,
      ).toBe(0);
      expect(
        (
          await exportTable(t.store.db, 'regions', file, {
            format: 'csv',
            scope: { kind: 'county', countyCode: '411403' },
          })
        ).rows,
      ).toBeGreaterThan(1);
      expect(lines().every((l) => l.startsWith('411403'))).toBe(true);
    });
  });
}
