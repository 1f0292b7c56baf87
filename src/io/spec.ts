import type { Kysely, Transaction } from 'kysely';
import type { Database, TableName } from '../store/schema.ts';
import type { Lookups } from './lookups.ts';

export type Db = Kysely<Database> | Transaction<Database>;

/** What a cell of a column must hold. Codes and ID numbers are text, whatever Excel made of them. */
export type ColumnType =
  | 'text'
  | 'int'
  | 'int_list'
  | 'number'
  | 'date'
  | 'bool'
  | 'enum'
  | 'id_number'
  | 'region_code'
  | 'school_code'
  | 'year'
  | 'grade';

/** An allowed value: stored as `key`, written in files as `label`; either is accepted on import. */
export interface EnumOption {
  key: string;
  label: string;
  aliases?: readonly string[];
}

/** One column of an import kind: English key, Chinese header, type and what it means. */
export interface ColumnSpec {
  key: string;
  header: string;
  /** Other headers accepted for this column (e.g. 身份证号码 for 身份证号). */
  aliases?: readonly string[];
  type: ColumnType;
  required?: boolean;
  /** Enum values (type enum). */
  options?: readonly EnumOption[];
  min?: number;
  max?: number;
  maxLength?: number;
  /** Personal data: masked in exports and in every error message. */
  personal?: 'name' | 'id_number' | 'embedded_id';
  zh: string;
  en: string;
  example: string | number;
  /** The value of a blank cell (in a column the file has); default null, 0 for flags. */
  blank?: unknown;
}

/**
 * One row's parsed values by column key: `undefined` when the file has no such column (existing
 * records keep their value), `null` for a blank cell in a column the file has.
 */
export type Values = Record<string, unknown>;

/** A record as the kind stores it: database columns; `undefined` means "keep what the database has". */
export type Rec = Record<string, unknown>;

export interface RowContext {
  /** Spreadsheet row number, as Excel shows it. */
  row: number;
  lookups: Lookups;
  /** Whether the file has this column. */
  has(field: string): boolean;
  /** Reports a problem with a column (by key) of this row. */
  fail(field: string, zh: string, en: string, code?: string): void;
}

/** A key that must be unique within the file (the first one of a kind is its natural key). */
export interface UniqueKey {
  /** Column keys that make it up, for messages. */
  fields: readonly string[];
  of(r: Rec): string | null;
}

/** A record read from the file, waiting to be matched and written. */
export interface Pending {
  row: number;
  rec: Rec;
  /** The database row it updates, if any (full row, database columns). */
  existing?: Rec;
}

/** What an import kind does with one file: build, match, check, write. One session per import. */
export interface KindSession {
  /** Database columns of the rows it writes (merged rows carry exactly these). */
  columns: readonly string[];
  /** Values of new rows for the columns the file leaves out. */
  defaults: Rec;
  build(v: Values, ctx: RowContext): Rec | undefined;
  keys: readonly UniqueKey[];
  /**
   * Finds the database rows a chunk of records update (sets `existing`), and reports records that
   * clash with the database. Called with chunks of about a thousand records: one query per chunk.
   */
  match(
    db: Db,
    chunk: Pending[],
    fail: (p: Pending, field: string, zh: string, en: string, code?: string) => void,
  ): Promise<void>;
  /** Rules across columns, on the record merged with the row it updates. */
  check?(merged: Rec, ctx: RowContext): void;
  /** Whether the merged record differs from the database row. */
  changed(merged: Rec, existing: Rec): boolean;
  /** Writes done once before the rows (regions or communities the file creates); their count. */
  sideWrites?(): number;
  beforeWrite?(trx: Transaction<Database>): Promise<void>;
  /** Writes a slice of the new and changed records (merged, full rows) inside the import's transaction. */
  write(trx: Transaction<Database>, rows: Rec[]): Promise<void>;
  /** Lines for the summary, e.g. townships created on the way. */
  notes?(): { zh: string; en: string }[];
}

export type KindName =
  | 'schools'
  | 'classes'
  | 'census'
  | 'census-teachers'
  | 'students'
  | 'teachers'
  | 'population'
  | 'births'
  | 'housing'
  | 'projects'
  | 'catchments'
  | 'disabled-children';

export interface ImportKind {
  name: KindName;
  table: TableName;
  title: { zh: string; en: string };
  naturalKey: { fields: readonly string[]; zh: string; en: string };
  columns: readonly ColumnSpec[];
  /** Extra notes for the template's 说明 sheet and the docs. */
  notes?: readonly { zh: string; en: string }[];
  open(lookups: Lookups): KindSession;
  /** Export in the kind's own columns, so that an unmasked export re-imports as a no-op. */
  exporter: KindExporter;
}

/** Reads a table page by page (keyset pagination) and presents rows as the kind's column values. */
export interface KindExporter {
  /** Columns of the table that order its rows uniquely (the keyset). */
  order: readonly string[];
  /** Turns a page of table rows into column values. */
  present(db: Db, rows: Rec[], lookups: Lookups): Promise<Values[]>;
}
