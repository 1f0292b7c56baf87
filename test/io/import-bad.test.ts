import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFile } from '../../src/io/import.ts';
import type { KindName } from '../../src/io/spec.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { GOOD, id, loadAll, type Sheet, snapshot, tempDir, writeCsv } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const ST = ['学校标识码', '学籍号', '身份证号', '姓名', '性别', '出生日期', '学年', '年级'];
const newId = id('411402', '2018-11-11', 51);
const wangId = String(GOOD.students[1][2]);
const wangNo = String(GOOD.students[1][1]);
const goodPupil = ['4114020001', `G${newId}`, newId, '新同学', null, null, 2025, '一年级'];
const CENSUS = [
  '学校标识码',
  '学年',
  '年级',
  '在校生男',
  '在校生女',
  '随迁子女',
  '其中政府购买学位',
  '留守儿童',
  '寄宿生',
];
const SCHOOL = [
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
  '初中每年级规划班数',
];
const goodSchool = [
  '4114029001',
  '新建小学',
  '411402',
  '411402001',
  null,
  '小学',
  '公办',
  '否',
  '城区',
  null,
  null,
  null,
];
const DIS = [
  '县（市、区）代码',
  '学年',
  '登记编号',
  '姓名',
  '性别',
  '出生日期',
  '残疾类别',
  '安置方式',
  '学校标识码',
];
const CATCH = ['学年', '学段', '社区代码', '社区名称', '学校标识码'];
const TEACH = [
  '学校标识码',
  '教师编号',
  '身份证号',
  '姓名',
  '性别',
  '出生日期',
  '任教学科',
  '参加工作年份',
  '到本校年份',
];

interface Case {
  rule: string;
  kind: KindName;
  rows: Sheet;
  /** Every problem expected, as [row, column]; nothing else may be reported. */
  expect: [number, string][];
  code?: string;
}

