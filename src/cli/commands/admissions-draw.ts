import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { APPEAL_STATUSES, type AppealStatus } from '../../admissions/appeals.ts';
import { freezeDraw, runDraw } from '../../admissions/draw.ts';
import { auditRoundExport, writeAppealsWorkbook } from '../../admissions/exports.ts';
import { drawFileOf, publishResults } from '../../admissions/results.ts';
import { getRound } from '../../admissions/rounds.ts';
import { AppError } from '../../domain/errors.ts';
import { LANGS, type Lang } from '../../indicators/workbook.ts';
import { withStore } from '../store-session.ts';
import { cliActor } from './io.ts';

function roundId(text: string): number {
  const id = Number(text);
  if (!Number.isInteger(id) || id < 1)
    throw new AppError(
      'admissions.round_id',
      '批次编号应为正整数',
      'The round id must be a positive integer',
      '--round',
    );
  return id;
}

/**
 * The draw (摇号) of `eduatlas admissions`: freeze the list, draw, write the published file, publish
 * the results to the families. Added to
 * the engine's `admissions` command (src/cli/commands/admissions.ts), which must be registered first.
 */
export function registerAdmissionsDrawCommands(program: Command): void {
  const cmd = program.commands.find((c) => c.name() === 'admissions');
  if (!cmd) throw new Error('register the admissions command before its draw subcommands');
  cmd
    .command('freeze')
    .description(
      "冻结已截止批次的派位名单，公布名单摘要与承诺值 / freeze a closed round's applicant list; print its digest and the commitment",
    )
    .requiredOption('--round <ID>', '招生批次编号 / the round id')
    .action(async (opts: { round: string }) => {
      await withStore(async (store) => {
        const round = await getRound(store.db, roundId(opts.round));
        const d = await freezeDraw(store.db, cliActor(), round);
        console.log(`已冻结 ${round.name}：${d.applicants} 份报名 / frozen: ${d.applicants} applications`);
        console.log(`名单摘要 / digest: ${d.list_digest}`);
        console.log(`承诺值 / commitment: ${d.commitment}`);
      });
    });
  cmd
    .command('draw')
    .description(
      '派位：揭示秘密值，输入公开值，计算并保存结果 / draw: reveal the secret, take the public value, solve and store',
    )
    .requiredOption('--round <ID>', '招生批次编号 / the round id')
    .requiredOption(
      '--public-value <TEXT>',
      '公开值，例如某期彩票开奖号码 / the public value, e.g. an official lottery draw',
    )
    .action(async (opts: { round: string; publicValue: string }) => {
      await withStore(async (store) => {
        const round = await getRound(store.db, roundId(opts.round));
        const d = await runDraw(store.db, cliActor(), round, opts.publicValue);
        console.log(`已派位 ${round.name}：${d.applicants} 份报名 / drawn: ${d.applicants} applications`);
        console.log(`秘密值 / secret: ${d.secret}`);
        console.log(`种子 / seed: ${d.seed}`);
      });
    });
  cmd
    .command('publish-file')
    .description(
      '写出公开的派位文件（供 admissions verify 复算）/ write the published draw file (what admissions verify reads)',
    )
    .requiredOption('--round <ID>', '招生批次编号 / the round id')
    .requiredOption('--out <FILE>', '输出文件 / the output file')
    .action(async (opts: { round: string; out: string }) => {
      await withStore(async (store) => {
        const round = await getRound(store.db, roundId(opts.round));
        const file = await drawFileOf(store.db, round, 'drawn');
        fs.writeFileSync(opts.out, `${JSON.stringify(file, null, 2)}\n`);
        console.log(`已写入 ${opts.out} / written ${opts.out}`);
      });
    });
  cmd
    .command('publish')
    .description(
      '公布录取结果：把派位结果写入各报名，家长可查询（仅一次）/ publish the results to the families (once)',
    )
    .requiredOption('--round <ID>', '招生批次编号 / the round id')
    .action(async (opts: { round: string }) => {
      await withStore(async (store) => {
        const round = await getRound(store.db, roundId(opts.round));
        const d = await publishResults(store.db, cliActor(), round);
        const placed = await store.db
          .selectFrom('admission_applications')
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .where('round_id', '=', round.id)
          .where('result_school_id', 'is not', null)
          .executeTakeFirstOrThrow();
        console.log(
          `已公布 ${round.name}：${d.applicants} 名儿童，录取 ${Number(placed.n)} 名 / published: ${d.applicants} children, ${Number(placed.n)} placed`,
        );
      });
    });
  cmd
    .command('appeals')
    .description(
      '导出一个批次的申诉列表 XLSX（姓名、身份证号已遮蔽；记入审计）\n' +
        "export a round's appeals as XLSX (names and ID numbers masked; audited)",
    )
    .requiredOption('--round <ID>', '招生批次编号 / the round id')
    .addOption(new Option('--status <STATUS>', '只导出该状态 / only this status').choices(APPEAL_STATUSES))
    .option('--out <FILE>', '输出文件（默认 appeals-ID.xlsx）/ output file (default appeals-ID.xlsx)')
    .addOption(
      new Option('--lang <LANG>', '表头语言 / language of the headings').choices(LANGS).default('zh'),
    )
    .action(async (opts: { round: string; status?: AppealStatus; out?: string; lang: Lang }) => {
      const id = roundId(opts.round);
      const file = opts.out ?? `appeals-${id}.xlsx`;
      const rows = await withStore(async (store) => {
        const round = await getRound(store.db, id);
        await auditRoundExport(store.db, cliActor(), round, 'export.admission_appeals', {
          status: opts.status ?? null,
          school: null,
          unmasked: false,
          file: path.basename(file),
        });
        return writeAppealsWorkbook(store.db, round, { status: opts.status }, file, opts.lang);
      });
      console.error(`已写入 ${file}：${rows} 份申诉 / written ${file}: ${rows} appeals`);
    });
}
