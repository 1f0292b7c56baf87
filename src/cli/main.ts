import { Command, CommanderError } from 'commander';
import { isAppError } from '../domain/errors.ts';

type Register = (program: Command) => void;

/**
 * The top-level commands and the modules that register them, loaded only when asked for: a command
 * loads its own group (the server, ExcelJS and HiGHS are not read for `planning solve`), which takes
 * about a second off each run; help and an unknown command load every group.
 */
const COMMAND_GROUPS: { names: string[]; load: () => Promise<Register[]> }[] = [
  { names: ['start'], load: async () => [(await import('./commands/start.ts')).registerStartCommand] },
  { names: ['db'], load: async () => [(await import('./commands/db.ts')).registerDbCommands] },
  { names: ['demo'], load: async () => [(await import('./commands/demo.ts')).registerDemoCommand] },
  {
    names: ['template', 'import', 'export'],
    load: async () => [(await import('./commands/io.ts')).registerIoCommands],
  },
  {
    names: ['indicators'],
    load: async () => [(await import('./commands/indicators.ts')).registerIndicatorsCommands],
  },
  { names: ['census'], load: async () => [(await import('./commands/census.ts')).registerCensusCommands] },
  {
    names: ['admissions'],
    load: async () => {
      const [engine, store, draw] = await Promise.all([
        import('./commands/admissions.ts'),
        import('./commands/admissions-store.ts'),
        import('./commands/admissions-draw.ts'),
      ]);
      // The store and draw subcommands join the `admissions` command the first one makes.
      return [
        engine.registerAdmissionsCommands,
        store.registerAdmissionsStoreCommands,
        draw.registerAdmissionsDrawCommands,
      ];
    },
  },
  {
    names: ['forecast'],
    load: async () => {
      const { forecastCommand } = await import('./commands/forecast.ts');
      return [(program) => program.addCommand(forecastCommand())];
    },
  },
  {
    names: ['planning'],
    load: async () => {
      const { planningCommand } = await import('./commands/planning.ts');
      return [(program) => program.addCommand(planningCommand())];
    },
  },
  { names: ['report'], load: async () => [(await import('./commands/report.ts')).registerReportCommand] },
  { names: ['user'], load: async () => [(await import('./commands/user.ts')).registerUserCommands] },
];

/**
 * Builds the `eduatlas` program for these arguments (all commands when `argv` names none of them).
 * Every description is Chinese first, then English.
 */
export async function buildProgram(argv: string[] = []): Promise<Command> {
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
  const asked = argv.slice(2).find((a) => !a.startsWith('-'));
  const group = COMMAND_GROUPS.find((g) => asked !== undefined && g.names.includes(asked));
  for (const g of group ? [group] : COMMAND_GROUPS) for (const register of await g.load()) register(program);
  for (const cmd of program.commands) {
    cmd.helpOption('-h, --help', '显示帮助 / show help').exitOverride();
    for (const sub of cmd.commands) sub.helpOption('-h, --help', '显示帮助 / show help').exitOverride();
  }
  return program;
}

/** Runs the CLI; returns the exit code. Expected failures print one line, no stack. */
export async function main(argv: string[]): Promise<number> {
  try {
    await (await buildProgram(argv)).parseAsync(argv);
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