/** One bad file per validation rule; each has good rows too, which must not be written either. */
const CASES: Case[] = [
  {
    rule: 'a whole number column holds text',
    kind: 'census',
    code: 'io.not_integer',
    rows: [
      CENSUS,
      ['4114020001', 2025, '三年级', 40, 41, 0, 0, 0, 0],
      ['4114020001', 2025, '四年级', '四十', 41, 0, 0, 0, 0],
    ],
    expect: [[3, '在校生男']],
  },
  {
    rule: 'a required cell is empty',
    kind: 'students',
    code: 'io.required',
    rows: [ST, goodPupil, ['4114020001', 'L9', null, '', '男', '2018-01-05', 2025, '一年级']],
    expect: [[3, '姓名']],
  },
  {
    rule: 'a required column is missing',
    kind: 'students',
    code: 'io.missing_column',
    rows: [ST.filter((h) => h !== '学籍号'), ['4114020001', newId, '新同学', null, null, 2025, '一年级']],
    expect: [[1, '学籍号']],
  },
  {
    rule: 'an unknown column',
    kind: 'births',
    code: 'io.unknown_column',
    rows: [
      ['行政区划代码', '出生年份', '出生人数', '备注'],
      ['411402', 2019, 7000, ''],
    ],
    expect: [[1, '备注']],
  },
  {
    rule: 'the same column twice',
    kind: 'births',
    code: 'io.duplicate_column',
    rows: [
      ['行政区划代码', '出生年份', '出生人数', 'births'],
      ['411402', 2019, 7000, 7000],
    ],
    expect: [[1, 'births']],
  },
  {
    rule: 'no header row',
    kind: 'births',
    code: 'io.no_header',
    rows: [
      ['411402', 2019, 7000],
      ['411402', 2018, 7100],
    ],
    expect: [[1, '']],
  },
  {
    rule: 'a school code that does not exist',
    kind: 'classes',
    code: 'io.unknown_school',
    rows: [
      ['学校标识码', '学年', '年级', '班号', '班额'],
      ['4114020001', 2025, '三年级', 1, 40],
      ['4114029999', 2025, '一年级', 1, 40],
    ],
    expect: [[3, '学校标识码']],
  },
  {
    rule: 'a region code that does not exist',
    kind: 'births',
    code: 'io.unknown_region',
    rows: [
      ['行政区划代码', '出生年份', '出生人数'],
      ['411402', 2019, 7000],
      ['419999', 2019, 10],
    ],
    expect: [[3, '行政区划代码']],
  },
  {
    rule: 'a region code of the wrong level (a city)',
    kind: 'population',
    code: 'io.region_level',
    rows: [
      ['行政区划代码', '年份', '年龄', '人数'],
      ['411400', 2024, 6, 100],
    ],
    expect: [[2, '行政区划代码']],
  },
  {
    rule: 'an ID number with a wrong check digit',
    kind: 'students',
    code: 'io.id_check_digit',
    rows: [
      ST,
      goodPupil,
      [
        '4114020001',
        'L10',
        `${newId.slice(0, 16)}${(Number(newId[16]) + 2) % 10}${newId[17]}`,
        '甲',
        null,
        null,
        2025,
        '一年级',
      ],
    ],
    expect: [[3, '身份证号']],
  },
  {
    rule: 'an ID number of 17 characters',
    kind: 'students',
    code: 'io.id_format',
    rows: [ST, ['4114020001', 'L11', newId.slice(0, 17), '乙', '男', '2018-11-11', 2025, '一年级']],
    expect: [[2, '身份证号']],
  },
  {
    rule: 'an ID number with an impossible birth date',
    kind: 'students',
    code: 'io.id_birth_date',
    rows: [ST, ['4114020001', 'L12', id('411402', '2018-02-30', 1), '丙', '男', null, 2025, '一年级']],
    expect: [[2, '身份证号']],
  },
  {
    rule: 'a birth date that differs from the ID number',
    kind: 'students',
    code: 'io.birth_date_mismatch',
    rows: [ST, ['4114020001', 'L13', newId, '丁', null, '2018-11-12', 2025, '一年级']],
    expect: [[2, '出生日期']],
  },
  {
    rule: 'a sex that differs from the ID number',
    kind: 'students',
    code: 'io.sex_mismatch',
    rows: [ST, ['4114020001', 'L14', newId, '戊', '女', null, 2025, '一年级']],
    expect: [[2, '性别']],
  },
  {
    rule: 'a birth date implausible for the grade (too old, too young)',
    kind: 'students',
    code: 'io.implausible_age',
    rows: [
      ST,
      goodPupil,
      ['4114020001', 'L15', null, '己', '男', '2012-01-01', 2025, '一年级'],
      ['4114020001', 'L16', null, '庚', '女', '2021-06-01', 2025, '一年级'],
    ],
    expect: [
      [3, '出生日期'],
      [4, '出生日期'],
    ],
  },
  {
    rule: 'a date that is not a date',
    kind: 'students',
    code: 'io.not_date',
    rows: [ST, ['4114020001', 'L17', null, '辛', '男', '2018年13月1日', 2025, '一年级']],
    expect: [[2, '出生日期']],
  },
  {
    rule: 'a yes/no cell that is neither',
    kind: 'students',
    code: 'io.not_bool',
    rows: [
      [...ST, '随迁子女'],
      [...goodPupil, '也许'],
    ],
    expect: [[2, '随迁子女']],
  },
  {
    rule: 'a year that is not a year',
    kind: 'births',
    code: 'io.not_year',
    rows: [
      ['行政区划代码', '出生年份', '出生人数'],
      ['411402', '二〇一九', 7000],
    ],
    expect: [[2, '出生年份']],
  },
  {
    rule: 'a grade the school type does not teach',
    kind: 'students',
    code: 'io.grade_not_taught',
    rows: [ST, ['4114020001', 'L18', null, '壬', '男', '2013-01-01', 2025, '初一']],
    expect: [[2, '年级']],
  },
  {
    rule: 'a negative count',
    kind: 'census',
    code: 'io.negative',
    rows: [CENSUS, ['4114020001', 2025, '三年级', 40, 41, 0, 0, -1, 0]],
    expect: [[2, '留守儿童']],
  },
  {
    rule: 'migrants in purchased places above migrants',
    kind: 'census',
    code: 'io.sub_count',
    rows: [CENSUS, ['4114020001', 2025, '三年级', 40, 41, 3, 4, 0, 0]],
    expect: [[2, '其中政府购买学位']],
  },
  {
    rule: 'a sub-count above the pupils enrolled',
    kind: 'census',
    code: 'io.sub_count',
    rows: [CENSUS, ['4114020001', 2025, '三年级', 40, 41, 0, 0, 0, 82]],
    expect: [[2, '寄宿生']],
  },
  {
    rule: 'disabled pupils together above the pupils enrolled',
    kind: 'census',
    code: 'io.sub_count',
    rows: [
      ['学校标识码', '学年', '年级', '在校生男', '在校生女', '残疾学生随班就读', '残疾学生送教上门'],
      ['4114020004', 2025, '三年级', 1, 1, 2, 1],
    ],
    expect: [[2, '残疾学生随班就读']],
  },
  {
    rule: 'a census grade the school does not teach',
    kind: 'census',
    code: 'io.grade_not_taught',
    rows: [CENSUS, ['4114020003', 2025, '一年级', 40, 41, 0, 0, 0, 0]],
    expect: [[2, '年级']],
  },
  {
    rule: 'a value not among the allowed ones',
    kind: 'schools',
    code: 'io.not_allowed',
    rows: [
      SCHOOL,
      goodSchool,
      ['4114029002', '某大学', '411402', null, null, 'university', '公办', '否', '城区', null, null, null],
    ],
    expect: [[3, '学校类型']],
  },
  {
    rule: 'a subject not among the allowed ones',
    kind: 'census-teachers',
    code: 'io.not_allowed',
    rows: [
      ['学校标识码', '学年', '学科', '专任教师数'],
      ['4114020001', 2025, '书法', 1],
    ],
    expect: [[2, '学科']],
  },
  {
    rule: 'a duplicate 学籍号 within the file',
    kind: 'students',
    code: 'io.duplicate_in_file',
    rows: [
      ST,
      ['4114020001', 'L20', null, '子', '男', '2018-01-05', 2025, '一年级'],
      goodPupil,
      ['4114020001', 'L20', null, '丑', '女', '2018-02-05', 2025, '一年级'],
    ],
    expect: [[4, '学籍号']],
  },
  {
    rule: 'a duplicate ID number within the file',
    kind: 'students',
    code: 'io.duplicate_in_file',
    rows: [ST, goodPupil, ['4114020001', 'L21', newId, '寅', null, null, 2025, '一年级']],
    expect: [[3, '身份证号']],
  },
  {
    rule: 'a duplicate composite key within the file',
    kind: 'census',
    code: 'io.duplicate_in_file',
    rows: [
      CENSUS,
      ['4114020001', 2025, '三年级', 40, 41, 0, 0, 0, 0],
      ['4114020001', 2025, 'G3', 40, 42, 0, 0, 0, 0],
    ],
    expect: [[3, '学校标识码']],
  },
  {
    rule: 'an ID number the database has under another 学籍号',
    kind: 'students',
    code: 'io.id_number_taken',
    rows: [ST, goodPupil, ['4114020001', 'L22', wangId, '王一', null, null, 2025, '一年级']],
    expect: [[3, '身份证号']],
  },
  {
    rule: 'a 学籍号 the database has with another ID number',
    kind: 'students',
    code: 'io.id_number_conflict',
    rows: [ST, [...goodPupil.slice(0, 1), wangNo, ...goodPupil.slice(2)]],
    expect: [[2, '身份证号']],
  },
  {
    rule: 'a teacher ID number the database has under another number',
    kind: 'teachers',
    code: 'io.id_number_taken',
    rows: [TEACH, ['4114020001', 'T009', GOOD.teachers[1][2], '孙老师', null, null, '语文', 2008, 2016]],
    expect: [[2, '身份证号']],
  },
  {
    rule: 'a teacher who came to the school before starting work',
    kind: 'teachers',
    code: 'io.implausible_year',
    rows: [TEACH, ['4114020001', 'T010', null, '郑老师', '女', '1990-01-01', '数学', 2012, 2010]],
    expect: [[2, '到本校年份']],
  },
  {
    rule: 'capacity for a stage the school does not teach',
    kind: 'schools',
    code: 'io.not_applicable',
    rows: [SCHOOL, [...goodSchool.slice(0, 11), 3]],
    expect: [[2, '初中每年级规划班数']],
  },
  {
    rule: 'a new township without a name',
    kind: 'schools',
    code: 'io.unknown_region',
    rows: [
      SCHOOL,
      ['4114029003', '某小学', '411402', '411402991', null, '小学', '公办', '否', '乡村', null, null, null],
    ],
    expect: [[2, '乡镇（街道）代码']],
  },
  {
    rule: 'a township outside the county',
    kind: 'schools',
    code: 'io.region_mismatch',
    rows: [
      SCHOOL,
      ['4114029004', '某小学', '411402', '411403001', null, '小学', '公办', '否', '乡村', null, null, null],
    ],
    expect: [[2, '乡镇（街道）代码']],
  },
  {
    rule: 'inclusive (普惠性) for a primary school',
    kind: 'schools',
    code: 'io.not_applicable',
    rows: [
      SCHOOL,
      ['4114029005', '某小学', '411402', null, null, '小学', '民办', '是', '城区', null, null, null],
    ],
    expect: [[2, '普惠性']],
  },
  {
    rule: 'a longitude without a latitude',
    kind: 'schools',
    code: 'io.required',
    rows: [
      SCHOOL,
      ['4114029006', '某小学', '411402', null, null, '小学', '公办', '否', '城区', 115.6, null, null],
    ],
    expect: [[2, '纬度']],
  },
  {
    rule: 'a catchment for a stage the school does not teach',
    kind: 'catchments',
    code: 'io.stage_not_taught',
    rows: [CATCH, [2025, '初中', 'C001', null, '4114020001']],
    expect: [[2, '学段']],
  },
  {
    rule: 'a new community without a name',
    kind: 'catchments',
    code: 'io.unknown_community',
    rows: [CATCH, [2025, '小学', 'C009', null, '4114020001']],
    expect: [[2, '社区名称']],
  },
  {
    rule: 'two names for one community',
    kind: 'catchments',
    code: 'io.inconsistent',
    rows: [CATCH, [2026, '小学', 'C008', '东区', '4114020001'], [2026, '初中', 'C008', '西区', '4114020002']],
    expect: [[3, '社区名称']],
  },
  {
    rule: 'a housing project in an unknown community',
    kind: 'housing',
    code: 'io.unknown_community',
    rows: [
      ['项目编号', '项目名称', '行政区划代码', '社区代码', '交付年份', '住宅套数', '状态'],
      ['H009', '某项目', '411402', 'C404', 2027, 10, '在建'],
    ],
    expect: [[2, '社区代码']],
  },
  {
    rule: 'a special-school placement at a regular school',
    kind: 'disabled-children',
    code: 'io.placement_school',
    rows: [
      DIS,
      ['411402', 2025, 'CJ009', '某甲', '男', '2014-01-01', '智力残疾', '特殊教育学校', '4114020001'],
    ],
    expect: [[2, '学校标识码']],
  },
  {
    rule: 'a school for a child not enrolled',
    kind: 'disabled-children',
    code: 'io.school_not_expected',
    rows: [DIS, ['411402', 2025, 'CJ010', '某乙', '男', '2014-01-01', '智力残疾', '未入学', '4114020001']],
    expect: [[2, '学校标识码']],
  },
  {
    rule: 'a disabled child not of school age',
    kind: 'disabled-children',
    code: 'io.implausible_age',
    rows: [DIS, ['411402', 2025, 'CJ011', '某丙', '女', '2021-01-01', '视力残疾', '送教上门', null]],
    expect: [[2, '出生日期']],
  },
];

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`bad files on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await loadAll(t.store.db, dir);
    });
    afterAll(() => t?.drop());

    it.each(CASES.map((c) => [c.rule, c] as const))(
      'rejects %s, naming row and column, and changes no table',
      async (_rule, c) => {
        const before = await snapshot(t.store.db);
        const file = writeCsv(path.join(dir, `${c.kind}-bad.csv`), c.rows);
        const r = await importFile(t.store.db, c.kind, file);
        expect(r.errors.map((e) => [e.row, e.column])).toEqual(c.expect);
        expect(r.errorCount).toBe(c.expect.length);
        if (c.code) expect(r.errors[0].code).toBe(c.code);
        expect(r.written).toBe(false);
        expect(r.inserted + r.updated + r.unchanged).toBe(0);
        for (const e of r.errors) {
          expect(e.zh.length).toBeGreaterThan(2);
          expect(e.en.length).toBeGreaterThan(2);
          // ID numbers never appear in full in a problem (they end up on terminals and in logs)
          expect(JSON.stringify(e)).not.toMatch(/\d{17}[\dX]/);
        }
        expect(await snapshot(t.store.db)).toEqual(before);
      },
    );

    it('collects every problem of a file, not just the first, in row order', async () => {
      const before = await snapshot(t.store.db);
      const rows: Sheet = [ST];
      for (let i = 0; i < 30; i++)
        rows.push([
          '4114020001',
          `L3${i}`,
          null,
          `某${i}`,
          '男',
          i % 2 ? '2018-01-05' : '2030-01-01',
          2025,
          '一年级',
        ]);
      rows.push(['4114020001', 'L399', null, '', '男', '2018-01-05', 2025, '一年级']);
      const file = writeCsv(path.join(dir, 'many-bad.csv'), rows);
      const r = await importFile(t.store.db, 'students', file, { maxErrors: 10 });
      expect(r.errorCount).toBe(16);
      expect(r.errors).toHaveLength(10);
      expect(r.errors.map((e) => e.row)).toEqual([2, 4, 6, 8, 10, 12, 14, 16, 18, 20]);
      expect(await snapshot(t.store.db)).toEqual(before);
    });
  });
}
