import os from 'node:os';
import path from 'node:path';
import cliProgress from 'cli-progress';
import { type Command, Option } from 'commander';
import { writeAudit } from '../../audit/audit-log.ts';
import { AppError } from '../../domain/errors.ts';
import {
  EXPORT_TABLES,
  exportTable,
  type FileFormat,
  formatIssue,
  getKind,
  type ImportProgress,
  type ImportResult,
  importFile,
  KINDS,
  writeErrorReport,
  writeTemplate,
} from '../../io/index.ts';
import { renderKindReference } from '../../io/kind-docs.ts';
import { formatOfName } from '../../io/read/source.ts';
import { progressBar } from '../progress.ts';
import { withStore } from '../store-session.ts';

/** Progress shows only for files bigger than this many rows. */
const PROGRESS_AFTER_ROWS = 5000;
const ERRORS_SHOWN = 20;

const formatOption = (what: string) =>
  new Option(
    '--format <FORMAT>',
    `${what}格式 / ${what === '文件' ? 'file' : 'output'} format: xlsx | csv`,
  ).choices(['xlsx', 'csv']);

function formatFor(out: string | undefined, given: string | undefined): FileFormat {
  if (given === 'csv' || given === 'xlsx') return given;
  return (out && formatOfName(out)) || 'xlsx';
}

export function registerIoCommands(program: Command): void {
  program
    .command('template')
    .argument('[KIND]', `数据类型 / kind: ${KINDS.map((k) => k.name).join(' | ')}`)
    .description(
      '生成导入模板（中文列名、示例行和“说明”工作表）/ write an import template (Chinese headers, an example row, a 说明 sheet)',
    )
    .option('--out <FILE>', '输出文件（默认 模板-类型.xlsx）/ output file (default template-KIND.xlsx)')
    .addOption(formatOption('输出'))
    .option('--list', '列出所有数据类型及其唯一标识 / list the kinds and their natural keys')
    .option(
      '--docs',
      '以 Markdown 输出所有类型的列说明（docs/data-import.md 的参考部分）/ print every kind’s columns as Markdown',
    )
    .action(
      async (
        kindName: string | undefined,
        opts: { out?: string; format?: string; list?: boolean; docs?: boolean },
      ) => {
        if (opts.docs) {
          process.stdout.write(`${renderKindReference()}\n`);
          return;
        }
        if (opts.list || !kindName) {
          for (const k of KINDS) {
            console.log(
              `${k.name.padEnd(18)} ${k.title.zh} / ${k.title.en}\t唯一标识 / key: ${k.naturalKey.zh} / ${k.naturalKey.en}`,
            );
          }
          return;
        }
        const kind = getKind(kindName);
        const format = formatFor(opts.out, opts.format);
        const out = opts.out ?? `template-${kind.name}.${format}`;
        await writeTemplate(kind, out, format);
        console.log(`已生成模板 / template written: ${out}（${kind.title.zh} / ${kind.title.en}）`);
      },
    );

  program
    .command('import')
    .argument('<KIND>', `数据类型 / kind: ${KINDS.map((k) => k.name).join(' | ')}`)
    .argument('<FILE>', 'CSV（UTF-8 或 GBK）或 XLSX 文件 / a CSV (UTF-8 or GBK) or XLSX file')
    .description(
      '导入数据：先逐行检查，全部无误才在一个事务中写入 / import a file: every row is checked first, then all is written in one transaction',
    )
    .option('--dry-run', '只检查、统计，不写入 / check and count, write nothing')
    .option(
      '--report <FILE>',
      '错误报告（XLSX）的位置（默认与文件同目录）/ where to write the error report (XLSX; default next to the file)',
    )
    .action(async (kindName: string, file: string, opts: { dryRun?: boolean; report?: string }) => {
      const kind = getKind(kindName);
      const result = await withStore(async (store) => {
        const progress = importProgress();
        try {
          const r = await importFile(store.db, kind, path.resolve(file), {
            dryRun: opts.dryRun,
            onProgress: progress.update,
          });
          if (r.written) {
            await writeAudit(store.db, cliActor(), {
              action: `import.${kind.name}`,
              resourceType: kind.name,
              context: {
                filename: path.basename(file),
                rows: r.rows,
                inserted: r.inserted,
                updated: r.updated,
              },
            });
          }
          return r;
        } finally {
          progress.stop();
        }
      });
      printSummary(result, file);
      if (result.errorCount === 0) return;
      const report = opts.report ?? defaultReportPath(file);
      await writeErrorReport(result, report);
      console.error(`完整错误报告 / full error report: ${report}`);
      throw new AppError(
        'io.import_rejected',
        `文件未导入：发现 ${result.errorCount} 个错误，数据库未作任何修改`,
        `The file was not imported: ${result.errorCount} problem(s) found; the database is unchanged`,
        file,
      );
    });

  program
    .command('export')
    .argument('<TABLE>', `表 / table: ${EXPORT_TABLES.join(' | ')}`)
    .description(
      '导出一张表为 XLSX 或 CSV（姓名、身份证号默认脱敏）/ export a table to XLSX or CSV (names and ID numbers masked by default)',
    )
    .option('--out <FILE>', '输出文件（默认 表名.xlsx）/ output file (default TABLE.xlsx)')
    .addOption(formatOption('输出'))
    .option('--county <CODE>', '只导出该县（市、区）或该市的数据 / only this county (or city)')
    .option(
      '--unmasked',
      '不脱敏（仅限有权限的用户；命令行用户为系统管理员）/ names and ID numbers in clear (for users allowed to; the CLI user is the administrator)',
    )
    .action(
      async (table: string, opts: { out?: string; format?: string; county?: string; unmasked?: boolean }) => {
        const format = formatFor(opts.out, opts.format);
        const out = opts.out ?? `${table.replace(/-/g, '_')}.${format}`;
        const result = await withStore(async (store) => {
          let bar: ReturnType<typeof progressBar> | null = null;
          try {
            const r = await exportTable(store.db, table, out, {
              format,
              county: opts.county,
              unmasked: opts.unmasked,
              onProgress: (done, total) => {
                if (total < PROGRESS_AFTER_ROWS) return;
                bar ??= progressBar('导出 / export');
                bar.update('rows', done, total);
              },
            });
            await writeAudit(store.db, cliActor(), {
              action: `export.${r.table}`,
              resourceType: r.table,
              countyCode: opts.county ?? null,
              context: { rows: r.rows, masked: r.masked, file: path.basename(out) },
            });
            return r;
          } finally {
            (bar as ReturnType<typeof progressBar> | null)?.stop();
          }
        });
        const masking = result.masked
          ? '姓名、身份证号已脱敏 / names and ID numbers masked'
          : '未脱敏 / unmasked';
        console.log(
          `已导出 ${result.rows} 行到 ${out}（${masking}）/ exported ${result.rows} rows of ${result.table} to ${out}`,
        );
      },
    );
}

