import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { benchSchoolsCsv, writeStudentsXlsx } from '../../bench/students-file.ts';
import { type ImportProgress, importFile } from '../../src/io/import.ts';
import { countRows } from '../../src/store/bulk.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { tempDir } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// SQLite only: the same code paths run on PostgreSQL in the other suites; this one is about size.
describe('a 100,000-row student XLSX', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
    const schools = path.join(dir, 'schools.csv');
    fs.writeFileSync(schools, benchSchoolsCsv(50));
    expect((await importFile(t.store.db, 'schools', schools)).inserted).toBe(50);
  });
  afterAll(async () => t?.drop());

  it('imports every row in one go, with progress, and a second import changes nothing', async () => {
    const file = path.join(dir, 'students.xlsx');
    await writeStudentsXlsx(file, 100_000);
    const progress: ImportProgress[] = [];
    const r = await importFile(t.store.db, 'students', file, { onProgress: (p) => progress.push(p) });
    expect(r.errors).toEqual([]);
    expect(r).toMatchObject({ rows: 100_000, inserted: 100_000, written: true });
    expect(await countRows(t.store.db, 'students')).toBe(100_000);
    const last = await t.store.db
      .selectFrom('students')
      .selectAll()
      .where('name', '=', '学生99999')
      .executeTakeFirstOrThrow();
    expect(last).toMatchObject({ grade: 'G4', year: 2025, migrant: 0, after_school: 1 });
    expect(last.id_number?.slice(6, 14)).toBe(last.birth_date.replaceAll('-', ''));
    expect(progress.filter((p) => p.phase === 'read').at(-1)?.done).toBe(100_000);
    expect(progress.filter((p) => p.phase === 'write').at(-1)).toEqual({
      phase: 'write',
      done: 100_000,
      total: 100_000,
    });

    const again = await importFile(t.store.db, 'students', file);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 100_000, written: false });
  }, 240_000);
});
