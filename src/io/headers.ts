import { normalizeText, type RawCell } from './cells.ts';
import type { ColumnSpec } from './spec.ts';

/** Columns an error report adds, by language; a corrected report can be imported again as it is. */
export const REPORT_ROW_HEADER = { zh: '原行号', en: 'source_row' } as const;
export const REPORT_ERRORS_HEADER = { zh: '错误说明', en: 'problems' } as const;
const REPORT_HEADERS = new Set<string>([
  ...Object.values(REPORT_ROW_HEADER),
  ...Object.values(REPORT_ERRORS_HEADER),
]);

/** Header text compared loosely: full-width to ASCII, no spaces, no required-marks (*), any case. */
export function normalizeHeader(text: string): string {
  return normalizeText(text)
    .replace(/\s+/g, '')
    .replace(/^\*+|\*+$/g, '')
    .toLowerCase();
}

/** Finds the column a header names: its Chinese header, English key or an alias. */
export function matchHeader(columns: readonly ColumnSpec[], text: string): ColumnSpec | undefined {
  const h = normalizeHeader(text);
  if (h === '') return undefined;
  return columns.find(
    (c) =>
      normalizeHeader(c.header) === h ||
      c.key.toLowerCase() === h ||
      (c.aliases ?? []).some((a) => normalizeHeader(a) === h),
  );
}

export function isReportColumn(text: string): boolean {
  return REPORT_HEADERS.has(normalizeHeader(text));
}

export function headerText(cell: RawCell): string {
  return cell === null ? '' : String(cell).trim();
}

/** Whether a row looks like the header row: at least two cells (or all the kind has) name columns. */
export function looksLikeHeader(columns: readonly ColumnSpec[], cells: RawCell[]): boolean {
  const hits = cells.filter((c) => matchHeader(columns, headerText(c))).length;
  return hits >= Math.min(2, columns.length);
}