/** The command line acts as the system administrator; the audit log names the operating-system account. */
export function cliActor() {
  return { userId: null, username: `cli:${os.userInfo().username}`, role: 'cli', ip: null };
}

function defaultReportPath(file: string): string {
  const parsed = path.parse(file);
  return path.join(parsed.dir, `${parsed.name}-错误报告.xlsx`);
}

/** Reading shows a row counter (the total is not known while streaming); writing shows a bar. */
function importProgress() {
  let reading: cliProgress.SingleBar | null = null;
  let writing: ReturnType<typeof progressBar> | null = null;
  return {
    update(p: ImportProgress) {
      if (p.phase === 'read') {
        if (p.done < PROGRESS_AFTER_ROWS) return;
        if (!reading) {
          reading = new cliProgress.SingleBar({
            format: '读取并检查 / reading and checking: {value} 行 / rows',
            stream: process.stderr,
            noTTYOutput: true,
            notTTYSchedule: 5000,
          });
          reading.start(0, p.done);
        }
        reading.update(p.done);
        return;
      }
      if (reading) {
        reading.stop();
        reading = null;
      }
      if ((p.total ?? 0) < PROGRESS_AFTER_ROWS) return;
      writing ??= progressBar('写入 / writing');
      writing.update('rows', p.done, p.total ?? p.done);
    },
    stop() {
      reading?.stop();
      writing?.stop();
    },
  };
}

function printSummary(r: ImportResult, file: string): void {
  const kind = getKind(r.kind);
  console.log(`导入 / import ${kind.title.zh} / ${kind.title.en}: ${file}`);
  if (r.errorCount > 0) {
    console.error(
      `文件被拒绝，未写入任何数据 / the file was rejected, nothing was written（${r.rows} 行 / rows）`,
    );
    for (const e of r.errors.slice(0, ERRORS_SHOWN)) console.error(`  ${formatIssue(e)}`);
    if (r.errorCount > ERRORS_SHOWN) {
      console.error(`  …… 共 ${r.errorCount} 个错误 / ${r.errorCount} problems in all`);
    }
    return;
  }
  console.log(
    `${r.rows} 行 / rows：新增 ${r.inserted} / inserted，更新 ${r.updated} / updated，未变 ${r.unchanged} / unchanged`,
  );
  for (const n of r.notes) console.log(`${n.zh} / ${n.en}`);
  if (r.dryRun) console.log('试运行：未写入数据库 / dry run: nothing was written');
  else if (r.written) console.log('已写入数据库 / written to the database');
  else console.log('没有需要写入的变化 / nothing to write: the database already holds this file');
}
