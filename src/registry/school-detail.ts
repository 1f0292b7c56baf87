import type { Kysely } from 'kysely';
import { inScope, type ScopeFilter } from '../auth/roles.ts';
import { classSizeBand } from '../domain/class-size.ts';
import { GRADES, type Grade } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';

const gradeOrder = (g: string) => GRADES.indexOf(g as Grade);

/** The school page: profile, capacity against pupils per grade, census trend, classes, teachers by subject. */
/**
 * The school page, or null when there is no such school in the user's scope: a school outside it
 * costs one query and reveals nothing (the route answers 404 either way).
 */
export async function loadSchoolDetail(db: Kysely<Database>, id: number, scope: ScopeFilter) {
  const school = await db
    .selectFrom('schools as s')
    .innerJoin('regions as county', 'county.code', 's.county_code')
    .leftJoin('regions as town', 'town.code', 's.township_code')
    .selectAll('s')
    .select((eb) => [
      'county.name as county_name',
      'town.name as township_name',
      eb
        .selectFrom('census')
        .select((m) => m.fn.max('year').as('y'))
        .as('census_year'),
      eb
        .selectFrom('classes')
        .select((m) => m.fn.max('year').as('y'))
        .as('class_year'),
      eb
        .selectFrom('census_teachers')
        .select((m) => m.fn.max('year').as('y'))
        .as('teacher_year'),
    ])
    .where('s.id', '=', id)
    .executeTakeFirst();
  if (!school) return null;
  if (!inScope(scope, { countyCode: school.county_code, schoolId: school.id })) return null;
  const year = (v: unknown) => (v == null ? null : Number(v));
  const [censusYear, classYear, teacherYear] = [
    year(school.census_year),
    year(school.class_year),
    year(school.teacher_year),
  ];
  const [capacity, census, trend, classes, teachers, groups] = await Promise.all([
    db.selectFrom('school_capacity').selectAll().where('school_id', '=', id).execute(),
    db
      .selectFrom('census')
      .select(['grade', (eb) => eb('pupils_male', '+', eb.ref('pupils_female')).as('pupils')])
      .where('school_id', '=', id)
      .where('year', '=', censusYear ?? -1)
      .execute(),
    db
      .selectFrom('census')
      .select([
        'year',
        (eb) => eb.fn.sum<number>(eb('pupils_male', '+', eb.ref('pupils_female'))).as('pupils'),
        (eb) => eb.fn.sum<number>('entrants').as('entrants'),
        (eb) => eb.fn.sum<number>('graduates').as('graduates'),
      ])
      .where('school_id', '=', id)
      .groupBy('year')
      .orderBy('year')
      .execute(),
    db
      .selectFrom('classes')
      .select(['grade', 'class_no', 'size'])
      .where('school_id', '=', id)
      .where('year', '=', classYear ?? -1)
      .execute(),
    db
      .selectFrom('census_teachers')
      .select(['subject', 'full_time_teachers'])
      .where('school_id', '=', id)
      .where('year', '=', teacherYear ?? -1)
      .orderBy('full_time_teachers', 'desc')
      .execute(),
    db
      .selectFrom('group_members as m')
      .innerJoin('education_groups as g', 'g.id', 'm.group_id')
      .select(['g.code', 'g.name', 'g.lead_school_id'])
      .where('m.school_id', '=', id)
      .execute(),
  ]);
  const pupilsByGrade = new Map(census.map((c) => [c.grade, Number(c.pupils)]));
  return {
    id: school.id,
    code: school.code,
    name: school.name,
    countyCode: school.county_code,
    countyName: school.county_name,
    townshipCode: school.township_code,
    townshipName: school.township_name,
    schoolType: school.school_type,
    ownership: school.ownership,
    inclusive: school.inclusive === 1,
    locale: school.locale,
    boarding: school.boarding === 1,
    lng: school.lng,
    lat: school.lat,
    address: school.address,
    synthetic: school.synthetic === 1,
    groups: groups.map((g) => ({ code: g.code, name: g.name, lead: g.lead_school_id === id })),
    capacity: capacity
      .sort((a, b) => gradeOrder(a.grade) - gradeOrder(b.grade))
      .map((c) => ({
        grade: c.grade,
        plannedClasses: c.planned_classes,
        standardClassSize: c.standard_class_size,
        seats: c.planned_classes * c.standard_class_size,
        pupils: pupilsByGrade.get(c.grade) ?? 0,
      })),
    censusTrend: trend.map((t) => ({
      year: Number(t.year),
      pupils: Number(t.pupils),
      entrants: Number(t.entrants),
      graduates: Number(t.graduates),
    })),
    classes: {
      year: classYear,
      rows: classes
        .sort((a, b) => gradeOrder(a.grade) - gradeOrder(b.grade) || a.class_no - b.class_no)
        .map((c) => ({ grade: c.grade, classNo: c.class_no, size: c.size, band: classSizeBand(c.size) })),
    },
    teachersBySubject: {
      year: teacherYear,
      rows: teachers.map((t) => ({ subject: t.subject, fullTimeTeachers: t.full_time_teachers })),
    },
  };
}
