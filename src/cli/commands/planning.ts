import fs from 'node:fs';
import { Command } from 'commander';
import { readJsonFile } from '../json-file.ts';
import { registerPlanningStoreCommands } from './planning-store.ts';

/**
 * The `planning` command with its `solve` subcommand (the engine over a JSON file, docs/planning-engine.md).
 * The store's subcommands are added to the Command this returns.
 */
export function planningCommand(): Command {
  const cmd = new Command('planning')
    .description(
      '教育设施布局规划：在学位、服务半径和预算约束下决定保留、扩建、新建或撤并学校\n' +
        'layout planning: which schools to keep, expand, build or merge under seats, radius and budget',
    )
    .helpCommand('help [command]', '显示某个命令的帮助 / show help for a command');
  cmd
    .command('solve <FILE>')
    .description(
      '对规划输入 JSON 求解布局方案（不读数据库），输出 JSON / solve a layout plan from an input JSON file (no database), JSON out',
    )
    .option('--out <FILE>', '输出文件（默认标准输出）/ output file (default stdout)')
    .action(async (file: string, opts: { out?: string }) => {
      const { parsePlanningInput } = await import('../../engines/planning/contract.ts');
      const { solvePlanning } = await import('../../engines/planning/index.ts');
      const text = JSON.stringify(
        await solvePlanning(parsePlanningInput(readJsonFile(file, 'planning'))),
        null,
        2,
      );
      if (opts.out) fs.writeFileSync(opts.out, text);
      else console.log(text);
    });
  registerPlanningStoreCommands(cmd);
  return cmd;
}
