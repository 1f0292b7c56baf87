import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { AppError } from '../../domain/errors.ts';
import type { RawCell } from '../cells.ts';
import type { SheetRow } from './source.ts';

/** An exceljs cell value as a plain cell: rich text joined, formulas by their result, errors as text. */
export function plainCell(v: unknown): RawCell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return v;
  if (v instanceof Date) return v;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    if (Array.isArray(o.richText)) return (o.richText as { text: string }[]).map((t) => t.text).join('');
    if ('result' in o || 'formula' in o || 'sharedFormula' in o) return plainCell(o.result);
    if ('error' in o) return String(o.error);
    if ('text' in o) return plainCell(o.text);
  }
  return String(v);
}

/**
 * Rows of the workbook's first worksheet, streamed with exceljs's WorkbookReader (the workbook is never
 * loaded whole). Styles are read so that date-formatted cells come as dates.
 */
export async function* readXlsxRows(bytes: AsyncIterable<Buffer>): AsyncGenerator<SheetRow> {
  const input = Readable.from(bytes);
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    sharedStrings: 'cache',
    styles: 'cache',
    hyperlinks: 'ignore',
    worksheets: 'emit',
    entries: 'ignore',
  });
  let sheets = 0;
  try {
    for await (const sheet of reader) {
      sheets++;
      for await (const row of sheet) {
        const values = row.values as unknown[];
        const cells: RawCell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
        yield { row: row.number, cells };
      }
      break; // the first worksheet only; the others (such as a template's 说明) are not data
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'io.xlsx_unreadable',
      `无法读取该 .xlsx 文件：${(e as Error).message}`,
      `Cannot read the .xlsx file: ${(e as Error).message}`,
      'FILE',
    );
  } finally {
    input.destroy();
  }
  if (sheets === 0) {
    throw new AppError('io.xlsx_empty', '工作簿中没有工作表', 'The workbook has no worksheet', 'FILE');
  }
}
