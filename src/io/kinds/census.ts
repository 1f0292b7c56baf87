import { CENSUS_COUNT_COLUMNS, type CensusCountColumn } from '../../domain/census-counts.ts';
import type { Grade } from '../../domain/stages.ts';
import type { ColumnSpec, ImportKind, Rec, RowContext } from '../spec.ts';
import { col, exporter, gradeTaught, schoolCodeOf, schoolOf, tableSession, uniqueKey } from './common.ts';

const COUNT_LABELS: Record<CensusCountColumn, [string, string, string]> = {
  pupils_male: ['在校生男', '在校生中男生人数', 'pupils enrolled, boys'],
  pupils_female: ['在校生女', '在校生中女生人数', 'pupils enrolled, girls'],
  migrant: ['随迁子女', '进城务工人员随迁子女人数', 'children of migrant workers'],
  migrant_purchased: [
    '其中政府购买学位',
    '随迁子女中在政府购买学位（民办学校）就读的人数',
    'of whom in places the government buys at private schools',
  ],
  disabled_regular_class: [
    '残疾学生随班就读',
    '随班就读的残疾学生人数',
    'disabled pupils in regular classes',
  ],
  disabled_special_class: [
    '残疾学生特教班',
    '在特教班就读的残疾学生人数',
    'disabled pupils in special classes',
  ],
  disabled_special_school: [
    '残疾学生特教学校',
    '在特殊教育学校就读的残疾学生人数',
    'disabled pupils in a special-education school',
  ],
  disabled_home_teaching: [
    '残疾学生送教上门',
    '接受送教上门的残疾学生人数',
    'disabled pupils taught at home',
  ],
  left_behind: ['留守儿童', '农村留守儿童人数', 'left-behind children'],
  boarders: ['寄宿生', '寄宿生人数', 'boarders'],
  after_school: ['参加课后服务', '参加课后服务的学生人数', 'pupils in after-school services'],
  entrants: ['招生数', '本学年招收的新生人数', 'entrants this school year'],
  transfers_in: ['转入', '转入学生人数', 'pupils transferred in'],
  transfers_out: ['转出', '转出学生人数', 'pupils transferred out'],
  graduates: ['毕业生', '毕业生人数', 'graduates'],
};

const COLUMNS: readonly ColumnSpec[] = [
  col.schoolCode(),
  col.year(),
  col.grade(),
  ...CENSUS_COUNT_COLUMNS.map((c) =>
    col.count(c, COUNT_LABELS[c][0], COUNT_LABELS[c][1], COUNT_LABELS[c][2], {
      example: c.startsWith('pupils') ? 120 : 0,
    }),
  ),
];

/** Counts that are "of whom" parts of the pupils enrolled, and so cannot exceed them. */
const SUB_COUNTS: readonly CensusCountColumn[] = ['migrant', 'left_behind', 'boarders', 'after_school'];
const DISABLED: readonly CensusCountColumn[] = [
  'disabled_regular_class',
  'disabled_special_class',
  'disabled_special_school',
  'disabled_home_teaching',
];

function check(r: Rec, ctx: RowContext): void {
  const n = (c: CensusCountColumn) => Number(r[c] ?? 0);
  const total = n('pupils_male') + n('pupils_female');
  if (n('migrant_purchased') > n('migrant')) {
    ctx.fail(
      'migrant_purchased',
      `政府购买学位人数（${n('migrant_purchased')}）不能多于随迁子女人数（${n('migrant')}）`,
      `migrant pupils in purchased places (${n('migrant_purchased')}) exceed migrant pupils (${n('migrant')})`,
      'io.sub_count',
    );
  }
  for (const c of SUB_COUNTS) {
    if (n(c) > total) {
      ctx.fail(
        c,
        `${COUNT_LABELS[c][0]}（${n(c)}）不能多于在校生总数（${total}）`,
        `${c} (${n(c)}) exceeds the pupils enrolled (${total})`,
        'io.sub_count',
      );
    }
  }
  const disabled = DISABLED.reduce((s, c) => s + n(c), 0);
  if (disabled > total) {
    const field = DISABLED.find((c) => ctx.has(c)) ?? DISABLED[0];
    ctx.fail(
      field,
      `残疾学生合计（${disabled}）不能多于在校生总数（${total}）`,
      `disabled pupils in all placements (${disabled}) exceed the pupils enrolled (${total})`,
      'io.sub_count',
    );
  }
}

/** 基础统计: the annual census per school, year and grade. */
export const censusKind: ImportKind = {
  name: 'census',
  table: 'census',
  title: { zh: '基础统计（分年级）', en: 'Census by grade' },
  naturalKey: {
    fields: ['school_code', 'year', 'grade'],
    zh: '学校标识码 + 学年 + 年级',
    en: 'school code + year + grade',
  },
  columns: COLUMNS,
  notes: [
    {
      zh: '所有人数为非负整数；空白按 0 计。',
      en: 'All counts are non-negative whole numbers; blank counts as 0.',
    },
    {
      zh: '其中政府购买学位 ≤ 随迁子女；随迁子女、留守儿童、寄宿生、参加课后服务、残疾学生合计均不能多于在校生（男+女）。',
      en: 'Purchased places ≤ migrant pupils; migrant, left-behind, boarders, after-school and all disabled pupils together each ≤ pupils enrolled (boys + girls).',
    },
    {
      zh: '年级必须是该校学校类型所含的年级（如小学没有初一）。',
      en: 'The grade must be one the school’s type teaches (a primary school has no G7).',
    },
  ],
  open: () =>
    tableSession({
      table: 'census',
      columns: ['school_id', 'county_code', 'year', 'grade', ...CENSUS_COUNT_COLUMNS, 'synthetic'],
      keyColumns: ['school_id', 'year', 'grade'],
      matchBy: ['school_id', 'year'],
      defaults: { synthetic: 0, ...Object.fromEntries(CENSUS_COUNT_COLUMNS.map((c) => [c, 0])) },
      keys: [uniqueKey(['school_code', 'year', 'grade'], ['school_id', 'year', 'grade'])],
      build(v, ctx) {
        const school = schoolOf(v, ctx);
        if (!school || !gradeTaught(school, v.grade as Grade, ctx)) return undefined;
        const rec: Rec = {
          school_id: school.id,
          county_code: school.county_code,
          year: v.year,
          grade: v.grade,
        };
        for (const c of CENSUS_COUNT_COLUMNS) rec[c] = v[c];
        return rec;
      },
      check,
    }),
  exporter: exporter(['school_id', 'year', 'grade'], (r, l) => {
    const out: Rec = { school_code: schoolCodeOf(l, r.school_id), year: r.year, grade: r.grade };
    for (const c of CENSUS_COUNT_COLUMNS) out[c] = r[c];
    return out;
  }),
};
