import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCity, computeDemoIndicators } from '../../src/demo/index.ts';
import {
  computeIndicators,
  type IndicatorResult,
  type ParsedIndicatorInput,
} from '../../src/engines/indicators/index.ts';
import { loadIndicatorInput } from '../../src/indicators/load.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { find, paperCensus } from './fixture.ts';

const CITY = '411400';
const COUNTIES = ['411402', '411423'];
const SEED_2023: [string, number][] = [
  ['preschool_ger', 93.16],
  ['compulsory_retention_raw', 97.96],
  ['senior_ger', 92.86],
  ['after_school_participation', 95.25],
  ['migrant_public_share', 94.52],
];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`indicators over the small demo city on ${dialect}`, () => {
    let t: TestDatabase;
    let city: IndicatorResult[];
    let cityInput: ParsedIndicatorInput;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await buildDemoCity(t.store, { scale: 'small', seed: 1 });
      cityInput = await loadIndicatorInput(t.store.db, { kind: 'region', code: CITY }, 2023);
      city = computeIndicators(cityInput);
    }, 120_000);
    afterAll(async () => t?.drop());

    it('gives the five 2023 seed figures within ±0.3 points', () => {
      for (const [id, target] of SEED_2023) {
        const r = find(city, id);
        expect(r.value, id).not.toBeNull();
        expect(Math.abs(r.value! - target), `${id} ${r.value}`).toBeLessThanOrEqual(0.3);
      }
    });

    it('computes every indicator for the city, with no NaN or Infinity', () => {
      for (const r of city) {
        if (r.value === null) expect(r.reason).not.toBeNull();
        else expect(Number.isFinite(r.value)).toBe(true);
      }
      for (const id of [
        'inclusive_kg_coverage',
        'public_kg_share',
        'compulsory_retention',
        'group_coverage_schools',
      ])
        expect(find(city, id).value, id).not.toBeNull();
      for (const st of ['primary', 'junior', 'senior'])
        expect(find(city, 'pupil_teacher_ratio', st).value).not.toBeNull();
    });

    it("the city's numerators and denominators are its counties' sums", async () => {
      const parts = await Promise.all(
        COUNTIES.map(async (c) =>
          computeIndicators(await loadIndicatorInput(t.store.db, { kind: 'region', code: c }, 2023)),
        ),
      );
      city.forEach((r, i) => {
        expect(r.numerator).toBeCloseTo(parts[0][i].numerator + parts[1][i].numerator, 6);
        if (r.denominator !== null)
          expect(r.denominator).toBeCloseTo(
            (parts[0][i].denominator ?? 0) + (parts[1][i].denominator ?? 0),
            6,
          );
      });
    });

    it('the demo summary check is the engine over the whole store', async () => {
      const d = await computeDemoIndicators(t.store.db, 2023);
      expect(d.kindergartenGross.rate).toBeCloseTo(find(city, 'preschool_ger').value!, 9);
      expect(d.retention.numerator).toBe(find(city, 'compulsory_retention_raw').numerator);
      expect(d.migrantPublic.denominator).toBe(find(city, 'migrant_public_share').denominator);
    });

    it('loads a township and a school; a school has no population, so no gross rates', async () => {
      const s = await t.store.db
        .selectFrom('schools')
        .select(['code', 'township_code'])
        .where('school_type', '=', 'primary')
        .where('township_code', 'is not', null)
        .orderBy('id')
        .executeTakeFirstOrThrow();
      const school = computeIndicators(
        await loadIndicatorInput(t.store.db, { kind: 'region', code: s.code }, 2023),
      );
      expect(find(school, 'preschool_ger').value).toBeNull();
      expect(find(school, 'after_school_participation').value).not.toBeNull();
      const town = await loadIndicatorInput(t.store.db, { kind: 'region', code: s.township_code! }, 2023);
      expect(town.schools.length).toBeGreaterThan(0);
      const pupils = computeIndicators(town);
      expect(find(pupils, 'after_school_participation').denominator).toBeGreaterThan(0);
      await expect(
        loadIndicatorInput(t.store.db, { kind: 'region', code: '999999' }, 2023),
      ).rejects.toMatchObject({
        field: '--region',
      });
    });

    it.runIf(dialect === 'sqlite')(
      'prints the figures through bin/eduatlas indicators, json and table',
      () => {
        const r = runCli(['indicators', '--region', CITY, '--year', '2023'], { DATABASE_URL: t.url });
        expect(r.stderr).toBe('');
        expect(r.status).toBe(0);
        const json = JSON.parse(r.stdout) as IndicatorResult[];
        expect(json).toHaveLength(city.length);
        expect(find(json, 'senior_ger').value).toBeCloseTo(find(city, 'senior_ger').value!, 9);
        const table = runCli(['indicators', '--region', CITY, '--year', '2023', '--format', 'table'], {
          DATABASE_URL: t.url,
        });
        expect(table.status).toBe(0);
        expect(table.stdout).toContain('学前三年毛入园率');
        expect(table.stdout).toContain('%');
      },
    );
  });
}

describe('bin/eduatlas indicators solve', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-ind-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('computes the paper census from a JSON file, as the engine does', () => {
    const file = path.join(dir, 'census.json');
    fs.writeFileSync(file, JSON.stringify(paperCensus()));
    const r = runCli(['indicators', 'solve', file]);
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(computeIndicators(paperCensus()));
  });

  it('names the JSON path of a bad field in one line', () => {
    const bad = paperCensus() as unknown as { census: Record<string, unknown>[] };
    bad.census[2].pupils = -4;
    const file = path.join(dir, 'bad.json');
    fs.writeFileSync(file, JSON.stringify(bad));
    const r = runCli(['indicators', 'solve', file]);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('census[2].pupils');
  });
});
