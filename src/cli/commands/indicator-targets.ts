import { type Command, InvalidArgumentError, Option } from 'commander';
import { AppError } from '../../domain/errors.ts';
import { STAGE_LABELS, STAGES, type Stage } from '../../domain/stages.ts';
import { TARGET_COMPARATORS, type TargetComparator } from '../../engines/indicators/targets.ts';
import type { EffectiveTarget } from '../../indicators/targets.ts';
import { withStore } from '../store-session.ts';
import { cliActor } from './io.ts';

/*
 * `indicators targets …`. The parent `indicators` command owns --region and --year (commander gives
 * a parent's options to it wherever they stand), so these subcommands read them with optsWithGlobals.
 */

interface Globals {
  region?: string;
  year?: number;
  format?: string;
}

function parseNumber(v: string): number {
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n)) throw new InvalidArgumentError('应为数字 / must be a number');
  return n;
}

const OPTION_OF: Record<string, string> = {
  region_code: '--region',
  year: '--year',
  indicator_id: '--indicator',
  stage: '--stage',
  comparator: '--comparator',
  threshold: '--threshold',
  close_margin: '--close-margin',
};

/** The store names a target's fields; on the command line the error names the option instead. */
async function inOptionTerms<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof AppError && e.field && OPTION_OF[e.field])
      throw new AppError(e.code, e.zh, e.en, OPTION_OF[e.field]);
    throw e;
  }
}

const missing = (option: string) =>
  new AppError('targets.missing_option', `需要 ${option}`, `${option} is required`, option);

function regionOf(g: Globals): string {
  if (!g.region) throw missing('--region');
  return g.region;
}

/** --year Y for that year, --every-year for the target of every year without its own. */
function yearOf(g: Globals, everyYear: boolean | undefined): number | null {
  if (everyYear && g.year !== undefined)
    throw new AppError(
      'targets.invalid',
      '--year 与 --every-year 只能选一个',
      'give either --year or --every-year, not both',
      '--every-year',
    );
  if (everyYear) return null;
  if (g.year === undefined) throw missing('--year（或 --every-year）/ --year (or --every-year)');
  return g.year;
}

async function renderTargets(targets: EffectiveTarget[], format: string): Promise<string> {
  if (format === 'json') return JSON.stringify(targets, null, 2);
  const { INDICATOR_BY_ID } = await import('../../engines/indicators/definitions.ts');
  return targets
    .map((t) => {
      const d = INDICATOR_BY_ID.get(t.indicator_id)!;
      const name = `${d.zh}${t.stage ? ` ${STAGE_LABELS[t.stage]}` : ''}`;
      const unit = d.unit === 'percent' ? '%' : '';
      const rule = `${t.comparator === 'at_least' ? '≥' : '≤'} ${t.threshold}${unit} (±${t.close_margin})`;
      const origin =
        t.origin === 'edited' ? `已修改 / edited ${t.year ?? '每年 / every year'}` : '预置 / preloaded';
      return `${name.padEnd(20, '　')} ${t.indicator_id}${t.stage ? `[${t.stage}]` : ''}\t${rule}\t${origin}\t${t.source}`;
    })
    .join('\n');
}

const keyOptions = (c: Command) =>
  c
    .requiredOption('--indicator <ID>', '指标代码，如 preschool_ger / indicator id, e.g. preschool_ger')
    .addOption(
      new Option('--stage <STAGE>', '学段（分学段的指标）/ stage, for per-stage indicators').choices(STAGES),
    )
    .option(
      '--every-year',
      '每年适用（代替 --year）/ for every year without its own target (instead of --year)',
    );

/** Registers `targets`, `targets set` and `targets clear` under the `indicators` command. */
export function registerTargetsCommands(indicators: Command): void {
  const targets = indicators
    .command('targets')
    .description(
      '某区划某年度的目标值（预置的国家、河南标准及统计部门的修改）\n' +
        'the effective targets of a region and year (preloaded national and Henan thresholds, and edits)',
    )
    .action(async function (this: Command) {
      const g = this.optsWithGlobals<Globals>();
      const region = regionOf(g);
      if (g.year === undefined) throw missing('--year');
      if (g.format === 'xlsx')
        throw new AppError(
          'targets.invalid',
          '目标值只支持 json 或 table',
          'targets print as json or table',
          '--format',
        );
      const { loadEffectiveTargets } = await import('../../indicators/targets.ts');
      const list = await withStore(async (store) => {
        const exists = await store.db
          .selectFrom('regions')
          .select('code')
          .where('code', '=', region)
          .executeTakeFirst();
        if (!exists)
          throw new AppError(
            'targets.unknown_region',
            `找不到区划 ${region}`,
            `no region with code ${region}`,
            '--region',
          );
        return (await loadEffectiveTargets(store.db, [region], g.year!)).get(region)!;
      });
      console.log(await renderTargets(list, g.format ?? 'json'));
    });

  keyOptions(targets.command('set'))
    .description(
      '设定目标值（写入审计日志），需要 --region CODE 和 --year Y（或 --every-year）\n' +
        'set a target (audited); needs --region CODE and --year Y (or --every-year)',
    )
    .addOption(
      new Option('--comparator <C>', 'at_least（≥）或 at_most（≤）/ at_least (≥) or at_most (≤)')
        .choices(TARGET_COMPARATORS)
        .makeOptionMandatory(),
    )
    .requiredOption(
      '--threshold <N>',
      '目标值（百分比填百分点）/ threshold, in percentage points for a percent',
      parseNumber,
    )
    .option(
      '--close-margin <N>',
      '“接近”的范围，默认见文档 / the close margin (default: see docs)',
      parseNumber,
    )
    .option('--note <TEXT>', '备注，如文件依据 / a note, e.g. the document it comes from')
    .action(async function (
      this: Command,
      opts: {
        indicator: string;
        stage?: Stage;
        everyYear?: boolean;
        comparator: TargetComparator;
        threshold: number;
        closeMargin?: number;
        note?: string;
      },
    ) {
      const g = this.optsWithGlobals<Globals>();
      const { setTarget } = await import('../../indicators/targets.ts');
      const t = await inOptionTerms(() =>
        withStore((store) =>
          setTarget(store.db, cliActor(), {
            region_code: regionOf(g),
            year: yearOf(g, opts.everyYear),
            indicator_id: opts.indicator,
            stage: opts.stage ?? null,
            comparator: opts.comparator,
            threshold: opts.threshold,
            close_margin: opts.closeMargin,
            note: opts.note,
          }),
        ),
      );
      console.log(await renderTargets([t], g.format === 'json' ? 'json' : 'table'));
    });

  keyOptions(targets.command('clear'))
    .description(
      '删除修改，恢复预置目标值（写入审计日志）/ remove an edit, restoring the preloaded target (audited)',
    )
    .action(async function (this: Command, opts: { indicator: string; stage?: Stage; everyYear?: boolean }) {
      const g = this.optsWithGlobals<Globals>();
      const { clearTarget } = await import('../../indicators/targets.ts');
      const key = {
        region_code: regionOf(g),
        year: yearOf(g, opts.everyYear),
        indicator_id: opts.indicator,
        stage: opts.stage ?? null,
      };
      await inOptionTerms(() => withStore((store) => clearTarget(store.db, cliActor(), key)));
      console.log(
        `已恢复预置目标值 / restored the preloaded target: ${key.region_code} ${key.year ?? '每年 / every year'} ${key.indicator_id}${key.stage ? `[${key.stage}]` : ''}`,
      );
    });
}
