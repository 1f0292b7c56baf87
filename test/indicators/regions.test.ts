import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCity } from '../../src/demo/index.ts';
import { computeIndicators, type IndicatorResult } from '../../src/engines/indicators/index.ts';
import { loadIndicatorInput, resolveRegion } from '../../src/indicators/load.ts';
import {
  computeIndicatorTrend,
  computeRegionIndicators,
  type RegionIndicators,
} from '../../src/indicators/regions.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const CITY = '411400';

function expectSame(batch: IndicatorResult[], single: IndicatorResult[], label: string) {
  expect(
    batch.map((r) => [r.id, r.stage, r.reason?.en ?? null]),
    label,
  ).toEqual(single.map((r) => [r.id, r.stage, r.reason?.en ?? null]));
  batch.forEach((r, i) => {
    const s = single[i];
    const where = `${label} ${r.id} ${r.stage}`;
    expect(r.numerator, where).toBeCloseTo(s.numerator, 9);
    if (s.denominator === null) expect(r.denominator, where).toBeNull();
    else expect(r.denominator, where).toBeCloseTo(s.denominator, 9);
    if (s.value === null) expect(r.value, where).toBeNull();
    else expect(r.value, where).toBeCloseTo(s.value, 9);
  });
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`indicators of every region at once on ${dialect}`, () => {
    let t: TestDatabase;
    let all: RegionIndicators[];
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await buildDemoCity(t.store, { scale: 'small', seed: 1 });
      all = await computeRegionIndicators(t.store.db, CITY, 2023, { deepest: 'school' });
    }, 120_000);
    afterAll(async () => t?.drop());

    it('covers the city, each county, each township and each school once, children after parents', () => {
      const levels = new Map<string, number>();
      for (const r of all) levels.set(r.level, (levels.get(r.level) ?? 0) + 1);
      expect(levels.get('city')).toBe(1);
      expect(levels.get('county')).toBeGreaterThanOrEqual(2);
      expect(levels.get('township')).toBeGreaterThan(0);
      expect(levels.get('school')).toBeGreaterThan(0);
      expect(new Set(all.map((r) => r.code)).size).toBe(all.length);
      const seen = new Set<string>();
      for (const r of all) {
        if (r.parentCode !== null) expect(seen.has(r.parentCode), r.code).toBe(true);
        seen.add(r.code);
      }
    });

    it('gives each region what the single-region loader and the engine give (property)', async () => {
      await fc.assert(
        fc.asyncProperty(fc.integer({ min: 0, max: all.length - 1 }), async (i) => {
          const r = all[i];
          const single = computeIndicators(
            await loadIndicatorInput(t.store.db, { kind: 'region', code: r.code }, 2023),
          );
          expectSame(r.results, single, `${r.level} ${r.code}`);
        }),
        { numRuns: 25, seed: 4 },
      );
      // The extremes always: the city and the first county.
      for (const r of all.filter((x) => x.level !== 'school').slice(0, 2))
        expectSame(
          r.results,
          computeIndicators(await loadIndicatorInput(t.store.db, { kind: 'region', code: r.code }, 2023)),
          r.code,
        );
    });

    it('stops at the level asked for', async () => {
      const counties = await computeRegionIndicators(t.store.db, CITY, 2023, { deepest: 'county' });
      expect(counties.map((r) => r.level)).toEqual(['city', ...counties.slice(1).map(() => 'county')]);
      const county = all.find((r) => r.level === 'county')!;
      const towns = await computeRegionIndicators(t.store.db, county.code, 2023);
      expect(towns[0].code).toBe(county.code);
      expect(towns.slice(1).every((r) => r.level === 'township' && r.parentCode === county.code)).toBe(true);
      await expect(computeRegionIndicators(t.store.db, '999999', 2023)).rejects.toMatchObject({
        code: 'indicators.region_not_found',
      });
    });

    it('gives a trend over the census years equal to the year-by-year figures', async () => {
      const county = all.find((r) => r.level === 'county')!;
      const trend = await computeIndicatorTrend(t.store.db, await resolveRegion(t.store.db, county.code));
      const years = trend.map((y) => y.year);
      expect(years).toEqual([...years].sort((a, b) => a - b));
      expect(years).toContain(2023);
      const y = trend.find((x) => x.year === 2023)!;
      expectSame(y.results, county.results, 'trend 2023');
    });
  });
}
