import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { documentStorageFromEnv } from '../../admissions/documents.ts';
import { NO_SMS, resetParentPassword } from '../../admissions/parents.ts';
import { presentApplication, presentRound, presentRounds } from '../../admissions/present.ts';
import { closeRound, createRound, listRounds, openRound, updateRound } from '../../admissions/rounds.ts';
import { checkRoundRules, inLang, typicalRules } from '../../admissions/rules.ts';
import { decideApplication, loadCounts, loadQueue } from '../../admissions/verification.ts';
import { writeAudit } from '../../audit/audit-log.ts';
import { inScope, scopeOf } from '../../auth/roles.ts';
import type { Store } from '../../store/db.ts';
import {
  ApplicationView,
  CountsView,
  CreateRoundBody,
  DecisionBody,
  IdParams,
  PhoneBody,
  QueueQuery,
  QueueView,
  RoundList,
  RoundView,
  RuleProblems,
  RulesBody,
  TemplateQuery,
  TemporaryPassword,
  UpdateRoundBody,
} from '../admissions-contracts.ts';
import { langOf } from '../errors.ts';
import { actorOf, countyFilterOf, requireAccess } from '../session.ts';
import {
  ADMISSIONS_TAGS,
  type AdmissionsDeps,
  applicationFor,
  documentFor,
  roundFor,
  sendDocument,
} from './admissions-access.ts';
import { parentPortalRoutes } from './admissions-portal.ts';

/**
 * 阳光招生 API: round setup for the bureau (admissions.manage) and verification (admissions.verify),
 * with the parent portal's routes (admissions-portal.ts). Another county's record is "not found".
 */
