import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { writeAudit } from '../../audit/audit-log.ts';
import { authorize, type Principal, type ResourceScope } from '../../auth/roles.ts';
import { AppError } from '../../domain/errors.ts';
import type { Stage } from '../../domain/stages.ts';
import { type ResolvedRegion, resolveRegion } from '../../indicators/load.ts';
import { yearsWithData } from '../../indicators/regions.ts';
import {
  childrenSheet,
  type ExportSheet,
  homeRegionOf,
  loadChildrenView,
  loadRecordsView,
  loadRegionView,
  loadTrendView,
  type RegionRef,
  recordsSheet,
  regionRef,
  regionSheet,
  trendSheet,
} from '../../indicators/views.ts';
import { openTableWriter } from '../../io/write/table-writer.ts';
import type { Store } from '../../store/db.ts';
import { sendDownload } from '../download.ts';
import { langOf } from '../errors.ts';
import {
  IndicatorChildrenView,
  IndicatorExportQuery,
  IndicatorRecordsQuery,
  IndicatorRecordsView,
  IndicatorRegionQuery,
  IndicatorRegionView,
  IndicatorTrendView,
} from '../indicator-contracts.ts';
import { actorOf, requireAccess } from '../session.ts';

/** Where a region sits for authorisation: a city or township by its code's county part, a school by itself. */
const resourceOf = (r: Pick<RegionRef, 'code' | 'countyCode' | 'schoolId'>): ResourceScope => ({
  countyCode: r.countyCode ?? r.code,
  schoolId: r.schoolId,
});

