import type { Kysely } from 'kysely';
import type { ScopeFilter } from '../auth/roles.ts';
import {
  type Grade,
  SCHOOL_TYPE_STAGES,
  type SchoolType,
  STAGES,
  type Stage,
  stageOfGrade,
} from '../domain/stages.ts';
import { teachersByStage } from '../domain/teachers.ts';
import type { Database } from '../store/schema.ts';
import { latestYears, scopeCondition } from './scope.ts';

interface Cell {
  schools: number;
  pupils: number;
  classes: number;
  teachers: number;
}

/**
 * Counts of schools, pupils (latest census), classes and full-time teachers by stage × ownership,
 * and schools and pupils by county, for the user's scope. A school teaching several stages counts
 * once in each; its teachers, which the census gives per school and subject, are shared among its
 * stages in proportion to their pupils.
 */
export async function loadDashboard(db: Kysely<Database>, scope: ScopeFilter, county?: string) {
  const { census: year, classes: classYear, teachers: teacherYear } = await latestYears(db);
  const schools = await db
    .selectFrom('schools as s')
    .innerJoin('regions as r', 'r.code', 's.county_code')
    .select(['s.id', 's.school_type', 's.ownership', 's.county_code', 'r.name as county_name'])
    .where(scopeCondition(scope, 's.county_code', 's.id'))
    .$if(Boolean(county), (q) => q.where('s.county_code', '=', county!))
    .execute();
  const [pupilRows, classRows, teacherRows] = await Promise.all([
    db
      .selectFrom('census as t')
      .innerJoin('schools as s', 's.id', 't.school_id')
      .where(scopeCondition(scope, 's.county_code', 's.id'))
      .$if(Boolean(county), (q) => q.where('s.county_code', '=', county!))
      .where('t.year', '=', year ?? -1)
      .select(['t.school_id', 't.grade', (eb) => eb('t.pupils_male', '+', eb.ref('t.pupils_female')).as('n')])
      .execute(),
    db
      .selectFrom('classes as t')
      .innerJoin('schools as s', 's.id', 't.school_id')
      .where(scopeCondition(scope, 's.county_code', 's.id'))
      .$if(Boolean(county), (q) => q.where('s.county_code', '=', county!))
      .where('t.year', '=', classYear ?? -1)
      .select(['t.school_id', 't.grade', (eb) => eb.fn.countAll<number>().as('n')])
      .groupBy(['t.school_id', 't.grade'])
      .execute(),
    db
      .selectFrom('census_teachers as t')
      .innerJoin('schools as s', 's.id', 't.school_id')
      .where(scopeCondition(scope, 's.county_code', 's.id'))
      .$if(Boolean(county), (q) => q.where('s.county_code', '=', county!))
      .where('t.year', '=', teacherYear ?? -1)
      .select(['t.school_id', (eb) => eb.fn.sum<number>('t.full_time_teachers').as('n')])
      .groupBy('t.school_id')
      .execute(),
  ]);

  const pupilsBySchoolStage = new Map<number, Map<Stage, number>>();
  for (const r of pupilRows) {
    const m = pupilsBySchoolStage.get(r.school_id) ?? new Map<Stage, number>();
    const stage = stageOfGrade(r.grade as Grade);
    m.set(stage, (m.get(stage) ?? 0) + Number(r.n));
    pupilsBySchoolStage.set(r.school_id, m);
  }
  const classesBySchoolStage = new Map<string, number>();
  for (const r of classRows) {
    const key = `${r.school_id}:${stageOfGrade(r.grade as Grade)}`;
    classesBySchoolStage.set(key, (classesBySchoolStage.get(key) ?? 0) + Number(r.n));
  }
  const teachersBySchool = new Map(teacherRows.map((r) => [r.school_id, Number(r.n)]));

  const cells = new Map<string, Cell>();
  const counties = new Map<
    string,
    { countyCode: string; countyName: string; schools: number; pupils: number }
  >();
  for (const s of schools) {
    const stages = SCHOOL_TYPE_STAGES[s.school_type as SchoolType] ?? [];
    const pupils = pupilsBySchoolStage.get(s.id) ?? new Map<Stage, number>();
    const schoolPupils = [...pupils.values()].reduce((a, b) => a + b, 0);
    const teacherShare = teachersByStage(
      teachersBySchool.get(s.id) ?? 0,
      pupils,
      s.school_type as SchoolType,
    );
    for (const stage of stages) {
      const key = `${stage}:${s.ownership}`;
      const c = cells.get(key) ?? { schools: 0, pupils: 0, classes: 0, teachers: 0 };
      const p = pupils.get(stage) ?? 0;
      c.schools += 1;
      c.pupils += p;
      c.classes += classesBySchoolStage.get(`${s.id}:${stage}`) ?? 0;
      c.teachers += teacherShare.get(stage) ?? 0;
      cells.set(key, c);
    }
    const k = counties.get(s.county_code) ?? {
      countyCode: s.county_code,
      countyName: s.county_name,
      schools: 0,
      pupils: 0,
    };
    k.schools += 1;
    k.pupils += schoolPupils;
    counties.set(s.county_code, k);
  }
  const byStage = [...cells.entries()]
    .map(([key, c]) => {
      const [stage, ownership] = key.split(':');
      return { stage, ownership, ...c, teachers: Math.round(c.teachers) };
    })
    .sort(
      (a, b) =>
        STAGES.indexOf(a.stage as Stage) - STAGES.indexOf(b.stage as Stage) ||
        a.ownership.localeCompare(b.ownership),
    );
  return {
    year,
    totals: {
      schools: schools.length,
      pupils: pupilRows.reduce((a, r) => a + Number(r.n), 0),
      classes: classRows.reduce((a, r) => a + Number(r.n), 0),
      teachers: teacherRows.reduce((a, r) => a + Number(r.n), 0),
    },
    byStage,
    byCounty: [...counties.values()].sort((a, b) => a.countyCode.localeCompare(b.countyCode)),
  };
}