export const admissionsRoutes =
  (
    store: Store,
    deps: AdmissionsDeps = { sms: NO_SMS, documents: documentStorageFromEnv() },
  ): FastifyPluginAsyncZod =>
  async (app) => {
    const db = store.db;
    await app.register(parentPortalRoutes(store, deps));

    app.post(
      '/api/admissions/parents/reset-password',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '重置家长密码（一次性密码）/ reset a parent’s password (one-time password)',
          body: PhoneBody,
          response: { 200: TemporaryPassword },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'admissions.manage');
        const scope = scopeOf(user);
        // A family is within reach through its applications' counties.
        const temporaryPassword = await resetParentPassword(db, actorOf(req), req.body.phone, (counties) =>
          counties.some((c) => inScope(scope, { countyCode: c })),
        );
        return { temporaryPassword };
      },
    );

    // ---- Round setup ----
    app.get(
      '/api/admissions/rounds',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '招生批次（本人范围内）/ admission rounds in scope',
          response: { 200: RoundList },
        },
      },
      async (req) => {
        const rounds = await listRounds(db, countyFilterOf(requireAccess(req, 'admissions.manage')));
        return { rounds: await presentRounds(db, rounds) };
      },
    );

    app.get(
      '/api/admissions/rules/template',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '河南常见招生规则模板 / the typical Henan rules, to edit',
          querystring: TemplateQuery,
          response: { 200: RulesBody.extend({ rules: RoundView.shape.rules }) },
        },
      },
      async (req) => {
        requireAccess(req, 'admissions.manage');
        return { rules: typicalRules(req.query.year) };
      },
    );

    app.post(
      '/api/admissions/rules/validate',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '校验招生规则（列出全部问题）/ validate rules, listing every problem',
          body: RulesBody,
          response: { 200: RuleProblems },
        },
      },
      async (req) => {
        requireAccess(req, 'admissions.manage');
        return { problems: inLang(checkRoundRules(req.body.rules).problems, langOf(req)) };
      },
    );

    app.post(
      '/api/admissions/rounds',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '新建招生批次（草稿）/ create a draft round',
          body: CreateRoundBody,
          response: { 201: RoundView },
        },
      },
      async (req, reply) => {
        requireAccess(req, 'admissions.manage', { countyCode: req.body.countyCode });
        const round = await createRound(db, actorOf(req), req.body);
        return reply.status(201).send(await presentRound(db, round, langOf(req)));
      },
    );

    app.get(
      '/api/admissions/rounds/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '招生批次 / a round',
          params: IdParams,
          response: { 200: RoundView },
        },
      },
      async (req) =>
        presentRound(db, await roundFor(db, req, req.params.id, 'admissions.manage'), langOf(req)),
    );

    app.put(
      '/api/admissions/rounds/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '修改草稿批次的规则 / edit a draft round',
          params: IdParams,
          body: UpdateRoundBody,
          response: { 200: RoundView },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.manage');
        return presentRound(db, await updateRound(db, actorOf(req), round, req.body), langOf(req));
      },
    );

    for (const [verb, run, summary] of [
      ['open', openRound, '开放报名（冻结规则）/ open registration (freezes the rules)'],
      ['close', closeRound, '结束报名 / close registration'],
    ] as const) {
      app.post(
        `/api/admissions/rounds/:id/${verb}`,
        { schema: { tags: ADMISSIONS_TAGS, summary, params: IdParams, response: { 200: RoundView } } },
        async (req) => {
          const round = await roundFor(db, req, req.params.id, 'admissions.manage');
          return presentRound(db, await run(db, actorOf(req), round), langOf(req));
        },
      );
    }

    app.get(
      '/api/admissions/rounds/:id/counts',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '实时报名统计 / live registration counts',
          params: IdParams,
          response: { 200: CountsView },
        },
      },
      async (req) => loadCounts(db, await roundFor(db, req, req.params.id, 'admissions.manage')),
    );

    // ---- Verification ----
    app.get(
      '/api/admissions/rounds/:id/queue',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '审核队列（按学校、类别；姓名与身份证号脱敏）/ verification queue (masked)',
          params: IdParams,
          querystring: QueueQuery,
          response: { 200: QueueView },
        },
      },
      async (req) => {
        const round = await roundFor(db, req, req.params.id, 'admissions.verify');
        const q = req.query;
        return loadQueue(db, round, {
          applicationId: q.no ? Number(q.no.slice(1)) : undefined,
          schoolId: q.school,
          category: q.category,
          status: q.status,
          conflict: q.conflict === '1',
          limit: q.pageSize,
          offset: (q.page - 1) * q.pageSize,
        });
      },
    );

    app.get(
      '/api/admissions/applications/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '审核：查看一份报名（记入审计）/ one application for verification (audited)',
          params: IdParams,
          response: { 200: ApplicationView },
        },
      },
      async (req) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.verify');
        await writeAudit(db, actorOf(req), {
          action: 'admissions.application_read',
          resourceType: 'admission_application',
          resourceId: a.id,
          countyCode: a.county_code,
        });
        return presentApplication(db, round, a);
      },
    );

    app.post(
      '/api/admissions/applications/:id/decision',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '审核决定：通过（定类别）或退回（写明原因）/ approve with a category, or return with a reason',
          params: IdParams,
          body: DecisionBody,
          response: { 200: ApplicationView },
        },
      },
      async (req) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.verify');
        return presentApplication(db, round, await decideApplication(db, actorOf(req), round, a, req.body));
      },
    );

    app.get(
      '/api/admissions/documents/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '审核：查看材料照片（记入审计）/ a document photo, for verification (audited)',
          params: IdParams,
        },
      },
      async (req, reply) => {
        const { doc, app: a } = await documentFor(db, req, req.params.id, 'admissions.verify');
        await writeAudit(db, actorOf(req), {
          action: 'admissions.document_read',
          resourceType: 'admission_application',
          resourceId: a.id,
          countyCode: a.county_code,
          context: { document: doc.id, docType: doc.doc_type },
        });
        return sendDocument(reply, deps.documents, doc);
      },
    );
  };