export const indicatorRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const db = store.db;

    /** The user's own region when none is asked for: their city or county, their school, else the first city. */
    /** Resolves the region asked for and checks the user may read its figures (else 404, as for records). */
    async function regionFor(
      req: FastifyRequest,
      code: string | undefined,
      action: 'indicators.read' | 'export.run' = 'indicators.read',
    ) {
      const user = requireAccess(req, 'indicators.read');
      const region = await resolveRegion(db, code ?? (await homeRegionOf(db, user)), 'region');
      const where = resourceOf(regionRef(region));
      requireAccess(req, 'indicators.read', where);
      if (action !== 'indicators.read') requireAccess(req, action, where);
      return { user, region };
    }

    /** The breadcrumb shows only the regions above that the user may open. */
    const visible = <T extends { path: RegionRef[] }>(user: Principal, v: T): T => ({
      ...v,
      path: v.path.filter((p) => authorize(user, 'indicators.read', resourceOf(p))),
    });

    /** Personal records (pupils, disabled children) need personal.read, are masked as the role needs, and audited. */
    async function recordsFor(
      req: FastifyRequest,
      user: Principal,
      region: ResolvedRegion,
      q: { year?: number; indicator: string; stage?: Stage; source: 'figure' | 'register' },
      forExport: boolean,
    ) {
      const year = q.year ?? (await yearsWithData(db, region.set)).pop();
      if (year === undefined)
        throw new AppError(
          'indicators.no_data',
          '该区划没有统计数据',
          'no census data for this region',
          'year',
        );
      const where = resourceOf(regionRef(region));
      const personal = q.source === 'register' || q.indicator === 'disabled_enrollment_rate';
      if (personal) requireAccess(req, 'personal.read', where);
      const unmasked = personal && !forExport && authorize(user, 'personal.unmasked', where);
      const v = await loadRecordsView(
        db,
        region,
        year,
        { indicator: q.indicator, stage: q.stage ?? null, source: q.source },
        { unmasked, lang: forExport ? 'zh' : langOf(req) },
      );
      if (v.personal)
        await writeAudit(db, actorOf(req), {
          action: forExport ? 'export.indicator_records' : 'student.read',
          resourceType: v.kind === 'pupils' ? 'school_students' : 'disabled_children',
          resourceId: region.code,
          countyCode: region.countyCode,
          context: { indicator: q.indicator, stage: q.stage ?? null, year, rows: v.total, unmasked },
        });
      return v;
    }

    app.get(
      '/api/indicators',
      {
        schema: {
          tags: ['indicators'],
          summary:
            '区划或学校的全部指标（含定义、分子分母、目标与达标状态）/ every indicator of a region or school',
          querystring: IndicatorRegionQuery,
          response: { 200: IndicatorRegionView },
        },
      },
      async (req) => {
        const { user, region } = await regionFor(req, req.query.region);
        return visible(user, await loadRegionView(db, region, req.query.year));
      },
    );

    app.get(
      '/api/indicators/trend',
      {
        schema: {
          tags: ['indicators'],
          summary: '各有数据年度的指标趋势 / each indicator over the years with data',
          querystring: IndicatorRegionQuery.pick({ region: true }),
          response: { 200: IndicatorTrendView },
        },
      },
      async (req) => {
        const { region } = await regionFor(req, req.query.region);
        return loadTrendView(db, region);
      },
    );

    app.get(
      '/api/indicators/children',
      {
        schema: {
          tags: ['indicators'],
          summary:
            '下级区划（县区、乡镇、学校）的指标，用于排名与下钻 / the figures of each region one level down',
          querystring: IndicatorRegionQuery,
          response: { 200: IndicatorChildrenView },
        },
      },
      async (req) => {
        const { user, region } = await regionFor(req, req.query.region);
        return visible(user, await loadChildrenView(db, region, req.query.year));
      },
    );

    app.get(
      '/api/indicators/records',
      {
        schema: {
          tags: ['indicators'],
          summary:
            '指标背后的记录（基础统计行、班级、学校；学籍按角色脱敏并记审计）/ the records counted behind a figure',
          querystring: IndicatorRecordsQuery,
          response: { 200: IndicatorRecordsView },
        },
      },
      async (req) => {
        const { user, region } = await regionFor(req, req.query.region);
        const { page, pageSize } = req.query;
        const v = await recordsFor(req, user, region, req.query, false);
        return { ...v, rows: v.rows.slice((page - 1) * pageSize, page * pageSize) };
      },
    );

    app.get(
      '/api/indicators/export',
      {
        schema: {
          tags: ['indicators'],
          summary:
            '导出指标视图为 Excel（个人信息一律脱敏）/ export an indicator view to XLSX (always masked)',
          querystring: IndicatorExportQuery,
        },
      },
      async (req, reply) => {
        const q = req.query;
        const { user, region } = await regionFor(req, q.region, 'export.run');
        let sheet: ExportSheet;
        if (q.view === 'region') sheet = regionSheet(await loadRegionView(db, region, q.year));
        else if (q.view === 'trend') sheet = trendSheet(await loadTrendView(db, region));
        else if (q.view === 'children')
          sheet = childrenSheet(
            await loadChildrenView(db, region, q.year),
            q.indicator ? { indicator: q.indicator, stage: q.stage ?? null } : undefined,
          );
        else {
          if (!q.indicator)
            throw new AppError(
              'indicators.missing_indicator',
              '需要指定指标',
              'an indicator is required',
              'indicator',
            );
          sheet = recordsSheet(await recordsFor(req, user, region, { ...q, indicator: q.indicator }, true));
        }
        await writeAudit(db, actorOf(req), {
          action: 'export.indicators',
          resourceType: 'indicators',
          resourceId: region.code,
          countyCode: region.countyCode,
          context: {
            view: q.view,
            year: q.year ?? null,
            indicator: q.indicator ?? null,
            rows: sheet.rows.length,
          },
        });
        return sendDownload(reply, `${sheet.name}.xlsx`, 'xlsx', async (out) => {
          const w = openTableWriter(out, 'xlsx', { name: sheet.name.slice(0, 31), columns: sheet.columns });
          for (const row of sheet.rows) await w.add(row);
          await w.close();
        });
      },
    );
  };
