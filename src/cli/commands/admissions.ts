import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../domain/errors.ts';
import { readJsonFile } from '../json-file.ts';

const CHECK_ZH = { digest: '申请名单摘要', commitment: '承诺值', seed: '种子' } as const;

export function registerAdmissionsCommands(program: Command): void {
  const cmd = program
    .command('admissions')
    .description(
      '阳光招生：按志愿、优先级和公开可复算的派位号录取（递延接受），并验证已公布的派位\n' +
        'sunshine admissions: deferred acceptance by choices, tiers and reproducible lottery keys; verify a published draw',
    );
  cmd
    .command('solve <FILE>')
    .description('对招生 JSON 计算录取结果（不读数据库）/ solve an admissions JSON file (no database)')
    .option('--out <FILE>', '把结果 JSON 写入文件 / write the result JSON to a file')
    .action(async (file: string, opts: { out?: string }) => {
      const { parseAdmissionsInput } = await import('../../engines/admissions/contract.ts');
      const { solveAdmissions } = await import('../../engines/admissions/solve.ts');
      const text = JSON.stringify(
        solveAdmissions(parseAdmissionsInput(readJsonFile(file, 'admissions'))),
        null,
        2,
      );
      if (!opts.out) {
        console.log(text);
        return;
      }
      fs.writeFileSync(opts.out, `${text}\n`);
      console.log(`已写入 ${opts.out} / written ${opts.out}`);
    });
  cmd
    .command('verify <FILE>')
    .description(
      '复算已公布的派位文件（摘要、承诺、种子、录取与统筹），逐一核对 / recompute a published draw file and check every placement',
    )
    .action(async (file: string) => {
      const { verifyDraw } = await import('../../engines/admissions/verify.ts');
      const report = verifyDraw(readJsonFile(file, 'admissions'));
      console.log(JSON.stringify(report, null, 2));
      if (report.ok) return;
      const failed = (['digest', 'commitment', 'seed'] as const).filter((k) => !report[k].ok);
      const n = report.result.mismatches;
      const what = failed.length ? `${failed.join(', ')} ${failed.length > 1 ? 'differ' : 'differs'}; ` : '';
      throw new AppError(
        'admissions.draw_mismatch',
        `派位验证不通过：${failed.length ? `${failed.map((k) => CHECK_ZH[k]).join('、')}不符；` : ''}${n} 项结果不符`,
        `the draw does not verify: ${what}${n} result ${n === 1 ? 'entry differs' : 'entries differ'}`,
        failed[0] ?? report.result.first[0]?.field,
      );
    });
}
