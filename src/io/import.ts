import type { Kysely } from 'kysely';
import { inScope, type ScopeFilter } from '../auth/roles.ts';
import { refreshSchoolFigures } from '../registry/school-figures.ts';
import type { Database } from '../store/schema.ts';
import { cellText, isBlank, parseCell, type RawCell } from './cells.ts';
import { headerText, isReportColumn, looksLikeHeader, matchHeader } from './headers.ts';
import { getKind } from './kinds/index.ts';
import { loadLookups } from './lookups.ts';
import { type FileFormat, type ImportInput, readRows, type SheetRow } from './read/source.ts';
import type {
  ColumnSpec,
  ImportKind,
  KindName,
  KindSession,
  Pending,
  Rec,
  RowContext,
  Values,
} from './spec.ts';

/** One problem found in a file: where (row as Excel shows it, column header as in the file) and what. */
export interface ImportIssue {
  row: number;
  /** The column's header as the file has it (the kind's Chinese header if the file lacks the column). */
  column: string;
  /** The column's English key, when the problem concerns one column. */
  field?: string;
  /** The cell as text; ID numbers and names masked. */
  value: string;
  code: string;
  zh: string;
  en: string;
}

export type ImportPhase = 'read' | 'write';

export interface ImportProgress {
  phase: ImportPhase;
  /** Rows read so far (read), or rows written so far (write). */
  done: number;
  /** Rows to write (write phase); unknown while reading a stream. */
  total?: number;
}

export interface ImportOptions {
  /** Validate and count, write nothing. */
  dryRun?: boolean;
  /** Defaults to sniffing the bytes (an XLSX is a ZIP archive). */
  format?: FileFormat;
  onProgress?: (p: ImportProgress) => void;
  /** How many problems to keep in the result (all are counted). Default 1000. */
  maxErrors?: number;
  /**
   * The records the user may write (the web passes the role's scope): a row whose county or school lies
   * outside, or that would change a record outside, is a problem like any other. Default: everything.
   */
  scope?: ScopeFilter;
}

/** The file's own rows that have problems, as uploaded, for the error report. */
export interface ImportSheet {
  headerRow: number;
  header: RawCell[];
  /** File column index of each column key, to mark the bad cells. */
  columnIndex: Record<string, number>;
  rows: SheetRow[];
}

export interface ImportResult {
  kind: KindName;
  /** Data rows in the file (blank rows not counted). */
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Whether anything was written: false on a dry run and when the file was rejected. */
  written: boolean;
  dryRun: boolean;
  /** The first `maxErrors` problems, in file order. Empty when the file is accepted. */
  errors: ImportIssue[];
  /** All problems found, including those not kept in `errors`. */
  errorCount: number;
  notes: { zh: string; en: string }[];
  sheet: ImportSheet;
}

const OUT_OF_SCOPE = [
  '不在您的管理范围内：只能导入本人所辖地区或学校的数据',
  'outside your scope: you may import data of your own region or school only',
] as const;

const CHUNK = 1000;
const WRITE_SLICE = 5000;
const HEADER_SEARCH_ROWS = 10;

interface Mapped {
  col: ColumnSpec;
  index: number;
}

/**
 * Imports one file of one kind: every row is validated (types, required fields, codes that must
 * exist, ID numbers, cross-column rules, duplicates within the file and against the database) before
 * anything is written; then, if there is no problem at all, one transaction upserts the new and
 * changed rows by the kind's natural key. Re-importing the same file writes nothing.
 */
