import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { AuditActor } from '../../src/audit/audit-log.ts';
import { targetFor } from '../../src/engines/indicators/targets.ts';
import {
  clearTarget,
  loadEffectiveTargets,
  loadEffectiveTargetsOver,
  loadTargets,
  setTarget,
} from '../../src/indicators/targets.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const CITY = '411400';
const COUNTY = '411402';
const OTHER = '411423';
const TOWNSHIP = '411402001';
const actor: AuditActor = { userId: null, username: 'stats', role: 'city_statistics', ip: null };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`indicator targets on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
    }, 60_000);
    afterAll(async () => t?.drop());
    beforeEach(async () => {
      await t.store.db.deleteFrom('indicator_targets').execute();
      await t.store.db.deleteFrom('audit_log').execute();
    });

    const ger = async (code: string, year: number) =>
      targetFor((await loadTargets(t.store.db, [code], year)).get(code)!, 'preschool_ger', null);

    it('gives the preloaded defaults by level when nothing is edited; a school code gets none', async () => {
      const m = await loadTargets(t.store.db, [COUNTY, CITY, TOWNSHIP, '4114020010'], 2023);
      expect(targetFor(m.get(COUNTY)!, 'preschool_ger', null)?.source).toMatch(/\[Official\]$/);
      expect(targetFor(m.get(CITY)!, 'preschool_ger', null)?.source).toMatch(/\[Practice\]$/);
      expect(m.get(TOWNSHIP)!.length).toBeGreaterThan(0);
      expect(m.get('4114020010')).toEqual([]);
    });

    it('applies edited for the year > edited for every year > preloaded', async () => {
      const base = {
        region_code: COUNTY,
        indicator_id: 'preschool_ger',
        stage: null,
        comparator: 'at_least',
      } as const;
      await setTarget(t.store.db, actor, { ...base, year: null, threshold: 88 });
      expect(await ger(COUNTY, 2023)).toMatchObject({ threshold: 88, source: 'bureau', close_margin: 2 });
      await setTarget(t.store.db, actor, {
        ...base,
        year: 2023,
        threshold: 90,
        close_margin: 1,
        note: '市定目标',
      });
      expect(await ger(COUNTY, 2023)).toMatchObject({ threshold: 90, close_margin: 1 });
      expect(await ger(COUNTY, 2024)).toMatchObject({ threshold: 88 });
      expect(await ger(OTHER, 2023)).toMatchObject({ threshold: 85 });
      // Setting the same key again replaces the row.
      await setTarget(t.store.db, actor, { ...base, year: 2023, threshold: 91 });
      const eff = (await loadEffectiveTargets(t.store.db, [COUNTY], 2023)).get(COUNTY)!;
      expect(targetFor(eff, 'preschool_ger', null)).toMatchObject({
        threshold: 91,
        origin: 'edited',
        year: 2023,
        updated_by: 'stats',
        preloaded: { threshold: 85 },
      });
      expect(await t.store.db.selectFrom('indicator_targets').select('year').execute()).toHaveLength(2);

      await clearTarget(t.store.db, actor, { ...base, year: 2023 });
      expect(await ger(COUNTY, 2023)).toMatchObject({ threshold: 88 });
      await clearTarget(t.store.db, actor, { ...base, year: null });
      expect(await ger(COUNTY, 2023)).toMatchObject({
        threshold: 85,
        source: expect.stringMatching(/preloaded/),
      });
    });

    it('gives for several years at once exactly what each year gives alone', async () => {
      const base = { indicator_id: 'preschool_ger', stage: null, comparator: 'at_least' } as const;
      await setTarget(t.store.db, actor, { ...base, region_code: COUNTY, year: null, threshold: 88 });
      await setTarget(t.store.db, actor, { ...base, region_code: COUNTY, year: 2022, threshold: 90 });
      await setTarget(t.store.db, actor, { ...base, region_code: CITY, year: 2024, threshold: 92 });
      await setTarget(t.store.db, actor, {
        region_code: OTHER,
        indicator_id: 'pupil_teacher_ratio',
        stage: 'primary',
        comparator: 'at_most',
        year: 2023,
        threshold: 18,
      });
      const codes = [CITY, COUNTY, OTHER, TOWNSHIP, '4114020010'];
      const years = [2021, 2022, 2023, 2024];
      const together = await loadEffectiveTargetsOver(t.store.db, codes, years);
      expect([...together.keys()]).toEqual(years);
      for (const y of years)
        expect(together.get(y)).toEqual(await loadEffectiveTargets(t.store.db, codes, y));
      // The edits show where they apply, and only there.
      const ger = (y: number, code: string) => targetFor(together.get(y)!.get(code)!, 'preschool_ger', null);
      expect([2021, 2022, 2023].map((y) => ger(y, COUNTY)?.threshold)).toEqual([88, 90, 88]);
      expect(ger(2024, CITY)).toMatchObject({ threshold: 92, origin: 'edited' });
      expect(ger(2023, CITY)).toMatchObject({ origin: 'preloaded' });
    });

    it('keeps one every-year row per key (the unique key holds with a NULL year)', async () => {
      await setTarget(t.store.db, actor, {
        region_code: CITY,
        year: null,
        indicator_id: 'large_class_share',
        stage: 'primary',
        comparator: 'at_most',
        threshold: 3,
      });
      await expect(
        t.store.db
          .insertInto('indicator_targets')
          .values({
            region_code: CITY,
            county_code: null,
            year: null,
            indicator_id: 'large_class_share',
            stage: 'primary',
            comparator: 'at_most',
            threshold: 4,
            close_margin: 1,
            note: null,
            updated_by: null,
            updated_at: '2026-01-01T00:00:00.000Z',
          })
          .execute(),
      ).rejects.toThrow();
      const eff = (await loadEffectiveTargets(t.store.db, [CITY], 2023)).get(CITY)!;
      // The class-size default margin is the preloaded one (1 point), not the percent default.
      expect(targetFor(eff, 'large_class_share', 'primary')).toMatchObject({ threshold: 3, close_margin: 1 });
    });

    it('writes the audit log with before and after', async () => {
      const key = {
        region_code: COUNTY,
        year: 2023,
        indicator_id: 'migrant_public_share',
        stage: null,
      } as const;
      await setTarget(t.store.db, actor, { ...key, comparator: 'at_least', threshold: 90 });
      await setTarget(t.store.db, actor, { ...key, comparator: 'at_least', threshold: 92 });
      await clearTarget(t.store.db, actor, key);
      const log = await t.store.db.selectFrom('audit_log').selectAll().orderBy('id').execute();
      expect(log.map((r) => r.action)).toEqual(['target.set', 'target.set', 'target.clear']);
      expect(log[0]).toMatchObject({
        resource_type: 'indicator_target',
        resource_id: `${COUNTY}/2023/migrant_public_share/`,
        county_code: COUNTY,
        username: 'stats',
      });
      expect(JSON.parse(log[0].detail!)).toEqual({
        before: null,
        after: { comparator: 'at_least', threshold: 90, close_margin: 2, note: null },
      });
      expect(JSON.parse(log[1].detail!).before.threshold).toBe(90);
      expect(JSON.parse(log[2].detail!)).toMatchObject({ before: { threshold: 92 }, after: null });
    });

    it('rejects bad input naming the field and leaves data unchanged', async () => {
      const good = {
        region_code: COUNTY,
        year: 2023,
        indicator_id: 'preschool_ger',
        stage: null,
        comparator: 'at_least',
        threshold: 87,
      } as const;
      await setTarget(t.store.db, actor, good);
      const before = await t.store.db.selectFrom('indicator_targets').selectAll().execute();
      const auditBefore = await t.store.db.selectFrom('audit_log').selectAll().execute();
      for (const [bad, field] of [
        [{ indicator_id: 'nope' }, 'indicator_id'],
        [{ stage: 'primary' }, 'stage'],
        [{ threshold: 120 }, 'threshold'],
        [{ close_margin: -1 }, 'close_margin'],
        [{ region_code: '419999' }, 'region_code'],
        [{ year: 12 }, 'year'],
      ] as const)
        await expect(setTarget(t.store.db, actor, { ...good, ...bad }), field).rejects.toMatchObject({
          field,
        });
      await expect(clearTarget(t.store.db, actor, { ...good, year: 2024 })).rejects.toMatchObject({
        code: 'targets.not_found',
      });
      expect(await t.store.db.selectFrom('indicator_targets').selectAll().execute()).toEqual(before);
      expect(await t.store.db.selectFrom('audit_log').selectAll().execute()).toEqual(auditBefore);
    });

    it('sets, lists and clears targets from the command line, audited as the CLI', async () => {
      const env = { DATABASE_URL: t.url };
      const key = ['--region', COUNTY, '--year', '2023', '--indicator', 'senior_ger'];
      const set = runCli(
        ['indicators', 'targets', 'set', ...key, '--comparator', 'at_least', '--threshold', '90'],
        env,
      );
      expect(set.status, set.stderr).toBe(0);
      const list = runCli(['indicators', 'targets', '--region', COUNTY, '--year', '2023'], env);
      const senior = JSON.parse(list.stdout).find(
        (x: { indicator_id: string }) => x.indicator_id === 'senior_ger',
      );
      expect(senior).toMatchObject({ threshold: 90, origin: 'edited', preloaded: null });
      const table = runCli(
        ['indicators', 'targets', '--region', COUNTY, '--year', '2023', '--format', 'table'],
        env,
      );
      expect(table.stdout).toMatch(/高中阶段毛入学率.*≥ 90%/);
      const bad = runCli(
        ['indicators', 'targets', 'set', ...key, '--comparator', 'at_least', '--threshold', '101'],
        env,
      );
      expect(bad.status).toBe(1);
      expect(bad.stderr).toMatch(/--threshold: .*between 0 and 100/);
      expect(runCli(['indicators', 'targets', 'clear', ...key], env).status).toBe(0);
      expect(await t.store.db.selectFrom('indicator_targets').selectAll().execute()).toEqual([]);
      const log = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'username'])
        .orderBy('id')
        .execute();
      expect(log.map((r) => r.action)).toEqual(['target.set', 'target.clear']);
      expect(log[0].username).toMatch(/^cli:/);
    }, 180_000);
  });
}
