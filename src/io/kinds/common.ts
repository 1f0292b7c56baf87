import type { Kysely, Transaction } from 'kysely';
import { type Grade, gradesOfSchoolType, SCHOOL_TYPE_LABELS } from '../../domain/stages.ts';
import { upsertRows } from '../../store/bulk.ts';
import type { Database, TableName } from '../../store/schema.ts';
import { GRADE_OPTIONS } from '../cells.ts';
import type { Lookups, SchoolRef } from '../lookups.ts';
import type {
  ColumnSpec,
  Db,
  KindExporter,
  KindSession,
  Pending,
  Rec,
  RowContext,
  UniqueKey,
  Values,
} from '../spec.ts';

// Kysely's types follow the schema; these helpers work on any table by name, so they go untyped.
// biome-ignore lint/suspicious/noExplicitAny: dynamic table access
export type AnyDb = Kysely<any> | Transaction<any>;
export const untyped = (db: Db | Transaction<Database>) => db as unknown as AnyDb;

export const keyString = (r: Rec, cols: readonly string[]) =>
  cols.map((c) => String(r[c] ?? '')).join('\u0001');

/** Values compared as the database returns them: numbers as numbers, blanks as null, arrays by content. */
export function sameValue(a: unknown, b: unknown): boolean {
  const na = a === undefined ? null : a;
  const nb = b === undefined ? null : b;
  if (na === null || nb === null) return na === nb;
  if (typeof na === 'object' || typeof nb === 'object') return JSON.stringify(na) === JSON.stringify(nb);
  if (typeof na === 'number' || typeof nb === 'number') return Number(na) === Number(nb);
  return String(na) === String(nb);
}

export function changedColumns(columns: readonly string[]) {
  return (merged: Rec, existing: Rec) => columns.some((c) => !sameValue(merged[c], existing[c]));
}

/** Rows of a table whose `cols` take the chunk's values (one query per chunk), by natural key. */
export async function existingRows(
  db: Db,
  table: TableName,
  matchBy: readonly string[],
  keyColumns: readonly string[],
  chunk: Pending[],
): Promise<Map<string, Rec>> {
  let q = untyped(db).selectFrom(table).selectAll();
  for (const c of matchBy) {
    const values = [...new Set(chunk.map((p) => p.rec[c]).filter((v) => v !== undefined && v !== null))];
    if (values.length === 0) return new Map();
    q = q.where(c, 'in', values);
  }
  const rows = (await q.execute()) as Rec[];
  return new Map(rows.map((r) => [keyString(r, keyColumns), r]));
}

export interface TableSessionSpec {
  table: TableName;
  /** Database columns written (no generated id). */
  columns: readonly string[];
  /** The upsert's conflict target: a unique key of the table. */
  keyColumns: readonly string[];
  /** Columns used to fetch candidate rows of a chunk (each `in` the chunk's values). */
  matchBy?: readonly string[];
  defaults: Rec;
  keys: readonly UniqueKey[];
  build: KindSession['build'];
  check?: KindSession['check'];
}

/** A session for a kind stored in one table and upserted by a unique key: most kinds. */
export function tableSession(spec: TableSessionSpec): KindSession {
  const compare = spec.columns.filter((c) => c !== 'synthetic');
  return {
    columns: spec.columns,
    defaults: spec.defaults,
    build: spec.build,
    keys: spec.keys,
    check: spec.check,
    async match(db, chunk) {
      const found = await existingRows(
        db,
        spec.table,
        spec.matchBy ?? spec.keyColumns.slice(0, 1),
        spec.keyColumns,
        chunk,
      );
      for (const p of chunk) p.existing = found.get(keyString(p.rec, spec.keyColumns));
    },
    changed: changedColumns(compare),
    async write(trx, rows) {
      await upsertRows(trx, spec.table, rows, spec.keyColumns);
    },
  };
}

/** A unique key over record columns; null (not checked) when any part is missing. */
export function uniqueKey(fields: readonly string[], recColumns: readonly string[] = fields): UniqueKey {
  return {
    fields,
    of: (r) =>
      recColumns.some((c) => r[c] === undefined || r[c] === null) ? null : keyString(r, recColumns),
  };
}

/** The school a code names, or a problem on the school-code column. */
export function schoolOf(v: Values, ctx: RowContext, field = 'school_code'): SchoolRef | undefined {
  const code = v[field];
  if (code === null || code === undefined) return undefined;
  const s = ctx.lookups.schools.get(String(code));
  if (!s) {
    ctx.fail(
      field,
      `学校标识码 ${code} 不存在：请先导入学校名单`,
      `No school has the code ${code}: import the schools first`,
      'io.unknown_school',
    );
  }
  return s;
}

