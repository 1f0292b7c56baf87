import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../audit/audit-log.ts';
import type { Action, ResourceScope } from '../../auth/roles.ts';
import { countyOfCode } from '../../domain/regions/index.ts';
import { loadRunBalance } from '../../forecast/balance.ts';
import { deleteRun, type ForecastRun, findRun, listRuns, makeRun, saveRun } from '../../forecast/runs.ts';
import { DEFAULT_SUPPLY_OPTIONS, parseStatuses, type SupplyOptions } from '../../forecast/supply.ts';
import { presentBalance, presentRun, presentSeries, writeBalanceWorkbook } from '../../forecast/views.ts';
import type { Store } from '../../store/db.ts';
import { sendDownload } from '../download.ts';
import { notFound } from '../errors.ts';
import {
  AreaParams,
  BalanceExportQuery,
  BalanceQuery,
  BalanceView,
  CreateRunBody,
  RunList,
  RunListQuery,
  RunParams,
  RunView,
  SeriesQuery,
  SeriesView,
} from '../forecast-contracts.ts';
import { actorOf, countyFilterOf, requireAccess } from '../session.ts';

/** A run over a city is the city's (its code's prefix); a county or township run is its county's. */
const resourceOf = (run: Pick<ForecastRun, 'countyCode' | 'regionCode'>): ResourceScope => ({
  countyCode: run.countyCode ?? run.regionCode,
});

/** The run, once the user may read it (and do `also` with it): another county's run, or none, is 404. */
export async function visibleRun(
  store: Store,
  req: FastifyRequest,
  id: number,
  also?: Action,
): Promise<ForecastRun> {
  requireAccess(req, 'forecast.read');
  if (also) requireAccess(req, also);
  const run = await findRun(store.db, { id });
  if (!run) throw notFound('预测方案', 'forecast run');
  requireAccess(req, 'forecast.read', resourceOf(run));
  if (also) requireAccess(req, also, resourceOf(run));
  return run;
}

function supplyOptions(q: { count?: string; classSize: SupplyOptions['classSize'] }): SupplyOptions {
  return {
    ...DEFAULT_SUPPLY_OPTIONS,
    classSize: q.classSize,
    ...(q.count !== undefined ? { countStatuses: parseStatuses(q.count, 'count') } : {}),
  };
}

export const forecastRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const db = store.db;

    const runFor = (req: FastifyRequest, id: number, also?: Action) => visibleRun(store, req, id, also);

    app.get(
      '/api/forecast/runs',
      {
        schema: {
          tags: ['forecast'],
          summary: '已保存的预测方案（本人范围内）/ saved forecast runs in the user’s scope',
          querystring: RunListQuery,
          response: { 200: RunList },
        },
      },
      async (req) => {
        const filter = countyFilterOf(requireAccess(req, 'forecast.read'));
        return { runs: await listRuns(db, { ...filter, region: req.query.region }) };
      },
    );

    app.post(
      '/api/forecast/runs',
      {
        schema: {
          tags: ['forecast'],
          summary: '由数据库数据预测并保存方案 / forecast from the store and save a named run',
          body: CreateRunBody,
          response: { 201: RunView },
        },
      },
      async (req, reply) => {
        const b = req.body;
        requireAccess(req, 'forecast.run');
        // A township is its county's; a city's own code carries its prefix for city roles' scope.
        requireAccess(req, 'forecast.run', { countyCode: countyOfCode(b.region) });
        const run = await makeRun(db, {
          region: b.region,
          horizon: b.horizon,
          window: b.window,
          areas: b.areas,
          baseYear: b.baseYear,
          intervals: b.intervals,
          housing: b.housing,
        });
        const saved = await saveRun(db, run, b.name, actorOf(req), 'name');
        return reply.status(201).send(presentRun(saved));
      },
    );

    app.get(
      '/api/forecast/runs/:id',
      {
        schema: {
          tags: ['forecast'],
          summary: '预测方案的参数与指纹 / a run’s parameters and fingerprint',
          params: RunParams,
          response: { 200: RunView },
        },
      },
      async (req) => presentRun(await runFor(req, req.params.id)),
    );

    app.delete(
      '/api/forecast/runs/:id',
      {
        schema: {
          tags: ['forecast'],
          summary: '删除预测方案 / delete a saved run',
          params: RunParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const run = await runFor(req, req.params.id, 'forecast.run');
        await deleteRun(db, run, actorOf(req));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/forecast/runs/:id/balance',
      {
        schema: {
          tags: ['forecast'],
          summary:
            '方案的学位供需平衡（区域 × 学段 × 年份）与预警，按严重程度排序 / a run’s seat balance per area, stage and year, with flags by severity',
          params: RunParams,
          querystring: BalanceQuery,
          response: { 200: BalanceView },
        },
      },
      async (req) => {
        const run = await runFor(req, req.params.id);
        const q = req.query;
        const b = await loadRunBalance(db, run, { supply: supplyOptions(q) });
        return presentBalance(b, {
          area: q.area,
          stage: q.stage,
          year: q.year,
          flaggedOnly: q.flagged === '1',
        });
      },
    );

    app.get(
      '/api/forecast/runs/:id/areas/:area',
      {
        schema: {
          tags: ['forecast'],
          summary:
            '区域各学段的需求（实际、预测与区间）、学位与项目交付 / an area’s demand with intervals, seats and deliveries per stage',
          params: AreaParams,
          querystring: SeriesQuery,
          response: { 200: SeriesView },
        },
      },
      async (req) => {
        const run = await runFor(req, req.params.id);
        if (!run.input.areas.some((a) => a.id === req.params.area))
          throw notFound('预测区域', 'forecast area');
        const b = await loadRunBalance(db, run, { supply: supplyOptions(req.query) });
        return presentSeries(b, req.params.area);
      },
    );

    app.get(
      '/api/forecast/runs/:id/export',
      {
        schema: {
          tags: ['forecast'],
          summary: '导出方案的供需平衡与预警为 Excel / export a run’s balance and flags to XLSX',
          params: RunParams,
          querystring: BalanceExportQuery,
        },
      },
      async (req, reply) => {
        const run = await runFor(req, req.params.id, 'export.run');
        const view = presentBalance(await loadRunBalance(db, run, { supply: supplyOptions(req.query) }));
        await writeAudit(db, actorOf(req), {
          action: 'export.forecast_balance',
          resourceType: 'forecast_runs',
          resourceId: run.id,
          countyCode: run.countyCode,
          context: { name: run.name, rows: view.rows.length },
        });
        const lang = req.query.lang;
        return sendDownload(
          reply,
          `${lang === 'zh' ? '学位供需' : 'seat-balance'}-${run.name}.xlsx`,
          'xlsx',
          (out) => writeBalanceWorkbook(view, out, lang),
        );
      },
    );
  };
