import { type Kysely, sql } from 'kysely';
import { maskIdNumber, maskName, maskRegisterNo } from '../domain/privacy.ts';
import { GRADES } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';

/**
 * One page of a school's pupil register (学籍), ordered by grade, class and 学籍号. Names and ID
 * numbers are masked unless `unmasked`; 学籍号 that embed an ID number (G + 身份证号) are masked too.
 */
/** Grades in school order (as text, G10 would sort before G2): the position in GRADES, in SQL. */
const gradeOrder = sql`case grade ${sql.join(
  GRADES.map((g, i) => sql`when ${sql.lit(g)} then ${sql.lit(i)}`),
  sql` `,
)} end`;

export async function loadSchoolStudents(
  db: Kysely<Database>,
  schoolId: number,
  o: { grade?: string; limit: number; offset: number; unmasked: boolean },
) {
  const base = db
    .selectFrom('students')
    .where('school_id', '=', schoolId)
    .$if(Boolean(o.grade), (q) => q.where('grade', '=', o.grade!));
  const [count, rows] = await Promise.all([
    base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    base
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
      .execute(),
  ]);
  return {
    total: Number(count.n),
    masked: !o.unmasked,
    rows: rows.map((r) => ({
      studentNo: o.unmasked ? r.student_no : maskRegisterNo(r.student_no),
      name: o.unmasked ? r.name : maskName(r.name)!,
      idNumber: o.unmasked ? r.id_number : maskIdNumber(r.id_number),
      sex: r.sex,
      grade: r.grade,
      classNo: r.class_no,
      migrant: r.migrant === 1,
      leftBehind: r.left_behind === 1,
      disabled: r.disabled === 1,
    })),
  };
}
