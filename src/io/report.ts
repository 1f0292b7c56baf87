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

const REPORT_TEXT = {
  zh: {
    rowsSheet: '错误数据',
    listSheet: '错误列表',
    list: ['行号 / row', '列名 / column', '原值 / value', '错误说明', 'Problem'],
    more: (all: number, shown: number) => `共 ${all} 个错误，此处列出前 ${shown} 个`,
    colon: '：',
  },
  en: {
    rowsSheet: 'Rows with errors',
    listSheet: 'Problems',
    list: ['Row', 'Column', 'Value', 'Problem', '错误说明'],
    more: (all: number, shown: number) => `${all} problems in all; the first ${shown} are listed`,
    colon: ': ',
  },
} as const;

/**
 * The error report as an XLSX workbook: the first sheet (错误数据) has the rows with problems as
 * uploaded, their original row number first, the bad cells filled red with a note saying why, and a
 * last column with all the row's problems; the second (错误列表) lists every problem. Sheet names,
 * the added columns and the messages are in `lang` (the other language stays beside it in the notes
 * and the list). The added columns are ignored on import, so the clerk can correct the first sheet
 * and import it as it is.
 */
export async function writeErrorReport(
  result: ImportResult,
  out: Output,
  lang: 'zh' | 'en' = 'zh',
): Promise<void> {
  const text = REPORT_TEXT[lang];
  const other = lang === 'zh' ? 'en' : 'zh';
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
  const note = (e: ImportIssue) => `${e[lang]}\n${e[other]}`;

  const headerNotes = new Map<number, string>();
  for (const e of byRow.get(sheet.headerRow) ?? []) {
    const i = indexOf(e);
    if (i >= 0) headerNotes.set(i + 1, note(e));
  }
  const book = new XlsxWriter(out);
  const rowsSheet = book.addSheet({
    headerNotes,
    name: text.rowsSheet,
    columns: [
      { header: REPORT_ROW_HEADER[lang], width: 8 },
      ...header.map((h, i) => ({ header: h, text: textColumns.has(i) })),
      { header: REPORT_ERRORS_HEADER[lang], width: 60 },
    ],
  });
  for (const raw of sheet.rows) {
    const issues = byRow.get(raw.row) ?? [];
    const cells: RawCell[] = header.map((_, i) => raw.cells[i] ?? null);
    const row = rowsSheet.addRow([
      raw.row,
      ...cells,
      issues.map((e) => `${e.column}${text.colon}${e[lang]}`).join('\n'),
    ]);
    for (const e of issues) {
      const i = indexOf(e);
      if (i < 0) continue;
      const cell = row.getCell(i + 2);
      cell.fill = RED_FILL;
      cell.note = note(e);
    }
    row.commit();
  }
  await rowsSheet.commit();

  const [rowHeader, columnHeader, valueHeader, problemHeader, otherHeader] = text.list;
  const list = book.table({
    name: text.listSheet,
    columns: [
      { header: rowHeader, width: 10 },
      { header: columnHeader, width: 22 },
      { header: valueHeader, width: 24, text: true },
      { header: problemHeader, width: 60 },
      { header: otherHeader, width: 60 },
    ],
  });
  for (const e of result.errors) await list.add([e.row, e.column, e.value, e[lang], e[other]]);
  if (result.errorCount > result.errors.length) {
    const all = result.errorCount;
    const shown = result.errors.length;
    await list.add([null, null, null, text.more(all, shown), REPORT_TEXT[other].more(all, shown)]);
  }
  await list.close();
  await book.close();
}
