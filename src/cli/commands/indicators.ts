import path from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { writeAudit } from '../../audit/audit-log.ts';
import { AppError } from '../../domain/errors.ts';
import { STAGE_LABELS } from '../../domain/stages.ts';
import type { IndicatorResult } from '../../engines/indicators/engine.ts';
import { readJsonFile } from '../json-file.ts';
import { withStore } from '../store-session.ts';
import { registerTargetsCommands } from './indicator-targets.ts';
import { cliActor } from './io.ts';

const FORMATS = ['json', 'table'] as const;
type Format = (typeof FORMATS)[number];
/** Only a region's figures go to a workbook (`solve` prints). */
const REGION_FORMATS = [...FORMATS, 'xlsx'] as const;

export function parseYear(v: string): number {
  const n = Number(v);
  if (!/^\d{4}$/.test(v)) throw new InvalidArgumentError('应为四位年份 / must be a four-digit year');
  return n;
}

const formatOption = (choices: readonly string[] = FORMATS) =>
  new Option('--format <format>', '输出格式 / output format').choices(choices).default('json');

async function render(results: IndicatorResult[], format: Format): Promise<string> {
  if (format === 'json') return JSON.stringify(results, null, 2);
  const { INDICATOR_BY_ID } = await import('../../engines/indicators/definitions.ts');
  const num = (x: number | null) =>
    x === null ? '—' : x.toLocaleString('en-US', { maximumFractionDigits: 2 });
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
    .addOption(formatOption(REGION_FORMATS))
    .option('--out <FILE>', 'XLSX 输出文件（默认 indicators-CODE-Y.xlsx）/ the XLSX file to write')
    .action(async (opts: { region?: string; year?: number; format: Format | 'xlsx'; out?: string }) => {
      if (!opts.region || opts.year === undefined)
        throw new AppError(
          'indicators.missing_option',
          '需要 --region 和 --year',
          '--region and --year are required',
          opts.region ? '--year' : '--region',
        );
      const { computeParsedIndicators } = await import('../../engines/indicators/engine.ts');
      const { loadIndicatorInput } = await import('../../indicators/load.ts');
      await withStore(async (store) => {
        const input = await loadIndicatorInput(store.db, { kind: 'region', code: opts.region! }, opts.year!);
        const results = computeParsedIndicators(input);
        if (opts.format !== 'xlsx') {
          console.log(await render(results, opts.format));
          return;
        }
        const out = opts.out ?? `indicators-${opts.region}-${opts.year}.xlsx`;
        const { writeIndicatorsWorkbook } = await import('../../indicators/workbook.ts');
        await writeIndicatorsWorkbook(results, out, 'zh');
        await writeAudit(store.db, cliActor(), {
          action: 'export.indicators',
          resourceType: 'indicators',
          resourceId: opts.region,
          context: { year: opts.year, file: path.basename(out) },
        });
        console.log(`已写入 ${out} / written ${out}`);
      });
    });
  cmd
    .command('solve <FILE>')
    .description('对基础统计 JSON 计算指标（不读数据库）/ compute the indicators over a census JSON file')
    .addOption(formatOption())
    .action(async (file: string, opts: { format: Format }) => {
      const { computeParsedIndicators } = await import('../../engines/indicators/engine.ts');
      const { parseIndicatorInput } = await import('../../engines/indicators/contract.ts');
      const json = readJsonFile(file, 'indicators');
      console.log(await render(computeParsedIndicators(parseIndicatorInput(json)), opts.format));
    });
  registerTargetsCommands(cmd);
}
