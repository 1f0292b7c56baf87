import fs from 'node:fs';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { AppError } from '../../domain/errors.ts';
import { STAGE_LABELS } from '../../domain/stages.ts';
import type { IndicatorResult } from '../../engines/indicators/engine.ts';
import { withStore } from '../store-session.ts';

const FORMATS = ['json', 'table'] as const;
type Format = (typeof FORMATS)[number];

function parseYear(v: string): number {
  const n = Number(v);
  if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('应为四位年份 / must be a four-digit year');
  return n;
}

const formatOption = () =>
  new Option('--format <format>', '输出格式 / output format').choices(FORMATS).default('json');

async function render(results: IndicatorResult[], format: Format): Promise<string> {
  if (format === 'json') return JSON.stringify(results, null, 2);
  const { INDICATOR_BY_ID } = await import('../../engines/indicators/definitions.ts');
  const num = (x: number | null) =>
    x === null ? '—' : Number.isInteger(x) ? x.toLocaleString('en-US') : x.toFixed(2);
  return results
    .map((r) => {
      const d = INDICATOR_BY_ID.get(r.id)!;
      const stage = r.stage ? ` ${STAGE_LABELS[r.stage]}` : '';
      const unit = r.unit === 'percent' ? '%' : r.unit === 'ratio' ? ' : 1' : '';
      const value =
        r.value === null ? `— (${r.reason?.zh} / ${r.reason?.en})` : `${r.value.toFixed(2)}${unit}`;
      return `${`${d.zh}${stage}`.padEnd(20, '　')} ${r.id}${r.stage ? `[${r.stage}]` : ''}\t${value}\t(${num(r.numerator)} / ${num(r.denominator)})`;
    })
    .join('\n');
}

export function registerIndicatorsCommands(program: Command): void {
  const cmd = program
    .command('indicators')
    .description(
      '计算统计指标（毛入园率、巩固率、大班额等），显示分子分母\n' +
        'compute the official indicators for a region and year, with numerators and denominators',
    )
    .option(
      '--region <CODE>',
      '区划代码（市、县、乡镇）或学校代码 / region (city, county, township) or school code',
    )
    .option('--year <Y>', '统计年度（基础统计 Y 年秋季）/ census year', parseYear)
    .addOption(formatOption())
    .action(async (opts: { region?: string; year?: number; format: Format }) => {
      if (!opts.region || opts.year === undefined)
        throw new AppError(
          'indicators.missing_option',
          '需要 --region 和 --year',
          '--region and --year are required',
          opts.region ? '--year' : '--region',
        );
      const { computeIndicators } = await import('../../engines/indicators/engine.ts');
      const { loadIndicatorInput } = await import('../../engines/indicators/load.ts');
      const input = await withStore((store) =>
        loadIndicatorInput(store.db, { kind: 'region', code: opts.region! }, opts.year!),
      );
      console.log(await render(computeIndicators(input), opts.format));
    });
  cmd
    .command('solve <FILE>')
    .description('对基础统计 JSON 计算指标（不读数据库）/ compute the indicators over a census JSON file')
    .addOption(formatOption())
    .action(async (file: string, opts: { format: Format }) => {
      const { computeIndicators } = await import('../../engines/indicators/engine.ts');
      const { parseIndicatorInput } = await import('../../engines/indicators/contract.ts');
      let json: unknown;
      try {
        json = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        throw new AppError(
          'indicators.unreadable',
          `无法读取 JSON：${(e as Error).message}`,
          `cannot read the JSON: ${(e as Error).message}`,
          file,
        );
      }
      console.log(await render(computeIndicators(parseIndicatorInput(json)), opts.format));
    });
}
