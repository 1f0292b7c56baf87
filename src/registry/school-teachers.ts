import { type Kysely, sql } from 'kysely';
import { maskIdNumber, maskName } from '../domain/privacy.ts';
import { SUBJECT_KEYS } from '../domain/subjects.ts';
import type { Database } from '../store/schema.ts';

/** Subjects in the domain's order (语文, 数学, … as the census lists them), not by key; unknown last. */
const subjectOrder = sql`case subject ${sql.join(
  SUBJECT_KEYS.map((k, i) => sql`when ${sql.lit(k)} then ${sql.lit(i)}`),
  sql` `,
)} else ${sql.lit(SUBJECT_KEYS.length)} end`;

export interface TeacherPageOptions {
  /** A subject key (src/domain/subjects.ts). */
  subject?: string;
  limit: number;
  offset: number;
  unmasked: boolean;
}

/**
 * One page of a school's teacher register (教师名册), ordered by subject and staff number. Names and
 * ID numbers are masked unless `unmasked`; the staff number (教师编号) is the bureau's, not personal.
 */
export async function loadSchoolTeachers(db: Kysely<Database>, schoolId: number, o: TeacherPageOptions) {
  const teachers = db
    .selectFrom('teachers')
    .where('school_id', '=', schoolId)
    .$if(Boolean(o.subject), (q) => q.where('subject', '=', o.subject!));
  const [count, rows] = await Promise.all([
    teachers.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    teachers
      .select([
        'teacher_no',
        'name',
        'id_number',
        'sex',
        'subject',
        'full_time',
        'in_establishment',
        'title',
        'hire_year',
        'school_since_year',
      ])
      .orderBy(subjectOrder)
      .orderBy('teacher_no')
      .limit(o.limit)
      .offset(o.offset)
      .execute(),
  ]);
  return {
    total: Number(count.n),
    masked: !o.unmasked,
    rows: rows.map((r) => ({
      teacherNo: r.teacher_no,
      name: o.unmasked ? r.name : maskName(r.name)!,
      idNumber: o.unmasked ? r.id_number : maskIdNumber(r.id_number),
      sex: r.sex,
      subject: r.subject,
      fullTime: r.full_time === 1,
      inEstablishment: r.in_establishment === 1,
      title: r.title,
      hireYear: r.hire_year,
      schoolSinceYear: r.school_since_year,
    })),
  };
}
