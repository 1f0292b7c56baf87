import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import type { Writable } from 'node:stream';
import { stringify } from 'csv-stringify';
import ExcelJS from 'exceljs';
import type { FileFormat } from '../read/source.ts';

/** Where a file goes: a path, or a writable stream (an HTTP response, say). */
export type Output = string | Writable;

export type CellValue = string | number | null;

export interface SheetColumn {
  header: string;
  width?: number;
  /** Keep as text in Excel (codes, ID numbers): the column is formatted "@". */
  text?: boolean;
}

export interface TableWriter {
  /** Adds one data row; awaits when the output needs to drain. */
  add(values: CellValue[]): Promise<void>;
  close(): Promise<void>;
}

function openOutput(out: Output): { stream: Writable; done: Promise<void> } {
  if (typeof out !== 'string') return { stream: out, done: Promise.resolve() };
  fs.mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const stream = fs.createWriteStream(out);
  const done = new Promise<void>((resolve, reject) => {
    stream.on('close', resolve);
    stream.on('error', reject);
  });
  return { stream, done };
}

/** A CSV in UTF-8 with a BOM, so that Excel opens the Chinese text correctly. */
export function openCsvWriter(out: Output, columns: readonly SheetColumn[]): TableWriter {
  const { stream, done } = openOutput(out);
  const csv = stringify({ bom: true, header: false, record_delimiter: 'windows' });
  csv.pipe(stream);
  csv.write(columns.map((c) => c.header));
  return {
    async add(values) {
      if (!csv.write(values.map((v) => (v === null ? '' : v)))) await once(csv, 'drain');
    },
    async close() {
      csv.end();
      await once(csv, 'end');
      await done;
    },
  };
}

export interface XlsxSheet {
  name: string;
  columns: readonly SheetColumn[];
  /** Header cells to fill red with a note (column index → note). */
  headerNotes?: ReadonlyMap<number, string>;
  /** Print layout, for sheets meant to be printed (a report handed in). */
  pageSetup?: Partial<ExcelJS.PageSetup>;
}

export const RED_FILL = {
  type: 'pattern' as const,
  pattern: 'solid' as const,
  fgColor: { argb: 'FFFFC7CE' },
};

/**
 * A streamed XLSX workbook (exceljs WorkbookWriter: rows are written as they come, never held).
 * Text columns carry the "@" format so that Excel keeps codes and ID numbers as text.
 */
export class XlsxWriter {
  private readonly workbook: ExcelJS.stream.xlsx.WorkbookWriter;
  private readonly done: Promise<void>;

  constructor(out: Output) {
    const { stream, done } = openOutput(out);
    this.done = done;
    this.workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream,
      useStyles: true,
      useSharedStrings: false,
    });
  }

  addSheet(sheet: XlsxSheet): ExcelJS.Worksheet {
    const ws = this.workbook.addWorksheet(sheet.name, {
      views: [{ state: 'frozen', ySplit: 1 }],
      pageSetup: sheet.pageSetup,
    });
    ws.columns = sheet.columns.map((c, i) => ({
      key: String(i),
      width: c.width ?? Math.min(40, Math.max(10, [...c.header].length * 2 + 2)),
      style: c.text ? { numFmt: '@' } : {},
    }));
    const header = ws.addRow(sheet.columns.map((c) => c.header));
    header.font = { bold: true };
    header.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    for (const [i, note] of sheet.headerNotes ?? []) {
      const cell = header.getCell(i + 1);
      cell.fill = RED_FILL;
      cell.note = note;
    }
    header.commit();
    return ws;
  }

  /** A sheet as a TableWriter (rows committed as they are added). */
  table(sheet: XlsxSheet): TableWriter & { worksheet: ExcelJS.Worksheet } {
    const ws = this.addSheet(sheet);
    return {
      worksheet: ws,
      add: async (values) => {
        ws.addRow(values).commit();
      },
      close: async () => ws.commit(),
    };
  }

  async close(): Promise<void> {
    await this.workbook.commit();
    await this.done;
  }
}

/** One-sheet table in either format. */
export function openTableWriter(out: Output, format: FileFormat, sheet: XlsxSheet): TableWriter {
  if (format === 'csv') return openCsvWriter(out, sheet.columns);
  const book = new XlsxWriter(out);
  const t = book.table(sheet);
  return {
    add: t.add,
    async close() {
      await t.close();
      await book.close();
    },
  };
}
