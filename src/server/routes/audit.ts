import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { searchAudit, writeAudit } from '../../audit/audit-log.ts';
import { openTableWriter } from '../../io/write/table-writer.ts';
import type { Store } from '../../store/db.ts';
import { AuditPage, AuditQueryParams } from '../contracts.ts';
import { sendDownload } from '../download.ts';
import { actorOf, requireAccess } from '../session.ts';

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
          querystring: AuditQueryParams.omit({ page: true, pageSize: true }),
        },
      },
      async (req, reply) => {
        requireAccess(req, 'audit.read');
        await writeAudit(store.db, actorOf(req), {
          action: 'export.audit_log',
          resourceType: 'audit_log',
          context: { filter: req.query },
        });
        return sendDownload(reply, '审计日志.xlsx', 'xlsx', async (out) => {
          const w = openTableWriter(out, 'xlsx', {
            name: '审计日志',
            columns: [
              { header: '编号' },
              { header: '时间（UTC）', width: 26 },
              { header: '用户' },
              { header: '角色' },
              { header: '来源地址' },
              { header: '操作', width: 28 },
              { header: '对象类型' },
              { header: '对象编号', text: true },
              { header: '县（市、区）', text: true },
              { header: '详情（个人信息已脱敏）', width: 80 },
            ],
          });
          const pageSize = 5000;
          for (let offset = 0; ; offset += pageSize) {
            const { rows } = await searchAudit(store.db, { ...req.query, limit: pageSize, offset });
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
