import { GRADE_LABELS, type Grade, typicalEntryAge } from '../../domain/stages.ts';
import { upsertRows } from '../../store/bulk.ts';
import type { ColumnSpec, ImportKind, Rec, RowContext, Values } from '../spec.ts';
import {
  ageOn31August,
  changedColumns,
  col,
  exporter,
  gradeTaught,
  schoolCodeOf,
  schoolOf,
  uniqueKey,
} from './common.ts';
import { communityCodeColumn } from './housing.ts';
import { PLACEMENT_OPTIONS } from './options.ts';
import { checkPerson, matchPersons, personColumns, personFields } from './person.ts';

const COLUMNS: readonly ColumnSpec[] = [
  col.schoolCode(),
  {
    key: 'student_no',
    header: '学籍号',
    aliases: ['全国学籍号', '学籍辅号'],
    type: 'text',
    required: true,
    maxLength: 32,
    personal: 'embedded_id',
    zh: '全国学籍号（如 G 加身份证号，或 L、J 开头的临时号）；没有身份证号的学生以学籍号识别',
    en: 'the national student number (e.g. G plus the ID number, or a temporary L/J number); pupils without an ID number are identified by it',
    example: 'G411402201709010023',
  },
  personColumns.idNumber(),
  personColumns.name(),
  personColumns.sex(),
  personColumns.birthDate('2017-09-01'),
  col.year({
    zh: '在读学年，以开始的年份计：2025 表示 2025—2026 学年',
    en: 'the school year of enrolment by the year it starts',
  }),
  col.grade(),
  {
    key: 'class_no',
    header: '班号',
    aliases: ['班级号', '班级'],
    type: 'int',
    min: 1,
    max: 99,
    zh: '所在班号（可空）',
    en: 'class number (may be blank)',
    example: 1,
  },
  col.flag('migrant', '随迁子女', '是否进城务工人员随迁子女', 'child of migrant workers'),
  col.flag('left_behind', '留守儿童', '是否农村留守儿童', 'left-behind child'),
  col.flag('disabled', '残疾', '是否残疾学生', 'disabled pupil'),
  {
    key: 'disabled_placement',
    header: '残疾安置方式',
    aliases: ['安置方式'],
    type: 'enum',
    options: PLACEMENT_OPTIONS.filter((o) => o.key !== 'not_enrolled'),
    zh: '残疾学生的安置方式：随班就读、特教班、特殊教育学校 或 送教上门（非残疾学生留空；特殊教育学校的学生为“特殊教育学校”或“送教上门”）',
    en: 'where a disabled pupil is taught: regular_class, special_class, special_school or home_teaching (blank for other pupils; pupils of a special-education school are special_school or home_teaching)',
    example: '',
  },
  col.flag('boarder', '寄宿', '是否寄宿生', 'boarder'),
  col.flag('after_school', '参加课后服务', '是否参加课后服务', 'takes part in after-school services'),
  col.flag(
    'purchased_place',
    '政府购买学位',
    '是否就读于政府在民办学校购买的学位（仅民办学校）',
    'in a place the government buys at a private school (private schools only)',
  ),
  communityCodeColumn({
    zh: '居住社区（小区、村）代码，必须已在系统中（可空）',
    en: 'the community (小区/村) the pupil lives in; must exist (may be blank)',
  }),
];

const DB_COLUMNS = [
  'county_code',
  'school_id',
  'student_no',
  'id_number',
  'name',
  'sex',
  'birth_date',
  'year',
  'grade',
  'class_no',
  'migrant',
  'left_behind',
  'disabled',
  'boarder',
  'after_school',
  'community_code',
  'purchased_place',
  'disabled_placement',
  'synthetic',
] as const;

