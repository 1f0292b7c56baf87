/**
 * The census derived from the registers (由学籍推算基础统计): pure, no I/O. The pupil register of
 * year Y gives every count of census (Y, school, grade) that describes the pupils on the roll, the
 * class list of Y and, with the teacher register, the full-time teachers by subject. The flows
 * (entrants, transfers, graduates) need the register of Y − 1 as well. Whatever the registers cannot
 * give is null in every row and listed in `not_derivable` with the reason — never a silent 0.
 *
 * Flows follow docs/conventions.md: census row (Y, g) holds the graduates and transfers of the school
 * year that ended in summer Y, g being the grade the pupil was in during that year. Matching a pupil
 * of Y with one of Y − 1 by 学籍号 (or, failing that, by ID number):
 * - same stage, other school: a transfer out of the old school and into the new one, in the old grade;
 * - left the stage or the register from an exit grade (K3, G6, G9, G12): a graduate of the old school;
 * - left the register from any other grade: a transfer out (the register cannot tell a dropout from
 *   a move away);
 * - new to the stage in its entry grade (K1, G1, G7, G10): an entrant; in a later grade: a transfer
 *   in, counted in the grade below (the grade of the year that ended).
 * A pupil in the same grade both years (a repeater) is no entrant.
 *
 * Example: `{ year: 2025, schools: [{ id: 1, county_code: '411402', school_type: 'primary',
 * ownership: 'public' }], pupils: [{ school_id: 1, grade: 'G1', sex: 'F', class_no: 1, count: 40 }] }`
 * gives one census row (1, 2025, G1) with pupils_female 40, one class of 40, and entrants, transfers,
 * graduates null (no register of 2024), census_teachers null (no teacher register).
 */

import { CENSUS_COUNT_COLUMNS, type CensusCountColumn } from '../../domain/census-counts.ts';
import { AppError } from '../../domain/errors.ts';
import { GRADES, type Grade, gradesOfSchoolType, STAGE_GRADES, stageOfGrade } from '../../domain/stages.ts';
import {
  type DeriveInput,
  type ParsedDeriveInput,
  type PupilPlacement,
  parseDeriveInput,
} from './contract.ts';

export interface Reason {
  zh: string;
  en: string;
}

export type DerivedCensusRow = {
  school_id: number;
  county_code: string;
  year: number;
  grade: Grade;
} & Record<CensusCountColumn, number | null>;

export interface DerivedTeachers {
  school_id: number;
  county_code: string;
  year: number;
  subject: string;
  full_time_teachers: number;
}

export interface DerivedClass {
  school_id: number;
  county_code: string;
  year: number;
  grade: Grade;
  class_no: number;
  size: number;
}

export type DerivedField = CensusCountColumn | 'census_teachers' | 'classes';

export interface DerivedCensus {
  year: number;
  /** Rows by school, then grade in school order. */
  census: DerivedCensusRow[];
  /** null when the teacher register cannot give them (see not_derivable). */
  census_teachers: DerivedTeachers[] | null;
  /** null when some pupil has no class number (see not_derivable). */
  classes: DerivedClass[] | null;
  not_derivable: { field: DerivedField; reason: Reason }[];
  /** Pupil records the census counts (the sum of the entries' counts). */
  pupil_records: number;
}

export const FLOW_COLUMNS = ['entrants', 'transfers_in', 'transfers_out', 'graduates'] as const;
export const DISABLED_COLUMNS = {
  regular_class: 'disabled_regular_class',
  special_class: 'disabled_special_class',
  special_school: 'disabled_special_school',
  home_teaching: 'disabled_home_teaching',
} as const satisfies Record<PupilPlacement, CensusCountColumn>;

const ENTRY = new Set<Grade>(Object.values(STAGE_GRADES).map((g) => g[0]));
const EXIT = new Set<Grade>(Object.values(STAGE_GRADES).map((g) => g[g.length - 1]));
const gradeBelow = (g: Grade): Grade => GRADES[GRADES.indexOf(g) - 1];
const gradeOrder = (g: Grade) => GRADES.indexOf(g);

type School = ParsedDeriveInput['schools'][number];

function fail(code: string, field: string, zh: string, en: string): never {
  throw new AppError(code, zh, en, field);
}

const schoolName = (s: School) => s.code ?? `id ${s.id}`;