export async function importFile(
  db: Kysely<Database>,
  kindName: KindName | ImportKind,
  input: ImportInput,
  options: ImportOptions = {},
): Promise<ImportResult> {
  const kind = typeof kindName === 'string' ? getKind(kindName) : kindName;
  const maxErrors = options.maxErrors ?? 1000;
  const lookups = await loadLookups(db);
  const session = kind.open(lookups);

  const result: ImportResult = {
    kind: kind.name,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    written: false,
    dryRun: Boolean(options.dryRun),
    errors: [],
    errorCount: 0,
    notes: [],
    sheet: { headerRow: 0, header: [], columnIndex: {}, rows: [] },
  };

  let mapped: Mapped[] | null = null;
  const byKey = new Map<string, Mapped>();
  const badRows = new Map<number, SheetRow>();
  const seen = session.keys.map(() => new Map<string, number>());
  const toWrite: Rec[] = [];
  let chunk: { p: Pending; raw: SheetRow }[] = [];
  let nonBlankBeforeHeader = 0;

  // Where a record sits, for the role's scope: its county and its school (a school is its own).
  const allowed = (r: Rec) =>
    !options.scope ||
    inScope(options.scope, {
      countyCode: r.county_code == null ? null : String(r.county_code),
      schoolId:
        r.school_id != null
          ? Number(r.school_id)
          : kind.name === 'schools'
            ? (lookups.schools.get(String(r.code))?.id ?? null)
            : null,
    });
  const scopeField =
    ['school_code', 'county_code', 'region_code'].find((f) => kind.columns.some((c) => c.key === f)) ??
    kind.columns[0].key;

  const columnOf = (field: string) => byKey.get(field);
  const headerOf = (field: string) => {
    const m = columnOf(field);
    if (m) return headerText(result.sheet.header[m.index] ?? null) || m.col.header;
    return kind.columns.find((c) => c.key === field)?.header ?? field;
  };

  const issue = (
    raw: SheetRow | null,
    row: number,
    field: string | undefined,
    column: string,
    value: string,
    code: string,
    zh: string,
    en: string,
  ) => {
    result.errorCount++;
    // Problems are found out of row order (database checks come per chunk): keep the first rows'.
    if (result.errors.length >= maxErrors && row >= keptBelow) return;
    result.errors.push({ row, column, field, value, code, zh, en });
    if (raw && !badRows.has(raw.row)) badRows.set(raw.row, raw);
    if (result.errors.length >= 2 * maxErrors) trimErrors();
  };
  let keptBelow = Number.POSITIVE_INFINITY;
  const trimErrors = () => {
    result.errors.sort((a, b) => a.row - b.row);
    if (result.errors.length > maxErrors) {
      result.errors.length = maxErrors;
      keptBelow = result.errors[maxErrors - 1].row + 1;
    }
    const rows = new Set(result.errors.map((e) => e.row));
    for (const r of badRows.keys()) if (!rows.has(r)) badRows.delete(r);
  };

  const failField = (raw: SheetRow, field: string, zh: string, en: string, code = 'io.invalid') => {
    const m = columnOf(field);
    const cell = m ? (raw.cells[m.index] ?? null) : null;
    const personal = m?.col.personal ?? kind.columns.find((c) => c.key === field)?.personal;
    issue(raw, raw.row, field, headerOf(field), cellText(cell, personal), code, zh, en);
  };

  const makeCtx = (raw: SheetRow, onFail: () => void): RowContext => ({
    row: raw.row,
    lookups,
    has: (field) => byKey.has(field),
    fail: (field, zh, en, code) => {
      onFail();
      failField(raw, field, zh, en, code);
    },
  });

  async function processChunk(): Promise<void> {
    if (chunk.length === 0) return;
    const current = chunk;
    chunk = [];
    const rawOf = new Map(current.map((c) => [c.p, c.raw]));
    const failed = new Set<Pending>();
    await session.match(
      db,
      current.map((c) => c.p),
      (p, field, zh, en, code) => {
        failed.add(p);
        failField(rawOf.get(p)!, field, zh, en, code ?? 'io.database_conflict');
      },
    );
    for (const { p, raw } of current) {
      if (failed.has(p)) continue;
      if (p.existing && !allowed(p.existing)) {
        failField(raw, scopeField, ...OUT_OF_SCOPE, 'io.out_of_scope');
        continue;
      }
      const merged = merge(session, p);
      let bad = false;
      session.check?.(
        merged,
        makeCtx(raw, () => (bad = true)),
      );
      if (bad) continue;
      if (!p.existing) {
        result.inserted++;
        toWrite.push(merged);
      } else if (session.changed(merged, p.existing)) {
        result.updated++;
        toWrite.push(merged);
      } else {
        result.unchanged++;
      }
    }
  }

  for await (const raw of readRows(input, options.format)) {
    if (raw.cells.every(isBlank)) continue;
    if (mapped === null) {
      if (!looksLikeHeader(kind.columns, raw.cells)) {
        if (++nonBlankBeforeHeader >= HEADER_SEARCH_ROWS) break;
        continue;
      }
      mapped = mapHeader(kind, raw, result, issue, byKey);
      if (result.errorCount > 0) break;
      continue;
    }
    result.rows++;
    if (result.rows % CHUNK === 0) options.onProgress?.({ phase: 'read', done: result.rows });
    let bad = false;
    const values: Values = {};
    for (const c of kind.columns) values[c.key] = undefined;
    for (const { col, index } of mapped) {
      const cell = raw.cells[index] ?? null;
      if (isBlank(cell)) {
        if (col.required) {
          bad = true;
          failField(raw, col.key, '必填项为空', 'required but empty', 'io.required');
        } else values[col.key] = col.blank !== undefined ? col.blank : col.type === 'bool' ? 0 : null;
        continue;
      }
      const parsed = parseCell(cell, col);
      if (parsed.ok) values[col.key] = parsed.value;
      else {
        bad = true;
        failField(raw, col.key, parsed.zh, parsed.en, parsed.code);
      }
    }
    if (bad) continue;
    const rec = session.build(
      values,
      makeCtx(raw, () => (bad = true)),
    );
    if (bad || !rec) continue;
    if (!allowed(rec)) {
      failField(raw, scopeField, ...OUT_OF_SCOPE, 'io.out_of_scope');
      continue;
    }
    session.keys.forEach((key, i) => {
      if (bad) return;
      const k = key.of(rec);
      if (k === null) return;
      const first = seen[i].get(k);
      if (first !== undefined) {
        bad = true;
        const names = key.fields.map(headerOf).join('+');
        failField(
          raw,
          key.fields[0],
          `与第 ${first} 行重复（${names}）`,
          `duplicates row ${first} (${names})`,
          'io.duplicate_in_file',
        );
      }
    });
    if (bad) continue;
    session.keys.forEach((key, i) => {
      const k = key.of(rec);
      if (k !== null) seen[i].set(k, raw.row);
    });
    chunk.push({ p: { row: raw.row, rec }, raw });
    if (chunk.length >= CHUNK) await processChunk();
  }

  if (result.rows % CHUNK !== 0) options.onProgress?.({ phase: 'read', done: result.rows });
  if (mapped === null && result.errorCount === 0) {
    const expected = kind.columns
      .filter((c) => c.required)
      .map((c) => c.header)
      .join('、');
    issue(
      null,
      1,
      undefined,
      '',
      '',
      'io.no_header',
      `找不到表头行：第一行应为列名，如 ${expected}`,
      `No header row found: the first row must name the columns, e.g. ${kind.columns
        .filter((c) => c.required)
        .map((c) => c.key)
        .join(', ')}`,
    );
  }
  await processChunk();
  trimErrors();
  result.sheet.rows = [...badRows.values()].sort((a, b) => a.row - b.row);

  if (result.errorCount > 0) {
    result.inserted = result.updated = result.unchanged = 0;
    return result;
  }
  result.notes = session.notes?.() ?? [];
  if (options.dryRun || (toWrite.length === 0 && !session.sideWrites?.())) return result;

  await db.transaction().execute(async (trx) => {
    await session.beforeWrite?.(trx);
    for (let i = 0; i < toWrite.length; i += WRITE_SLICE) {
      await session.write(trx, toWrite.slice(i, i + WRITE_SLICE));
      options.onProgress?.({
        phase: 'write',
        done: Math.min(i + WRITE_SLICE, toWrite.length),
        total: toWrite.length,
      });
    }
    await refreshSchoolFigures(trx);
  });
  result.written = true;
  return result;
}

