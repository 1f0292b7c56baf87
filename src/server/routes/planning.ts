import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeAudit } from '../../audit/audit-log.ts';
import type { Action } from '../../auth/roles.ts';
import { AppError } from '../../domain/errors.ts';
import {
  findScenario,
  listScenarios,
  makeScenario,
  presentScenario,
  type Scenario,
  saveScenario,
  scenarioProjects,
  summaryOf,
  writeProjectList,
} from '../../planning/scenarios.ts';
import type { Store } from '../../store/db.ts';
import { sendDownload } from '../download.ts';
import { notFound } from '../errors.ts';
import {
  CompareQuery,
  CreateScenarioBody,
  ScenarioCompare,
  ScenarioList,
  ScenarioListQuery,
  ScenarioParams,
  ScenarioSummaryView,
  ScenarioView,
} from '../planning-contracts.ts';
import { actorOf, countyFilterOf, requireAccess } from '../session.ts';
import { visibleRun } from './forecast.ts';

/** The body fields the store's errors name (the command line's options otherwise). */
const BODY_FIELDS = { county: 'county', forecast: 'forecastRunId', year: 'year', mustKeep: 'mustKeep' };

/**
 * Layout-planning scenarios (docs/planning.md). Viewing needs `forecast.read`, making one `forecast.run`,
 * both within the scenario's county; another county's scenario, or none, is 404.
 */
export const planningRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const db = store.db;

    const visible = async (req: FastifyRequest, id: number, also?: Action): Promise<Scenario> => {
      requireAccess(req, 'forecast.read');
      if (also) requireAccess(req, also);
      const s = await findScenario(db, { id });
      if (!s) throw notFound('规划方案', 'planning scenario');
      requireAccess(req, 'forecast.read', { countyCode: s.countyCode });
      if (also) requireAccess(req, also, { countyCode: s.countyCode });
      return s;
    };

    app.get(
      '/api/planning/scenarios',
      {
        schema: {
          tags: ['planning'],
          summary: '已保存的规划方案（本人范围内）/ saved planning scenarios in the user’s scope',
          querystring: ScenarioListQuery,
          response: { 200: ScenarioList },
        },
      },
      async (req) => {
        const filter = countyFilterOf(requireAccess(req, 'forecast.read'));
        const list = await listScenarios(db, filter);
        return { scenarios: req.query.county ? list.filter((s) => s.countyCode === req.query.county) : list };
      },
    );

    app.post(
      '/api/planning/scenarios',
      {
        schema: {
          tags: ['planning'],
          summary: '由登记数据和预测方案求解并保存规划方案 / solve a layout plan over the store and save it',
          body: CreateScenarioBody,
          response: { 201: ScenarioSummaryView },
        },
      },
      async (req, reply) => {
        const { name, county, forecastRunId, ...options } = req.body;
        requireAccess(req, 'forecast.run');
        requireAccess(req, 'forecast.run', { countyCode: county });
        // A run the user may not see is as unknown as one that does not exist.
        const run = await visibleRun(store, req, forecastRunId).catch(() => {
          throw new AppError(
            'planning.forecast_run_unknown',
            `找不到预测方案 ${forecastRunId}`,
            `no forecast run ${forecastRunId}`,
            'forecastRunId',
          );
        });
        const made = await makeScenario(db, { county, run, ...options }, BODY_FIELDS);
        const saved = await saveScenario(db, made, name, actorOf(req), 'name');
        return reply.status(201).send(summaryOf(saved));
      },
    );

    app.get(
      '/api/planning/scenarios/:id',
      {
        schema: {
          tags: ['planning'],
          summary:
            '规划方案：需求点、学校与新建校址的处置、分配与服务半径 / a scenario: demand points, actions, assignments, radius',
          params: ScenarioParams,
          response: { 200: ScenarioView },
        },
      },
      async (req) => presentScenario(db, await visible(req, req.params.id)),
    );

    app.get(
      '/api/planning/compare',
      {
        schema: {
          tags: ['planning'],
          summary: '对比规划方案 / compare scenarios side by side',
          querystring: CompareQuery,
          response: { 200: ScenarioCompare },
        },
      },
      async (req) => {
        const out = [];
        for (const id of req.query.ids) out.push(summaryOf(await visible(req, id)));
        return { scenarios: out };
      },
    );

    app.get(
      '/api/planning/scenarios/:id/export',
      {
        schema: {
          tags: ['planning'],
          summary: '导出为建设项目清单 Excel（可导入）/ export as a building-project list XLSX (importable)',
          params: ScenarioParams,
        },
      },
      async (req, reply) => {
        const s = await visible(req, req.params.id, 'export.run');
        const rows = await scenarioProjects(db, s);
        await writeAudit(db, actorOf(req), {
          action: 'export.planning_scenario',
          resourceType: 'planning_scenarios',
          resourceId: s.id,
          countyCode: s.countyCode,
          context: { name: s.name, projects: rows.length },
        });
        return sendDownload(reply, `建设项目-${s.name}.xlsx`, 'xlsx', (out) => writeProjectList(rows, out));
      },
    );
  };
