import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../audit/audit-log.ts';
import { authorize, scopeOf } from '../../auth/roles.ts';
import { AppError } from '../../domain/errors.ts';
import {
  LOCALE_LABELS,
  type Locale,
  OWNERSHIP_LABELS,
  type Ownership,
  SCHOOL_TYPE_LABELS,
  type SchoolType,
} from '../../domain/stages.ts';
import { openTableWriter } from '../../io/write/table-writer.ts';
import { loadDashboard } from '../../registry/dashboard.ts';
import { loadMap, saveOutlines } from '../../registry/map.ts';
import { loadRegionTree } from '../../registry/region-tree.ts';
import { loadSchoolDetail } from '../../registry/school-detail.ts';
import { loadSchoolStudents } from '../../registry/school-students.ts';
import { iterateSchools, listSchools } from '../../registry/schools.ts';
import type { Store } from '../../store/db.ts';
import {
  Dashboard,
  MapSchools,
  RegionNode,
  SchoolDetail,
  SchoolList,
  SchoolListQuery,
  SchoolStudents,
  SchoolStudentsQuery,
} from '../contracts.ts';
import { sendDownload } from '../download.ts';
import { notFound } from '../errors.ts';
import { actorOf, requireAccess } from '../session.ts';

const SCHOOL_EXPORT_COLUMNS = [
  { header: '学校标识码', text: true },
  { header: '学校名称', width: 30 },
  { header: '县（市、区）代码', text: true },
  { header: '县（市、区）' },
  { header: '乡镇（街道）代码', text: true },
  { header: '学校类型' },
  { header: '办学性质' },
  { header: '普惠性' },
  { header: '城乡' },
  { header: '经度' },
  { header: '纬度' },
  { header: '在校生' },
  { header: '班级数' },
];

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
          querystring: SchoolListQuery.omit({ sort: true, order: true, page: true, pageSize: true }).extend({
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
          }),
        },
      },
      async (req, reply) => {
        const user = requireAccess(req, 'export.run');
        const { format, ...filter } = req.query;
        await writeAudit(store.db, actorOf(req), {
          action: 'export.schools',
          resourceType: 'schools',
          context: { filter },
        });
        return sendDownload(reply, `学校列表.${format}`, format, async (out) => {
          const w = openTableWriter(out, format, { name: '学校列表', columns: SCHOOL_EXPORT_COLUMNS });
          for await (const s of iterateSchools(store.db, scopeOf(user), filter)) {
            await w.add([
              s.code,
              s.name,
              s.county_code,
              s.county_name,
              s.township_code,
              SCHOOL_TYPE_LABELS[s.school_type as SchoolType] ?? s.school_type,
              OWNERSHIP_LABELS[s.ownership as Ownership] ?? s.ownership,
              s.inclusive ? '是' : '否',
              LOCALE_LABELS[s.locale as Locale] ?? s.locale,
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
      '/api/schools/:id/students',
      {
        schema: {
          tags: ['registry'],
          summary:
            "学校学籍名册（个人信息按角色脱敏，查看即记审计）/ a school's pupil register (masked as the role needs; every read is audited)",
          params: z.object({ id: z.coerce.number().int().positive() }),
          querystring: SchoolStudentsQuery,
          response: { 200: SchoolStudents },
        },
      },
      async (req) => {
        const school = await store.db
          .selectFrom('schools')
          .select(['id', 'county_code'])
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!school) throw notFound('学校', 'school');
        const where = { countyCode: school.county_code, schoolId: school.id };
        const user = requireAccess(req, 'personal.read', where);
        const unmasked = authorize(user, 'personal.unmasked', where);
        const { page, pageSize, grade } = req.query;
        const r = await loadSchoolStudents(store.db, school.id, {
          grade,
          limit: pageSize,
          offset: (page - 1) * pageSize,
          unmasked,
        });
        await writeAudit(store.db, actorOf(req), {
          action: 'student.read',
          resourceType: 'school_students',
          resourceId: school.id,
          countyCode: school.county_code,
          context: { grade: grade ?? null, page, rows: r.rows.length, unmasked },
        });
        return r;
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
