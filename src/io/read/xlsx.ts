import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
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
    if ('sharedString' in o) throw new Error('a shared string was read before the string table');
  }
  return String(v);
}

// exceljs's own zip reader (unzipper), resolved from exceljs so that the versions always match.
const requireFromExceljs = createRequire(createRequire(import.meta.url).resolve('exceljs'));
const unzipper = requireFromExceljs('unzipper') as {
  Open: { file(p: string): Promise<ZipDirectory>; buffer(b: Buffer): Promise<ZipDirectory> };
};

/**
 * A ZIP part as text, decoded across chunk boundaries. exceljs decodes every chunk on its own, so a
 * Chinese character split between two chunks came out as U+FFFD; handing it strings avoids that.
 */
async function* utf8Text(part: Readable): AsyncGenerator<string> {
  const decoder = new TextDecoder('utf-8');
  for await (const chunk of part as AsyncIterable<Buffer>) {
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

const textStream = (part: Readable): Readable => Readable.from(utf8Text(part));

interface ZipDirectory {
  files: { path: string; stream(): Readable }[];
}

/** The private parts of exceljs's WorkbookReader this module drives (exceljs 4.4.0, pinned). */
interface WorkbookReaderParts {
  model?: { sheets?: { rId: string; name: string }[] };
  workbookRels?: { Id: string; Target: string }[];
  _parseRels(entry: Readable): Promise<void>;
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncIterable<unknown>;
  _parseStyles(entry: Readable): Promise<void>;
  _parseWorksheet(
    iterator: AsyncIterable<string>,
    sheetNo: string,
  ): Iterable<{ value: ExcelJS.stream.xlsx.WorksheetReader }>;
}

/**
 * Rows of the workbook's first worksheet, streamed: the sheet's XML is parsed as it is inflated and
 * the workbook is never loaded whole.
 *
 * The parsing is exceljs's (WorkbookReader and WorksheetReader), but the ZIP is opened by its central
 * directory and the parts are read in the order they are needed (relations, workbook, shared strings,
 * styles, then the sheet). exceljs 4.4's own sequential reading sometimes loses every part after a
 * worksheet it has to buffer — about one read in a hundred here, on files exceljs itself wrote — and
 * then either fails or shows shared strings as placeholders. Random access needs a file, so a stream
 * is first copied to a temporary one. Parts are handed over as decoded text (see utf8Text).
 */
export async function* readXlsxRows(bytes: AsyncIterable<Buffer>, file?: string): AsyncGenerator<SheetRow> {
  let temp: string | null = null;
  try {
    if (!file) {
      temp = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-xlsx-')), 'upload.xlsx');
      await pipeline(bytes, fs.createWriteStream(temp));
    }
    const zip = await openZip(file ?? temp!);
    const entry = (p: string) => zip.files.find((f) => f.path === p || f.path === `/${p}`);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(file ?? temp!, {
      sharedStrings: 'cache',
      styles: 'cache',
      hyperlinks: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    }) as unknown as WorkbookReaderParts;
    const rels = entry('xl/_rels/workbook.xml.rels');
    const book = entry('xl/workbook.xml');
    if (!rels || !book) throw notXlsx();
    await reader._parseRels(textStream(rels.stream()));
    await reader._parseWorkbook(textStream(book.stream()));
    const strings = entry('xl/sharedStrings.xml');
    if (strings) for await (const _ of reader._parseSharedStrings(textStream(strings.stream())));
    const styles = entry('xl/styles.xml');
    if (styles) await reader._parseStyles(textStream(styles.stream()));

    const first = reader.model?.sheets?.[0];
    const target = first && reader.workbookRels?.find((r) => r.Id === first.rId)?.Target;
    const sheetPath = target ? target.replace(/^\/?(xl\/)?/, 'xl/') : undefined;
    const sheetNo = sheetPath && /sheet(\d+)\.xml$/.exec(sheetPath)?.[1];
    const sheet = sheetPath && sheetNo ? entry(sheetPath) : undefined;
    if (!sheet || !sheetNo) {
      throw new AppError('io.xlsx_empty', '工作簿中没有工作表', 'The workbook has no worksheet', 'FILE');
    }
    for (const { value: ws } of reader._parseWorksheet(utf8Text(sheet.stream()), sheetNo)) {
      for await (const row of ws) {
        const values = row.values as unknown[];
        const cells: RawCell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
        yield { row: row.number, cells };
      }
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
    if (temp) fs.rmSync(path.dirname(temp), { recursive: true, force: true });
  }
}

async function openZip(file: string): Promise<ZipDirectory> {
  try {
    return await unzipper.Open.file(file);
  } catch {
    throw notXlsx();
  }
}

function notXlsx(): AppError {
  return new AppError(
    'io.not_xlsx',
    '文件不是有效的 .xlsx 工作簿',
    'The file is not a valid .xlsx workbook',
    'FILE',
  );
}
