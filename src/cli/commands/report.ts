import path from 'node:path';
import { type Command, Option } from 'commander';
import { writeAudit } from '../../audit/audit-log.ts';
import { AppError } from '../../domain/errors.ts';
import { LANGS, type Lang } from '../../indicators/workbook.ts';
import { withStore } from '../store-session.ts';
import { parseYear } from './indicators.ts';
import { cliActor } from './io.ts';

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .description(
      '统计指标年报（XLSX）：各县区（或各乡镇）与合计、目标与达标、比上年增减\n' +
        'the annual indicator report (XLSX): each county (or township) and the total, targets, change on the year before',
    )
    .option('--region <CODE>', '市或县（市、区）代码 / city or county code')
    .option('--year <Y>', '统计年度（基础统计 Y 年秋季）/ census year', parseYear)
    .option('--out <FILE>', '输出文件（默认 区划Y年统计指标年报.xlsx）/ output file')
    .addOption(
      new Option('--lang <LANG>', '表头语言 / language of the headings').choices(LANGS).default('zh'),
    )
    .action(async (opts: { region?: string; year?: number; out?: string; lang: Lang }) => {
      if (!opts.region || opts.year === undefined)
        throw new AppError(
          'report.missing_option',
          '需要 --region 和 --year',
          '--region and --year are required',
          opts.region ? '--year' : '--region',
        );
      const { loadAnnualReport, reportFileName, writeAnnualReport } = await import(
        '../../indicators/report.ts'
      );
      const out = await withStore(async (store) => {
        const report = await loadAnnualReport(store.db, opts.region!, opts.year!);
        const file = opts.out ?? reportFileName(report, opts.lang);
        await writeAnnualReport(report, file, { lang: opts.lang });
        await writeAudit(store.db, cliActor(), {
          action: 'export.indicator_report',
          resourceType: 'indicator_report',
          resourceId: report.region.code,
          context: { year: report.year, lang: opts.lang, file: path.basename(file) },
        });
        return file;
      });
      console.log(`已写入年报 ${out} / annual report written to ${out}`);
    });
}
