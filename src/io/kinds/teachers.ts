import { todayInShanghai } from '../../domain/time.ts';
import { upsertRows } from '../../store/bulk.ts';
import type { ColumnSpec, ImportKind, Rec } from '../spec.ts';
import { subjectColumn } from './census-teachers.ts';
import { ageOn31August, changedColumns, col, exporter, schoolCodeOf, schoolOf, uniqueKey } from './common.ts';
import { checkPerson, matchPersons, personColumns, personFields } from './person.ts';

const COLUMNS: readonly ColumnSpec[] = [
  col.schoolCode({
    zh: '任职学校的学校标识码，必须是已导入的学校',
    en: 'the code of the school the teacher works at; it must exist',
  }),
  {
    key: 'teacher_no',
    header: '教师编号',
    aliases: ['工号', '教职工号'],
    type: 'text',
    required: true,
    maxLength: 32,
    zh: '教师编号（本局或教师管理信息系统的编号）；没有身份证号的教师以它识别',
    en: 'the teacher’s number (the bureau’s or the teacher-management system’s); teachers without an ID number are identified by it',
    example: 'T2025000123',
  },
  { ...personColumns.idNumber(), example: '411402198503150026' },
  { ...personColumns.name(), example: '王丽' },
  { ...personColumns.sex(), example: '女' },
  personColumns.birthDate('1985-03-15'),
  subjectColumn({ header: '任教学科', aliases: ['学科', '科目'], example: '语文' }),
  col.flag('full_time', '专任教师', '是否专任教师', 'full-time teacher (专任教师)', {
    blank: 1,
    example: '是',
    zh: '是否专任教师：是/否（空白为是）',
    en: 'full-time teacher (专任教师): 是 (yes) or 否 (no); blank is yes',
  }),
  col.flag('in_establishment', '在编', '是否在编（占用编制）', 'holds an establishment post (在编)', {
    example: '是',
  }),
  {
    key: 'title',
    header: '职称',
    aliases: ['专业技术职务'],
    type: 'text',
    maxLength: 30,
    zh: '职称，如 一级教师、高级教师（可空）',
    en: 'professional title, e.g. 一级教师 (may be blank)',
    example: '一级教师',
  },
  col.year({
    key: 'hire_year',
    header: '参加工作年份',
    aliases: ['入职年份'],
    required: false,
    zh: '参加工作的年份（可空）',
    en: 'the year the teacher started working (may be blank)',
    example: 2008,
  }),
  col.year({
    key: 'school_since_year',
    header: '到本校年份',
    aliases: ['调入本校年份'],
    required: false,
    zh: '到本校任教的年份（可空），用于交流轮岗的年限',
    en: 'the year the teacher came to this school (may be blank), for rotation eligibility',
    example: 2016,
  }),
];

const DB_COLUMNS = [
  'county_code',
  'school_id',
  'teacher_no',
  'id_number',
  'name',
  'sex',
  'birth_date',
  'subject',
  'full_time',
  'in_establishment',
  'title',
  'hire_year',
  'school_since_year',
  'synthetic',
] as const;

/** 教师: the teacher register. */
export const teachersKind: ImportKind = {
  name: 'teachers',
  table: 'teachers',
  title: { zh: '教师', en: 'Teachers' },
  naturalKey: {
    fields: ['id_number', 'teacher_no'],
    zh: '身份证号（没有身份证号时为教师编号）',
    en: 'ID number, or the teacher number for teachers without one',
  },
  columns: COLUMNS,
  notes: [
    {
      zh: '年龄合理性：今年 8 月 31 日时 18–70 周岁；参加工作时至少 16 岁；到本校年份不早于参加工作年份。',
      en: 'Plausible age: 18–70 on 31 August this year; at least 16 when starting work; came to this school no earlier than starting work.',
    },
  ],
  open() {
    const thisYear = Number(todayInShanghai().slice(0, 4));
    return {
      columns: DB_COLUMNS,
      defaults: {
        id_number: null,
        full_time: 1,
        in_establishment: 0,
        title: null,
        hire_year: null,
        school_since_year: null,
        synthetic: 0,
      },
      keys: [uniqueKey(['id_number']), uniqueKey(['teacher_no'])],
      build(v, ctx) {
        const school = schoolOf(v, ctx);
        if (!school) return undefined;
        const person = personFields(v, ctx);
        if (!person) return undefined;
        return {
          county_code: school.county_code,
          school_id: school.id,
          teacher_no: v.teacher_no,
          ...person,
          name: v.name,
          subject: v.subject,
          full_time: v.full_time,
          in_establishment: v.in_establishment,
          title: v.title,
          hire_year: v.hire_year,
          school_since_year: v.school_since_year,
        };
      },
      match: (db, chunk, fail) => matchPersons(db, 'teachers', 'teacher_no', chunk, fail),
      check(r: Rec, ctx) {
        if (!checkPerson(r, ctx)) return;
        const birth = String(r.birth_date);
        const age = ageOn31August(birth, thisYear);
        const birthField = ctx.has('birth_date') || !ctx.has('id_number') ? 'birth_date' : 'id_number';
        if (age < 18 || age > 70) {
          ctx.fail(
            birthField,
            `出生日期不合理：今年 8 月 31 日时 ${age} 岁（应为 18–70 岁）`,
            `implausible birth date: aged ${age} on 31 August this year (18–70 expected)`,
            'io.implausible_age',
          );
          return;
        }
        if (r.hire_year != null && Number(r.hire_year) - Number(birth.slice(0, 4)) < 16) {
          ctx.fail(
            'hire_year',
            '参加工作年份早于 16 岁',
            'started work before the age of 16',
            'io.implausible_year',
          );
          return;
        }
        if (
          r.hire_year != null &&
          r.school_since_year != null &&
          Number(r.school_since_year) < Number(r.hire_year)
        ) {
          ctx.fail(
            'school_since_year',
            '到本校年份早于参加工作年份',
            'came to this school before starting work',
            'io.implausible_year',
          );
        }
      },
      changed: changedColumns(DB_COLUMNS.filter((c) => c !== 'synthetic')),
      write: (trx, rows) => upsertRows(trx, 'teachers', rows, ['teacher_no']),
    };
  },
  exporter: exporter(['id'], (r, l) => ({
    school_code: schoolCodeOf(l, r.school_id),
    teacher_no: r.teacher_no,
    id_number: r.id_number,
    name: r.name,
    sex: r.sex,
    birth_date: r.birth_date,
    subject: r.subject,
    full_time: r.full_time,
    in_establishment: r.in_establishment,
    title: r.title,
    hire_year: r.hire_year,
    school_since_year: r.school_since_year,
  })),
};