/** Derives census, class list and teachers of year Y from the registers; see the file comment. */
export function deriveCensus(raw: DeriveInput | ParsedDeriveInput): DerivedCensus {
  const input = parseDeriveInput(raw);
  const Y = input.year;
  const schools = new Map<number, School>();
  for (const s of input.schools) schools.set(s.id, s);
  const taught = new Map<number, Set<Grade>>();
  for (const s of input.schools) taught.set(s.id, new Set(gradesOfSchoolType(s.school_type)));

  const rows = new Map<string, DerivedCensusRow>();
  const rowOf = (schoolId: number, grade: Grade): DerivedCensusRow => {
    const key = `${schoolId}:${grade}`;
    let r = rows.get(key);
    if (!r) {
      r = {
        school_id: schoolId,
        county_code: schools.get(schoolId)!.county_code,
        year: Y,
        grade,
      } as DerivedCensusRow;
      for (const c of CENSUS_COUNT_COLUMNS) r[c] = 0;
      rows.set(key, r);
    }
    return r;
  };
  const add = (r: DerivedCensusRow, c: CensusCountColumn, n: number) => {
    r[c] = (r[c] as number) + n;
  };

  const schoolOf = (schoolId: number, at: string): School => {
    const s = schools.get(schoolId);
    if (!s)
      fail(
        'census.unknown_school',
        `${at}.school_id`,
        `学校 ${schoolId} 不在学校名录中`,
        `school ${schoolId} is not in the registry`,
      );
    return s;
  };
  const checkGrade = (s: School, grade: Grade, at: string) => {
    if (!taught.get(s.id)!.has(grade))
      fail(
        'census.grade_not_taught',
        `${at}.grade`,
        `学校 ${schoolName(s)}（${s.school_type}）不设年级 ${grade}`,
        `school ${schoolName(s)} (${s.school_type}) does not teach grade ${grade}`,
      );
  };

  // Pupils on the roll in autumn Y.
  const classes = new Map<string, DerivedClass>();
  let records = 0;
  let withoutPurchased = 0;
  let unplaced = 0;
  let unclassed = 0;
  input.pupils.forEach((p, i) => {
    const at = `pupils[${i}]`;
    const s = schoolOf(p.school_id, at);
    checkGrade(s, p.grade, at);
    if (p.disabled_placement && !p.disabled)
      fail(
        'census.placement_not_disabled',
        `${at}.disabled_placement`,
        '填写了残疾安置方式，但该学生未标为残疾',
        'a disabled placement is given, but the pupil is not marked disabled',
      );
    const special = s.school_type === 'special';
    const placement = p.disabled_placement;
    if (
      placement &&
      (special
        ? placement !== 'special_school' && placement !== 'home_teaching'
        : placement === 'special_school')
    )
      fail(
        'census.placement_school',
        `${at}.disabled_placement`,
        `安置方式与学校 ${schoolName(s)} 的类型不符：特殊教育学校的残疾学生为“特殊教育学校”或“送教上门”，其他学校不能为“特殊教育学校”`,
        `the placement does not fit school ${schoolName(s)}: disabled pupils of a special-education school are special_school or home_teaching, other schools cannot have special_school`,
      );
    if (p.purchased_place && s.ownership !== 'private')
      fail(
        'census.purchased_public',
        `${at}.purchased_place`,
        `政府购买学位只在民办学校；学校 ${schoolName(s)} 是公办`,
        `government-purchased places are at private schools; school ${schoolName(s)} is public`,
      );
    const n = p.count;
    records += n;
    const r = rowOf(p.school_id, p.grade);
    add(r, p.sex === 'M' ? 'pupils_male' : 'pupils_female', n);
    if (p.migrant) add(r, 'migrant', n);
    if (p.purchased_place === undefined) withoutPurchased += n;
    else if (p.migrant && p.purchased_place) add(r, 'migrant_purchased', n);
    if (p.left_behind) add(r, 'left_behind', n);
    if (p.boarder) add(r, 'boarders', n);
    if (p.after_school) add(r, 'after_school', n);
    if (p.disabled) {
      if (p.disabled_placement) add(r, DISABLED_COLUMNS[p.disabled_placement], n);
      else unplaced += n;
    }
    if (p.class_no === null) unclassed += n;
    else {
      const key = `${p.school_id}:${p.grade}:${p.class_no}`;
      const c = classes.get(key);
      if (c) c.size += n;
      else
        classes.set(key, {
          school_id: p.school_id,
          county_code: s.county_code,
          year: Y,
          grade: p.grade,
          class_no: p.class_no,
          size: n,
        });
    }
  });

  const notDerivable: DerivedCensus['not_derivable'] = [];
  if (input.previous_pupils) deriveFlows(input, input.previous_pupils, rowOf, add, schoolOf, checkGrade);
  else
    for (const field of FLOW_COLUMNS)
      notDerivable.push({
        field,
        reason: {
          zh: `需要 ${Y - 1} 学年的学生学籍才能推算招生、转学和毕业`,
          en: `entrants, transfers and graduates need the pupil register of ${Y - 1}`,
        },
      });
  if (withoutPurchased > 0)
    notDerivable.push({
      field: 'migrant_purchased',
      reason: {
        zh: `学籍中 ${withoutPurchased} 名学生没有“政府购买学位”一项`,
        en: `${withoutPurchased} pupil records have no purchased-place field`,
      },
    });
  if (unplaced > 0)
    for (const field of Object.values(DISABLED_COLUMNS))
      notDerivable.push({
        field,
        reason: {
          zh: `${unplaced} 名残疾学生没有安置方式`,
          en: `${unplaced} disabled pupils have no placement`,
        },
      });
  if (unclassed > 0)
    notDerivable.push({
      field: 'classes',
      reason: { zh: `${unclassed} 名学生没有班号`, en: `${unclassed} pupils have no class number` },
    });

  const teachers = deriveTeachers(input, schoolOf);
  if (teachers === null)
    notDerivable.push({
      field: 'census_teachers',
      reason: input.teachers
        ? { zh: '教师名册中没有专任教师', en: 'the teacher register has no full-time teachers' }
        : { zh: '没有教师名册', en: 'there is no teacher register' },
    });

  const census = [...rows.values()].sort(
    (a, b) => a.school_id - b.school_id || gradeOrder(a.grade) - gradeOrder(b.grade),
  );
  for (const { field } of notDerivable)
    if (field !== 'classes' && field !== 'census_teachers') for (const r of census) r[field] = null;
  return {
    year: Y,
    census,
    census_teachers: teachers,
    classes:
      unclassed > 0
        ? null
        : [...classes.values()].sort(
            (a, b) =>
              a.school_id - b.school_id ||
              gradeOrder(a.grade) - gradeOrder(b.grade) ||
              a.class_no - b.class_no,
          ),
    not_derivable: notDerivable,
    pupil_records: records,
  };
}

