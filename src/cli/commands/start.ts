import cluster from 'node:cluster';
import type { Command } from 'commander';
import { AppError } from '../../domain/errors.ts';
import { buildApp } from '../../server/app.ts';
import { hasBusinessData } from '../../store/business-data.ts';
import { describeTarget, migrateToLatest, openStoreFromEnv, type Store } from '../../store/db.ts';
import { seedRegions } from '../../store/regions.ts';
import { getDemoInfo } from '../../store/settings.ts';
import { progressBar } from '../progress.ts';

export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      '迁移数据库，空的默认库自动生成演示城市，然后启动服务 / migrate, build the demo city into an empty default database, and serve',
    )
    .action(async () => {
      const workers = workerCount();
      if (cluster.isWorker) return serve(openStoreFromEnv());
      const store = openStoreFromEnv();
      if (workers > 1 && store.target.dialect !== 'postgres') {
        await store.close();
        throw new AppError(
          'config.workers_sqlite',
          'EDUATLAS_WORKERS 大于 1 需要 PostgreSQL：SQLite 数据库只能由一个服务进程写入',
          'EDUATLAS_WORKERS above 1 needs PostgreSQL: a SQLite database is written by one server process only',
          'EDUATLAS_WORKERS',
        );
      }
      await migrateToLatest(store.db);
      await seedRegions(store.db);
      await maybeBuildDemo(store);
      if (workers <= 1) return serve(store);
      await store.close();
      superviseWorkers(workers);
    });
}

/**
 * EDUATLAS_WORKERS=N serves from N processes (node:cluster) sharing one port, for a machine with
 * several cores (registration day: bench/README.md). The server keeps no state of its own —
 * sessions, rate limits and audit are in the database — so any process may answer any request;
 * only PostgreSQL serves several processes well. Default 1: one process, no cluster.
 */
function workerCount(): number {
  const raw = process.env.EDUATLAS_WORKERS;
  if (raw === undefined || raw === '') return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new AppError(
      'config.workers',
      'EDUATLAS_WORKERS 应为 1–64 的整数',
      'EDUATLAS_WORKERS must be an integer from 1 to 64',
      'EDUATLAS_WORKERS',
    );
  return n;
}

/** A worker that dies this soon after it started counts as failing to start. */
const EARLY_DEATH_MS = 10_000;
/** So many early deaths in a row stop the service: a worker that cannot start is not retried forever. */
const EARLY_DEATHS_LIMIT = 5;

/**
 * The primary process: migrations and the demo done, it starts the workers and restarts one that
 * dies — at once after a long life, with a growing pause after early deaths, and not at all after
 * EARLY_DEATHS_LIMIT early deaths in a row (the service stops with an error).
 */
