import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { requireScenario } from '../../src/planning/scenarios.ts';
import type { RunView } from '../../src/server/forecast-contracts.ts';
import type {
  ScenarioCompare,
  ScenarioList,
  ScenarioSummaryView,
  ScenarioView,
} from '../../src/server/planning-contracts.ts';
import { appWithUsers, type NamedUser, type NamedUsersApp, seedDemoCity } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const CITY = '411400';
const HOME = '411402';
const OTHER = '411423';

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`planning API on ${dialect}`, () => {
    let t: TestDatabase;
    let app: FastifyInstance;
    let call: NamedUsersApp['call'];
    let scenario: ScenarioSummaryView;

    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedDemoCity(t);
      const users: NamedUser[] = [
        ['planner', 'city_planning', CITY],
        ['clerk', 'county_staff', HOME],
        ['other', 'county_staff', OTHER],
      ];
      ({ app, call } = await appWithUsers(t, users));
    }, 120_000);
    afterAll(async () => {
      await app?.close();
      await t?.drop();
    });

    it('lets a county clerk plan their county from their run; others get 404', async () => {
      const run = await call<RunView>('clerk', 'POST', '/api/forecast/runs', {
        name: '基准',
        region: HOME,
        horizon: 5,
      });
      expect(run.status, JSON.stringify(run.body)).toBe(201);
      const body = {
        name: '现状',
        county: HOME,
        stage: 'primary',
        year: run.body.baseYear + 3,
        forecastRunId: run.body.id,
      };
      const made = await call<ScenarioSummaryView>('clerk', 'POST', '/api/planning/scenarios', body);
      expect(made.status, JSON.stringify(made.body)).toBe(201);
      scenario = made.body;
      expect(scenario).toMatchObject({ name: '现状', countyCode: HOME, stage: 'primary' });
      expect(scenario.status).toMatch(/optimal|feasible/);
      const again = await call<{ code: string; field: string }>(
        'clerk',
        'POST',
        '/api/planning/scenarios',
        body,
      );
      expect(again.status).toBe(409);
      expect(again.body.field).toBe('name');
      const foreign = await call<{ code: string }>('other', 'POST', '/api/planning/scenarios', {
        ...body,
        county: OTHER,
        name: 'y',
      });
      expect(foreign.status).toBe(400);
      expect(foreign.body.code).toBe('planning.forecast_run_unknown');
      const view = await call<ScenarioView>('clerk', 'GET', `/api/planning/scenarios/${scenario.id}`);
      expect(view.status).toBe(200);
      expect(view.body.demandPoints.reduce((s, d) => s + d.pupils, 0)).toBe(scenario.pupils);
      expect(view.body.facilities.length).toBeGreaterThan(0);
      // The store's errors name the body's fields (the form shows them there); a site may not take a school's id.
      const site = { lng: 115.6, lat: 34.4, boarding: false, options: [{ capacity: 900, cost_fen: 1 }] };
      for (const [bad, field, code] of [
        [{ year: run.body.baseYear + 9 }, 'year', 'planning.year_outside_run'],
        [{ mustKeep: ['0000000000'] }, 'mustKeep', 'planning.unknown_school'],
        [{ detourFactor: 0.5 }, 'body.detourFactor', 'request.invalid'],
        [{ method: 'fast' }, 'body.method', 'request.invalid'],
        [{ gapTolerance: 2 }, 'body.gapTolerance', 'request.invalid'],
        [{ nearestK: 0 }, 'body.nearestK', 'request.invalid'],
        [{ nearestK: 2.5 }, 'body.nearestK', 'request.invalid'],
        [{ sites: [{ ...site, id: view.body.facilities[0]!.id }] }, 'sites[0].id', 'planning.invalid_input'],
      ] as const) {
        const r = await call<{ code: string; field: string }>('clerk', 'POST', '/api/planning/scenarios', {
          ...body,
          name: '错误',
          ...bad,
        });
        expect(r.status).toBe(400);
        expect(r.body).toMatchObject({ field, code });
      }

      expect(view.body.assignments.reduce((s, a) => s + a.pupils, 0)).toBe(scenario.pupils);
      expect((await call('other', 'GET', `/api/planning/scenarios/${scenario.id}`)).status).toBe(404);
      expect((await call('other', 'GET', `/api/planning/compare?ids=${scenario.id}`)).status).toBe(404);
      const list = await call<ScenarioList>('other', 'GET', '/api/planning/scenarios');
      expect(list.body.scenarios).toHaveLength(0);
      const cityList = await call<ScenarioList>('planner', 'GET', '/api/planning/scenarios');
      expect(cityList.body.scenarios.map((s) => s.name)).toEqual(['现状']);
      const cmp = await call<ScenarioCompare>('planner', 'GET', `/api/planning/compare?ids=${scenario.id}`);
      expect(cmp.body.scenarios[0]).toMatchObject({ id: scenario.id, meanKm: scenario.meanKm });
      const x = await call('planner', 'GET', `/api/planning/scenarios/${scenario.id}/export`);
      expect(x.status).toBe(200);
      expect(x.raw.headers['content-type']).toContain('spreadsheetml');
      // The solver options of the body reach the saved input (and so its fingerprint).
      const tuned = await call<ScenarioSummaryView>('clerk', 'POST', '/api/planning/scenarios', {
        ...body,
        name: '启发式',
        method: 'heuristic',
        gapTolerance: 0.05,
        nearestK: 3,
      });
      expect(tuned.status, JSON.stringify(tuned.body)).toBe(201);
      expect(tuned.body.fingerprint).not.toBe(scenario.fingerprint);
      const stored = await requireScenario(t.store.db, { id: tuned.body.id });
      expect(stored.input).toMatchObject({ method: 'heuristic', gap_tolerance: 0.05, nearest_k: 3 });
      expect(stored.parameters.options).toMatchObject({
        method: 'heuristic',
        gapTolerance: 0.05,
        nearestK: 3,
      });
    }, 120_000);
  });
}
