import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportTable } from '../../src/io/export.ts';
import { importFile } from '../../src/io/import.ts';
import { KINDS } from '../../src/io/kinds/index.ts';
import { countRows } from '../../src/store/bulk.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { GOOD, loadAll, readWorkbook, snapshot, tempDir } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const csvLines = (file: string) => fs.readFileSync(file, 'utf8').split('\r\n').filter(Boolean);

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`export on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await loadAll(t.store.db, dir);
    });
    afterAll(() => t?.drop());

    it.each(KINDS.map((k) => [k.name, k] as const))(
      'an unmasked export of %s imports back as a no-op, in XLSX and in CSV',
      async (_name, kind) => {
        const before = await snapshot(t.store.db);
        const n = await countRows(t.store.db, kind.table);
        expect(n).toBeGreaterThan(0);
        for (const format of ['xlsx', 'csv'] as const) {
          const file = path.join(dir, `${kind.name}-export.${format}`);
          const e = await exportTable(t.store.db, kind.table, file, { format, unmasked: true, pageSize: 2 });
          expect(e).toEqual({ table: kind.table, rows: n, masked: false });
          const r = await importFile(t.store.db, kind.name, file);
          expect(r.errors, `${kind.name} ${format}`).toEqual([]);
          expect(r).toMatchObject({ rows: n, inserted: 0, updated: 0, unchanged: n, written: false });
        }
        expect(await snapshot(t.store.db)).toEqual(before);
      },
    );

    it('masks names and ID numbers unless asked not to; a masked file cannot overwrite the register', async () => {
      const file = path.join(dir, 'students-masked.csv');
      const e = await exportTable(t.store.db, 'students', file, { format: 'csv' });
      expect(e.masked).toBe(true);
      const text = fs.readFileSync(file, 'utf8');
      for (const row of GOOD.students.slice(1)) {
        expect(text).not.toContain(String(row[3]));
        if (row[2]) expect(text).not.toContain(String(row[2]));
      }
      expect(text).toContain('王*');
      expect(text).toMatch(/411402\*{8}\d{3}[\dX]/);
      const before = await snapshot(t.store.db);
      const r = await importFile(t.store.db, 'students', file);
      expect(r.errorCount).toBeGreaterThan(0);
      expect(await snapshot(t.store.db)).toEqual(before);
    });

    it('writes CSV in UTF-8 with a BOM and the kind’s Chinese headers, codes instead of internal ids', async () => {
      const file = path.join(dir, 'classes.csv');
      await exportTable(t.store.db, 'classes', file, { format: 'csv' });
      expect(fs.readFileSync(file).subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
      const lines = csvLines(file);
      expect(lines[0]).toBe('\ufeff学校标识码,学年,年级,班号,班额');
      expect(lines.slice(1)).toEqual([
        '4114020001,2025,一年级,1,45',
        '4114020001,2025,一年级,2,44',
        '4114020002,2025,初一,1,50',
        '4114020002,2025,初一,2,48',
      ]);
    });

    it('keeps ID numbers and codes as text cells formatted "@" in XLSX', async () => {
      const file = path.join(dir, 'students.xlsx');
      await exportTable(t.store.db, 'students', file, { unmasked: true });
      const ws = (await readWorkbook(file)).worksheets[0];
      expect(ws.getRow(1).getCell(3).value).toBe('身份证号');
      const cell = ws.getRow(2).getCell(3);
      expect(typeof cell.value).toBe('string');
      expect(cell.value).toBe(GOOD.students[1][2]);
      expect(ws.getColumn(3).numFmt ?? cell.numFmt).toBe('@');
    });

    it('limits to a county, or to a city with its counties', async () => {
      const file = path.join(dir, 'schools-county.csv');
      expect((await exportTable(t.store.db, 'schools', file, { format: 'csv', county: '411402' })).rows).toBe(
        5,
      );
      expect(csvLines(file).some((l) => l.startsWith('4114030001'))).toBe(false);
      expect((await exportTable(t.store.db, 'schools', file, { format: 'csv', county: '411400' })).rows).toBe(
        6,
      );
      expect((await exportTable(t.store.db, 'births', file, { format: 'csv', county: '411403' })).rows).toBe(
        1,
      );
      const regions = await exportTable(t.store.db, 'regions', file, { format: 'csv', county: '411402' });
      const codes = csvLines(file)
        .slice(1)
        .map((l) => l.split(',')[0]);
      expect(regions.rows).toBe(codes.length);
      expect(codes.every((c) => c.startsWith('411402'))).toBe(true);
      expect(codes).toContain('411402990');
    });

    it('exports tables without an import kind with codes, and refuses internal tables', async () => {
      const file = path.join(dir, 'capacity.csv');
      const e = await exportTable(t.store.db, 'school_capacity', file, { format: 'csv', pageSize: 7 });
      expect(e.rows).toBe(await countRows(t.store.db, 'school_capacity'));
      const lines = csvLines(file);
      expect(lines[0]).toBe('\ufeff学校标识码,年级,规划班数,标准班额');
      expect(new Set(lines.slice(1)).size).toBe(e.rows);
      expect(lines).toContain('4114020002,初一,3,50');
      await expect(exportTable(t.store.db, 'users', file)).rejects.toMatchObject({
        code: 'io.unknown_table',
      });
      await expect(exportTable(t.store.db, 'settings', file)).rejects.toMatchObject({
        code: 'io.unknown_table',
      });
    });
  });
}
