import type { Command } from 'commander';
import { backupDatabase, restoreDatabase } from '../../store/backup.ts';
import {
  describeTarget,
  migrateToLatest,
  migrationStatus,
  openStoreFromEnv,
  parseDatabaseUrl,
} from '../../store/db.ts';
import { seedRegions } from '../../store/regions.ts';
import { withStore } from '../store-session.ts';

export function registerDbCommands(program: Command): void {
  const db = program.command('db').description('数据库维护 / database maintenance');

  db.command('migrate')
    .description('执行尚未执行的数据库迁移 / apply pending migrations')
    .action(async () => {
      const store = openStoreFromEnv();
      try {
        const result = await migrateToLatest(store.db);
        await seedRegions(store.db);
        const applied = result.results?.map((r) => r.migrationName) ?? [];
        console.log(
          applied.length
            ? `已执行迁移 / applied: ${applied.join(', ')}`
            : '数据库已是最新 / the database is up to date',
        );
        console.log(describeTarget(store.target));
      } finally {
        await store.close();
      }
    });

  db.command('status')
    .description('显示迁移状态 / show which migrations have run')
    .action(async () => {
      const store = openStoreFromEnv();
      try {
        console.log(describeTarget(store.target));
        for (const m of await migrationStatus(store.db)) {
          const when = m.executedAt ? `已执行 / applied ${m.executedAt.toISOString()}` : '未执行 / pending';
          console.log(`${m.name}\t${when}`);
        }
      } finally {
        await store.close();
      }
    });

  program
    .command('backup')
    .argument('<FILE>', '备份文件 / backup file')
    .description('在线备份数据库（SQLite 在线备份；PostgreSQL 用 pg_dump）/ back up the database (online)')
    .action(async (file: string) => {
      await withStore(async (store) => {
        await backupDatabase(store, file);
        console.log(`已备份到 / backed up to ${file}`);
      });
    });

  program
    .command('restore')
    .argument('<FILE>', '备份文件 / backup file')
    .description(
      '用备份替换当前数据库（请先停止服务）/ replace the database with a backup (stop the server first)',
    )
    .action(async (file: string) => {
      const target = parseDatabaseUrl(process.env.DATABASE_URL);
      await restoreDatabase(target, file);
      // Bring a restored older backup up to the current schema.
      await withStore(async () => {});
      console.log(`已恢复 / restored ${file} → ${describeTarget(target)}`);
    });
}
