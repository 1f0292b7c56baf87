import type { RawCell } from './cells.ts';
import { isTextColumn } from './cells.ts';
import { headerText, REPORT_ERRORS_HEADER, REPORT_ROW_HEADER } from './headers.ts';
import type { ImportIssue, ImportResult } from './import.ts';
import { getKind } from './kinds/index.ts';
import { type Output, RED_FILL, XlsxWriter } from './write/table-writer.ts';

/** One line per problem, for terminals and logs (values already masked). */
export function formatIssue(e: ImportIssue): string {
  const where = e.column ? `第 ${e.row} 行「${e.column}」` : `第 ${e.row} 行`;
  const value = e.value ? `「${e.value}」` : '';
  return `${where}${value}：${e.zh} / row ${e.row}${e.column ? ` column ${e.field ?? e.column}` : ''}: ${e.en}`;
}

/**
 * The error report as an XLSX workbook: sheet 错误数据 has the rows with problems as uploaded, their
 * original row number first, the bad cells filled red with a note saying why, and a last column with
 * all the row's problems; sheet 错误列表 lists every problem. The 原行号 and 错误说明 columns are
 * ignored on import, so the clerk can correct the first sheet and import it as it is.
 */
export async function writeErrorReport(result: ImportResult, out: Output): Promise<void> {
  const kind = getKind(result.kind);
  const { sheet } = result;
  const header = sheet.header.map(headerText);
  const textColumns = new Set(
    Object.entries(sheet.columnIndex)
      .filter(([key]) => {
        const col = kind.columns.find((c) => c.key === key);
        return col !== undefined && isTextColumn(col);
      })
      .map(([, index]) => index),
  );
  const byRow = new Map<number, ImportIssue[]>();
  for (const e of result.errors) {
    if (!byRow.has(e.row)) byRow.set(e.row, []);
    byRow.get(e.row)!.push(e);
  }
  const indexOf = (e: ImportIssue): number => {
    if (e.field !== undefined && sheet.columnIndex[e.field] !== undefined) return sheet.columnIndex[e.field];
    return header.indexOf(e.column);
  };

  const headerNotes = new Map<number, string>();
  for (const e of byRow.get(sheet.headerRow) ?? []) {
    const i = indexOf(e);
    if (i >= 0) headerNotes.set(i + 1, `${e.zh}\n${e.en}`);
  }
  const book = new XlsxWriter(out);
  const rowsSheet = book.addSheet({
    headerNotes,
    name: '错误数据',
    columns: [
      { header: REPORT_ROW_HEADER, width: 8 },
      ...header.map((h, i) => ({ header: h, text: textColumns.has(i) })),
      { header: REPORT_ERRORS_HEADER, width: 60 },
    ],
  });
  for (const raw of sheet.rows) {
    const issues = byRow.get(raw.row) ?? [];
    const cells: RawCell[] = header.map((_, i) => raw.cells[i] ?? null);
    const row = rowsSheet.addRow([raw.row, ...cells, issues.map((e) => `${e.column}：${e.zh}`).join('\n')]);
    for (const e of issues) {
      const i = indexOf(e);
      if (i < 0) continue;
      const cell = row.getCell(i + 2);
      cell.fill = RED_FILL;
      cell.note = `${e.zh}\n${e.en}`;
    }
    row.commit();
  }
  await rowsSheet.commit();

  const list = book.table({
    name: '错误列表',
    columns: [
      { header: '行号 / row', width: 10 },
      { header: '列名 / column', width: 22 },
      { header: '原值 / value', width: 24, text: true },
      { header: '错误说明', width: 60 },
      { header: 'Problem', width: 60 },
    ],
  });
  for (const e of result.errors) await list.add([e.row, e.column, e.value, e.zh, e.en]);
  if (result.errorCount > result.errors.length) {
    await list.add([
      null,
      null,
      null,
      `共 ${result.errorCount} 个错误，此处列出前 ${result.errors.length} 个`,
      `${result.errorCount} problems in all; the first ${result.errors.length} are listed`,
    ]);
  }
  await list.close();
  await book.close();
}
