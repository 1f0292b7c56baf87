import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { searchAudit } from '../../audit/audit-log.ts';
import type { Store } from '../../store/db.ts';
import { AuditPage, AuditQueryParams } from '../contracts.ts';
import { requireAccess } from '../session.ts';

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
  };
