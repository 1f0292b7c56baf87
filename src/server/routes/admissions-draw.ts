import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Kysely } from 'kysely';
import { findDraw, freezeDraw, presentDraw, runDraw } from '../../admissions/draw.ts';
import { writeQueueWorkbook, writeResultsWorkbook } from '../../admissions/exports.ts';
import {
  drawFileOf,
  hasApplicationInRound,
  loadAdmitted,
  loadFamilyResult,
  loadPublicAdmitted,
  loadPublicResults,
  loadResults,
  publishResults,
  requirePublished,
} from '../../admissions/results.ts';
import type { Store } from '../../store/db.ts';
import type { Database } from '../../store/schema.ts';
import { IdParams } from '../admissions-contracts.ts';
import { DrawBody, DrawFileView, DrawView } from '../admissions-draw-contracts.ts';
import {
  AdmittedView,
  FamilyResultView,
  PublicAdmittedView,
  PublicResultsView,
  ResultsView,
  SchoolParams,
} from '../admissions-results-contracts.ts';
import { DownloadLang } from '../contracts.ts';
import { notFound } from '../errors.ts';
import { actorOf } from '../session.ts';
import {
  ADMISSIONS_TAGS,
  applicationFor,
  publishedRound,
  roundFor,
  sendRoundExport,
} from './admissions-access.ts';

/** A round whose per-school results the signed-in family may read: it has an application there (else 404). */
async function familyRound(db: Kysely<Database>, req: FastifyRequest, id: number) {
  const round = await publishedRound(db, req, id);
  if (!req.user || !(await hasApplicationInRound(db, round, req.user.id)))
    throw notFound('招生批次', 'admission round');
  return round;
}

/**
 * 摇号 and 录取结果 API: freeze the list, draw, the published draw file, publish the results, the
 * results and statistics, the masked exports (admissions.manage; the queue export admissions.verify),
 * and a family's own result (admissions.apply).
 */
export const admissionsDrawRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const db = store.db;

    app.get(
      '/api/admissions/rounds/:id/draw',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '派位：名单摘要、承诺值与结果数字 / the draw: digest, commitment and its numbers',
          params: IdParams,
          response: { 200: DrawView },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.manage');
        const draw = await findDraw(db, round.id);
        if (!draw) throw notFound('派位', 'draw');
        return presentDraw(draw);
      },
    );

    app.post(
      '/api/admissions/rounds/:id/freeze',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '冻结派位名单（报名截止后）/ freeze the applicant list (after registration closed)',
          params: IdParams,
          response: { 200: DrawView },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.manage');
        return presentDraw(await freezeDraw(db, actorOf(req), round));
      },
    );

    app.post(
      '/api/admissions/rounds/:id/draw',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '派位：输入公开值，揭示秘密值并计算 / draw with the public value',
          params: IdParams,
          body: DrawBody,
          response: { 200: DrawView },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.manage');
        return presentDraw(await runDraw(db, actorOf(req), round, req.body.publicValue));
      },
    );

    app.get(
      '/api/admissions/rounds/:id/draw/file',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '公开的派位文件（admissions verify 可复算）/ the published draw file (admissions verify reads it)',
          params: IdParams,
          response: { 200: DrawFileView },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.manage');
        return drawFileOf(db, round, 'drawn');
      },
    );

    app.post(
      '/api/admissions/rounds/:id/publish',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '公布录取结果（派位后，仅一次）/ publish the results to the families (after the draw, once)',
          params: IdParams,
          response: { 200: DrawView },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.manage');
        return presentDraw(await publishResults(db, actorOf(req), round));
      },
    );

    app.get(
      '/api/admissions/rounds/:id/results',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '录取结果：各校录取、录取线、剩余学位，按类别统计 / results: per school and per category',
          params: IdParams,
          response: { 200: ResultsView },
        },
      },
      async (req) => loadResults(db, await roundFor(db, req, req.params.id, 'admissions.manage')),
    );

    app.get(
      '/api/admissions/rounds/:id/results/schools/:schoolId',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '某校录取名单（姓名脱敏）/ a school’s admitted list (masked)',
          params: SchoolParams,
          response: { 200: AdmittedView },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.manage');
        return { rows: await loadAdmitted(db, round, req.params.schoolId) };
      },
    );

    app.get(
      '/api/admissions/rounds/:id/results/export',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '导出录取结果（XLSX，脱敏，记审计）/ export the results per school (XLSX, masked, audited)',
          params: IdParams,
          querystring: DownloadLang,
        },
      },
      async (req, reply) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.manage');
        const { lang } = req.query;
        // Refused before the download starts when the results are not published.
        await requirePublished(db, round);
        return sendRoundExport(db, req, reply, round, {
          action: 'export.admission_results',
          context: { lang, masked: true },
          filename: lang === 'en' ? `admission-results-${round.id}.xlsx` : `${round.name}录取结果.xlsx`,
          write: (out) => writeResultsWorkbook(db, round, out, lang),
        });
      },
    );

    app.get(
      '/api/admissions/rounds/:id/queue/export',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '导出审核队列（XLSX，脱敏，记审计）/ export the verification queue (XLSX, masked, audited)',
          params: IdParams,
          querystring: DownloadLang,
        },
      },
      async (req, reply) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.verify');
        const { lang } = req.query;
        return sendRoundExport(db, req, reply, round, {
          action: 'export.admission_queue',
          context: { lang, masked: true },
          filename: lang === 'en' ? `verification-queue-${round.id}.xlsx` : `${round.name}审核队列.xlsx`,
          write: (out) => writeQueueWorkbook(db, round, out, lang),
        });
      },
    );

    app.get(
      '/api/admissions/my/applications/:id/result',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '家长：录取结果及原因（公布后）/ the result and why (once published), with the admission notice',
          params: IdParams,
          response: { 200: FamilyResultView },
        },
      },
      async (req) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.apply');
        return loadFamilyResult(db, round, a);
      },
    );

    app.get(
      '/api/admissions/my/rounds/:id/results',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '家长：各校录取结果（公布后；录取人数、录取线、剩余学位）/ per-school results for the families of the round (after publication)',
          params: IdParams,
          response: { 200: PublicResultsView },
        },
      },
      async (req) => loadPublicResults(db, await familyRound(db, req, req.params.id)),
    );

    app.get(
      '/api/admissions/my/rounds/:id/results/schools/:schoolId',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '家长：某校录取名单（报名号，姓名脱敏，无身份证号）/ a school’s admitted list for the families (numbers, masked names)',
          params: SchoolParams,
          response: { 200: PublicAdmittedView },
        },
      },
      async (req) => {
        const round = await familyRound(db, req, req.params.id);
        return { rows: await loadPublicAdmitted(db, round, req.params.schoolId) };
      },
    );

    app.get(
      '/api/admissions/my/rounds/:id/draw/file',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '家长：公开的派位文件（结果公布后；无姓名和身份证号）/ the published draw file, for families to check (after publication)',
          params: IdParams,
          response: { 200: DrawFileView },
        },
      },
      async (req) => drawFileOf(db, await publishedRound(db, req, req.params.id), 'published'),
    );
  };
