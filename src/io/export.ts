import { type Kysely, sql } from 'kysely';
import type { ScopeFilter } from '../auth/roles.ts';
import { AppError } from '../domain/errors.ts';
import { countiesUnder } from '../store/regions.ts';
import type { Database, TableName } from '../store/schema.ts';
import { formatValue, GRADE_OPTIONS, isTextColumn, maskPersonal } from './cells.ts';
import { schoolCodeOf, untyped } from './kinds/common.ts';
import { KINDS } from './kinds/index.ts';
import { type Lookups, loadLookups } from './lookups.ts';
import type { FileFormat } from './read/source.ts';
import type { ColumnSpec, Db, Rec, Values } from './spec.ts';
import { type Output, openTableWriter } from './write/table-writer.ts';

type ExportColumn = Pick<ColumnSpec, 'key' | 'header' | 'type' | 'options' | 'personal'>;

/** How one table is exported: its columns, the keyset that orders it, and how rows become values. */
interface TableExport {
  table: TableName;
  title: string;
  columns: readonly ExportColumn[];
  order: readonly string[];
  /** The column that scopes rows to a county (absent: the table is not county-scoped). */
  countyColumn?: string;
  /** The column naming the school a row belongs to (id for the schools table itself). */
  schoolColumn?: string;
  present(db: Db, rows: Rec[], lookups: Lookups): Promise<Values[]>;
}

const c = (key: string, header: string, type: ColumnSpec['type'] = 'text'): ExportColumn => ({
  key,
  header,
  type,
});
const plain = (rows: Rec[]) => Promise.resolve(rows as Values[]);

/** Tables without an import kind, exported with their own columns (codes instead of internal ids). */
const PLAIN_TABLES: readonly TableExport[] = [
  {
    table: 'regions',
    title: '行政区划',
    columns: [
      c('code', '代码', 'region_code'),
      c('name', '名称'),
      c('parent_code', '上级代码', 'region_code'),
      c('level', '级别'),
    ],
    order: ['code'],
    present: (_db, rows) => plain(rows),
  },
  {
    table: 'school_capacity',
    title: '办学规模',
    columns: [
      c('school_code', '学校标识码', 'school_code'),
      { ...c('grade', '年级', 'grade'), options: GRADE_OPTIONS },
      c('planned_classes', '规划班数', 'int'),
      c('standard_class_size', '标准班额', 'int'),
    ],
    order: ['school_id', 'grade'],
    countyColumn: 'county_code',
    schoolColumn: 'school_id',
    present: async (_db, rows, l) => rows.map((r) => ({ ...r, school_code: schoolCodeOf(l, r.school_id) })),
  },
  {
    table: 'communities',
    title: '社区',
    columns: [
      c('code', '社区代码'),
      c('name', '社区名称'),
      c('county_code', '县（市、区）代码', 'region_code'),
      c('township_code', '乡镇（街道）代码', 'region_code'),
      c('lng', '经度', 'number'),
      c('lat', '纬度', 'number'),
    ],
    order: ['code'],
    countyColumn: 'county_code',
    present: (_db, rows) => plain(rows),
  },
  {
    table: 'education_groups',
    title: '教育集团',
    columns: [
      c('code', '集团代码'),
      c('name', '集团名称'),
      c('county_code', '县（市、区）代码', 'region_code'),
      c('lead_school_code', '牵头学校标识码', 'school_code'),
      c('mode', '模式'),
      c('tightness', '紧密程度'),
      c('start_year', '成立年份', 'year'),
    ],
    order: ['id'],
    countyColumn: 'county_code',
    present: async (_db, rows, l) =>
      rows.map((r) => ({ ...r, lead_school_code: schoolCodeOf(l, r.lead_school_id) })),
  },
  {
    table: 'group_members',
    title: '集团成员',
    columns: [
      c('group_code', '集团代码'),
      c('school_code', '学校标识码', 'school_code'),
      c('county_code', '县（市、区）代码', 'region_code'),
      c('joined_year', '加入年份', 'year'),
    ],
    order: ['group_id', 'school_id'],
    countyColumn: 'county_code',
    schoolColumn: 'school_id',
    async present(db, rows, l) {
      const ids = [...new Set(rows.map((r) => Number(r.group_id)))];
      const groups = ids.length
        ? await db.selectFrom('education_groups').select(['id', 'code']).where('id', 'in', ids).execute()
        : [];
      const codeOf = new Map(groups.map((g) => [Number(g.id), g.code]));
      return rows.map((r) => ({
        ...r,
        group_code: codeOf.get(Number(r.group_id)) ?? null,
        school_code: schoolCodeOf(l, r.school_id),
      }));
    },
  },
];

const SCHOOL_TABLES = new Set([
  'classes',
  'census',
  'census_teachers',
  'students',
  'teachers',
  'catchments',
  'disabled_children',
]);

const KIND_TABLES: readonly TableExport[] = KINDS.map((k) => ({
  table: k.table,
  title: k.title.zh,
  columns: k.columns,
  order: k.exporter.order,
  countyColumn: 'county_code',
  schoolColumn: k.table === 'schools' ? 'id' : SCHOOL_TABLES.has(k.table) ? 'school_id' : undefined,
  present: k.exporter.present,
}));

const EXPORTS: readonly TableExport[] = [...KIND_TABLES, ...PLAIN_TABLES];

