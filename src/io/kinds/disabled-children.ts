import type { DisabledPlacement } from '../../domain/stages.ts';
import type { ColumnSpec, ImportKind, Rec } from '../spec.ts';
import { regionColumn } from './births.ts';
import {
  ageOn31August,
  col,
  exporter,
  keyString,
  regionOf,
  schoolCodeOf,
  schoolOf,
  tableSession,
  uniqueKey,
} from './common.ts';
import { DISABILITY_TYPE_OPTIONS, PLACEMENT_OPTIONS } from './options.ts';
import { checkPerson, personColumns, personFields } from './person.ts';

const COLUMNS: readonly ColumnSpec[] = [
  regionColumn({
    key: 'county_code',
    header: '县（市、区）代码',
    aliases: ['县区代码', '县级代码'],
    zh: '登记所在县（市、区）的 6 位行政区划代码',
    en: 'the 6-digit code of the county that keeps the register',
    example: '411402',
  }),
  col.year({
    zh: '登记的学年，以开始的年份计',
    en: 'the school year of the register, by the year it starts',
  }),
  {
    key: 'register_no',
    header: '登记编号',
    aliases: ['残疾证号', '编号'],
    type: 'text',
    required: true,
    maxLength: 40,
    zh: '县内登记编号（或残疾人证号），同一县同一学年内唯一',
    en: 'the register number (or disability certificate number), unique within the county and year',
    example: 'CJ2025-0001',
  },
  { ...personColumns.idNumber(), example: '411402201503070047' },
  { ...personColumns.name(), example: '李小红' },
  { ...personColumns.sex(), example: '女' },
  personColumns.birthDate('2015-03-07'),
  {
    key: 'disability_type',
    header: '残疾类别',
    aliases: ['残疾类型'],
    type: 'enum',
    required: true,
    options: DISABILITY_TYPE_OPTIONS,
    zh: '视力、听力、言语、肢体、智力、精神 或 多重残疾',
    en: 'visual, hearing, speech, physical, intellectual, mental or multiple',
    example: '智力残疾',
  },
  {
    key: 'placement',
    header: '安置方式',
    aliases: ['就读方式'],
    type: 'enum',
    required: true,
    options: PLACEMENT_OPTIONS,
    zh: '随班就读、特教班、特殊教育学校、送教上门 或 未入学',
    en: 'regular_class, special_class, special_school, home_teaching or not_enrolled',
    example: '随班就读',
  },
  col.schoolCode({
    required: false,
    zh: '就读或送教学校的学校标识码；随班就读、特教班、特殊教育学校必填，未入学须留空',
    en: 'the school that teaches the child; required for regular_class, special_class and special_school, blank when not_enrolled',
  }),
  regionColumn({
    key: 'township_code',
    header: '乡镇（街道）代码',
    aliases: ['乡镇代码'],
    required: false,
    zh: '户籍或居住地乡镇（街道）9 位代码（可空）',
    en: 'the 9-digit township of residence (may be blank)',
    example: '411402001',
  }),
];

const NEEDS_SCHOOL: readonly DisabledPlacement[] = ['regular_class', 'special_class', 'special_school'];