/** 学生学籍: the pupil register. */
export const studentsKind: ImportKind = {
  name: 'students',
  table: 'students',
  title: { zh: '学生', en: 'Students' },
  naturalKey: {
    fields: ['id_number', 'student_no'],
    zh: '身份证号（没有身份证号时为学籍号）',
    en: 'ID number, or the student number (学籍号) for pupils without one',
  },
  columns: COLUMNS,
  notes: [
    {
      zh: '同一身份证号已在系统中登记于另一学籍号名下时，整个文件不导入。',
      en: 'An ID number already registered under another student number rejects the file.',
    },
    {
      zh: '年龄合理性：学年当年 8 月 31 日的周岁须在该年级通常年龄的 −1 到 +3 岁之间（一年级通常 6 岁，即 5–9 岁）。',
      en: 'Plausible age: the age on 31 August of the school year is within −1 … +3 years of the grade’s usual age (G1: usually 6, so 5–9).',
    },
  ],
  open(lookups) {
    return {
      columns: DB_COLUMNS,
      defaults: {
        id_number: null,
        class_no: null,
        migrant: 0,
        left_behind: 0,
        disabled: 0,
        boarder: 0,
        after_school: 0,
        community_code: null,
        purchased_place: 0,
        disabled_placement: null,
        synthetic: 0,
      },
      keys: [uniqueKey(['id_number']), uniqueKey(['student_no'])],
      build(v, ctx) {
        const school = schoolOf(v, ctx);
        if (!school || !gradeTaught(school, v.grade as Grade, ctx)) return undefined;
        const person = personFields(v, ctx);
        if (!person) return undefined;
        const community = v.community_code;
        if (typeof community === 'string' && !lookups.communities.has(community)) {
          ctx.fail(
            'community_code',
            `社区代码 ${community} 不存在`,
            `No community has the code ${community}`,
            'io.unknown_community',
          );
          return undefined;
        }
        if (!checkPlaces(v, school.school_type, school.ownership, ctx)) return undefined;
        return {
          county_code: school.county_code,
          school_id: school.id,
          student_no: v.student_no,
          ...person,
          name: v.name,
          year: v.year,
          grade: v.grade,
          class_no: v.class_no,
          migrant: v.migrant,
          left_behind: v.left_behind,
          disabled: v.disabled,
          boarder: v.boarder,
          after_school: v.after_school,
          community_code: community,
          purchased_place: v.purchased_place,
          disabled_placement: v.disabled_placement,
        };
      },
      match: (db, chunk, fail) => matchPersons(db, 'students', 'student_no', chunk, fail),
      check(r: Rec, ctx) {
        if (!checkPerson(r, ctx)) return;
        const grade = r.grade as Grade;
        const usual = typicalEntryAge(grade);
        const age = ageOn31August(String(r.birth_date), Number(r.year));
        if (age < usual - 1 || age > usual + 3) {
          const field = ctx.has('birth_date') || !ctx.has('id_number') ? 'birth_date' : 'id_number';
          ctx.fail(
            field,
            `出生日期与年级不符：${r.year} 年 8 月 31 日时 ${age} 岁，${GRADE_LABELS[grade]}通常 ${usual} 岁（允许 ${usual - 1}–${usual + 3} 岁）`,
            `the birth date does not fit the grade: aged ${age} on 31 August ${r.year}, while ${grade} is usually ${usual} (${usual - 1}–${usual + 3} accepted)`,
            'io.implausible_age',
          );
        }
      },
      changed: changedColumns(DB_COLUMNS.filter((c) => c !== 'synthetic')),
      write: (trx, rows) => upsertRows(trx, 'students', rows, ['student_no']),
    };
  },
  exporter: exporter(['id'], (r, l) => ({
    school_code: schoolCodeOf(l, r.school_id),
    student_no: r.student_no,
    id_number: r.id_number,
    name: r.name,
    sex: r.sex,
    birth_date: r.birth_date,
    year: r.year,
    grade: r.grade,
    class_no: r.class_no,
    migrant: r.migrant,
    left_behind: r.left_behind,
    disabled: r.disabled,
    boarder: r.boarder,
    after_school: r.after_school,
    community_code: r.community_code,
    purchased_place: r.purchased_place,
    disabled_placement: r.disabled_placement,
  })),
};

/** Purchased places are at private schools; a placement belongs to a disabled pupil and fits the school. */
function checkPlaces(v: Values, schoolType: string, ownership: string, ctx: RowContext): boolean {
  let ok = true;
  if (v.purchased_place === 1 && ownership !== 'private') {
    ctx.fail(
      'purchased_place',
      '政府购买学位只在民办学校，该校为公办',
      'government-purchased places are at private schools; this school is public',
      'io.purchased_public',
    );
    ok = false;
  }
  const placement = v.disabled_placement;
  if (placement == null) return ok;
  if (v.disabled !== 1) {
    ctx.fail(
      'disabled_placement',
      '填写了残疾安置方式，但“残疾”为否',
      'a disabled placement is given, but the pupil is not marked disabled',
      'io.placement_not_disabled',
    );
    return false;
  }
  const special = schoolType === 'special';
  if (
    special ? placement !== 'special_school' && placement !== 'home_teaching' : placement === 'special_school'
  ) {
    ctx.fail(
      'disabled_placement',
      special
        ? '特殊教育学校的学生安置方式应为“特殊教育学校”或“送教上门”'
        : '“特殊教育学校”安置只用于特殊教育学校的学生',
      special
        ? 'pupils of a special-education school are placed special_school or home_teaching'
        : 'the special_school placement is for pupils of a special-education school',
      'io.placement_school',
    );
    return false;
  }
  return ok;
}
