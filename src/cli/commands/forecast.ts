import fs from 'node:fs';
import { Command } from 'commander';
import { readJsonFile } from '../json-file.ts';
import { registerForecastStoreCommands } from './forecast-store.ts';

/**
 * The `forecast` command: `solve` (the engine over a JSON file, no database) and the store's
 * subcommands (run, runs, balance, backtest) from forecast-store.ts.
 */
export function forecastCommand(): Command {
  const cmd = new Command('forecast')
    .description(
      '学位需求预测：按区域、年级、年份预测在校生数（年级升级比法）\n' +
        'forecast pupils per area, grade and year (grade-progression ratios)',
    )
    .helpCommand('help [command]', '显示某个命令的帮助 / show help for a command');
  cmd
    .command('solve <FILE>')
    .description(
      '对预测输入 JSON 计算预测（不读数据库），输出 JSON / forecast from an input JSON file (no database), JSON out',
    )
    .option('--out <FILE>', '输出文件（默认标准输出）/ output file (default stdout)')
    .action(async (file: string, opts: { out?: string }) => {
      const { forecastParsedEnrollment, parseForecastInput } = await import(
        '../../engines/forecast/index.ts'
      );
      const text = JSON.stringify(
        forecastParsedEnrollment(parseForecastInput(readJsonFile(file, 'forecast'))),
        null,
        2,
      );
      if (opts.out) fs.writeFileSync(opts.out, text);
      else console.log(text);
    });
  registerForecastStoreCommands(cmd);
  return cmd;
}