/** 适龄残疾儿童少年登记: the register of school-age disabled children (the enrolment rate's denominator). */
export const disabledChildrenKind: ImportKind = {
  name: 'disabled-children',
  table: 'disabled_children',
  title: { zh: '适龄残疾儿童少年', en: 'School-age disabled children' },
  naturalKey: {
    fields: ['county_code', 'year', 'register_no'],
    zh: '县（市、区）代码 + 学年 + 登记编号',
    en: 'county code + year + register number',
  },
  columns: COLUMNS,
  notes: [
    {
      zh: '年龄：学年当年 8 月 31 日时 6–17 周岁。特殊教育学校安置的，学校须为特殊教育学校。',
      en: 'Age: 6–17 on 31 August of the year. A special_school placement must name a special-education school.',
    },
  ],
  open() {
    const session = tableSession({
      table: 'disabled_children',
      columns: [
        'county_code',
        'township_code',
        'year',
        'register_no',
        'id_number',
        'name',
        'sex',
        'birth_date',
        'disability_type',
        'placement',
        'school_id',
        'synthetic',
      ],
      keyColumns: ['county_code', 'year', 'register_no'],
      matchBy: ['register_no'],
      defaults: { township_code: null, id_number: null, school_id: null, synthetic: 0 },
      keys: [
        uniqueKey(['county_code', 'year', 'register_no']),
        uniqueKey(['id_number'], ['county_code', 'year', 'id_number']),
      ],
      build(v, ctx) {
        const county = regionOf(v, ctx, 'county_code', ['county']);
        if (!county) return undefined;
        let township: string | null | undefined = v.township_code as string | null | undefined;
        if (typeof township === 'string') {
          const t = regionOf(v, ctx, 'township_code', ['township']);
          if (!t) return undefined;
          if (t.county !== county.code) {
            ctx.fail(
              'township_code',
              `乡镇 ${township} 不属于县（市、区）${county.code}`,
              `township ${township} is not in county ${county.code}`,
              'io.region_mismatch',
            );
            return undefined;
          }
          township = t.code;
        }
        const placement = v.placement as DisabledPlacement;
        let schoolId: number | null | undefined = v.school_code === undefined ? undefined : null;
        if (typeof v.school_code === 'string') {
          if (placement === 'not_enrolled') {
            ctx.fail(
              'school_code',
              '安置方式为“未入学”时学校须留空',
              'the school must be blank for a child not enrolled',
              'io.school_not_expected',
            );
            return undefined;
          }
          const school = schoolOf(v, ctx);
          if (!school) return undefined;
          if (placement === 'special_school' && school.school_type !== 'special') {
            ctx.fail(
              'school_code',
              '安置方式为“特殊教育学校”，但该校不是特殊教育学校',
              'placement special_school, but the school is not a special-education school',
              'io.placement_school',
            );
            return undefined;
          }
          schoolId = school.id;
        } else if (NEEDS_SCHOOL.includes(placement)) {
          ctx.fail(
            ctx.has('school_code') ? 'school_code' : 'placement',
            '该安置方式须填写就读学校的学校标识码',
            'this placement needs the school’s code',
            'io.required',
          );
          return undefined;
        }
        const person = personFields(v, ctx);
        if (!person) return undefined;
        return {
          county_code: county.code,
          township_code: township,
          year: v.year,
          register_no: v.register_no,
          ...person,
          name: v.name,
          disability_type: v.disability_type,
          placement,
          school_id: schoolId,
        };
      },
      check(r: Rec, ctx) {
        if (!checkPerson(r, ctx)) return;
        const age = ageOn31August(String(r.birth_date), Number(r.year));
        if (age < 6 || age > 17) {
          const field = ctx.has('birth_date') || !ctx.has('id_number') ? 'birth_date' : 'id_number';
          ctx.fail(
            field,
            `不是适龄儿童少年：${r.year} 年 8 月 31 日时 ${age} 岁（应为 6–17 岁）`,
            `not of school age: aged ${age} on 31 August ${r.year} (6–17 expected)`,
            'io.implausible_age',
          );
        }
      },
    });
    const matchRegister = session.match;
    // The same child must not appear twice in a county's register for a year under two numbers.
    session.match = async (db, chunk, fail) => {
      await matchRegister(db, chunk, fail);
      const ids = [
        ...new Set(chunk.map((p) => p.rec.id_number).filter((x): x is string => typeof x === 'string')),
      ];
      if (ids.length === 0) return;
      const rows = await db
        .selectFrom('disabled_children')
        .select(['county_code', 'year', 'register_no', 'id_number'])
        .where('id_number', 'in', ids)
        .execute();
      const owner = new Map(
        rows.map((r) => [keyString(r, ['county_code', 'year', 'id_number']), r.register_no]),
      );
      for (const p of chunk) {
        if (typeof p.rec.id_number !== 'string') continue;
        const other = owner.get(keyString(p.rec, ['county_code', 'year', 'id_number']));
        if (other !== undefined && other !== p.rec.register_no) {
          p.existing = undefined;
          fail(
            p,
            'id_number',
            `该身份证号已在本县本学年登记为另一登记编号（${other}）`,
            `this ID number is already registered in this county and year under register number ${other}`,
            'io.id_number_taken',
          );
        }
      }
    };
    return session;
  },
  exporter: exporter(['id'], (r, l) => ({
    county_code: r.county_code,
    year: r.year,
    register_no: r.register_no,
    id_number: r.id_number,
    name: r.name,
    sex: r.sex,
    birth_date: r.birth_date,
    disability_type: r.disability_type,
    placement: r.placement,
    school_code: r.school_id == null ? null : schoolCodeOf(l, r.school_id),
    township_code: r.township_code,
  })),
};
