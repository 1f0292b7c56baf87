import fs from 'node:fs';
import path from 'node:path';
import fastifyCookie from '@fastify/cookie';
import fastifyMultipart from '@fastify/multipart';
import fastifyStatic from '@fastify/static';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyInstance } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import { OWNERSHIP_LABELS, type Ownership, SCHOOL_TYPE_LABELS, type SchoolType } from '../domain/stages.ts';
import { summarizeRegistry } from '../registry/summary.ts';
import { describeTarget, type Store } from '../store/db.ts';
import { getDemoInfo } from '../store/settings.ts';
import { errorHandler } from './errors.ts';
import { admissionsRoutes } from './routes/admissions.ts';
import { admissionsAppealRoutes } from './routes/admissions-appeals.ts';
import { admissionsDrawRoutes } from './routes/admissions-draw.ts';
import { auditRoutes } from './routes/audit.ts';
import { authRoutes } from './routes/auth.ts';
import { forecastRoutes } from './routes/forecast.ts';
import { forecastWebRoutes } from './routes/forecast-web.ts';
import { importRoutes } from './routes/imports.ts';
import { indicatorReportRoutes } from './routes/indicator-report.ts';
import { indicatorTargetRoutes } from './routes/indicator-targets.ts';
import { indicatorRoutes } from './routes/indicators.ts';
import { planningRoutes } from './routes/planning.ts';
import { registerRoutes } from './routes/registers.ts';
import { registryRoutes } from './routes/registry.ts';
import { userRoutes } from './routes/users.ts';
import { registerSession } from './session.ts';

/** Fields that must never reach a log line, wherever they appear in a logged object. */
export const LOG_REDACT = [
  'req.headers.cookie',
  'req.headers.authorization',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
  '*.name',
  '*.id_number',
  '*.password',
];

export const WEB_DIST = path.resolve(import.meta.dirname, '../../web/dist');

export interface AppOptions {
  logger?: boolean;
  /** Serve the built web app from this folder (default web/dist, when it exists). */
  webDir?: string;
  /** Trust X-Forwarded-* from a reverse proxy (for the client address and HTTPS cookies). */
  trustProxy?: boolean;
}

/**
 * The HTTP server: the JSON API under /api (zod-validated, documented at /api/docs), and the web
 * app from the same origin. It keeps no state of its own — sessions, rate limits and audit live
 * in the database — so several processes can share one PostgreSQL.
 */
export async function buildApp(store: Store, opts: AppOptions = {}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: opts.logger === false ? false : { level: process.env.LOG_LEVEL ?? 'info', redact: LOG_REDACT },
    trustProxy: opts.trustProxy ?? process.env.TRUST_PROXY === '1',
    // A child logger per request costs a noticeable share of a cheap request: make one only when
    // request lines (info) are written at all; warnings and errors then go to the root logger.
    childLoggerFactory: (logger, bindings, options) => {
      const pinoLogger = logger as unknown as { isLevelEnabled?: (level: string) => boolean };
      return pinoLogger.isLevelEnabled?.('info') === false ? logger : logger.child(bindings, options);
    },
    bodyLimit: 1024 * 1024,
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);

  await app.register(fastifyCookie);
  await app.register(fastifyMultipart, { limits: { fileSize: 64 * 1024 * 1024, files: 1 } });
  await app.register(fastifySwagger, {
    openapi: {
      info: {
        title: 'EduAtlas API',
        description:
          '基础教育扩优提质平台 JSON API. Sign in with POST /api/auth/login; send X-CSRF-Token on every change.',
        version: '0.1.0',
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(fastifySwaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { validatorUrl: null } as never,
  });
  registerSession(app, store);

  app.get('/api/openapi.json', { config: { public: true }, schema: { hide: true } }, async () =>
    app.swagger(),
  );
  app.get(
    '/api/health',
    { config: { public: true }, schema: { tags: ['system'], summary: '健康检查 / health' } },
    async () => {
      await store.db.selectFrom('regions').select('code').limit(1).execute();
      return { status: 'ok' };
    },
  );
  app.get('/api/status', { config: { public: true }, schema: { hide: true } }, async () => {
    const [summary, demo] = await Promise.all([summarizeRegistry(store.db), getDemoInfo(store.db)]);
    return { database: store.target.dialect, demo, ...summary };
  });

  await app.register(authRoutes(store));
  await app.register(userRoutes(store));
  await app.register(registryRoutes(store));
  await app.register(registerRoutes(store));
  await app.register(auditRoutes(store));
  await app.register(importRoutes(store));
  await app.register(indicatorRoutes(store));
  await app.register(indicatorReportRoutes(store));
  await app.register(indicatorTargetRoutes(store));
  await app.register(forecastRoutes(store));
  await app.register(forecastWebRoutes(store));
  await app.register(planningRoutes(store));
  await app.register(admissionsRoutes(store));
  await app.register(admissionsDrawRoutes(store));
  await app.register(admissionsAppealRoutes(store));

  const webDir = opts.webDir ?? WEB_DIST;
  if (fs.existsSync(path.join(webDir, 'index.html'))) {
    // Hashed assets never change under their name: cache them for a year; index.html is never cached.
    await app.register(fastifyStatic, {
      root: webDir,
      wildcard: false,
      index: false,
      preCompressed: true,
      setHeaders: (res, file) => {
        res.header(
          'cache-control',
          file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache',
        );
      },
    });
    // The single-page app routes on the client: any non-API path gets index.html.
    app.setNotFoundHandler((req, reply) => {
      if (req.url.startsWith('/api/')) return reply.status(404).send(apiNotFound(req));
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .sendFile('index.html');
    });
    app.get('/*', { schema: { hide: true } }, (req, reply) => {
      if (req.url.startsWith('/api/')) return reply.status(404).send(apiNotFound(req));
      const file = path.join(webDir, decodeURIComponent(req.url.split('?')[0]));
      if (file.startsWith(webDir) && fs.existsSync(file) && fs.statSync(file).isFile())
        return reply.sendFile(path.relative(webDir, file));
      return reply
        .type('text/html; charset=utf-8')
        .header('cache-control', 'no-cache')
        .sendFile('index.html');
    });
  } else {
    app.setNotFoundHandler((req, reply) => reply.status(404).send(apiNotFound(req)));
    app.get('/', { schema: { hide: true } }, async (_req, reply) => {
      const [summary, demo] = await Promise.all([summarizeRegistry(store.db), getDemoInfo(store.db)]);
      reply.type('text/html; charset=utf-8');
      return renderStatusPage(describeTarget(store.target), demo?.scale ?? null, summary);
    });
  }
  return app;
}

function apiNotFound(req: { method: string; url: string }) {
  return { code: 'route.not_found', message: `No route ${req.method} ${req.url.split('?')[0]}`, field: null };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Shown when the web app has not been built (e.g. a server-only install). */
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
<p>网页端尚未构建：运行 <code>npm run build</code>，或用命令行 <code>bin/eduatlas --help</code>。<br>
The web app is not built: run <code>npm run build</code>, or use <code>bin/eduatlas --help</code>.</p>
</body></html>`;
}