/** Tables `export` accepts (every table of the schema except the internal settings). */
export const EXPORT_TABLES: readonly string[] = EXPORTS.map((e) => e.table);

function findExport(name: string): TableExport {
  const n = name.trim().toLowerCase().replace(/-/g, '_');
  const e = EXPORTS.find((x) => x.table === n);
  if (!e) {
    throw new AppError(
      'io.unknown_table',
      `没有可导出的表“${name}”：可用的有 ${EXPORT_TABLES.join('、')}`,
      `No exportable table "${name}": use one of ${EXPORT_TABLES.join(', ')}`,
      'TABLE',
    );
  }
  return e;
}

export interface ExportOptions {
  format?: FileFormat;
  /** Only this county's rows (a city code takes its counties and its city-run schools). */
  county?: string;
  /**
   * Names and ID numbers in clear. The caller decides whether the user's role may (the CLI user is
   * the system administrator); default masked.
   */
  unmasked?: boolean;
  pageSize?: number;
  onProgress?: (done: number, total: number) => void;
  /** The rows the user may see (the web passes the role's scope); default everything. */
  scope?: ScopeFilter;
}

export interface ExportResult {
  table: TableName;
  rows: number;
  masked: boolean;
}

/**
 * Exports a table to XLSX or CSV (UTF-8 with BOM), streaming: the database is read in pages by keyset
 * and each page is written before the next is read. Tables with an import kind use the kind's Chinese
 * headers and codes, so an unmasked export imports back as a no-op.
 */
export async function exportTable(
  db: Kysely<Database>,
  tableName: string,
  out: Output,
  options: ExportOptions = {},
): Promise<ExportResult> {
  const spec = findExport(tableName);
  const masked = !options.unmasked;
  const pageSize = options.pageSize ?? 2000;
  const lookups = await loadLookups(db);
  const counties = options.county ? await countyScope(db, options.county) : null;
  // biome-ignore lint/suspicious/noExplicitAny: the table is chosen at run time
  const scoped = (q: any): any => {
    const county = spec.countyColumn ?? 'code';
    if (counties) {
      if (spec.countyColumn) q = q.where(spec.countyColumn, 'in', counties);
      // biome-ignore lint/suspicious/noExplicitAny: as above
      else q = q.where((eb: any) => eb.or(counties.map((code) => eb('code', 'like', `${code}%`))));
    }
    const scope = options.scope;
    if (!scope || scope.kind === 'all') return q;
    if (scope.kind === 'none') return q.where(sql<boolean>`1 = 0`);
    if (scope.kind === 'county_prefix') return q.where(county, 'like', `${scope.prefix}%`);
    if (scope.kind === 'county')
      return q.where(
        county,
        spec.countyColumn ? '=' : 'like',
        spec.countyColumn ? scope.countyCode : `${scope.countyCode}%`,
      );
    // a school's user sees its own rows: tables of school records, and the school itself
    if (spec.schoolColumn) return q.where(spec.schoolColumn, '=', scope.schoolId);
    return q.where(sql<boolean>`1 = 0`);
  };
  const total = Number(
    (
      await scoped(
        untyped(db)
          .selectFrom(spec.table)
          .select((eb) => eb.fn.countAll().as('n')),
      ).executeTakeFirst()
    )?.n ?? 0,
  );

  const writer = openTableWriter(out, options.format ?? 'xlsx', {
    name: spec.title,
    columns: spec.columns.map((col) => ({ header: col.header, text: isTextColumn(col) })),
  });
  let rows = 0;
  let after: unknown[] | null = null;
  try {
    while (true) {
      let q = scoped(untyped(db).selectFrom(spec.table).selectAll());
      if (after) q = q.where(keysetAfter(spec.order, after));
      for (const o of spec.order) q = q.orderBy(o);
      const page = (await q.limit(pageSize).execute()) as Rec[];
      if (page.length === 0) break;
      for (const values of await spec.present(db, page, lookups)) {
        await writer.add(
          spec.columns.map((col) => {
            let v = values[col.key];
            if (masked && col.personal && typeof v === 'string') v = maskPersonal(v, col.personal);
            return formatValue(v, col);
          }),
        );
      }
      rows += page.length;
      options.onProgress?.(rows, total);
      if (page.length < pageSize) break;
      const last = page[page.length - 1];
      after = spec.order.map((o) => last[o]);
    }
  } finally {
    await writer.close();
  }
  return { table: spec.table, rows, masked };
}

/** Row-value comparison (a, b) > (x, y): the same on SQLite (3.15+) and PostgreSQL. */
function keysetAfter(order: readonly string[], values: unknown[]) {
  if (order.length === 1) return sql<boolean>`${sql.ref(order[0])} > ${values[0]}`;
  return sql<boolean>`(${sql.join(order.map((o) => sql.ref(o)))}) > (${sql.join(values)})`;
}

async function countyScope(db: Kysely<Database>, code: string): Promise<string[]> {
  const counties = await countiesUnder(db, code);
  if (
    counties.length === 0 &&
    !(await db.selectFrom('regions').select('code').where('code', '=', code).executeTakeFirst())
  ) {
    throw new AppError(
      'io.unknown_county',
      `行政区划代码 ${code} 不存在`,
      `No region has the code ${code}`,
      '--county',
    );
  }
  return [...new Set([code, ...counties.map((r) => r.code)])];
}