function mapHeader(
  kind: ImportKind,
  raw: SheetRow,
  result: ImportResult,
  issue: (
    raw: SheetRow | null,
    row: number,
    field: string | undefined,
    column: string,
    value: string,
    code: string,
    zh: string,
    en: string,
  ) => void,
  byKey: Map<string, Mapped>,
): Mapped[] {
  result.sheet.headerRow = raw.row;
  result.sheet.header = raw.cells;
  const mapped: Mapped[] = [];
  raw.cells.forEach((cell, index) => {
    const text = headerText(cell);
    if (text === '' || isReportColumn(text)) return;
    const col = matchHeader(kind.columns, text);
    if (!col) {
      issue(
        null,
        raw.row,
        undefined,
        text,
        '',
        'io.unknown_column',
        `无法识别的列“${text}”：请使用模板中的列名（中文或英文），或删除该列`,
        `Unknown column "${text}": use the template's column names (Chinese or English), or delete the column`,
      );
      return;
    }
    const dup = byKey.get(col.key);
    if (dup) {
      issue(
        null,
        raw.row,
        col.key,
        text,
        '',
        'io.duplicate_column',
        `列“${text}”与第 ${dup.index + 1} 列是同一列（${col.header}）`,
        `Column "${text}" is the same as column ${dup.index + 1} (${col.key})`,
      );
      return;
    }
    const m = { col, index };
    byKey.set(col.key, m);
    mapped.push(m);
    result.sheet.columnIndex[col.key] = index;
  });
  for (const col of kind.columns) {
    if (col.required && !byKey.has(col.key)) {
      issue(
        null,
        raw.row,
        col.key,
        col.header,
        '',
        'io.missing_column',
        `缺少必填列“${col.header}”`,
        `Missing required column "${col.header}" (${col.key})`,
      );
    }
  }
  return mapped;
}

/** The record laid over the row it updates (or the kind's defaults for a new row), as a full row. */
function merge(session: KindSession, p: Pending): Rec {
  const base = p.existing ?? session.defaults;
  const out: Rec = {};
  for (const c of session.columns) {
    const v = p.rec[c];
    out[c] = v === undefined ? (base[c] ?? null) : v;
  }
  return out;
}
