import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCity } from '../../src/demo/index.ts';
import { STAGE_GRADES } from '../../src/domain/stages.ts';
import { type ForecastRun, makeRun, saveRun } from '../../src/forecast/runs.ts';
import { importFile } from '../../src/io/import.ts';
import { apportion, DEFAULT_PLANNING_OPTIONS, loadPlanningInput } from '../../src/planning/input.ts';
import {
  compareScenarios,
  listScenarios,
  makeScenario,
  planningFingerprint,
  requireScenario,
  saveScenario,
  scenarioProjects,
  writeProjectList,
} from '../../src/planning/scenarios.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const HOME = '411402';
const ACTOR = { userId: null, username: 'test', role: 'cli', ip: null };

describe('apportion', () => {
  it('gives whole pupils summing to the rounded total, equal shares without weights', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(99.6, [3, 1, 0])).toEqual([75, 25, 0]);
    expect(apportion(7, [0, 0])).toEqual([4, 3]);
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`planning over the small demo city on ${dialect}`, () => {
    let t: TestDatabase;
    let run: ForecastRun;
    const db = () => t.store.db;
    const year = () => run.input.baseYear + 3;

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await buildDemoCity(t.store, { scale: 'small', seed: 1 });
      run = await saveRun(
        db(),
        await makeRun(db(), { region: HOME, horizon: 5, intervals: null }),
        '基准',
        ACTOR,
      );
    }, 180_000);
    afterAll(async () => t?.drop());

    it('apportions each area’s forecast of the stage to its demand points, summing to the forecast', async () => {
      for (const stage of ['primary', 'junior'] as const) {
        const built = await loadPlanningInput(db(), { county: HOME, stage, year: year(), run });
        const byId = new Map(built.input.demand_points.map((d) => [d.id, d.pupils]));
        expect(built.areas.length).toBeGreaterThan(0);
        for (const a of built.areas) {
          const forecast = STAGE_GRADES[stage].reduce(
            (s, g) => s + (run.result.areas[a.id]![String(year())]![g] ?? 0),
            0,
          );
          expect(a.pupils).toBeCloseTo(forecast, 6);
          expect(a.points.reduce((s, id) => s + byId.get(id)!, 0)).toBe(Math.round(forecast));
        }
        expect(built.input.schools!.length).toBeGreaterThan(0);
        for (const s of built.input.schools!) expect(s.capacity).toBeGreaterThan(0);
      }
    });

    it('refuses a year outside the run and a county the run does not cover', async () => {
      await expect(
        loadPlanningInput(db(), { county: HOME, stage: 'primary', year: 1999, run }),
      ).rejects.toMatchObject({ code: 'planning.year_outside_run', field: '--year' });
      await expect(
        loadPlanningInput(db(), { county: '411423', stage: 'primary', year: year(), run }),
      ).rejects.toMatchObject({ code: 'planning.run_county', field: '--forecast' });
    });

    it('saves scenarios with a stable fingerprint that changes with the inputs, compares and exports them', async () => {
      const base = await makeScenario(db(), { county: HOME, stage: 'primary', year: year(), run });
      expect(base.result.status, JSON.stringify(base.result.infeasibility)).toMatch(/optimal|feasible/);
      const again = await makeScenario(db(), { county: HOME, stage: 'primary', year: year(), run });
      expect(again.fingerprint).toBe(base.fingerprint);
      expect(planningFingerprint(again.input)).toBe(base.fingerprint);
      const saved = await saveScenario(db(), base, '现状扩建', ACTOR);
      const loaded = await requireScenario(db(), { name: '现状扩建', county: HOME });
      expect(loaded.fingerprint).toBe(base.fingerprint);
      expect(planningFingerprint(loaded.input)).toBe(base.fingerprint);
      await expect(saveScenario(db(), base, '现状扩建', ACTOR)).rejects.toMatchObject({
        code: 'planning.scenario_exists',
      });

      // Free building and new sites where most pupils live: the plan builds, so the export has rows.
      const largest = [...base.input.demand_points].sort((a, b) => b.pupils - a.pupils).slice(0, 2);
      const build = await makeScenario(db(), {
        county: HOME,
        stage: 'primary',
        year: year(),
        run,
        costWeight: 0,
        allowSplit: true,
        sites: largest.map((d, i) => ({
          id: `S${i + 1}`,
          lng: d.lng + 0.001,
          lat: d.lat,
          options: [{ capacity: 1080, cost_fen: 6_000_000_000 }],
          boarding: false,
        })),
      });
      expect(build.result.plan!.summary.new_schools).toBeGreaterThan(0);
      expect(build.fingerprint).not.toBe(base.fingerprint);
      const built = await saveScenario(db(), build, '新建两校', ACTOR);

      const rows = await compareScenarios(db(), ['现状扩建', '新建两校'], HOME);
      expect(rows.map((r) => r.name)).toEqual(['现状扩建', '新建两校']);
      expect(rows[0]).toMatchObject({
        meanKm: base.result.plan!.summary.mean_km,
        maxKm: base.result.plan!.summary.max_km,
        seatsAdded: base.result.plan!.summary.seats_added,
        netCostFen: base.result.plan!.summary.net_cost_fen,
        schoolsClosed: base.result.plan!.summary.schools_closed,
      });
      // Projected class sizes (class-sizes.test.ts by hand): kept per grade, summing to the classes.
      for (const [code, n] of Object.entries(base.parameters.classes))
        expect(Object.values(base.parameters.classesByGrade![code]!).reduce((x, y) => x + y!, 0)).toBe(n);
      expect(base.parameters.areas!.length).toBeGreaterThan(0);
      expect(rows[0]!.largeClassShare).toBeGreaterThanOrEqual(rows[0]!.superLargeClassShare!);
      expect(rows[0]!.largeClassShare).toBeLessThanOrEqual(1);
      expect((await listScenarios(db(), { county: HOME })).map((s) => s.name).sort()).toEqual([
        '新建两校',
        '现状扩建',
      ]);

      expect(rows[1]).toMatchObject({
        newSchools: build.result.plan!.summary.new_schools,
        status: build.result.status,
      });
      expect((await scenarioProjects(db(), saved)).length).toBe(base.result.plan!.summary.schools_expanded);

      const projects = await scenarioProjects(db(), built);
      const actions = build.result.plan!.summary.schools_expanded + build.result.plan!.summary.new_schools;
      expect(projects).toHaveLength(actions);
      expect(projects.reduce((s, p) => s + Number(p.seats), 0)).toBe(build.result.plan!.summary.seats_added);
      expect(projects.every((p) => p.status === 'planned' && p.delivery_year === year())).toBe(true);
      const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'planning-')), 'plan.xlsx');
      await writeProjectList(projects, file);
      const imported = await importFile(db(), 'projects', file);
      expect(imported.errors, JSON.stringify(imported.errors)).toHaveLength(0);
      expect(imported).toMatchObject({ written: true, inserted: actions });
      const again2 = await importFile(db(), 'projects', file);
      expect(again2).toMatchObject({ inserted: 0, updated: 0, unchanged: actions });
    }, 180_000);

    it('runs the commands: run --save, scenarios, compare, export', async () => {
      const env = { DATABASE_URL: t.url };
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-planning-'));
      const args = ['--county', HOME, '--stage', 'junior', '--year', String(year()), '--forecast', '基准'];
      const a = runCli(['planning', 'run', ...args, '--save', '初中现状'], env);
      expect(a.status, a.stderr).toBe(0);
      expect(JSON.parse(a.stdout).status).toMatch(/optimal|feasible/);
      const b = runCli(['planning', 'run', ...args, '--radius-rural', '6', '--save', '初中六公里'], env);
      expect(b.status, b.stderr).toBe(0);
      const taken = runCli(['planning', 'run', ...args, '--save', '初中现状'], env);
      expect(taken.status).not.toBe(0);
      expect(taken.stderr).toContain('--save');
      const list = JSON.parse(
        runCli(['planning', 'scenarios', '--county', HOME, '--format', 'json'], env).stdout,
      );
      expect(list.map((s: { name: string }) => s.name)).toContain('初中六公里');
      const cmp = runCli(['planning', 'compare', '初中现状', '初中六公里', '--county', HOME], env);
      expect(cmp.status, cmp.stderr).toBe(0);
      expect(cmp.stdout.split('\n').filter(Boolean)).toHaveLength(3);
      const file = path.join(dir, 'plan.xlsx');
      const x = runCli(['planning', 'export', '初中现状', '--county', HOME, '--out', file], env);
      expect(x.status, x.stderr).toBe(0);
      expect(fs.existsSync(file)).toBe(true);
      const missing = runCli(['planning', 'compare', '没有这个方案'], env);
      expect(missing.stderr).toContain('没有这个方案');
    }, 120_000);

    it('passes the solver options (method, gap tolerance, nearest k) into the engine input and its fingerprint', async () => {
      const o = { county: HOME, stage: 'primary' as const, year: year(), run };
      const plain = await loadPlanningInput(db(), o);
      // Defaults: auto, 1 %, every school within the radius.
      expect(plain.input).toMatchObject({ method: 'auto', gap_tolerance: 0.01 });
      expect(plain.input).not.toHaveProperty('nearest_k');
      const tuned = await loadPlanningInput(db(), {
        ...o,
        method: 'heuristic',
        gapTolerance: 0.05,
        nearestK: 2,
      });
      expect(tuned.input).toMatchObject({ method: 'heuristic', gap_tolerance: 0.05, nearest_k: 2 });
      // Undefined options leave the defaults in place (as the CLI passes them when not given).
      const unset = await loadPlanningInput(db(), {
        ...o,
        method: undefined,
        gapTolerance: undefined,
        nearestK: undefined,
      });
      expect(unset.input).toEqual(plain.input);

      const base = await makeScenario(db(), o);
      const exact = await makeScenario(db(), { ...o, method: 'exact' });
      const gap = await makeScenario(db(), { ...o, gapTolerance: 0.05 });
      const nearest = await makeScenario(db(), { ...o, nearestK: 1 });
      expect(exact.result.method).toBe('exact');
      expect(nearest.input.nearest_k).toBe(1);
      const prints = new Set([base, exact, gap, nearest].map((s) => s.fingerprint));
      expect(prints.size).toBe(4);
      // Saved, the scenario keeps the options given and the input with them.
      const saved = await saveScenario(db(), gap, '间隙五', ACTOR);
      const loaded = await requireScenario(db(), { id: saved.id! });
      expect(loaded.parameters.options).toMatchObject({ gapTolerance: 0.05 });
      expect(loaded.input.gap_tolerance).toBe(0.05);
      expect(planningFingerprint(loaded.input)).toBe(gap.fingerprint);
    }, 180_000);

    it('takes --detour-factor, --method, --gap-tolerance and --nearest-k on the command line; refuses bad values naming the option', async () => {
      const env = { DATABASE_URL: t.url };
      const args = ['--county', HOME, '--stage', 'primary', '--year', String(year()), '--forecast', '基准'];
      const detour = runCli(
        ['planning', 'run', ...args, '--detour-factor', '1.6', '--save', '路网一点六'],
        env,
      );
      expect(detour.status, detour.stderr).toBe(0);
      const wide = await requireScenario(db(), { name: '路网一点六', county: HOME });
      expect(DEFAULT_PLANNING_OPTIONS.detourFactor).toBe(1.3);
      expect(wide.input.distance).toEqual({ method: 'haversine', detour_factor: 1.6 });
      expect(wide.parameters.options.detourFactor).toBe(1.6);
      // The same plan without the option is measured with 1.3: the distances differ.
      const plain = await makeScenario(db(), { county: HOME, stage: 'primary', year: year(), run });
      expect(plain.input.distance).toEqual({ method: 'haversine', detour_factor: 1.3 });
      expect(wide.fingerprint).not.toBe(plain.fingerprint);

      const tuned = runCli(
        [
          'planning',
          'run',
          ...args,
          '--method',
          'heuristic',
          '--gap-tolerance',
          '5',
          '--nearest-k',
          '3',
          '--save',
          '启发式',
        ],
        env,
      );
      expect(tuned.status, tuned.stderr).toBe(0);
      expect(JSON.parse(tuned.stdout).method).toBe('heuristic');
      const s = await requireScenario(db(), { name: '启发式', county: HOME });
      expect(s.input).toMatchObject({ method: 'heuristic', gap_tolerance: 0.05, nearest_k: 3 });

      for (const [option, value, says] of [
        ['--detour-factor', '0.5', '不小于 1'],
        ['--detour-factor', 'abc', '不小于 1'],
        ['--method', 'fast', 'auto, exact, heuristic'],
        ['--gap-tolerance', '150', '0–100'],
        ['--gap-tolerance', 'abc', '0–100'],
        ['--nearest-k', '0', '不小于 1 的整数'],
        ['--nearest-k', '2.5', '不小于 1 的整数'],
      ] as const) {
        const bad = runCli(['planning', 'run', ...args, option, value, '--save', '错误'], env);
        expect(bad.status, `${option} ${value}`).not.toBe(0);
        expect(bad.stderr).toContain(option);
        expect(bad.stderr).toContain(says);
      }
      expect((await listScenarios(db(), { county: HOME })).map((x) => x.name)).not.toContain('错误');
    }, 300_000);

    it('falls back to the census through the catchments when no pupil names a community', async () => {
      await db()
        .updateTable('students')
        .set({ community_code: null })
        .where('county_code', '=', HOME)
        .execute();
      const built = await loadPlanningInput(db(), { county: HOME, stage: 'primary', year: year(), run });
      const byId = new Map(built.input.demand_points.map((d) => [d.id, d.pupils]));
      let unequal = 0;
      for (const a of built.areas) {
        const shares = a.points.map((id) => byId.get(id)!);
        expect(shares.reduce((x, y) => x + y, 0)).toBe(Math.round(a.pupils));
        if (Math.max(...shares) - Math.min(...shares) > 1) unequal++;
      }
      expect(unequal).toBeGreaterThan(0);
    });
  });
}
