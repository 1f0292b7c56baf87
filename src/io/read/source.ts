import fs from 'node:fs';
import nodePath from 'node:path';
import { AppError } from '../../domain/errors.ts';
import type { RawCell } from '../cells.ts';
import { readCsvRows } from './csv.ts';
import { readXlsxRows } from './xlsx.ts';

/** A file to import: a path, its bytes, or a stream of them (an HTTP upload, say). */
export type ImportInput = string | Uint8Array | NodeJS.ReadableStream | AsyncIterable<Uint8Array>;
export type FileFormat = 'csv' | 'xlsx';

/** One spreadsheet row: its number as Excel shows it (first row = 1) and its cells, left to right. */
export interface SheetRow {
  row: number;
  cells: RawCell[];
}

export async function* bytesOf(input: ImportInput): AsyncGenerator<Buffer> {
  if (typeof input === 'string') {
    if (!fs.existsSync(input)) {
      throw new AppError('io.file_not_found', `找不到文件 ${input}`, `File not found: ${input}`, 'FILE');
    }
    yield* fs.createReadStream(input, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>;
    return;
  }
  if (input instanceof Uint8Array) {
    yield Buffer.from(input.buffer, input.byteOffset, input.byteLength);
    return;
  }
  for await (const chunk of input as AsyncIterable<Uint8Array | string>) {
    yield typeof chunk === 'string'
      ? Buffer.from(chunk)
      : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  }
}

/** Splits off the first bytes of a byte stream to look at, and gives back the whole stream. */
export async function peek(
  chunks: AsyncIterator<Buffer>,
  atLeast: number,
): Promise<{ head: Buffer; all: AsyncGenerator<Buffer> }> {
  const taken: Buffer[] = [];
  let size = 0;
  let done = false;
  while (size < atLeast) {
    const next = await chunks.next();
    if (next.done) {
      done = true;
      break;
    }
    taken.push(next.value);
    size += next.value.length;
  }
  const head = Buffer.concat(taken);
  async function* all(): AsyncGenerator<Buffer> {
    if (head.length) yield head;
    if (done) return;
    while (true) {
      const next = await chunks.next();
      if (next.done) return;
      yield next.value;
    }
  }
  return { head, all: all() };
}

/** The format from a file name, or undefined to sniff it from the bytes. */
export function formatOfName(name: string): FileFormat | undefined {
  const ext = nodePath.extname(name).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt' || ext === '.tsv') return 'csv';
  return undefined;
}

/**
 * Reads the rows of a CSV (UTF-8 with or without BOM, UTF-16 with BOM, or GBK/GB18030) or of the first
 * worksheet of an XLSX workbook, streaming. The format is sniffed from the bytes (an XLSX is a ZIP).
 */
export async function* readRows(input: ImportInput, format?: FileFormat): AsyncGenerator<SheetRow> {
  const path = typeof input === 'string' ? input : undefined;
  const { head, all } = path
    ? { head: magicOf(path), all: null }
    : await peek(bytesOf(input)[Symbol.asyncIterator](), 8);
  const isZip = head[0] === 0x50 && head[1] === 0x4b && head[2] === 0x03 && head[3] === 0x04;
  const isOle = head[0] === 0xd0 && head[1] === 0xcf && head[2] === 0x11 && head[3] === 0xe0;
  if (isOle) {
    throw new AppError(
      'io.xls_unsupported',
      '这是旧版 Excel（.xls）文件：请在 Excel 中“另存为” .xlsx 或 CSV 后再导入',
      'This is an old Excel (.xls) file: save it as .xlsx or CSV in Excel, then import that',
      'FILE',
    );
  }
  const actual: FileFormat = isZip ? 'xlsx' : 'csv';
  if (format === 'xlsx' && !isZip) {
    throw new AppError(
      'io.not_xlsx',
      '文件不是有效的 .xlsx 工作簿',
      'The file is not a valid .xlsx workbook',
      'FILE',
    );
  }
  if (actual === 'xlsx') yield* readXlsxRows(all ?? bytesOf(input), path);
  else yield* readCsvRows(all ?? bytesOf(input));
}

function magicOf(file: string): Buffer {
  if (!fs.existsSync(file)) {
    throw new AppError('io.file_not_found', `找不到文件 ${file}`, `File not found: ${file}`, 'FILE');
  }
  const fd = fs.openSync(file, 'r');
  try {
    const head = Buffer.alloc(8);
    const n = fs.readSync(fd, head, 0, 8, 0);
    return head.subarray(0, n);
  } finally {
    fs.closeSync(fd);
  }
}
