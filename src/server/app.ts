import Fastify, { type FastifyInstance } from 'fastify';
import { OWNERSHIP_LABELS, type Ownership, SCHOOL_TYPE_LABELS, type SchoolType } from '../domain/stages.ts';
import { describeTarget, type Store } from '../store/db.ts';
import { summarizeRegistry } from '../store/registry-summary.ts';
import { getDemoInfo } from '../store/settings.ts';

/** Fields that must never reach a log line, wherever they appear in a logged object. */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  '*.name',
  '*.id_number',
  '*.password',
];

/**
 * The HTTP server. Until the web platform lands it serves a status page and a health check; it
 * holds no state of its own, so several processes can share one database.
 */
export function buildApp(store: Store, opts: { logger?: boolean } = {}): FastifyInstance {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: process.env.LOG_LEVEL ?? 'info', redact: LOG_REDACT },
  });

  app.get('/api/health', async () => {
    await store.db.selectFrom('regions').select('code').limit(1).execute();
    return { status: 'ok' };
  });

  app.get('/api/status', async () => {
    const [summary, demo] = await Promise.all([summarizeRegistry(store.db), getDemoInfo(store.db)]);
    return { database: store.target.dialect, demo, ...summary };
  });

  app.get('/', async (_req, reply) => {
    const [summary, demo] = await Promise.all([summarizeRegistry(store.db), getDemoInfo(store.db)]);
    reply.type('text/html; charset=utf-8');
    return renderStatusPage(describeTarget(store.target), demo?.scale ?? null, summary);
  });

  return app;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderStatusPage(
  where: string,
  demoScale: string | null,
  s: Awaited<ReturnType<typeof summarizeRegistry>>,
): string {
  const rows = s.schoolsByType
    .map(
      (r) =>
        `<tr><td>${escapeHtml(SCHOOL_TYPE_LABELS[r.school_type as SchoolType] ?? r.school_type)}</td>` +
        `<td>${escapeHtml(OWNERSHIP_LABELS[r.ownership as Ownership] ?? r.ownership)}</td><td>${r.n}</td></tr>`,
    )
    .join('');
  const total = s.schoolsByType.reduce((a, r) => a + r.n, 0);
  const banner = demoScale
    ? `<p class="demo">演示数据（合成，非真实）· synthetic demo city, scale ${escapeHtml(demoScale)}</p>`
    : '';
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>EduAtlas 基础教育扩优提质平台</title>
<style>body{font-family:"WenQuanYi Micro Hei",sans-serif;margin:2rem;color:#222}table{border-collapse:collapse}
td,th{border:1px solid #ccc;padding:.3rem .8rem;text-align:left}.demo{background:#fff3cd;padding:.5rem}</style></head>
<body><h1>EduAtlas 基础教育扩优提质平台</h1>${banner}
<p>数据库 / database: ${escapeHtml(where)}</p>
<p>学校 ${total} 所 · 在校生（${s.latestCensusYear ?? '—'} 年统计）${s.pupils} 人 · 学籍 ${s.students} 人 · 教师 ${s.teachers} 人 · 班级 ${s.classes} 个</p>
<table><thead><tr><th>学校类型 / type</th><th>办学性质 / ownership</th><th>学校数 / schools</th></tr></thead><tbody>${rows}</tbody></table>
<p>网页端正在建设中：请用命令行 <code>bin/eduatlas --help</code> 导入、导出数据。<br>
The web application is under construction; use <code>bin/eduatlas --help</code> to import and export data.</p>
</body></html>`;
}
