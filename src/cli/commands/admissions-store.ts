import type { Command } from 'commander';
import { documentStorageFromEnv, purgeExpiredDocuments } from '../../admissions/documents.ts';
import { withStore } from '../store-session.ts';
import { cliActor } from './io.ts';

/**
 * The store side of `eduatlas admissions`: maintenance over the database. Added to the engine's
 * `admissions` command (src/cli/commands/admissions.ts), which must be registered first.
 */
export function registerAdmissionsStoreCommands(program: Command): void {
  const cmd = program.commands.find((c) => c.name() === 'admissions');
  if (!cmd) throw new Error('register the admissions command before its store subcommands');
  cmd
    .command('purge-documents')
    .description(
      '删除保存期已过的报名材料照片（申诉截止后按批次规则的天数）/ delete document photos whose retention period has ended',
    )
    .option('--dry-run', '只列出，不删除 / list, delete nothing')
    .action(async (opts: { dryRun?: boolean }) => {
      await withStore(async (store) => {
        const storage = documentStorageFromEnv();
        const purged = await purgeExpiredDocuments(store.db, storage, cliActor(), { dryRun: opts.dryRun });
        for (const p of purged)
          console.log(
            `${p.name}（#${p.roundId}）保存至 ${p.retentionEnds}：${opts.dryRun ? '将删除' : '已删除'} ${p.deleted} 张 / ${opts.dryRun ? 'would delete' : 'deleted'} ${p.deleted} photos`,
          );
        if (purged.length === 0) console.log('没有到期的材料照片 / no photos past their retention period');
      });
    });
}