function superviseWorkers(n: number): void {
  let stopping = false;
  let earlyDeaths = 0;
  const started = new Map<number, number>();
  const fork = () => {
    const w = cluster.fork();
    started.set(w.id, Date.now());
  };
  for (let i = 0; i < n; i++) fork();
  cluster.on('exit', (worker, code, signal) => {
    const lived = Date.now() - (started.get(worker.id) ?? 0);
    started.delete(worker.id);
    if (stopping) {
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(0);
      return;
    }
    earlyDeaths = lived < EARLY_DEATH_MS ? earlyDeaths + 1 : 0;
    if (earlyDeaths >= EARLY_DEATHS_LIMIT) {
      console.error(
        `服务进程连续 ${earlyDeaths} 次启动后即退出，停止服务 / workers exited right after starting ${earlyDeaths} times in a row; stopping`,
      );
      stopping = true;
      for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
      process.exitCode = 1;
      if (Object.keys(cluster.workers ?? {}).length === 0) process.exit(1);
      return;
    }
    const pause = earlyDeaths === 0 ? 0 : 500 * 2 ** (earlyDeaths - 1);
    console.error(
      `服务进程 ${worker.process.pid} 退出（${signal ?? code}），${pause} 毫秒后重启 / worker ${worker.process.pid} exited (${signal ?? code}); restarting in ${pause} ms`,
    );
    setTimeout(() => {
      if (!stopping) fork();
    }, pause);
  });
  const stop = () => {
    if (stopping) return;
    stopping = true;
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

/**
 * The demo city is built when the database is empty and either it is the default SQLite file or
 * DEMO_SCALE asks for it; it is rebuilt at another scale only over an earlier demo, never over real data.
 */
async function maybeBuildDemo(store: Store): Promise<void> {
  // Loaded here, not at the top, so that `eduatlas --help` stays quick.
  const { buildDemoCity, DEMO_SCALES } = await import('../../demo/index.ts');
  type DemoScale = (typeof DEMO_SCALES)[number];
  const asked = process.env.DEMO_SCALE;
  if (asked !== undefined && !DEMO_SCALES.includes(asked as DemoScale)) {
    throw new AppError(
      'config.demo_scale',
      `DEMO_SCALE 应为 ${DEMO_SCALES.join('、')} 之一`,
      `DEMO_SCALE must be one of ${DEMO_SCALES.join(', ')}`,
      'DEMO_SCALE',
    );
  }
  const scale = (asked ?? 'city') as DemoScale;
  const isDefaultSqlite = store.target.dialect === 'sqlite' && !process.env.DATABASE_URL;
  const existingDemo = await getDemoInfo(store.db);
  const hasData = await hasBusinessData(store.db);
  let replace = false;
  if (hasData) {
    if (!asked || !existingDemo || existingDemo.scale === scale) return;
    replace = true; // only an earlier synthetic demo is replaced
  } else if (!asked && !isDefaultSqlite) {
    console.log('数据库为空：用 bin/eduatlas import 导入数据，或设置 DEMO_SCALE 生成演示城市。');
    console.log(
      'The database is empty: import data with bin/eduatlas import, or set DEMO_SCALE for the demo city.',
    );
    return;
  }
  console.log(
    `正在生成演示城市（合成数据，规模 ${scale}）/ building the synthetic demo city, scale ${scale} …`,
  );
  const bar = progressBar('演示城市 demo');
  const started = Date.now();
  try {
    await buildDemoCity(store, {
      scale,
      seed: 1,
      replace,
      onProgress: (phase, done, total) => bar.update(phase, done, total),
    });
  } finally {
    bar.stop();
  }
  console.log(`演示城市已生成 / demo city built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

async function serve(store: Store): Promise<void> {
  const host = process.env.HOST ?? '127.0.0.1';
  const port = Number(process.env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new AppError(
      'config.port',
      'PORT 应为 0–65535 的整数',
      'PORT must be an integer from 0 to 65535',
      'PORT',
    );
  }
  const app = await buildApp(store);
  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    app.log.info({ signal }, 'shutting down');
    await app.close();
    await store.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  const address = await app.listen({ host, port });
  // Under EDUATLAS_WORKERS the first worker speaks for all of them.
  if (cluster.isWorker && cluster.worker?.id !== 1) return;
  if (cluster.isWorker) console.log(`${workerCount()} 个服务进程 / worker processes (EDUATLAS_WORKERS)`);
  console.log(
    `EduAtlas 已启动 / is running: ${address.replace('[::1]', 'localhost')}  (${describeTarget(store.target)})`,
  );
  if (await getDemoInfo(store.db)) {
    const { DEMO_PASSWORD, listDemoAccounts } = await import('../../auth/demo-users.ts');
    console.log(`演示账号（密码均为 ${DEMO_PASSWORD}）/ demo accounts (password ${DEMO_PASSWORD} for all):`);
    for (const a of await listDemoAccounts(store.db))
      console.log(`  ${a.username.padEnd(18)} ${a.roleLabel.zh} / ${a.roleLabel.en}  ${a.scope}`);
  }
  console.log('按 Ctrl+C 停止 / press Ctrl+C to stop');
}
