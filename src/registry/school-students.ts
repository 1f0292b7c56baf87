import { type Kysely, sql } from 'kysely';
import { maskIdNumber, maskName, maskRegisterNo } from '../domain/privacy.ts';
import { GRADES } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';

/** Grades in school order (as text, G10 would sort before G2): the position in GRADES, in SQL. */
const gradeOrder = sql`case grade ${sql.join(
  GRADES.map((g, i) => sql`when ${sql.lit(g)} then ${sql.lit(i)}`),
  sql` `,
)} end`;

export interface StudentFilter {
  grade?: string;
  classNo?: number;
  /**
   * A whole 学籍号. Exact on purpose: a prefix search would let a masked user uncover, digit by
   * digit, the ID number a G-number embeds.
   */
  studentNo?: string;
}

export interface StudentPageOptions extends StudentFilter {
  limit: number;
  offset: number;
  unmasked: boolean;
}

function filteredStudents(db: Kysely<Database>, schoolId: number, f: StudentFilter) {
  return db
    .selectFrom('students')
    .where('school_id', '=', schoolId)
    .$if(Boolean(f.grade), (q) => q.where('grade', '=', f.grade!))
    .$if(f.classNo !== undefined, (q) => q.where('class_no', '=', f.classNo!))
    .$if(Boolean(f.studentNo), (q) => q.where('student_no', '=', f.studentNo!));
}

async function pageOfStudents(
  students: ReturnType<typeof filteredStudents>,
  o: { limit: number; offset: number; unmasked: boolean },
) {
  const rows = await students
    .select([
      'student_no',
      'name',
      'id_number',
      'sex',
      'grade',
      'class_no',
      'migrant',
      'left_behind',
      'disabled',
    ])
    .orderBy(gradeOrder)
    .orderBy('class_no')
    .orderBy('student_no')
    .limit(o.limit)
    .offset(o.offset)
    .execute();
  return rows.map((r) => ({
    studentNo: o.unmasked ? r.student_no : maskRegisterNo(r.student_no),
    name: o.unmasked ? r.name : maskName(r.name)!,
    idNumber: o.unmasked ? r.id_number : maskIdNumber(r.id_number),
    sex: r.sex,
    grade: r.grade,
    classNo: r.class_no,
    migrant: r.migrant === 1,
    leftBehind: r.left_behind === 1,
    disabled: r.disabled === 1,
  }));
}

export type RegisterPupil = Awaited<ReturnType<typeof pageOfStudents>>[number];

/**
 * One page of a school's pupil register (学籍), ordered by grade, class and 学籍号. Names and ID
 * numbers are masked unless `unmasked`; 学籍号 that embed an ID number (G + 身份证号) are masked too.
 */
export async function loadSchoolStudents(db: Kysely<Database>, schoolId: number, o: StudentPageOptions) {
  const students = filteredStudents(db, schoolId, o);
  const [count, rows] = await Promise.all([
    students.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    pageOfStudents(students, o),
  ]);
  return { total: Number(count.n), masked: !o.unmasked, rows };
}

/** The whole filtered register, masked, page by page in register order (for the export). */
export async function* iterateSchoolStudents(
  db: Kysely<Database>,
  schoolId: number,
  f: StudentFilter,
  pageSize = 1000,
): AsyncGenerator<RegisterPupil> {
  const students = filteredStudents(db, schoolId, f);
  for (let offset = 0; ; offset += pageSize) {
    const rows = await pageOfStudents(students, { limit: pageSize, offset, unmasked: false });
    yield* rows;
    if (rows.length < pageSize) return;
  }
}
