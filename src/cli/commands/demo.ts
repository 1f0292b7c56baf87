import { type Command, InvalidArgumentError, Option } from 'commander';
import { describeTarget } from '../../store/db.ts';
import { progressBar } from '../progress.ts';
import { withStore } from '../store-session.ts';

const SCALES = ['small', 'county', 'city'] as const;

function parseSeed(v: string): number {
  const n = Number(v);
  if (!/^\d+$/.test(v) || !Number.isSafeInteger(n)) {
    throw new InvalidArgumentError('应为非负整数 / must be a non-negative integer');
  }
  return n;
}

export function registerDemoCommand(program: Command): void {
  program
    .command('demo')
    .description(
      '生成合成演示城市（以商丘市及其 9 个区县为原型，全部记录标记为合成数据）\n' +
        'build the synthetic demo city (modelled on 商丘市 and its 9 counties; every record marked synthetic)',
    )
    .addOption(
      new Option(
        '--scale <scale>',
        '规模：small（测试用，两个区县缩小）、county（一个县）、city（全市约 1,500 所学校）/ size',
      )
        .choices(SCALES)
        .default('city'),
    )
    .option(
      '--seed <N>',
      '随机种子，同一种子生成完全相同的数据 / random seed: the same seed gives the same data',
      parseSeed,
      1,
    )
    .option('--replace', '先删除数据库中全部业务数据再生成 / delete all business data first', false)
    .action(async (opts: { scale: (typeof SCALES)[number]; seed: number; replace: boolean }) => {
      // Loaded here so that `eduatlas --help` stays quick.
      const { buildDemoCity } = await import('../../demo/index.ts');
      await withStore(async (store) => {
        console.log(
          `正在生成演示城市 / building the demo city: scale ${opts.scale}, seed ${opts.seed} → ${describeTarget(store.target)}`,
        );
        const bar = progressBar('演示城市 demo');
        let summary: Awaited<ReturnType<typeof buildDemoCity>>;
        try {
          summary = await buildDemoCity(store, {
            scale: opts.scale,
            seed: opts.seed,
            replace: opts.replace,
            onProgress: (phase, done, total) => bar.update(phase, done, total),
          });
        } finally {
          bar.stop();
        }
        const n = (x: number) => x.toLocaleString('en-US');
        const ind = summary.indicators2023;
        const pct = (v: { rate: number; numerator: number; denominator: number }) =>
          `${v.rate.toFixed(2)}%  (${n(v.numerator)} / ${n(v.denominator)})`;
        console.log(
          [
            `演示城市已生成 / demo city built in ${summary.seconds.toFixed(1)} s`,
            `区县 / counties: ${summary.counties.map((c) => `${c.name} ${c.code}`).join(', ')}`,
            `学校 / schools: ${n(summary.schools)}`,
            `在校生（2025）/ pupils (2025): ${n(summary.pupils)}`,
            `学籍记录 / pupil records: ${n(summary.students)}`,
            `教师记录 / teacher records: ${n(summary.teachers)}`,
            `班级 / classes (2021–2025): ${n(summary.classes)}`,
            '2023 年指标 / 2023 indicators:',
            `  学前三年毛入园率 / pre-school gross enrolment: ${pct(ind.kindergartenGross)}`,
            `  九年义务教育巩固率 / nine-year retention: ${pct(ind.retention)}`,
            `  高中阶段毛入学率 / senior-secondary gross enrolment: ${pct(ind.seniorGross)}`,
            `  课后服务参与率 / after-school participation: ${pct(ind.afterSchool)}`,
            `  随迁子女就读公办比例 / migrant children in public places: ${pct(ind.migrantPublic)}`,
          ].join('\n'),
        );
      });
    });
}
