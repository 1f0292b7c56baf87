import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { writeAudit } from '../../audit/audit-log.ts';
import { loadAnnualReport, reportFileName, writeAnnualReport } from '../../indicators/report.ts';
import type { Store } from '../../store/db.ts';
import { DownloadLang } from '../contracts.ts';
import { sendDownload } from '../download.ts';
import { actorOf } from '../session.ts';
import { regionWithin } from './region-access.ts';

const ReportQuery = z
  .object({
    region: z
      .string()
      .regex(/^\d{6}$/)
      .describe('市或县（市、区）代码 / city or county code'),
    year: z.coerce.number().int().min(1990).max(2100).describe('统计年度 / census year'),
  })
  .extend(DownloadLang.shape);

export const indicatorReportRoutes =
  (store: Store): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/indicators/report',
      {
        schema: {
          tags: ['indicators'],
          summary:
            '下载统计指标年报（XLSX：各县区或各乡镇、合计、目标、比上年增减；记审计）/ download the annual indicator report (XLSX; audited)',
          querystring: ReportQuery,
        },
      },
      async (req, reply) => {
        const { region, year, lang } = req.query;
        await regionWithin(store, req, region, ['indicators.read', 'export.run']);
        // Loaded before the download starts, so that a bad region is an error reply, not a broken file.
        const report = await loadAnnualReport(store.db, region, year, 'region');
        await writeAudit(store.db, actorOf(req), {
          action: 'export.indicator_report',
          resourceType: 'indicator_report',
          resourceId: region,
          countyCode: report.region.level === 'county' ? region : null,
          context: { year, lang },
        });
        return sendDownload(reply, reportFileName(report, lang), 'xlsx', (out) =>
          writeAnnualReport(report, out, { lang }),
        );
      },
    );
  };
