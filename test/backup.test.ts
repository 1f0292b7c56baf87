import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backupDatabase, restoreDatabase } from '../src/store/backup.ts';
import { openStore } from '../src/store/db.ts';
import { seedRegions } from '../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from './support/databases.ts';

const births = (n: number) => ({
  region_code: '411402',
  county_code: '411402',
  year: 2020,
  births: n,
  synthetic: 0,
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`backup and restore on ${dialect}`, () => {
    let t: TestDatabase;
    let dir: string;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-backup-'));
    });
    afterAll(async () => {
      await t?.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it('restores exactly what was backed up, undoing later changes', async () => {
      await seedRegions(t.store.db);
      await t.store.db.insertInto('births').values(births(7000)).execute();
      const file = path.join(dir, 'before.backup');
      await backupDatabase(t.store, file);

      await t.store.db.updateTable('births').set({ births: 1 }).execute();
      await t.store.db
        .insertInto('births')
        .values({ ...births(5), year: 2021 })
        .execute();
      await t.store.close();

      await restoreDatabase(t.store.target, file);
      const reopened = openStore(t.store.target);
      t.store = reopened;
      const rows = await reopened.db
        .selectFrom('births')
        .select(['year', 'births'])
        .orderBy('year')
        .execute();
      expect(rows).toEqual([{ year: 2020, births: 7000 }]);
      const regions = await reopened.db
        .selectFrom('regions')
        .select('code')
        .where('code', '=', '411400')
        .execute();
      expect(regions).toHaveLength(1);
    });

    it('refuses a file that is not a backup, and one from the other kind of database', async () => {
      const junk = path.join(dir, 'junk.bin');
      fs.writeFileSync(junk, 'not a database');
      await expect(restoreDatabase(t.store.target, junk)).rejects.toThrow(/not an EduAtlas backup/);
      const other = path.join(dir, 'other.backup');
      fs.writeFileSync(other, dialect === 'sqlite' ? 'PGDMP-----------' : 'SQLite format 3\0xxxx');
      await expect(restoreDatabase(t.store.target, other)).rejects.toThrow(/cannot be restored/);
      const rows = await t.store.db.selectFrom('births').select('births').execute();
      expect(rows).toEqual([{ births: 7000 }]);
    });
  });
}
