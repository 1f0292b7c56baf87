import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../audit/audit-log.ts';
import { scopeOf } from '../../auth/roles.ts';
import { AppError } from '../../domain/errors.ts';
import {
  LOCALE_LABELS,
  LOCALE_LABELS_EN,
  type Locale,
  OWNERSHIP_LABELS,
  OWNERSHIP_LABELS_EN,
  type Ownership,
  SCHOOL_TYPE_LABELS,
  SCHOOL_TYPE_LABELS_EN,
  type SchoolType,
} from '../../domain/stages.ts';
import { openTableWriter } from '../../io/write/table-writer.ts';
import { loadDashboard } from '../../registry/dashboard.ts';
import { loadMap, saveOutlines } from '../../registry/map.ts';
import { loadRegionTree } from '../../registry/region-tree.ts';
import { loadSchoolDetail } from '../../registry/school-detail.ts';
import { iterateSchools, listSchools } from '../../registry/schools.ts';
import type { Store } from '../../store/db.ts';
import {
  Dashboard,
  DownloadLang,
  MapSchools,
  RegionNode,
  SchoolDetail,
  SchoolList,
  SchoolListQuery,
} from '../contracts.ts';
import { type BilingualColumn, columnsIn, sendDownload } from '../download.ts';
import { notFound } from '../errors.ts';
import { actorOf, requireAccess } from '../session.ts';

const SCHOOL_EXPORT_COLUMNS: readonly BilingualColumn[] = [
  { header: { zh: '学校标识码', en: 'School code' }, text: true },
  { header: { zh: '学校名称', en: 'School name' }, width: 30 },
  { header: { zh: '县（市、区）代码', en: 'County code' }, text: true },
  { header: { zh: '县（市、区）', en: 'County' } },
  { header: { zh: '乡镇（街道）代码', en: 'Township code' }, text: true },
  { header: { zh: '学校类型', en: 'School type' } },
  { header: { zh: '办学性质', en: 'Ownership' } },
  { header: { zh: '普惠性', en: 'Inclusive' } },
  { header: { zh: '城乡', en: 'Urban/rural' } },
  { header: { zh: '经度', en: 'Longitude' } },
  { header: { zh: '纬度', en: 'Latitude' } },
  { header: { zh: '在校生', en: 'Pupils' } },
  { header: { zh: '班级数', en: 'Classes' } },
];
const SCHOOL_LABELS = {
  zh: { type: SCHOOL_TYPE_LABELS, ownership: OWNERSHIP_LABELS, locale: LOCALE_LABELS, yes: '是', no: '否' },
  en: {
    type: SCHOOL_TYPE_LABELS_EN,
    ownership: OWNERSHIP_LABELS_EN,
    locale: LOCALE_LABELS_EN,
    yes: 'yes',
    no: 'no',
  },
} as const;

const CountyQuery = z.object({
  county: z
    .string()
    .regex(/^\d{6}$/)
    .optional(),
});

export const registryRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/regions',
      {
        schema: {
          tags: ['registry'],
          summary: '行政区划树 / region tree',
          response: { 200: z.array(RegionNode) },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'registry.read');
        return loadRegionTree(store.db, scopeOf(user));
      },
    );

    app.get(
      '/api/dashboard',
      {
        schema: {
          tags: ['registry'],
          summary: '首页统计 / home dashboard',
          querystring: CountyQuery,
          response: { 200: Dashboard },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'dashboard.read');
        return loadDashboard(store.db, scopeOf(user), req.query.county);
      },
    );

    app.get(
      '/api/schools',
      {
        schema: {
          tags: ['registry'],
          summary: '学校列表 / school list',
          querystring: SchoolListQuery,
          response: { 200: SchoolList },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'registry.read');
        const q = req.query;
        const r = await listSchools(store.db, scopeOf(user), {
          ...q,
          limit: q.pageSize,
          offset: (q.page - 1) * q.pageSize,
        });
        return {
          total: r.total,
          year: r.year,
          rows: r.rows.map((s) => ({
            id: s.id,
            code: s.code,
            name: s.name,
            countyCode: s.county_code,
            countyName: s.county_name,
            schoolType: s.school_type,
            ownership: s.ownership,
            inclusive: s.inclusive === 1,
            locale: s.locale,
            pupils: s.pupils,
            classes: s.classes,
          })),
        };
      },
    );

    app.get(
      '/api/schools/export',
      {
        schema: {
          tags: ['registry'],
          summary: '导出学校列表（与列表相同的筛选）/ export the school list (same filters as the list)',
          querystring: SchoolListQuery.omit({ sort: true, order: true, page: true, pageSize: true })
            .extend(DownloadLang.shape)
            .extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
        },
      },
      async (req, reply) => {
        const user = requireAccess(req, 'export.run');
        const { format, lang, ...filter } = req.query;
        await writeAudit(store.db, actorOf(req), {
          action: 'export.schools',
          resourceType: 'schools',
          context: { filter },
        });
        const title = lang === 'en' ? 'Schools' : '学校列表';
        const labels = SCHOOL_LABELS[lang];
        return sendDownload(reply, `${title}.${format}`, format, async (out) => {
          const w = openTableWriter(out, format, {
            name: title,
            columns: columnsIn(lang, SCHOOL_EXPORT_COLUMNS),
          });
          for await (const s of iterateSchools(store.db, scopeOf(user), filter)) {
            await w.add([
              s.code,
              s.name,
              s.county_code,
              s.county_name,
              s.township_code,
              labels.type[s.school_type as SchoolType] ?? s.school_type,
              labels.ownership[s.ownership as Ownership] ?? s.ownership,
              s.inclusive ? labels.yes : labels.no,
              labels.locale[s.locale as Locale] ?? s.locale,
              s.lng,
              s.lat,
              s.pupils,
              s.classes,
            ]);
          }
          await w.close();
        });
      },
    );

    app.get(
      '/api/schools/:id',
      {
        schema: {
          tags: ['registry'],
          summary: '学校详情 / school page',
          params: z.object({ id: z.coerce.number().int().positive() }),
          response: { 200: SchoolDetail },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'registry.read');
        const detail = await loadSchoolDetail(store.db, req.params.id, scopeOf(user));
        if (!detail) throw notFound('学校', 'school');
        return detail;
      },
    );

    app.get(
      '/api/map',
      {
        schema: {
          tags: ['registry'],
          summary: '学校地图 / map of schools',
          querystring: CountyQuery,
          response: { 200: MapSchools },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'registry.read');
        return loadMap(store.db, scopeOf(user), req.query.county);
      },
    );

    app.post(
      '/api/map/outlines',
      {
        schema: {
          tags: ['registry'],
          summary:
            '上传县区或乡镇边界 GeoJSON / upload county or township outlines (GeoJSON, multipart field "file")',
          querystring: z.object({ region: z.string().regex(/^\d{6}$/) }),
          response: { 200: z.object({ features: z.number() }) },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'registry.write', { countyCode: req.query.region });
        const file = await req.file();
        if (!file) throw new AppError('map.no_file', '请选择 GeoJSON 文件', 'Choose a GeoJSON file', 'file');
        const text = (await file.toBuffer()).toString('utf8');
        const r = await saveOutlines(store.db, req.query.region, file.filename, text, user.username);
        await writeAudit(store.db, actorOf(req), {
          action: 'map.outlines_upload',
          resourceType: 'map_outlines',
          resourceId: req.query.region,
          countyCode: req.query.region,
          context: r,
        });
        return r;
      },
    );
  };
