import fs from 'node:fs';
import type { Command } from 'commander';
import { AppError } from '../../domain/errors.ts';
import type { DerivedCensus } from '../../engines/census/derive.ts';
import { readJsonFile } from '../json-file.ts';
import { progressBar } from '../progress.ts';
import { withStore } from '../store-session.ts';
import { parseYear } from './indicators.ts';
import { cliActor } from './io.ts';

const PHASES: Record<string, string> = {
  pupils: '学生学籍 pupils',
  teachers: '教师名册 teachers',
  derive: '推算 derive',
  write: '写入 write',
};

const n = (x: number) => x.toLocaleString('en-US');

function summary(d: DerivedCensus, where: string): string {
  const lines = [
    `${d.year} 年基础统计由学籍推算（${where}）：${n(d.pupil_records)} 条学生学籍 → ${n(d.census.length)} 行基础统计、` +
      `${d.census_teachers ? n(d.census_teachers.length) : '—'} 行专任教师、${d.classes ? n(d.classes.length) : '—'} 个班级`,
    `census ${d.year} derived from the registers (${where}): ${n(d.pupil_records)} pupil records → ${n(d.census.length)} census rows, ` +
      `${d.census_teachers ? n(d.census_teachers.length) : '—'} teacher rows, ${d.classes ? n(d.classes.length) : '—'} classes`,
  ];
  if (d.not_derivable.length > 0) {
    lines.push('不能推算 / not derivable:');
    for (const x of d.not_derivable) lines.push(`  ${x.field}: ${x.reason.zh} / ${x.reason.en}`);
  }
  return lines.join('\n');
}

export function registerCensusCommands(program: Command): void {
  const cmd = program
    .command('census')
    .description(
      '基础统计：由学生学籍和教师名册推算 / the census, derived from the pupil and teacher registers',
    );
  cmd
    .command('derive')
    .description(
      '由学生学籍和教师名册推算某年的基础统计、专任教师和班级，可写入数据库或写出指标计算的输入\n' +
        'derive the census, full-time teachers and classes of a year from the registers; write them to the database or an indicators input file',
    )
    .option('--year <Y>', '统计年度（Y 年秋季的学籍）/ census year (the registers of autumn Y)', parseYear)
    .option(
      '--region <CODE>',
      '区划代码（市、县、乡镇）或学校代码；默认全部 / region or school code; default all',
    )
    .option('--write', '写入数据库（替换该年该区域的基础统计）/ write to the database', false)
    .option(
      '--replace',
      '与 --write 一起：替换已有的该年基础统计 / with --write: replace a stored census',
      false,
    )
    .option(
      '--out <FILE>',
      '写出 JSON：indicators solve 的输入（指标引擎的输入）/ write the indicator engine input JSON (for indicators solve)',
    )
    .action(
      async (opts: { year?: number; region?: string; write: boolean; replace: boolean; out?: string }) => {
        if (opts.year === undefined)
          throw new AppError('census.missing_option', '需要 --year', '--year is required', '--year');
        if (opts.replace && !opts.write)
          throw new AppError(
            'census.replace_without_write',
            '--replace 只能与 --write 一起使用',
            '--replace only goes with --write',
            '--replace',
          );
        const { deriveStoredCensus, derivedIndicatorInput, resolveCensusRegion, writeDerivedCensus } =
          await import('../../census/derive.ts');
        const year = opts.year;
        const result = await withStore(async (store) => {
          const bar = progressBar('基础统计推算 census derive');
          const progress = (phase: string, done: number, total: number) =>
            bar.update(PHASES[phase] ?? phase, done, total);
          try {
            const region = await resolveCensusRegion(store.db, opts.region);
            const d = await deriveStoredCensus(store.db, year, region, progress);
            const write = opts.write
              ? await writeDerivedCensus(store.db, d, {
                  replace: opts.replace,
                  actor: cliActor(),
                  onProgress: progress,
                })
              : null;
            const input = opts.out ? await derivedIndicatorInput(store.db, d) : null;
            return { d, write, input };
          } finally {
            bar.stop();
          }
        });
        const { d, write, input } = result;
        console.log(summary(d.derived, opts.region ?? '全部 / all'));
        if (d.otherYearRecords > 0)
          console.log(
            `另有 ${n(d.otherYearRecords)} 条其他学年的学籍未计入 / ${n(d.otherYearRecords)} records of other years left out`,
          );
        if (write) {
          const w = write.written;
          const r = write.replaced;
          console.log(
            `已写入 / written: ${n(w.census)} census, ${n(w.census_teachers)} census_teachers, ${n(w.classes)} classes` +
              (r.census + r.census_teachers + r.classes > 0
                ? `; 替换 / replacing ${n(r.census)} + ${n(r.census_teachers)} + ${n(r.classes)}`
                : ''),
          );
          if (write.kept.length > 0)
            console.log(`保留原有值（新行为 0）/ kept as stored (0 in new rows): ${write.kept.join(', ')}`);
        }
        if (input && opts.out) {
          // The engine ignores `derivation`; it tells a reader what the registers could not give.
          const derivation = {
            year,
            region: opts.region ?? null,
            pupil_records: d.derived.pupil_records,
            not_derivable: d.derived.not_derivable,
          };
          fs.writeFileSync(opts.out, JSON.stringify({ derivation, ...input }));
          console.log(`已写出 / wrote ${opts.out}（bin/eduatlas indicators solve ${opts.out}）`);
        }
      },
    );
  cmd
    .command('solve <FILE>')
    .description(
      '对学籍 JSON 推算基础统计（不读数据库），输出 JSON / derive the census from a registers JSON file (no database)',
    )
    .option('--out <FILE>', '输出文件（默认标准输出）/ output file (default stdout)')
    .action(async (file: string, opts: { out?: string }) => {
      const { deriveCensus } = await import('../../engines/census/derive.ts');
      const { parseDeriveInput } = await import('../../engines/census/contract.ts');
      const text = JSON.stringify(deriveCensus(parseDeriveInput(readJsonFile(file, 'census'))), null, 2);
      if (opts.out) fs.writeFileSync(opts.out, text);
      else console.log(text);
    });
}
