import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import type { Kysely } from 'kysely';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import { importFile } from '../../src/io/import.ts';
import type { KindName } from '../../src/io/spec.ts';
import type { Database } from '../../src/store/schema.ts';

export type Cell = string | number | boolean | Date | null;
export type Sheet = Cell[][];

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-io-'));
}

/** Writes rows as CSV: UTF-8 (optionally with BOM) or GBK, the way Excel saves them. */
export function writeCsv(
  file: string,
  rows: Sheet,
  encoding: 'utf8' | 'utf8-bom' | 'gbk' = 'utf8-bom',
): string {
  const quote = (c: Cell) => {
    const s = c === null ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const text = `${rows.map((r) => r.map(quote).join(',')).join('\r\n')}\r\n`;
  const bytes = encoding === 'gbk' ? iconv.encode(text, 'gbk') : Buffer.from(text, 'utf8');
  fs.writeFileSync(
    file,
    encoding === 'utf8-bom' ? Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytes]) : bytes,
  );
  return file;
}

/** Writes rows as an XLSX workbook; cells keep their JS types (numbers stay numbers, as Excel would). */
export async function writeXlsx(file: string, rows: Sheet, textColumns: number[] = []): Promise<string> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('数据');
  for (const i of textColumns) ws.getColumn(i + 1).numFmt = '@';
  for (const r of rows) ws.addRow(r);
  await wb.xlsx.writeFile(file);
  return file;
}

/** Reads every sheet of a workbook, cells as exceljs gives them. */
export async function readWorkbook(file: string): Promise<ExcelJS.Workbook> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  return wb;
}

const REGISTRY_TABLES = [
  'regions',
  'schools',
  'school_capacity',
  'classes',
  'census',
  'census_teachers',
  'disabled_children',
  'students',
  'teachers',
  'population',
  'births',
  'housing',
  'projects',
  'communities',
  'catchments',
] as const;

/** Every registry table's rows (updated_at left out), to show that a rejected import changed nothing. */
export async function snapshot(db: Kysely<Database>): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  for (const t of REGISTRY_TABLES) {
    const rows = (await db.selectFrom(t).selectAll().execute()) as Record<string, unknown>[];
    out[t] = rows
      .map((r) => {
        const { updated_at: _, ...rest } = r;
        return JSON.stringify(rest);
      })
      .sort();
  }
  return out;
}

export const id = (region: string, birth: string, seq: number) => makeIdNumber(region, birth, seq);

/** The schools every test starts from: one of each type that the other kinds need. */
export const SCHOOLS: Sheet = [
  [
    '学校标识码',
    '学校名称',
    '县（市、区）代码',
    '乡镇（街道）代码',
    '乡镇（街道）名称',
    '学校类型',
    '办学性质',
    '普惠性',
    '城乡分类',
    '经度',
    '纬度',
    '小学每年级规划班数',
    '小学标准班额',
    '初中每年级规划班数',
    '初中标准班额',
    '幼儿园每年级规划班数',
    '高中每年级规划班数',
  ],
  [
    '4114020001',
    '平原路小学',
    '411402',
    '411402001',
    '',
    '小学',
    '公办',
    '否',
    '城区',
    115.65,
    34.41,
    4,
    45,
    null,
    null,
    null,
    null,
  ],
  [
    '4114020002',
    '刘口九年制学校',
    '411402',
    '411402990',
    '测试新乡镇',
    '九年一贯制学校',
    '公办',
    '否',
    '乡村',
    null,
    null,
    2,
    40,
    3,
    null,
    null,
    null,
  ],
  [
    '4114020003',
    '阳光幼儿园',
    '411402',
    '411402990',
    null,
    '幼儿园',
    '民办',
    '是',
    '镇区',
    null,
    null,
    null,
    null,
    null,
    null,
    3,
    null,
  ],
  [
    '4114020004',
    '梁园区特殊教育学校',
    '411402',
    null,
    null,
    '特殊教育学校',
    '公办',
    '否',
    '城区',
    null,
    null,
    1,
    12,
    1,
    12,
    null,
    null,
  ],
  [
    '4114020005',
    '梁园区第一高级中学',
    '411402',
    '411402002',
    null,
    '高级中学',
    '公办',
    '否',
    '城区',
    null,
    null,
    null,
    null,
    null,
    null,
    null,
    12,
  ],
  [
    '4114030001',
    '睢阳区实验小学',
    '411403',
    null,
    null,
    '小学',
    '公办',
    '否',
    '城区',
    null,
    null,
    3,
    45,
    null,
    null,
    null,
    null,
  ],
];

