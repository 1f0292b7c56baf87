import { type Kysely, PostgresAdapter } from 'kysely';
import { jsonArrayFrom as pgJsonArrayFrom } from 'kysely/helpers/postgres';
import { jsonArrayFrom as sqliteJsonArrayFrom } from 'kysely/helpers/sqlite';
import type { ScopeFilter } from '../auth/roles.ts';
import { classSizeBand } from '../domain/class-size.ts';
import { GRADES, type Grade } from '../domain/stages.ts';
import type { Database } from '../store/schema.ts';
import { scopeCondition } from './scope.ts';

const gradeOrder = (g: string) => GRADES.indexOf(g as Grade);

/** Nested JSON arrays arrive parsed from PostgreSQL and as text from SQLite. */
function parsed<T>(v: T[] | string): T[] {
  return typeof v === 'string' ? (JSON.parse(v) as T[]) : v;
}

/**
 * The school page — profile, capacity against pupils per grade, census trend, classes, teachers by
 * subject, groups — in one statement (each part a JSON-aggregated subquery), or null when there is
 * no such school in the user's scope, which reveals nothing (the route answers 404 either way).
 */
export async function loadSchoolDetail(db: Kysely<Database>, id: number, scope: ScopeFilter) {
  const jsonArrayFrom =
    db.getExecutor().adapter instanceof PostgresAdapter ? pgJsonArrayFrom : sqliteJsonArrayFrom;
  const maxYear = (table: 'census' | 'classes' | 'census_teachers') =>
    db.selectFrom(table).select((m) => m.fn.max('year').as('y'));
  const school = await db
    .selectFrom('schools as s')
    .innerJoin('regions as county', 'county.code', 's.county_code')
    .leftJoin('regions as town', 'town.code', 's.township_code')
    .selectAll('s')
    .select((eb) => [
      'county.name as county_name',
      'town.name as township_name',
      maxYear('classes').as('class_year'),
      maxYear('census_teachers').as('teacher_year'),
      jsonArrayFrom(
        eb
          .selectFrom('school_capacity as cap')
          .select(['cap.grade', 'cap.planned_classes', 'cap.standard_class_size'])
          .whereRef('cap.school_id', '=', 's.id'),
      ).as('capacity'),
      jsonArrayFrom(
        eb
          .selectFrom('census as ce')
          .select(['ce.grade', (e) => e('ce.pupils_male', '+', e.ref('ce.pupils_female')).as('pupils')])
          .whereRef('ce.school_id', '=', 's.id')
          .where('ce.year', '=', maxYear('census')),
      ).as('census'),
      jsonArrayFrom(
        eb
          .selectFrom('census as tr')
          .select([
            'tr.year',
            (e) => e.fn.sum<number>(e('tr.pupils_male', '+', e.ref('tr.pupils_female'))).as('pupils'),
            (e) => e.fn.sum<number>('tr.entrants').as('entrants'),
            (e) => e.fn.sum<number>('tr.graduates').as('graduates'),
          ])
          .whereRef('tr.school_id', '=', 's.id')
          .groupBy('tr.year')
          .orderBy('tr.year'),
      ).as('trend'),
      jsonArrayFrom(
        eb
          .selectFrom('classes as cl')
          .select(['cl.grade', 'cl.class_no', 'cl.size'])
          .whereRef('cl.school_id', '=', 's.id')
          .where('cl.year', '=', maxYear('classes')),
      ).as('classes'),
      jsonArrayFrom(
        eb
          .selectFrom('census_teachers as te')
          .select(['te.subject', 'te.full_time_teachers'])
          .whereRef('te.school_id', '=', 's.id')
          .where('te.year', '=', maxYear('census_teachers'))
          .orderBy('te.full_time_teachers', 'desc'),
      ).as('teachers'),
      jsonArrayFrom(
        eb
          .selectFrom('group_members as m')
          .innerJoin('education_groups as g', 'g.id', 'm.group_id')
          .select(['g.code', 'g.name', 'g.lead_school_id'])
          .whereRef('m.school_id', '=', 's.id'),
      ).as('groups'),
    ])
    .where('s.id', '=', id)
    .where(scopeCondition(scope, 's.county_code', 's.id'))
    .executeTakeFirst();
  if (!school) return null;
  const year = (v: unknown) => (v == null ? null : Number(v));
  const [classYear, teacherYear] = [year(school.class_year), year(school.teacher_year)];
  const capacity = parsed(school.capacity);
  const census = parsed(school.census);
  const trend = parsed(school.trend);
  const classes = parsed(school.classes);
  const teachers = parsed(school.teachers);
  const groups = parsed(school.groups);
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
    censusTrend: trend
      .sort((a, b) => Number(a.year) - Number(b.year))
      .map((t) => ({
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
      rows: teachers
        .sort((a, b) => b.full_time_teachers - a.full_time_teachers)
        .map((t) => ({ subject: t.subject, fullTimeTeachers: t.full_time_teachers })),
    },
  };
}
