import { Command, CommanderError } from 'commander';
import { isAppError } from '../domain/errors.ts';
import { registerAdmissionsCommands } from './commands/admissions.ts';
import { registerAdmissionsDrawCommands } from './commands/admissions-draw.ts';
import { registerAdmissionsStoreCommands } from './commands/admissions-store.ts';
import { registerCensusCommands } from './commands/census.ts';
import { registerDbCommands } from './commands/db.ts';
import { registerDemoCommand } from './commands/demo.ts';
import { forecastCommand } from './commands/forecast.ts';
import { registerIndicatorsCommands } from './commands/indicators.ts';
import { registerIoCommands } from './commands/io.ts';
import { planningCommand } from './commands/planning.ts';
import { registerReportCommand } from './commands/report.ts';
import { registerStartCommand } from './commands/start.ts';
import { registerUserCommands } from './commands/user.ts';

/** Builds the `eduatlas` program. Every description is Chinese first, then English. */
export function buildProgram(): Command {
  const program = new Command('eduatlas')
    .description(
      'EduAtlas 基础教育扩优提质平台 — 教育局的学位、招生、规划与统计平台\n' +
        'EduAtlas — basic-education planning, admissions and statistics for an education bureau\n\n' +
        '数据库由环境变量 DATABASE_URL 指定（默认 data/eduatlas.sqlite）\n' +
        'The database is set by DATABASE_URL (default data/eduatlas.sqlite)',
    )
    .version('0.1.0', '-V, --version', '显示版本 / show the version')
    .helpOption('-h, --help', '显示帮助 / show help')
    .helpCommand('help [command]', '显示某个命令的帮助 / show help for a command')
    .showHelpAfterError('（用 --help 查看用法 / run with --help for usage）')
    .exitOverride();
  registerStartCommand(program);
  registerDbCommands(program);
  registerDemoCommand(program);
  registerIoCommands(program);
  registerIndicatorsCommands(program);
  registerCensusCommands(program);
  registerAdmissionsCommands(program);
  registerAdmissionsStoreCommands(program);
  registerAdmissionsDrawCommands(program);
  program.addCommand(forecastCommand());
  program.addCommand(planningCommand());
  registerReportCommand(program);
  registerUserCommands(program);
  for (const cmd of program.commands) {
    cmd.helpOption('-h, --help', '显示帮助 / show help').exitOverride();
    for (const sub of cmd.commands) sub.helpOption('-h, --help', '显示帮助 / show help').exitOverride();
  }
  return program;
}

/** Runs the CLI; returns the exit code. Expected failures print one line, no stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode;
    if (isAppError(e)) {
      process.stderr.write(`错误 / error: ${e.toLine()}\n`);
      return 1;
    }
    throw e;
  }
}
