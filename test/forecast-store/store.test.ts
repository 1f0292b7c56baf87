import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCity } from '../../src/demo/index.ts';
import { forecastEnrollment } from '../../src/engines/forecast/engine.ts';
import { loadRunBalance } from '../../src/forecast/balance.ts';
import { parseHousingYield } from '../../src/forecast/housing.ts';
import { loadForecastInput } from '../../src/forecast/input.ts';
import { fingerprintOf, listRuns, makeRun, requireRun, saveRun } from '../../src/forecast/runs.ts';
import { stageSeats } from '../../src/forecast/supply.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const CITY = '411400';
const HOME = '411402';
const COUNTIES = [HOME, '411423'];
const ACTOR = { userId: null, username: 'test', role: 'cli', ip: null };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`forecast over the small demo city on ${dialect}`, () => {
    let t: TestDatabase;
    const db = () => t.store.db;
    /** Σ pupils of the census per key (county or township) and year and grade, straight from SQL. */
    const censusSums = async (by: 'county_code' | 'township_code') => {
      const rows = await db()
        .selectFrom('census')
        .innerJoin('schools', 'schools.id', 'census.school_id')
        .select([`schools.${by} as key`, 'census.year', 'census.grade'])
        .select((eb) =>
          eb.fn.sum<number>(eb(eb.ref('census.pupils_male'), '+', eb.ref('census.pupils_female'))).as('n'),
        )
        .groupBy([`schools.${by}`, 'census.year', 'census.grade'])
        .execute();
      return new Map(rows.map((r) => [`${r.key}|${r.year}|${r.grade}`, Number(r.n)]));
    };

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await buildDemoCity(t.store, { scale: 'small', seed: 1 });
    }, 120_000);
    afterAll(async () => t?.drop());

    it('builds the city input by county: enrollment equals the census sums, births the stored births', async () => {
      const { input, set, excluded } = await loadForecastInput(db(), { region: CITY, horizon: 5 });
      expect(set.level).toBe('county');
      expect(input.areas.map((a) => a.id)).toEqual(COUNTIES);
      expect(excluded).toEqual([]);
      expect(input).toMatchObject({ baseYear: 2025, horizon: 5, window: 3, cutoffMonth: 8 });
      const sums = await censusSums('county_code');
      let cells = 0;
      for (const a of input.areas) {
        expect(Object.keys(a.enrollment)).toEqual(Array.from({ length: 13 }, (_, i) => String(2013 + i)));
        for (const [y, row] of Object.entries(a.enrollment))
          for (const [g, n] of Object.entries(row)) {
            expect(n, `${a.id} ${y} ${g}`).toBe(sums.get(`${a.id}|${y}|${g}`));
            cells++;
          }
        const births = await db().selectFrom('births').selectAll().where('region_code', '=', a.id).execute();
        expect(Object.keys(a.births)).toHaveLength(21);
        for (const b of births) expect(a.births[b.year]).toBe(b.births);
      }
      // Every census cell of the two counties is in the input.
      expect(cells).toBe([...sums.keys()].filter((k) => COUNTIES.includes(k.slice(0, 6))).length);
    });

    it('builds a county by township: the townships add up to the county, births by grade-1 share', async () => {
      const county = await loadForecastInput(db(), { region: HOME, horizon: 5, areas: 'county' });
      const towns = await loadForecastInput(db(), { region: HOME, horizon: 5 });
      expect(towns.set.level).toBe('township');
      const sums = await censusSums('township_code');
      const total = new Map<string, number>();
      for (const a of towns.input.areas) {
        expect(a.id.slice(0, 6)).toBe(HOME);
        for (const [y, row] of Object.entries(a.enrollment))
          for (const [g, n] of Object.entries(row)) {
            expect(n).toBe(sums.get(`${a.id}|${y}|${g}`));
            total.set(`${y}|${g}`, (total.get(`${y}|${g}`) ?? 0) + n);
          }
      }
      const whole = county.input.areas[0]!;
      const left = new Set(towns.excluded.map((x) => `${x.area}|${x.grade}`));
      if (left.size === 0)
        for (const [y, row] of Object.entries(whole.enrollment))
          for (const [g, n] of Object.entries(row)) expect(total.get(`${y}|${g}`), `${y} ${g}`).toBe(n);
      // Shares of grade 1 sum to 1 over the townships that teach it, so their births add up to the county's.
      const births2020 = towns.input.areas.reduce(
        (s, a) => s + (a.enrollment[2025]?.G1 ? a.births[2020]! : 0),
        0,
      );
      expect(births2020).toBeCloseTo(whole.births[2020]!, 0);
    });

    it('forms catchment areas from the primary catchments', async () => {
      const { input, set } = await loadForecastInput(db(), { region: HOME, horizon: 5, areas: 'catchment' });
      expect(set.level).toBe('catchment');
      expect(input.areas.length).toBeGreaterThan(3);
      for (const a of input.areas) expect(a.id).toMatch(/^C/);
      // A school is in one catchment area at most.
      const ids = set.areas.flatMap((a) => a.schoolIds);
      expect(new Set(ids).size).toBe(ids.length);
      const { township_code: town } = await db()
        .selectFrom('schools')
        .select('township_code')
        .where('id', '=', set.areas[0]!.schoolIds[0]!)
        .executeTakeFirstOrThrow();
      await expect(
        loadForecastInput(db(), { region: town!, horizon: 5, areas: 'county' }),
      ).rejects.toMatchObject({
        code: 'forecast.area_level',
        field: '--areas',
      });
      await expect(loadForecastInput(db(), { region: '411403', horizon: 5 })).rejects.toMatchObject({
        code: 'forecast.no_schools',
        field: '--region',
      });
    });

    it('fingerprints the input: same data, same fingerprint; a changed census, another', async () => {
      const a = await makeRun(db(), { region: CITY, horizon: 5 });
      const b = await makeRun(db(), { region: CITY, horizon: 5 });
      expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
      expect(b.fingerprint).toBe(a.fingerprint);
      expect(fingerprintOf(a.input)).toBe(a.fingerprint);
      // The stored input reproduces the result through the engine alone.
      expect(forecastEnrollment(a.input)).toEqual(a.result);
      expect(a.result.intervals).toBeDefined();
      const row = await db()
        .selectFrom('census')
        .select(['school_id', 'pupils_male'])
        .where('county_code', '=', HOME)
        .where('year', '=', 2025)
        .where('grade', '=', 'G3')
        .orderBy('school_id')
        .executeTakeFirstOrThrow();
      await db()
        .updateTable('census')
        .set({ pupils_male: row.pupils_male + 1 })
        .where('school_id', '=', row.school_id)
        .where('year', '=', 2025)
        .where('grade', '=', 'G3')
        .execute();
      try {
        const c = await makeRun(db(), { region: CITY, horizon: 5 });
        expect(c.fingerprint).not.toBe(a.fingerprint);
      } finally {
        await db()
          .updateTable('census')
          .set({ pupils_male: row.pupils_male })
          .where('school_id', '=', row.school_id)
          .where('year', '=', 2025)
          .where('grade', '=', 'G3')
          .execute();
      }
    });

    it('adds the housing pipeline with a given yield, placed in townships', async () => {
      const plain = await makeRun(db(), { region: HOME, horizon: 6, intervals: null });
      const housing = parseHousingYield({
        yield: { G1: 0.05, G2: 0.05 },
        phasing: [0.5, 1],
        statuses: ['planned', 'approved', 'under_construction', 'delivered'],
      });
      const run = await makeRun(db(), { region: HOME, horizon: 6, intervals: null, housing });
      const h = run.parameters.housing!;
      const units = await db()
        .selectFrom('housing')
        .select(['region_code', 'delivery_year', 'units'])
        .where('county_code', '=', HOME)
        .execute();
      expect(h.projects + h.unplaced.length).toBe(units.length);
      expect(h.projects).toBeGreaterThan(0);
      expect(run.fingerprint).not.toBe(plain.fingerprint);
      // A project delivered after the base year adds units × yield × phasing growth to G1 of its township.
      const later = run.input.options!.housing!.filter((x) => x.deliveryYear > 2025 && x.deliveryYear < 2031);
      expect(later.length).toBeGreaterThan(0);
      const x = later[0]!;
      const sameArea = run.input.options!.housing!.filter((y) => y.area === x.area);
      // Phasing [0.5, 1]: half the yield in the delivery year, all of it from the next.
      const share = (t: number, d: number) => (t < d ? 0 : t === d ? 0.5 : 1);
      const added = sameArea.reduce(
        (s, y) => s + y.units * 0.05 * (share(2031, y.deliveryYear) - share(2025, y.deliveryYear)),
        0,
      );
      expect(run.result.areas[x.area]![2031]!.G1! - plain.result.areas[x.area]![2031]!.G1!).toBeCloseTo(
        added,
        6,
      );
      expect(() => parseHousingYield({ yield: { G13: 1 } })).toThrow(/G13/);
    });

    it('saves a named run once per region, lists it and finds it by name', async () => {
      const run = await makeRun(db(), { region: HOME, horizon: 6, areas: 'county' });
      const saved = await saveRun(db(), run, '基准方案', ACTOR);
      expect(saved.id).toBeGreaterThan(0);
      await expect(saveRun(db(), run, '基准方案', ACTOR)).rejects.toMatchObject({
        code: 'forecast.run_exists',
        field: '--save',
      });
      const list = await listRuns(db(), { region: HOME });
      expect(list.map((r) => [r.name, r.fingerprint, r.horizon])).toEqual([['基准方案', run.fingerprint, 6]]);
      const back = await requireRun(db(), { name: '基准方案' });
      expect(back.result).toEqual(run.result);
      expect(back.input).toEqual(run.input);
      await expect(requireRun(db(), { name: '没有' })).rejects.toMatchObject({
        code: 'forecast.run_not_found',
      });
      const audit = await db()
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'forecast.run')
        .execute();
      expect(audit).toHaveLength(1);
    });

    it('sets the run against capacity and the projects delivered by each year', async () => {
      const run = await requireRun(db(), { name: '基准方案' });
      const before = await loadRunBalance(db(), run);
      const capacity = await db()
        .selectFrom('school_capacity')
        .select(['grade', 'planned_classes', 'standard_class_size'])
        .where('county_code', '=', HOME)
        .where('grade', 'in', ['G7', 'G8', 'G9'])
        .execute();
      const juniorSeats = capacity.reduce((s, c) => s + c.planned_classes * c.standard_class_size, 0);
      const at = (b: typeof before, year: number) =>
        b.balance.rows.find((r) => r.area === HOME && r.stage === 'junior' && r.year === year)!;
      expect(at(before, 2027).seats).toBe(juniorSeats);
      await db()
        .insertInto('projects')
        .values({
          code: 'XM-001',
          name: '梁园区第二初级中学（示例）',
          county_code: HOME,
          region_code: HOME,
          school_id: null,
          stage: 'junior',
          seats: 1500,
          delivery_year: 2028,
          status: 'under_construction',
          updated_at: new Date().toISOString(),
        })
        .execute();
      const after = await loadRunBalance(db(), run);
      expect(at(after, 2027).seats).toBe(juniorSeats);
      expect(at(after, 2028)).toMatchObject({ seats: juniorSeats + 1500, projectSeats: 1500 });
      expect(at(after, 2028).gap - at(before, 2028).gap).toBe(1500);
      const a = after.supply.areas.get(HOME)!;
      expect(stageSeats(a, 'junior', 2031, after.supply.options).projectSeats).toBe(1500);
      // Pupils are the run's, observed in the base year.
      const base = run.input.areas[0]!.enrollment[2025]!;
      expect(at(after, 2025)).toMatchObject({ observed: true, pupils: base.G7! + base.G8! + base.G9! });
    });

    it('runs the commands: run --save, runs, balance json and xlsx, backtest', async () => {
      const env = { DATABASE_URL: t.url };
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-forecast-'));
      const run = runCli(['forecast', 'run', '--region', CITY, '--horizon', '5', '--save', '城市方案'], env);
      expect(run.status, run.stderr).toBe(0);
      const result = JSON.parse(run.stdout);
      expect(Object.keys(result.areas)).toEqual(COUNTIES);
      expect(Object.keys(result.areas[HOME])).toEqual(['2026', '2027', '2028', '2029', '2030']);
      expect(run.stderr).toContain('城市方案');
      const runs = runCli(['forecast', 'runs', '--format', 'json'], env);
      expect(JSON.parse(runs.stdout).map((r: { name: string }) => r.name)).toContain('城市方案');
      const bal = runCli(['forecast', 'balance', '--run', '城市方案'], env);
      expect(bal.status, bal.stderr).toBe(0);
      const view = JSON.parse(bal.stdout);
      expect(view.flags.length).toBe(view.rows.length / 6);
      const file = path.join(dir, 'b.xlsx');
      const x = runCli(['forecast', 'balance', '--run', '城市方案', '--format', 'xlsx', '--out', file], env);
      expect(x.status, x.stderr).toBe(0);
      const book = new ExcelJS.Workbook();
      await book.xlsx.readFile(file);
      expect(book.worksheets.map((w) => w.name)).toEqual(['预警', '供需平衡']);
      expect(book.worksheets[1]!.getRow(1).getCell(9).value).toBe('富余(+)/缺口(−)');
      expect(book.worksheets[1]!.rowCount).toBe(view.rows.length + 1);
      const bt = runCli(
        ['forecast', 'backtest', '--region', CITY, '--holdout', '3', '--format', 'json'],
        env,
      );
      expect(bt.status, bt.stderr).toBe(0);
      const r = JSON.parse(bt.stdout);
      expect(r).toMatchObject({ origin: 2022, holdout: 3, areas: 2 });
      expect(r.byHorizon.map((h: { horizon: number }) => h.horizon)).toEqual([1, 2, 3]);
      // Intervals made in 2022 from the errors known then (origins 2017–2021) cover horizons 1–2 at most.
      expect(r.coverage.level).toBe(0.8);
      const cover = r.coverage.byHorizon as { horizon: number; cells: number; share: number | null }[];
      expect(cover.map((c) => c.horizon)).toEqual([1, 2, 3]);
      expect(cover[0]!.cells).toBeGreaterThan(0);
      expect(cover[0]!.share).toBeGreaterThan(0);
      expect(cover[0]!.share).toBeLessThanOrEqual(1);
      const missing = runCli(['forecast', 'run', '--horizon', '5'], env);
      expect(missing.status).toBe(1);
      expect(missing.stderr).toContain('--region');
      const none = runCli(['forecast', 'balance', '--run', '没有'], env);
      expect(none.status).toBe(1);
      expect(none.stderr).toContain('--run');
      fs.rmSync(dir, { recursive: true, force: true });
    }, 300_000);
  });
}
