import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { listAppeals, presentAppeal, presentMyAppeal } from '../../admissions/appeal-views.ts';
import { decideAppeal, findAppeal, submitAppeal, withdrawAppeal } from '../../admissions/appeals.ts';
import { findApplication } from '../../admissions/applications.ts';
import { writeAppealsWorkbook } from '../../admissions/exports.ts';
import { writeAudit } from '../../audit/audit-log.ts';
import type { Store } from '../../store/db.ts';
import type { Database } from '../../store/schema.ts';
import {
  AppealBody,
  AppealDecisionBody,
  AppealExportQuery,
  AppealIdParams,
  AppealList,
  AppealQuery,
  AppealView,
  MyAppeal,
} from '../admissions-appeal-contracts.ts';
import { IdParams } from '../admissions-contracts.ts';
import { actorOf } from '../session.ts';
import { ADMISSIONS_TAGS, applicationFor, roundFor, sendRoundExport } from './admissions-access.ts';

/** An appeal with its application and round, once the user may reach the application (else 404). */
async function appealFor(
  db: Kysely<Database>,
  req: FastifyRequest,
  id: number,
  action: 'admissions.apply' | 'admissions.verify',
) {
  const appeal = await findAppeal(db, id);
  // No application has id 0, so a missing appeal is "not found" after the same access checks.
  const { app, round } = await applicationFor(db, req, appeal?.application_id ?? 0, action);
  return { appeal: appeal!, app, round };
}

/**
 * 申诉 API: the family's appeal of its own application (admissions.apply), and the clerks' list,
 * single view (audited) and decision (admissions.verify, the verification clerks' right; their
 * county only). Another family's or county's appeal is "not found".
 */
export const admissionsAppealRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const db = store.db;

    // ---- The family ----
    app.get(
      '/api/admissions/my/applications/:id/appeal',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：申诉期限、我的申诉与处理结果 / the appeal window, my appeal and its decision',
          params: IdParams,
          response: { 200: MyAppeal },
        },
      },
      async (req) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.apply');
        return presentMyAppeal(db, round, a);
      },
    );

    app.post(
      '/api/admissions/my/applications/:id/appeal',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：提出申诉（结果公布后、申诉截止前）/ appeal (after publication, until appealsClose)',
          params: IdParams,
          body: AppealBody,
          response: { 201: MyAppeal },
        },
      },
      async (req, reply) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.apply');
        await submitAppeal(db, actorOf(req), round, a, req.body);
        return reply.status(201).send(await presentMyAppeal(db, round, a));
      },
    );

    app.post(
      '/api/admissions/my/appeals/:id/withdraw',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：撤回未处理的申诉 / withdraw an appeal not yet decided',
          params: AppealIdParams,
          response: { 200: MyAppeal },
        },
      },
      async (req) => {
        const { appeal, app: a, round } = await appealFor(db, req, req.params.id, 'admissions.apply');
        await withdrawAppeal(db, actorOf(req), appeal);
        return presentMyAppeal(db, round, a);
      },
    );

    // ---- The clerks ----
    app.get(
      '/api/admissions/rounds/:id/appeals',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '申诉列表（按状态、学校；姓名与身份证号脱敏）/ appeals by status and school (masked)',
          params: IdParams,
          querystring: AppealQuery,
          response: { 200: AppealList },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.verify');
        const q = req.query;
        return listAppeals(db, round, {
          status: q.status,
          schoolId: q.school,
          limit: q.pageSize,
          offset: (q.page - 1) * q.pageSize,
        });
      },
    );

    app.get(
      '/api/admissions/rounds/:id/appeals/export',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '导出申诉列表（XLSX，脱敏，记审计）/ export the appeals (XLSX, masked, audited)',
          params: IdParams,
          querystring: AppealExportQuery,
        },
      },
      async (req, reply) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.verify');
        const { lang, status, school } = req.query;
        const filter = { status, schoolId: school };
        return sendRoundExport(db, req, reply, round, {
          action: 'export.admission_appeals',
          context: { status: status ?? null, school: school ?? null, unmasked: false },
          filename: lang === 'en' ? `appeals-${round.id}.xlsx` : `${round.name}申诉列表.xlsx`,
          write: (out) => writeAppealsWorkbook(db, round, filter, out, lang),
        });
      },
    );

    app.get(
      '/api/admissions/appeals/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '查看一份申诉（含各校剩余学位，记入审计）/ one appeal with every school’s seats left (audited)',
          params: AppealIdParams,
          response: { 200: AppealView },
        },
      },
      async (req) => {
        const { appeal, app: a, round } = await appealFor(db, req, req.params.id, 'admissions.verify');
        await writeAudit(db, actorOf(req), {
          action: 'admissions.appeal_read',
          resourceType: 'admission_appeal',
          resourceId: appeal.id,
          countyCode: appeal.county_code,
          context: { application: a.id },
        });
        return presentAppeal(db, round, appeal, a);
      },
    );

    app.post(
      '/api/admissions/appeals/:id/decision',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '处理申诉：同意（安排到有剩余学位的学校）或不予支持，均须写明理由 / grant into a school with seats left, or refuse; with a reason',
          params: AppealIdParams,
          body: AppealDecisionBody,
          response: { 200: AppealView },
        },
      },
      async (req) => {
        const { appeal, app: a, round } = await appealFor(db, req, req.params.id, 'admissions.verify');
        const decided = await decideAppeal(db, actorOf(req), round, appeal, req.body);
        return presentAppeal(db, round, decided, (await findApplication(db, a.id)) ?? a);
      },
    );
  };
