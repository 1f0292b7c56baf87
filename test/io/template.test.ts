import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isTextColumn } from '../../src/io/cells.ts';
import { importFile } from '../../src/io/import.ts';
import { KINDS } from '../../src/io/kinds/index.ts';
import type { KindName } from '../../src/io/spec.ts';
import { writeTemplate } from '../../src/io/template.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { readWorkbook, tempDir } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('templates', () => {
  it.each(KINDS.map((k) => [k.name, k] as const))(
    '%s: Chinese headers, an example row, a 说明 sheet, codes as text',
    async (_n, kind) => {
      const file = path.join(dir, `${kind.name}.xlsx`);
      await writeTemplate(kind.name, file);
      const wb = await readWorkbook(file);
      expect(wb.worksheets.map((w) => w.name)).toEqual([kind.title.zh, '说明']);
      const [data, guide] = wb.worksheets;
      expect((data.getRow(1).values as unknown[]).slice(1)).toEqual(kind.columns.map((c) => c.header));
      expect(data.rowCount).toBe(2);
      kind.columns.forEach((c, i) => {
        const cell = data.getRow(2).getCell(i + 1);
        if (isTextColumn(c)) {
          expect(cell.numFmt, c.key).toBe('@');
          if (cell.value !== null) expect(typeof cell.value, c.key).toBe('string');
        }
      });
      const keys = kind.columns.map((_, i) => guide.getRow(i + 2).getCell(2).value);
      expect(keys).toEqual(kind.columns.map((c) => c.key));
      const required = kind.columns.map((_, i) =>
        String(guide.getRow(i + 2).getCell(4).value).startsWith('是'),
      );
      expect(required).toEqual(kind.columns.map((c) => Boolean(c.required)));
      for (let i = 0; i < kind.columns.length; i++) {
        expect(String(guide.getRow(i + 2).getCell(6).value).length, kind.columns[i].key).toBeGreaterThan(1);
        expect(String(guide.getRow(i + 2).getCell(7).value).length).toBeGreaterThan(1);
      }
      const text = guide.getSheetValues().flat().join('\n');
      expect(text).toContain(kind.naturalKey.zh);
    },
  );

  it('writes English templates: the column keys as headers, an English guide beside the Chinese', async () => {
    const kind = KINDS.find((k) => k.name === 'students')!;
    const file = path.join(dir, 'students-en.xlsx');
    await writeTemplate(kind, file, 'xlsx', 'en');
    const wb = await readWorkbook(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual([kind.title.en, 'Guide']);
    const [data, guide] = wb.worksheets;
    expect((data.getRow(1).values as unknown[]).slice(1)).toEqual(kind.columns.map((c) => c.key));
    expect((guide.getRow(1).values as unknown[]).slice(1, 4)).toEqual([
      'Column',
      'Chinese column name / 列名',
      'Type',
    ]);
    const grade = kind.columns.findIndex((c) => c.key === 'grade');
    expect(guide.getRow(grade + 2).getCell(2).value).toBe('年级');
    expect(String(guide.getRow(grade + 2).getCell(5).value)).toMatch(/^K1 \(小班\), K2/);
    expect(guide.getRow(grade + 2).getCell(6).value).toBe(kind.columns[grade].en);
  });

  it('writes a CSV template with a BOM, the header and the example', async () => {
    const file = path.join(dir, 'births.csv');
    await writeTemplate('births', file, 'csv');
    expect(fs.readFileSync(file, 'utf8')).toBe(
      '\ufeff行政区划代码,出生年份,出生人数\r\n411402,2024,6100\r\n',
    );
  });
});

/** The order the examples refer to each other in: the example school first, the community before housing. */
const EXAMPLE_ORDER: KindName[] = [
  'schools',
  'catchments',
  'classes',
  'census',
  'census-teachers',
  'students',
  'teachers',
  'population',
  'births',
  'housing',
  'projects',
  'disabled-children',
];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`template examples on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
    });
    afterAll(() => t?.drop());

    it('every template, as written, imports its example row into a new database', async () => {
      expect([...EXAMPLE_ORDER].sort()).toEqual(KINDS.map((k) => k.name).sort());
      for (const kind of EXAMPLE_ORDER) {
        const file = path.join(dir, `example-${kind}.xlsx`);
        await writeTemplate(kind, file);
        const r = await importFile(t.store.db, kind, file);
        expect(r.errors, kind).toEqual([]);
        expect(r, kind).toMatchObject({ rows: 1, inserted: 1, written: true });
      }
    });

    it('every English template imports its example row too (the same record: no change)', async () => {
      for (const kind of EXAMPLE_ORDER) {
        const file = path.join(dir, `example-${kind}-en.xlsx`);
        await writeTemplate(kind, file, 'xlsx', 'en');
        const r = await importFile(t.store.db, kind, file);
        expect(r.errors, kind).toEqual([]);
        expect(r, kind).toMatchObject({ rows: 1, inserted: 0 });
      }
    });
  });
}
