import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../audit/audit-log.ts';
import { authorize } from '../../auth/roles.ts';
import { maskRegisterNo } from '../../domain/privacy.ts';
import { GRADE_LABELS, GRADE_LABELS_EN, type Grade } from '../../domain/stages.ts';
import { openTableWriter } from '../../io/write/table-writer.ts';
import { iterateSchoolStudents, loadSchoolStudents } from '../../registry/school-students.ts';
import { loadSchoolTeachers } from '../../registry/school-teachers.ts';
import type { Store } from '../../store/db.ts';
import {
  DownloadLang,
  SchoolStudents,
  SchoolStudentsFilter,
  SchoolStudentsQuery,
  SchoolTeachers,
  SchoolTeachersQuery,
} from '../contracts.ts';
import { type BilingualColumn, columnsIn, sendDownload } from '../download.ts';
import { notFound } from '../errors.ts';
import { actorOf, requireAccess } from '../session.ts';

const SchoolParams = z.object({ id: z.coerce.number().int().positive() });

const STUDENT_EXPORT_COLUMNS: readonly BilingualColumn[] = [
  { header: { zh: '学籍号', en: 'Student number' }, text: true, width: 24 },
  { header: { zh: '姓名（已脱敏）', en: 'Name (masked)' } },
  { header: { zh: '身份证号（已脱敏）', en: 'ID number (masked)' }, text: true, width: 24 },
  { header: { zh: '性别', en: 'Sex' } },
  { header: { zh: '年级', en: 'Grade' } },
  { header: { zh: '班号', en: 'Class' } },
  { header: { zh: '随迁子女', en: 'Migrant' } },
  { header: { zh: '留守儿童', en: 'Left-behind' } },
  { header: { zh: '残疾', en: 'Disabled' } },
];
const SEX = { zh: { M: '男', F: '女' }, en: { M: 'M', F: 'F' } } as const;
const YES_NO = { zh: ['否', '是'], en: ['no', 'yes'] } as const;
const GRADE_NAMES = { zh: GRADE_LABELS, en: GRADE_LABELS_EN } as const;

/** The filter as the audit log may keep it: a 学籍号 searched for is masked like the register shows it. */
const auditedFilter = (f: z.infer<typeof SchoolStudentsFilter>) => ({
  grade: f.grade ?? null,
  classNo: f.classNo ?? null,
  studentNo: f.studentNo ? maskRegisterNo(f.studentNo) : null,
});

/**
 * A school's registers of pupils and teachers (学籍, 教师名册): personal records, so each route asks
 * for personal.read (pupils) or staff.read (teachers) on the school, masks unless the role has personal.unmasked there, and writes an
 * audit row for every read.
 */
export const registerRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    /** The school whose register is asked for, within the user's scope (404 outside it). */
    const registerOf = async (
      req: FastifyRequest,
      schoolId: number,
      action: 'personal.read' | 'staff.read',
    ) => {
      // Without the role the answer is 403 before any lookup, as for the other records.
      requireAccess(req, action);
      const school = await store.db
        .selectFrom('schools')
        .select(['id', 'code', 'name', 'county_code'])
        .where('id', '=', schoolId)
        .executeTakeFirst();
      if (!school) throw notFound('学校', 'school');
      const where = { countyCode: school.county_code, schoolId: school.id };
      const user = requireAccess(req, action, where);
      return { school, where, unmasked: authorize(user, 'personal.unmasked', where) };
    };

    app.get(
      '/api/schools/:id/students',
      {
        schema: {
          tags: ['registry'],
          summary:
            "学校学籍名册（个人信息按角色脱敏，查看即记审计）/ a school's pupil register (masked as the role needs; every read is audited)",
          params: SchoolParams,
          querystring: SchoolStudentsQuery,
          response: { 200: SchoolStudents },
        },
      },
      async (req) => {
        const { school, unmasked } = await registerOf(req, req.params.id, 'personal.read');
        const { page, pageSize, ...filter } = req.query;
        const r = await loadSchoolStudents(store.db, school.id, {
          ...filter,
          limit: pageSize,
          offset: (page - 1) * pageSize,
          unmasked,
        });
        await writeAudit(store.db, actorOf(req), {
          action: 'student.read',
          resourceType: 'school_students',
          resourceId: school.id,
          countyCode: school.county_code,
          context: { ...auditedFilter(filter), page, rows: r.rows.length, unmasked },
        });
        return r;
      },
    );

    app.get(
      '/api/schools/:id/students/export',
      {
        schema: {
          tags: ['registry'],
          summary:
            "导出学校学籍名册（XLSX，一律脱敏，记审计）/ export a school's pupil register (XLSX, always masked, audited)",
          params: SchoolParams,
          querystring: SchoolStudentsFilter.extend(DownloadLang.shape),
        },
      },
      async (req, reply) => {
        const { school, where } = await registerOf(req, req.params.id, 'personal.read');
        requireAccess(req, 'export.run', where);
        const { lang, ...filter } = req.query;
        await writeAudit(store.db, actorOf(req), {
          action: 'export.students',
          resourceType: 'school_students',
          resourceId: school.id,
          countyCode: school.county_code,
          context: { ...auditedFilter(filter), unmasked: false },
        });
        const title = lang === 'en' ? 'Pupil register' : '学生名册';
        const filename = lang === 'en' ? `pupil-register-${school.code}.xlsx` : `${school.name}学生名册.xlsx`;
        return sendDownload(reply, filename, 'xlsx', async (out) => {
          const w = openTableWriter(out, 'xlsx', {
            name: title,
            columns: columnsIn(lang, STUDENT_EXPORT_COLUMNS),
          });
          for await (const p of iterateSchoolStudents(store.db, school.id, filter)) {
            await w.add([
              p.studentNo,
              p.name,
              p.idNumber,
              SEX[lang][p.sex as 'M' | 'F'] ?? p.sex,
              GRADE_NAMES[lang][p.grade as Grade] ?? p.grade,
              p.classNo,
              YES_NO[lang][Number(p.migrant)],
              YES_NO[lang][Number(p.leftBehind)],
              YES_NO[lang][Number(p.disabled)],
            ]);
          }
          await w.close();
        });
      },
    );

    app.get(
      '/api/schools/:id/teachers',
      {
        schema: {
          tags: ['registry'],
          summary:
            "学校教师名册（个人信息按角色脱敏，查看即记审计）/ a school's teacher register (masked as the role needs; every read is audited)",
          params: SchoolParams,
          querystring: SchoolTeachersQuery,
          response: { 200: SchoolTeachers },
        },
      },
      async (req) => {
        const { school, unmasked } = await registerOf(req, req.params.id, 'staff.read');
        const { page, pageSize, subject } = req.query;
        const r = await loadSchoolTeachers(store.db, school.id, {
          subject,
          limit: pageSize,
          offset: (page - 1) * pageSize,
          unmasked,
        });
        await writeAudit(store.db, actorOf(req), {
          action: 'teacher.read',
          resourceType: 'school_teachers',
          resourceId: school.id,
          countyCode: school.county_code,
          context: { subject: subject ?? null, page, rows: r.rows.length, unmasked },
        });
        return r;
      },
    );
  };
