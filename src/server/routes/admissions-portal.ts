import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  editApplication,
  listParentApplications,
  submitApplication,
  withdrawApplication,
} from '../../admissions/applications.ts';
import { addDocument, deleteDocument, photoTooLarge } from '../../admissions/documents.ts';
import { registerParent, sendPhoneCode } from '../../admissions/parents.ts';
import {
  presentApplication,
  presentRoundOptions,
  presentRounds,
  presentSubmitted,
} from '../../admissions/present.ts';
import { findRound, findRoundForSubmission, listRounds } from '../../admissions/rounds.ts';
import { writeAudit } from '../../audit/audit-log.ts';
import { AppError } from '../../domain/errors.ts';
import type { Store } from '../../store/db.ts';
import {
  ApplicationInputBody,
  ApplicationView,
  DocumentCreated,
  IdParams,
  MyApplications,
  OpenRounds,
  PhoneBody,
  RegisterParentBody,
  RoundOptions,
  SubmitApplicationBody,
} from '../admissions-contracts.ts';
import { actorOf, requireAccess } from '../session.ts';
import {
  ADMISSIONS_TAGS,
  type AdmissionsDeps,
  applicationFor,
  documentFor,
  publishedRound,
  sendDocument,
} from './admissions-access.ts';

/**
 * The parent portal's API: a family registers itself (public), then reaches its own rounds and
 * applications under /api/admissions/my (admissions.apply); another family's record is "not found".
 */
export const parentPortalRoutes =
  (store: Store, deps: AdmissionsDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const db = store.db;

    // ---- Parent accounts (public: a family registers itself) ----
    app.post(
      '/api/admissions/parents',
      {
        config: { public: true },
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长注册（手机号）/ a parent registers with a phone number',
          body: RegisterParentBody,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const user = await registerParent(db, deps.sms, req.body, { ip: req.ip });
        await writeAudit(
          db,
          { userId: user.id, username: user.username, role: 'parent', ip: req.ip },
          { action: 'admissions.parent_register', resourceType: 'user', resourceId: user.id },
        );
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/admissions/parents/sms-code',
      {
        config: { public: true },
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '发送短信验证码（未配置短信服务时答复 sms.not_configured）/ send an SMS code',
          body: PhoneBody,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        await sendPhoneCode(db, deps.sms, req.body.phone, { ip: req.ip });
        return reply.status(204).send(null);
      },
    );

    // ---- The parent portal: a family's own rounds and applications ----
    app.get(
      '/api/admissions/my/rounds',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：可报名的批次 / rounds a family can see',
          response: { 200: OpenRounds },
        },
      },
      async (req) => {
        requireAccess(req, 'admissions.apply');
        const rounds = (await listRounds(db, {})).filter((r) => r.status !== 'draft');
        return { rounds: await presentRounds(db, rounds) };
      },
    );

    app.get(
      '/api/admissions/my/rounds/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary:
            '家长：批次的小区、学校、类别和材料要求 / a round’s communities, schools, categories and proofs',
          params: IdParams,
          response: { 200: RoundOptions },
        },
      },
      async (req) => presentRoundOptions(db, await publishedRound(db, req, req.params.id)),
    );

    app.get(
      '/api/admissions/my/applications',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：我的报名 / my applications',
          response: { 200: MyApplications },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'admissions.apply');
        const apps = await listParentApplications(db, user.id);
        const out = [];
        for (const a of apps) {
          const round = await findRound(db, a.round_id);
          if (round) out.push(await presentApplication(db, round, a, []));
        }
        return { applications: out };
      },
    );

    app.post(
      '/api/admissions/my/applications',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：提交报名（同一 clientKey 重复提交返回同一份）/ submit (idempotent by clientKey)',
          body: SubmitApplicationBody,
          response: { 200: ApplicationView, 201: ApplicationView },
        },
      },
      async (req, reply) => {
        const user = requireAccess(req, 'admissions.apply');
        const { roundId, clientKey, ...input } = req.body;
        const round = await publishedRound(db, req, roundId, findRoundForSubmission);
        const r = await submitApplication(db, { ...actorOf(req), userId: user.id }, round, clientKey, input);
        return reply.status(r.created ? 201 : 200).send(await presentSubmitted(db, round, r));
      },
    );

    app.get(
      '/api/admissions/my/applications/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：报名状态、退回原因 / status and the clerk’s reasons',
          params: IdParams,
          response: { 200: ApplicationView },
        },
      },
      async (req) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.apply');
        return presentApplication(db, round, a, []);
      },
    );

    app.put(
      '/api/admissions/my/applications/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：修改或重新提交（截止前）/ edit or resubmit before the deadline',
          params: IdParams,
          body: ApplicationInputBody,
          response: { 200: ApplicationView },
        },
      },
      async (req) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.apply');
        return presentApplication(db, round, await editApplication(db, actorOf(req), round, a, req.body), []);
      },
    );

    app.post(
      '/api/admissions/my/applications/:id/withdraw',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：撤回报名 / withdraw',
          params: IdParams,
          response: { 200: ApplicationView },
        },
      },
      async (req) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.apply');
        return presentApplication(db, round, await withdrawApplication(db, actorOf(req), round, a), []);
      },
    );

    app.post(
      '/api/admissions/my/applications/:id/documents',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：上传材料照片（JPEG/PNG）/ upload a document photo',
          description: 'multipart/form-data with field "file"; the document type in the query (docType).',
          params: IdParams,
          querystring: z.object({ docType: z.string().max(40) }),
          response: { 201: DocumentCreated },
        },
      },
      async (req, reply) => {
        const { app: a, round } = await applicationFor(db, req, req.params.id, 'admissions.apply');
        // Read no more than the round allows: a larger upload stops at the limit.
        const max = round.parsedRules.documents.maxBytes;
        const file = await req.file({ limits: { fileSize: max } });
        if (!file) throw new AppError('admissions.no_file', '请选择照片', 'Choose a photo', 'file');
        const content = await file.toBuffer().catch((e: { code?: string }) => {
          throw e.code === 'FST_REQ_FILE_TOO_LARGE' ? photoTooLarge(max) : e;
        });
        const row = await addDocument(db, deps.documents, actorOf(req), round, a, req.query.docType, content);
        return reply.status(201).send({
          id: row.id,
          docType: row.doc_type,
          mime: row.mime,
          size: row.size,
          uploadedAt: row.uploaded_at,
        });
      },
    );

    app.get(
      '/api/admissions/my/documents/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：查看本人上传的照片 / my document photo',
          params: IdParams,
        },
      },
      async (req, reply) => {
        const { doc } = await documentFor(db, req, req.params.id, 'admissions.apply');
        return sendDocument(reply, deps.documents, doc);
      },
    );

    app.delete(
      '/api/admissions/my/documents/:id',
      {
        schema: {
          tags: ADMISSIONS_TAGS,
          summary: '家长：删除照片（截止前）/ delete a photo before the deadline',
          params: IdParams,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const { doc, round } = await documentFor(db, req, req.params.id, 'admissions.apply');
        await deleteDocument(db, deps.documents, actorOf(req), round, doc);
        return reply.status(204).send(null);
      },
    );
  };