function deriveFlows(
  input: ParsedDeriveInput,
  previous: NonNullable<ParsedDeriveInput['previous_pupils']>,
  rowOf: (schoolId: number, grade: Grade) => DerivedCensusRow,
  add: (r: DerivedCensusRow, c: CensusCountColumn, n: number) => void,
  schoolOf: (schoolId: number, at: string) => School,
  checkGrade: (s: School, grade: Grade, at: string) => void,
): void {
  const byNo = new Map<string, number>();
  const byId = new Map<string, number>();
  previous.forEach((p, i) => {
    const at = `previous_pupils[${i}]`;
    checkGrade(schoolOf(p.school_id, at), p.grade, at);
    if (byNo.has(p.student_no))
      fail('census.duplicate_student', `${at}.student_no`, '学籍号重复', 'the student number appears twice');
    byNo.set(p.student_no, i);
    if (p.id_number) byId.set(p.id_number, i);
  });
  const current = new Set<string>();
  input.pupils.forEach((p, i) => {
    const at = `pupils[${i}]`;
    if (!p.student_no || p.count !== 1)
      fail(
        'census.flows_need_records',
        `${at}.student_no`,
        '有上一学年学籍时，每条学籍须单独列出并带学籍号（count 为 1）',
        'with the previous year’s register, every pupil must be a single record with a student number (count 1)',
      );
    if (current.has(p.student_no))
      fail('census.duplicate_student', `${at}.student_no`, '学籍号重复', 'the student number appears twice');
    current.add(p.student_no);
  });
  /** For each pupil of Y − 1, the pupil of Y it became (index), or −1. */
  const next = new Int32Array(previous.length).fill(-1);
  input.pupils.forEach((p, i) => {
    // Same 学籍号, or a new 学籍号 (a temporary number replaced) with the same ID number.
    let j = byNo.get(p.student_no!);
    if (j === undefined && p.id_number) {
      const k = byId.get(p.id_number);
      if (k !== undefined && !current.has(previous[k].student_no)) j = k;
    }
    if (j !== undefined && next[j] < 0) next[j] = i;
    const before = j === undefined ? undefined : previous[j];
    const stayed = before !== undefined && stageOfGrade(before.grade) === stageOfGrade(p.grade);
    if (!stayed) {
      if (ENTRY.has(p.grade)) add(rowOf(p.school_id, p.grade), 'entrants', 1);
      else add(rowOf(p.school_id, gradeBelow(p.grade)), 'transfers_in', 1);
    } else if (before.school_id !== p.school_id) add(rowOf(p.school_id, before.grade), 'transfers_in', 1);
    else if (ENTRY.has(p.grade) && before.grade !== p.grade) add(rowOf(p.school_id, p.grade), 'entrants', 0);
  });
  previous.forEach((p, j) => {
    const now = next[j] < 0 ? undefined : input.pupils[next[j]];
    const stayed = now !== undefined && stageOfGrade(now.grade) === stageOfGrade(p.grade);
    if (!stayed) add(rowOf(p.school_id, p.grade), EXIT.has(p.grade) ? 'graduates' : 'transfers_out', 1);
    else if (now.school_id !== p.school_id) add(rowOf(p.school_id, p.grade), 'transfers_out', 1);
  });
}

function deriveTeachers(
  input: ParsedDeriveInput,
  schoolOf: (schoolId: number, at: string) => School,
): DerivedTeachers[] | null {
  if (!input.teachers) return null;
  const out = new Map<string, DerivedTeachers>();
  input.teachers.forEach((t, i) => {
    const s = schoolOf(t.school_id, `teachers[${i}]`);
    if (!t.full_time) return;
    const key = `${t.school_id}:${t.subject}`;
    const e = out.get(key);
    if (e) e.full_time_teachers += t.count;
    else
      out.set(key, {
        school_id: t.school_id,
        county_code: s.county_code,
        year: input.year,
        subject: t.subject,
        full_time_teachers: t.count,
      });
  });
  if (out.size === 0) return null;
  return [...out.values()].sort(
    (a, b) => a.school_id - b.school_id || (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
  );
}
