import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows, upsertRows } from '../src/store/bulk.ts';
import { hasBusinessData } from '../src/store/business-data.ts';
import { migrateToLatest, migrationStatus, parseDatabaseUrl } from '../src/store/db.ts';
import { countiesUnder, listRegions, seedRegions } from '../src/store/regions.ts';
import { getDemoInfo, SETTING_DEMO, setSetting } from '../src/store/settings.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from './support/databases.ts';

describe('DATABASE_URL', () => {
  it('defaults to data/eduatlas.sqlite under the current directory', () => {
    expect(parseDatabaseUrl(undefined, '/srv/a')).toEqual({
      dialect: 'sqlite',
      location: '/srv/a/data/eduatlas.sqlite',
    });
  });
  it('takes sqlite:PATH relative to the current directory unless absolute', () => {
    expect(parseDatabaseUrl('sqlite:x/y.db', '/srv/a').location).toBe('/srv/a/x/y.db');
    expect(parseDatabaseUrl('sqlite:/abs/y.db', '/srv/a').location).toBe('/abs/y.db');
  });
  it('treats postgresql:// as postgres://', () => {
    expect(parseDatabaseUrl('postgresql://u@h/db').dialect).toBe('postgres');
    expect(parseDatabaseUrl('postgres://u@h/db').dialect).toBe('postgres');
  });
  it('refuses anything else, naming DATABASE_URL', () => {
    expect(() => parseDatabaseUrl('mysql://u@h/db')).toThrow(/DATABASE_URL/);
    expect(() => parseDatabaseUrl('data.sqlite')).toThrow(/DATABASE_URL/);
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`store on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
    });
    afterAll(async () => t?.drop());

    it('has applied every migration, and a second run applies none', async () => {
      const status = await migrationStatus(t.store.db);
      expect(status.every((m) => m.executedAt)).toBe(true);
      const again = await migrateToLatest(t.store.db);
      expect(again.results).toEqual([]);
    });

    it('seeds Henan regions idempotently: 18 city-level divisions, 商丘市 with its 9 counties', async () => {
      await seedRegions(t.store.db);
      await seedRegions(t.store.db);
      const cities = await listRegions(t.store.db, '410000');
      expect(cities).toHaveLength(18);
      const sq = await countiesUnder(t.store.db, '411400');
      expect(sq.map((r) => r.name)).toEqual([
        '梁园区',
        '睢阳区',
        '民权县',
        '睢县',
        '宁陵县',
        '柘城县',
        '虞城县',
        '夏邑县',
        '永城市',
      ]);
      expect((await countiesUnder(t.store.db, '410000')).length).toBe(157);
    });

    it('upserts by natural key without duplicating', async () => {
      // Regions alone are not business data; one birth row is.
      expect(await hasBusinessData(t.store.db)).toBe(false);
      const rows = [{ region_code: '411402', county_code: '411402', year: 2020, births: 100, synthetic: 0 }];
      await upsertRows(t.store.db, 'births', rows, ['region_code', 'year']);
      await upsertRows(t.store.db, 'births', [{ ...rows[0], births: 120 }], ['region_code', 'year']);
      expect(await countRows(t.store.db, 'births')).toBe(1);
      expect(await hasBusinessData(t.store.db)).toBe(true);
      const r = await t.store.db.selectFrom('births').select('births').executeTakeFirstOrThrow();
      expect(r.births).toBe(120);
    });

    it('keeps the demo marker in settings', async () => {
      expect(await getDemoInfo(t.store.db)).toBeNull();
      await setSetting(t.store.db, SETTING_DEMO, JSON.stringify({ scale: 'small', seed: 1, builtAt: 'x' }));
      expect((await getDemoInfo(t.store.db))?.scale).toBe('small');
    });
  });
}
