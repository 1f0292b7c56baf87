import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../audit/audit-log.ts';
import { type Principal, scopeOf } from '../../auth/roles.ts';
import { AppError } from '../../domain/errors.ts';
import {
  getKind,
  type ImportResult,
  importFile,
  KINDS,
  writeErrorReport,
  writeTemplate,
} from '../../io/index.ts';
import type { Store } from '../../store/db.ts';
import { DownloadLang, ImportKind, ImportReport } from '../contracts.ts';
import { sendDownload } from '../download.ts';
import { langOf, notFound } from '../errors.ts';
import { actorOf, requireAccess } from '../session.ts';

const KindParams = z.object({ kind: z.string().max(40) });
const UploadParams = z.object({ uploadId: z.string().uuid() });
const UPLOAD_TTL_MS = 24 * 3600_000;

export const importRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    const presentReport = (r: ImportResult, uploadId: string | null, lang: 'zh' | 'en'): ImportReport => ({
      kind: r.kind,
      uploadId,
      dryRun: r.dryRun,
      ok: r.errorCount === 0,
      rows: r.rows,
      inserted: r.inserted,
      updated: r.updated,
      errorCount: r.errorCount,
      errors: r.errors.map((e) => ({
        row: e.row,
        column: e.column,
        value: e.value || null,
        message: lang === 'en' ? e.en : e.zh,
      })),
    });

    /** The user's own upload, or 404. */
    const findUpload = async (user: Principal, id: string) => {
      const u = await store.db
        .selectFrom('uploads')
        .selectAll()
        .where('id', '=', id)
        .where('user_id', '=', user.id)
        .executeTakeFirst();
      if (!u) throw notFound('上传文件', 'upload');
      return u;
    };
    const scopeOptions = (user: Principal) => ({ scope: scopeOf(user) });

    app.get(
      '/api/imports/kinds',
      {
        schema: {
          tags: ['imports'],
          summary: '可导入的数据种类 / importable kinds',
          response: { 200: z.array(ImportKind) },
        },
      },
      async (req) => {
        requireAccess(req, 'import.run');
        return KINDS.map((k) => ({
          kind: k.name,
          title: k.title,
          naturalKey: [...k.naturalKey.fields],
          naturalKeyLabel: { zh: k.naturalKey.zh, en: k.naturalKey.en },
        }));
      },
    );

    app.get(
      '/api/imports/:kind/template',
      {
        schema: {
          tags: ['imports'],
          summary: '下载导入模板 / download a template',
          params: KindParams,
          querystring: DownloadLang.extend({ format: z.enum(['xlsx', 'csv']).default('xlsx') }),
        },
      },
      async (req, reply) => {
        requireAccess(req, 'import.run');
        const kind = getKind(req.params.kind);
        const { format, lang } = req.query;
        const name = lang === 'en' ? `${kind.name}-import-template` : `${kind.title.zh}导入模板`;
        return sendDownload(reply, `${name}.${format}`, format, (out) =>
          writeTemplate(kind, out, format, lang),
        );
      },
    );

    app.post(
      '/api/imports/:kind',
      {
        schema: {
          tags: ['imports'],
          summary: '上传并校验（不写入）/ upload and validate (dry run, nothing written)',
          description:
            'multipart/form-data with field "file" (XLSX or CSV). Confirm with POST /api/imports/uploads/{uploadId}/confirm.',
          params: KindParams,
          response: { 200: ImportReport },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'import.run');
        const kind = getKind(req.params.kind);
        const file = await req.file();
        if (!file)
          throw new AppError('import.no_file', '请选择要上传的文件', 'Choose a file to upload', 'file');
        const content = await file.toBuffer();
        const result = await importFile(store.db, kind, content, { dryRun: true, ...scopeOptions(user) });
        const id = randomUUID();
        const now = new Date();
        await store.db
          .deleteFrom('uploads')
          .where('created_at', '<', new Date(now.getTime() - UPLOAD_TTL_MS).toISOString())
          .execute();
        await store.db
          .insertInto('uploads')
          .values({
            id,
            user_id: user.id,
            kind: kind.name,
            filename: file.filename.slice(0, 200),
            content,
            created_at: now.toISOString(),
          })
          .execute();
        await writeAudit(store.db, actorOf(req), {
          action: `import.${kind.name}.validate`,
          resourceType: 'upload',
          resourceId: id,
          context: { filename: file.filename, rows: result.rows, errors: result.errorCount },
        });
        return presentReport(result, id, langOf(req));
      },
    );

    app.get(
      '/api/imports/uploads/:uploadId/errors.xlsx',
      {
        schema: {
          tags: ['imports'],
          summary: '错误报告（标出错误单元格）/ error report with the bad cells marked',
          params: UploadParams,
          querystring: DownloadLang,
        },
      },
      async (req, reply) => {
        const user = requireAccess(req, 'import.run');
        const upload = await findUpload(user, req.params.uploadId);
        const result = await importFile(store.db, upload.kind as never, upload.content, {
          dryRun: true,
          ...scopeOptions(user),
        });
        const { lang } = req.query;
        const base = upload.filename.replace(/\.\w+$/, '');
        const name = lang === 'en' ? `errors-${base}.xlsx` : `错误报告-${base}.xlsx`;
        return sendDownload(reply, name, 'xlsx', (out) => writeErrorReport(result, out, lang));
      },
    );

    app.post(
      '/api/imports/uploads/:uploadId/confirm',
      {
        schema: {
          tags: ['imports'],
          summary: '确认导入（全部写入或全部不写入）/ confirm the import (all or nothing)',
          params: UploadParams,
          response: { 200: ImportReport },
        },
      },
      async (req) => {
        const user = requireAccess(req, 'import.run');
        const upload = await findUpload(user, req.params.uploadId);
        const result = await importFile(store.db, upload.kind as never, upload.content, {
          ...scopeOptions(user),
        });
        if (result.written) await store.db.deleteFrom('uploads').where('id', '=', upload.id).execute();
        await writeAudit(store.db, actorOf(req), {
          action: `import.${upload.kind}`,
          resourceType: upload.kind,
          resourceId: upload.id,
          context: {
            filename: upload.filename,
            rows: result.rows,
            inserted: result.inserted,
            updated: result.updated,
            errors: result.errorCount,
            written: result.written,
          },
        });
        return presentReport(result, result.written ? null : upload.id, langOf(req));
      },
    );
  };