/** A good file of every kind (besides schools), small enough to check by hand. */
export const GOOD: Record<Exclude<KindName, 'schools'>, Sheet> = {
  classes: [
    ['学校标识码', '学年', '年级', '班号', '班额'],
    ['4114020001', 2025, '一年级', 1, 45],
    ['4114020001', 2025, 'G1', 2, 44],
    ['4114020002', 2025, '初一', 1, 50],
    ['4114020002', '2025-2026', '七年级', 2, 48],
  ],
  census: [
    [
      '学校标识码',
      '学年',
      '年级',
      '在校生男',
      '在校生女',
      '随迁子女',
      '其中政府购买学位',
      '留守儿童',
      '寄宿生',
      '残疾学生随班就读',
      '招生数',
    ],
    ['4114020001', 2025, '一年级', 46, 43, 10, 0, 5, 0, 1, 89],
    ['4114020001', 2025, '二年级', 44, 45, 9, 0, 6, 0, 0, null],
    ['4114020003', 2025, '小班', 40, 38, 2, 2, 0, 0, 0, 78],
    ['4114020002', 2025, '初一', 70, 68, 0, 0, 30, 60, 2, 138],
  ],
  'census-teachers': [
    ['学校标识码', '学年', '学科', '专任教师数'],
    ['4114020001', 2025, '语文', 12],
    ['4114020001', 2025, '数学', 10],
    ['4114020001', 2025, 'english', 4],
    ['4114020002', 2025, '体育', 3],
  ],
  students: [
    [
      '学校标识码',
      '学籍号',
      '身份证号',
      '姓名',
      '性别',
      '出生日期',
      '学年',
      '年级',
      '班号',
      '随迁子女',
      '留守儿童',
      '社区代码',
    ],
    [
      '4114020001',
      `G${id('411402', '2018-10-02', 11)}`,
      id('411402', '2018-10-02', 11),
      '王一',
      '男',
      '2018-10-02',
      2025,
      '一年级',
      1,
      '是',
      '否',
      null,
    ],
    [
      '4114020001',
      `G${id('411402', '2019-03-15', 22)}`,
      id('411402', '2019-03-15', 22),
      '李二',
      null,
      null,
      2025,
      '一年级',
      2,
      '否',
      '否',
      null,
    ],
    ['4114020001', 'L2025000003', null, '赵三', '女', '2017/9/1', 2025, '二年级', 1, '否', '是', null],
    [
      '4114020002',
      `G${id('411402', '2012-12-31', 33)}`,
      id('411402', '2012-12-31', 33),
      '钱四',
      '男',
      '20121231',
      2025,
      '初一',
      1,
      null,
      '是',
      null,
    ],
  ],
  teachers: [
    [
      '学校标识码',
      '教师编号',
      '身份证号',
      '姓名',
      '性别',
      '出生日期',
      '任教学科',
      '专任教师',
      '在编',
      '职称',
      '参加工作年份',
      '到本校年份',
    ],
    [
      '4114020001',
      'T001',
      id('411402', '1985-03-15', 26),
      '孙老师',
      '女',
      '1985-03-15',
      '语文',
      '是',
      '是',
      '一级教师',
      2008,
      2016,
    ],
    ['4114020001', 'T002', null, '周老师', '男', '1990-07-01', '数学', null, '否', null, 2013, null],
    [
      '4114020002',
      'T003',
      id('411402', '1978-11-20', 13),
      '吴老师',
      null,
      null,
      '英语',
      '是',
      '是',
      '高级教师',
      1999,
      2010,
    ],
  ],
  population: [
    ['行政区划代码', '年份', '年龄', '人数'],
    ['411402', 2024, 5, 5900],
    ['411402', 2024, 6, 6100],
    ['411402001', 2024, 6, 800],
  ],
  births: [
    ['行政区划代码', '出生年份', '出生人数'],
    ['411402', 2023, 5800],
    ['411402', 2024, 5600],
    ['411403', 2024, 4100],
  ],
  catchments: [
    ['学年', '学段', '社区代码', '社区名称', '乡镇（街道）代码', '学校标识码'],
    [2025, '小学', 'C001', '平原小区', '411402001', '4114020001'],
    [2025, '初中', 'C001', null, null, '4114020002'],
    [2025, '小学', 'C002', '刘口村', '411402990', '4114020002'],
    [2025, '小学', 'C002', '刘口村', null, '4114020001'],
  ],
  housing: [
    ['项目编号', '项目名称', '行政区划代码', '社区代码', '交付年份', '住宅套数', '状态'],
    ['H001', '平原花园一期', '411402001', 'C001', 2027, 800, '在建'],
    ['H002', '新城二期', '411402', null, 2028, 1200, 'planned'],
  ],
  projects: [
    ['项目编号', '项目名称', '行政区划代码', '学校标识码', '学段', '新增学位', '交付年份', '状态'],
    ['XM001', '平原小学扩建', '411402001', '4114020001', '小学', 540, 2027, '在建'],
    ['XM002', '新城初中', '411402', null, '初中', 1500, 2028, 'planned'],
  ],
  'disabled-children': [
    [
      '县（市、区）代码',
      '学年',
      '登记编号',
      '身份证号',
      '姓名',
      '性别',
      '出生日期',
      '残疾类别',
      '安置方式',
      '学校标识码',
      '乡镇（街道）代码',
    ],
    [
      '411402',
      2025,
      'CJ001',
      id('411402', '2015-03-07', 46),
      '郑小红',
      '女',
      null,
      '智力残疾',
      '随班就读',
      '4114020001',
      '411402001',
    ],
    ['411402', 2025, 'CJ002', null, '冯小刚', '男', '2012-06-01', '听力', '特殊教育学校', '4114020004', null],
    ['411402', 2025, 'CJ003', null, '陈小明', '男', '2011-01-09', '肢体残疾', '未入学', null, '411402990'],
  ],
};

/** The order a new installation loads the kinds in: what a row refers to comes first. */
export const LOAD_ORDER: Exclude<KindName, 'schools'>[] = [
  'catchments',
  'classes',
  'census',
  'census-teachers',
  'students',
  'teachers',
  'population',
  'births',
  'housing',
  'projects',
  'disabled-children',
];

/** Imports a sheet (as a UTF-8 CSV) and throws with the problems if it is rejected. */
export async function load(db: Kysely<Database>, kind: KindName, rows: Sheet, dir: string) {
  const file = writeCsv(path.join(dir, `${kind}-${Math.random().toString(36).slice(2)}.csv`), rows);
  const r = await importFile(db, kind, file);
  if (r.errorCount > 0) throw new Error(`${kind}: ${JSON.stringify(r.errors.slice(0, 5))}`);
  return r;
}

/** A database with regions, the schools and a good file of every kind loaded. */
export async function loadAll(db: Kysely<Database>, dir: string): Promise<void> {
  await load(db, 'schools', SCHOOLS, dir);
  for (const kind of LOAD_ORDER) await load(db, kind, GOOD[kind], dir);
}
