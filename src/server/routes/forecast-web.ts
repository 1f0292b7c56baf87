import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeAudit } from '../../audit/audit-log.ts';
import type { Action } from '../../auth/roles.ts';
import { loadAreaSet, resolveForecastRegion } from '../../forecast/areas.ts';
import { loadRunBalance } from '../../forecast/balance.ts';
import { compareBalances, writeComparisonWorkbook } from '../../forecast/comparison.ts';
import { presentBalance } from '../../forecast/views.ts';
import { loadAreaOutlines } from '../../registry/map.ts';
import type { Store } from '../../store/db.ts';
import { sendDownload } from '../download.ts';
import { RunParams } from '../forecast-contracts.ts';
import { CompareExportQuery, CompareQuery, CompareView, OutlinesView } from '../forecast-web-contracts.ts';
import { actorOf } from '../session.ts';
import { visibleRun } from './forecast.ts';

/**
 * What the forecast pages need beside routes/forecast.ts: the outlines of a run's areas for the map,
 * and the scenario comparison of several runs (JSON and XLSX). The same visibility: a run over a
 * city is the city's, a county's or township's run its county's; another county's run is 404.
 */
export const forecastWebRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const db = store.db;

    async function comparison(req: FastifyRequest, q: typeof CompareQuery._output, also?: Action) {
      const ids = [...new Set(q.runs.split(',').map(Number))];
      const runs = [];
      for (const id of ids) runs.push(await visibleRun(store, req, id, also));
      const views = [];
      for (const run of runs) views.push(presentBalance(await loadRunBalance(db, run)));
      return compareBalances(views, q);
    }

    app.get(
      '/api/forecast/runs/:id/outlines',
      {
        schema: {
          tags: ['forecast'],
          summary:
            '方案各区域的地图轮廓（已导入的边界或示意轮廓）/ the outlines of a run’s areas: imported, or schematic',
          params: RunParams,
          response: { 200: OutlinesView },
        },
      },
      async (req) => {
        const run = await visibleRun(store, req, req.params.id);
        const set = await loadAreaSet(db, await resolveForecastRegion(db, run.regionCode), run.areaLevel);
        const names = run.parameters.areaNames;
        const areas = set.areas
          .filter((a) => run.input.areas.some((x) => x.id === a.id))
          .map((a) => ({ ...a, name: names[a.id] ?? a.name }));
        return loadAreaOutlines(db, areas);
      },
    );

    app.get(
      '/api/forecast/compare',
      {
        schema: {
          tags: ['forecast'],
          summary:
            '多个预测方案并列对比（区域 × 学段 × 年份的在校生、学位、余缺）/ several runs side by side per area, stage and year',
          querystring: CompareQuery,
          response: { 200: CompareView },
        },
      },
      async (req) => comparison(req, req.query),
    );

    app.get(
      '/api/forecast/compare/export',
      {
        schema: {
          tags: ['forecast'],
          summary: '导出方案对比为 Excel / export the comparison of runs to XLSX',
          querystring: CompareExportQuery,
        },
      },
      async (req, reply) => {
        const c = await comparison(req, req.query, 'export.run');
        await writeAudit(db, actorOf(req), {
          action: 'export.forecast_comparison',
          resourceType: 'forecast_runs',
          resourceId: c.runs[0]?.id ?? null,
          countyCode: c.runs.length === 1 ? c.runs[0]!.countyCode : null,
          context: { runs: c.runs.map((r) => r.id), rows: c.rows.length, area: req.query.area ?? null },
        });
        const lang = req.query.lang;
        const names = c.runs.map((r) => r.name).join('-');
        return sendDownload(
          reply,
          `${lang === 'zh' ? '方案对比' : 'forecast-comparison'}-${names}.xlsx`,
          'xlsx',
          (out) => writeComparisonWorkbook(c, out, lang),
        );
      },
    );
  };
