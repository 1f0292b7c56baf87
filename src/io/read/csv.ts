import { pipeline, Readable } from 'node:stream';
import { parse } from 'csv-parse';
import iconv from 'iconv-lite';
import { AppError } from '../../domain/errors.ts';
import type { SheetRow } from './source.ts';

export type CsvEncoding = 'utf-8' | 'gb18030' | 'utf-16le' | 'utf-16be';

// Sniffing reads up to the first non-ASCII text plus this much more, never more than MAX_SNIFF.
const SNIFF_AFTER_NON_ASCII = 64 * 1024;
const MAX_SNIFF = 16 * 1024 * 1024;

/**
 * The encoding of a CSV from its first bytes: a BOM decides; otherwise text that is valid UTF-8 is
 * UTF-8, and anything else is taken as GBK (read as GB18030, its superset, which also covers rare
 * characters in names). Excel saves "CSV" in GBK on Chinese Windows and "CSV UTF-8" with a BOM.
 */
export function detectEncoding(head: Buffer): { encoding: CsvEncoding; bom: number } {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bom: 3 };
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bom: 2 };
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: true });
    return { encoding: 'utf-8', bom: 0 };
  } catch {
    return { encoding: 'gb18030', bom: 0 };
  }
}

async function sniff(it: AsyncIterator<Buffer>): Promise<{ head: Buffer; done: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  let firstNonAscii = -1;
  while (size < MAX_SNIFF) {
    const next = await it.next();
    if (next.done) return { head: Buffer.concat(chunks), done: true };
    const chunk = next.value;
    if (firstNonAscii < 0) {
      const i = chunk.findIndex((b) => b >= 0x80);
      if (i >= 0) firstNonAscii = size + i;
    }
    chunks.push(chunk);
    size += chunk.length;
    if (size <= 3) continue; // a BOM may be split
    if (firstNonAscii >= 0 && size - firstNonAscii >= SNIFF_AFTER_NON_ASCII) break;
  }
  return { head: Buffer.concat(chunks), done: false };
}

function mixedEncoding(): AppError {
  return new AppError(
    'io.encoding',
    '文件编码无法识别（前面像 UTF-8，后面不是）：请在 Excel 中另存为“CSV UTF-8”后再导入',
    'The file’s encoding is inconsistent (UTF-8 at first, then not): save it as "CSV UTF-8" in Excel and import that',
    'FILE',
  );
}

async function* decode(head: Buffer, done: boolean, it: AsyncIterator<Buffer>): AsyncGenerator<string> {
  const { encoding, bom } = detectEncoding(head);
  const first = head.subarray(bom);
  if (encoding === 'utf-8') {
    const dec = new TextDecoder('utf-8', { fatal: true });
    const run = (b: Buffer | undefined, stream: boolean) => {
      try {
        return dec.decode(b, { stream });
      } catch {
        throw mixedEncoding();
      }
    };
    yield run(first, true);
    if (!done) {
      while (true) {
        const next = await it.next();
        if (next.done) break;
        yield run(next.value, true);
      }
    }
    yield run(undefined, false);
    return;
  }
  const dec = iconv.getDecoder(encoding, { stripBOM: false });
  yield dec.write(first);
  if (!done) {
    while (true) {
      const next = await it.next();
      if (next.done) break;
      yield dec.write(next.value);
    }
  }
  yield dec.end() ?? '';
}

/** The delimiter from the first line: tab (Excel's "Unicode text") if it has more tabs than commas. */
function delimiterOf(text: string): string {
  const line = text.slice(0, Math.max(0, text.indexOf('\n')) || text.length);
  const tabs = line.split('\t').length;
  const commas = line.split(',').length;
  return tabs > commas ? '\t' : ',';
}

/** Rows of a CSV file; row numbers are record numbers, as Excel numbers the rows when it opens it. */
export async function* readCsvRows(bytes: AsyncIterable<Buffer>): AsyncGenerator<SheetRow> {
  const it = bytes[Symbol.asyncIterator]();
  const { head, done } = await sniff(it);
  const texts = decode(head, done, it);
  const firstText = await texts.next();
  const start = firstText.done ? '' : firstText.value;
  async function* all(): AsyncGenerator<string> {
    if (start) yield start;
    yield* texts;
  }
  const parser = parse({
    delimiter: delimiterOf(start),
    relax_column_count: true,
    relax_quotes: true,
    skip_empty_lines: false,
  });
  // pipeline, not pipe: a decoding error must reach the parser and end the loop below.
  pipeline(Readable.from(all()), parser, () => {});
  let row = 0;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      row++;
      yield { row, cells: record };
    }
  } catch (e) {
    if (e instanceof AppError) throw e;
    throw new AppError(
      'io.csv_syntax',
      `CSV 文件第 ${row + 1} 行附近格式有误（引号未闭合？）：${(e as Error).message}`,
      `The CSV file is malformed near row ${row + 1} (an unclosed quote?): ${(e as Error).message}`,
      'FILE',
    );
  }
}
