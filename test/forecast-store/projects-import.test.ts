import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAreaSet, resolveForecastRegion } from '../../src/forecast/areas.ts';
import { loadSupply, stageSeats } from '../../src/forecast/supply.ts';
import { importFile } from '../../src/io/import.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { GOOD, loadAll, snapshot, tempDir, writeCsv } from '../io/support.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const HEAD = GOOD.projects[0]!;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`projects import on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await loadAll(t.store.db, dir);
    });
    afterAll(() => t?.drop());

    it('imports the pipeline, which the supply counts from the delivery year', async () => {
      const rows = await t.store.db.selectFrom('projects').selectAll().orderBy('code').execute();
      expect(
        rows.map((r) => [r.code, r.county_code, r.region_code, r.school_id !== null, r.stage, r.status]),
      ).toEqual([
        ['XM001', '411402', '411402001', true, 'primary', 'under_construction'],
        ['XM002', '411402', '411402', false, 'junior', 'planned'],
      ]);
      const set = await loadAreaSet(t.store.db, await resolveForecastRegion(t.store.db, '411402'), 'county');
      const supply = await loadSupply(t.store.db, set);
      const a = supply.areas.get('411402')!;
      expect(stageSeats(a, 'primary', 2026, supply.options).projectSeats).toBe(0);
      expect(stageSeats(a, 'primary', 2027, supply.options).projectSeats).toBe(540);
      // Planned projects do not count by default.
      expect(stageSeats(a, 'junior', 2030, supply.options).projectSeats).toBe(0);
    });

    it('refuses a file with a bad row whole, naming the row and column', async () => {
      const before = await snapshot(t.store.db);
      const file = writeCsv(path.join(dir, `projects-bad-${dialect}.csv`), [
        HEAD,
        ['XM003', '睢阳区新建小学', '411403', null, '小学', 1350, 2028, '已立项'],
        ['XM004', '跨县扩建', '411403', '4114020001', '小学', 270, 2028, '在建'],
        ['XM005', '状态不明', '411402', null, '初中', 500, 2029, '竣工了'],
      ]);
      const r = await importFile(t.store.db, 'projects', file);
      expect(r.errors.map((e) => [e.row, e.column])).toEqual([
        [3, '学校标识码'],
        [4, '状态'],
      ]);
      expect(r.errors[0]!.code).toBe('io.school_region');
      expect(r.written).toBe(false);
      expect(await snapshot(t.store.db)).toEqual(before);
    });
  });
}
