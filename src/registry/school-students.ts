import type { Kysely } from 'kysely';
import { maskIdNumber, maskName } from '../domain/privacy.ts';
import { GRADES } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';

/**
 * One page of a school's pupil register (学籍), ordered by grade, class and 学籍号. Names and ID
 * numbers are masked unless `unmasked`; 学籍号 that embed an ID number (G + 身份证号) are masked too.
 */
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
      .orderBy('grade')
      .orderBy('class_no')
      .orderBy('student_no')
      .limit(o.limit)
      .offset(o.offset)
      .execute(),
  ]);
  const gradeOrder = (g: string) => GRADES.indexOf(g as (typeof GRADES)[number]);
  return {
    total: Number(count.n),
    masked: !o.unmasked,
    rows: rows
      .sort((a, b) => gradeOrder(a.grade) - gradeOrder(b.grade) || (a.class_no ?? 0) - (b.class_no ?? 0))
      .map((r) => ({
        studentNo:
          o.unmasked || !/^[GJ]\d{17}[\dX]$/.test(r.student_no)
            ? r.student_no
            : `${r.student_no[0]}${maskIdNumber(r.student_no.slice(1))}`,
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