export function gradeTaught(school: SchoolRef, grade: Grade, ctx: RowContext, field = 'grade'): boolean {
  if (gradesOfSchoolType(school.school_type).includes(grade)) return true;
  const label = GRADE_OPTIONS.find((o) => o.key === grade)?.label ?? grade;
  const type = SCHOOL_TYPE_LABELS[school.school_type] ?? school.school_type;
  ctx.fail(
    field,
    `${type}没有${label}`,
    `a ${school.school_type} school has no grade ${grade}`,
    'io.grade_not_taught',
  );
  return false;
}

/** A region code that must exist, at one of the given levels. */
export function regionOf(
  v: Values,
  ctx: RowContext,
  field: string,
  levels: readonly string[],
): { code: string; county: string } | undefined {
  const code = v[field];
  if (code === null || code === undefined) return undefined;
  const r = ctx.lookups.regions.get(String(code));
  if (!r) {
    ctx.fail(field, `行政区划代码 ${code} 不存在`, `No region has the code ${code}`, 'io.unknown_region');
    return undefined;
  }
  if (!levels.includes(r.level)) {
    const zh = levels.map((l) => LEVEL_ZH[l] ?? l).join('或');
    ctx.fail(
      field,
      `${code}（${r.name}）不是${zh}代码`,
      `${code} (${r.name}) is not a ${levels.join(' or ')} code`,
      'io.region_level',
    );
    return undefined;
  }
  return { code: r.code, county: r.level === 'township' ? (r.parent_code ?? r.code.slice(0, 6)) : r.code };
}

const LEVEL_ZH: Record<string, string> = {
  province: '省级',
  city: '市级',
  county: '县级',
  township: '乡镇级',
};

/** Age in whole years on 31 August of a year (the school-year cut-off). */
export function ageOn31August(birthDate: string, year: number): number {
  const [by, bm, bd] = birthDate.split('-').map(Number);
  const afterCutoff = bm > 8 || (bm === 8 && bd > 31);
  return year - by - (afterCutoff ? 1 : 0);
}

/** Column helpers shared by kinds. */
export const col = {
  schoolCode: (over: Partial<ColumnSpec> = {}): ColumnSpec => ({
    key: 'school_code',
    header: '学校标识码',
    aliases: ['学校代码', '学校编码'],
    type: 'school_code',
    required: true,
    zh: '10 位学校标识码（或本局自编代码），必须是已导入的学校',
    en: 'the 10-digit school code (or the bureau’s own id) of a school already imported',
    example: '2141140201',
    ...over,
  }),
  year: (over: Partial<ColumnSpec> = {}): ColumnSpec => ({
    key: 'year',
    header: '学年',
    aliases: ['年份', '年度', '统计年份'],
    type: 'year',
    required: true,
    zh: '学年，以开始的年份计：2025 表示 2025 年秋季开始的学年（也可写 2025-2026）',
    en: 'the school year by the year it starts: 2025 is the year from autumn 2025 (2025-2026 also works)',
    example: 2025,
    ...over,
  }),
  grade: (over: Partial<ColumnSpec> = {}): ColumnSpec => ({
    key: 'grade',
    header: '年级',
    type: 'grade',
    required: true,
    options: GRADE_OPTIONS,
    zh: '年级：小班/中班/大班、一年级…六年级、初一…初三（七至九年级）、高一…高三，或 K1–K3、G1–G12',
    en: 'grade: K1–K3 (kindergarten), G1–G6, G7–G9, G10–G12, or the Chinese name',
    example: '一年级',
    ...over,
  }),
  count: (
    key: string,
    header: string,
    zh: string,
    en: string,
    over: Partial<ColumnSpec> = {},
  ): ColumnSpec => ({
    key,
    header,
    type: 'int',
    min: 0,
    blank: 0,
    zh: `${zh}（非负整数，空白为 0）`,
    en: `${en} (a non-negative whole number; blank is 0)`,
    example: 0,
    ...over,
  }),
  flag: (
    key: string,
    header: string,
    zh: string,
    en: string,
    over: Partial<ColumnSpec> = {},
  ): ColumnSpec => ({
    key,
    header,
    type: 'bool',
    zh: `${zh}：是/否（空白为否）`,
    en: `${en}: 是 (yes) or 否 (no); blank is no`,
    example: '否',
    ...over,
  }),
};

/** An exporter for a table ordered by `order`, mapping each row through `present`. */
export function exporter(
  order: readonly string[],
  present: (row: Rec, lookups: Lookups) => Values,
): KindExporter {
  return { order, present: async (_db, rows, lookups) => rows.map((r) => present(r, lookups)) };
}

export const schoolCodeOf = (lookups: Lookups, id: unknown) =>
  lookups.schoolsById.get(Number(id))?.code ?? null;
