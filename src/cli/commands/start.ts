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
      const store = openStoreFromEnv();
      await migrateToLatest(store.db);
      await seedRegions(store.db);
      await maybeBuildDemo(store);
      await serve(store);
    });
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
