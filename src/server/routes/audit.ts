import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { searchAudit, writeAudit } from '../../audit/audit-log.ts';
import { openTableWriter } from '../../io/write/table-writer.ts';
import type { Store } from '../../store/db.ts';
import { AuditPage, AuditQueryParams, DownloadLang } from '../contracts.ts';
import { type BilingualColumn, columnsIn, sendDownload } from '../download.ts';
import { actorOf, requireAccess } from '../session.ts';

const AUDIT_EXPORT_COLUMNS: readonly BilingualColumn[] = [
  { header: { zh: '编号', en: 'No.' } },
  { header: { zh: '时间（UTC）', en: 'Time (UTC)' }, width: 26 },
  { header: { zh: '用户', en: 'User' } },
  { header: { zh: '角色', en: 'Role' } },
  { header: { zh: '来源地址', en: 'From address' } },
  { header: { zh: '操作', en: 'Action' }, width: 28 },
  { header: { zh: '对象类型', en: 'Record type' } },
  { header: { zh: '对象编号', en: 'Record' }, text: true },
  { header: { zh: '县（市、区）', en: 'County' }, text: true },
  { header: { zh: '详情（个人信息已脱敏）', en: 'Detail (personal data masked)' }, width: 80 },
];

export const auditRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/audit',
      {
        schema: {
          tags: ['audit'],
          summary: '审计日志 / audit log',
          querystring: AuditQueryParams,
          response: { 200: AuditPage },
        },
      },
      async (req) => {
        requireAccess(req, 'audit.read');
        const { page, pageSize, ...q } = req.query;
        const r = await searchAudit(store.db, { ...q, limit: pageSize, offset: (page - 1) * pageSize });
        return {
          total: r.total,
          rows: r.rows.map((a) => ({
            id: a.id,
            at: a.at,
            username: a.username,
            role: a.role,
            ip: a.ip,
            action: a.action,
            resourceType: a.resource_type,
            resourceId: a.resource_id,
            countyCode: a.county_code,
            detail: a.detail ? JSON.parse(a.detail) : null,
          })),
        };
      },
    );

    app.get(
      '/api/audit/export',
      {
        schema: {
          tags: ['audit'],
          summary: '导出审计日志 / export the audit log (XLSX)',
          querystring: AuditQueryParams.omit({ page: true, pageSize: true }).extend(DownloadLang.shape),
        },
      },
      async (req, reply) => {
        requireAccess(req, 'audit.read');
        const { lang, ...filter } = req.query;
        await writeAudit(store.db, actorOf(req), {
          action: 'export.audit_log',
          resourceType: 'audit_log',
          context: { filter },
        });
        const title = lang === 'en' ? 'Audit log' : '审计日志';
        return sendDownload(reply, `${title}.xlsx`, 'xlsx', async (out) => {
          const w = openTableWriter(out, 'xlsx', {
            name: title,
            columns: columnsIn(lang, AUDIT_EXPORT_COLUMNS),
          });
          const pageSize = 5000;
          for (let offset = 0; ; offset += pageSize) {
            const { rows } = await searchAudit(store.db, { ...filter, limit: pageSize, offset });
            for (const a of rows) {
              await w.add([
                a.id,
                a.at,
                a.username,
                a.role,
                a.ip,
                a.action,
                a.resource_type,
                a.resource_id,
                a.county_code,
                a.detail,
              ]);
            }
            if (rows.length < pageSize) break;
          }
          await w.close();
        });
      },
    );
  };
