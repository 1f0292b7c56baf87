/**
 * The demo city as a stream of table rows, county by county: pure and deterministic for a seed, and
 * bounded in memory (one county's registry at a time; pupils and teachers in batches).
 */
import { generateCensus, pupilsOf } from './census.ts';
import { type DemoClass, generateCapacity, generateClasses } from './classes.ts';
import {
  type DisabledRow,
  disabledRegisterOfYear,
  generateStudentsOfSchool,
  generateTeacherCensus,
  generateTeachers,
  IdIssuer,
  notEnrolledDisabled,
} from './people.ts';
import { generatePlaces } from './places.ts';
import { type CityPlan, planCity, STREAM_GRADES, type Stream } from './plan.ts';
import { apportion, Rng } from './prng.ts';
import { AS_OF, CURRENT_YEAR, type DemoScale, FIRST_BIRTH_YEAR, YEARS } from './profile.ts';
import { type DemoSchool, generateSchools } from './schools.ts';
import type { DemoTable } from './tables.ts';

export type DemoEvent =
  | { kind: 'rows'; table: DemoTable; rows: unknown[][] }
  | { kind: 'progress'; phase: string; done: number; total: number };

const BATCH = 5000;
const CITY_GROUPS = 122;
const CITY_GROUP_SCHOOLS = 389;
/** Years before 2025 with a disabled-children register (so the disabled-enrolment rate has a 2023 figure). */
const EARLIER_DISABLED_REGISTERS = [2023, 2024];

/** Pupils the register will hold (the 2025 census), known before any row is generated. */
export function plannedStudents(plan: CityPlan): number {
  let n = 0;
  const i = CURRENT_YEAR - YEARS[0];
  for (const cp of plan.counties)
    for (const st of Object.values(cp.streams)) for (const v of st.totals[i]) n += v;
  return n;
}

export function* generateDemoCity(scale: DemoScale, seed: number): Generator<DemoEvent> {
  const plan = planCity(scale, seed);
  const totalStudents = plannedStudents(plan);
  const ids = { school: 1, class: 1, housing: 1, group: 1, teacher: 1, student: 1, disabled: 1 };
  let studentsDone = 0;

  // 商丘: 122 compulsory-education groups with 389 member schools, shared out over the counties built.
  const shares = plan.counties.map((c) => c.profile.share * c.factor);
  const totalShare = shares.reduce((a, b) => a + b, 0);
  const groupQuota = {
    groups: apportion(Math.round(CITY_GROUPS * totalShare), shares),
    schools: apportion(Math.round(CITY_GROUP_SCHOOLS * totalShare), shares),
  };

  for (const [ci, cp] of plan.counties.entries()) {
    const county = cp.profile;
    const cc = county.code;
    const phase = county.name;
    yield { kind: 'progress', phase, done: studentsDone, total: totalStudents };

    // Population by single age and births.
    const pop: unknown[][] = [];
    YEARS.forEach((y, i) => {
      cp.population[i].forEach((persons, age) => {
        pop.push([cc, cc, y, age, persons, 1]);
      });
    });
    yield { kind: 'rows', table: 'population', rows: pop };
    const births: unknown[][] = [];
    for (let y = FIRST_BIRTH_YEAR; y <= CURRENT_YEAR; y++) births.push([cc, cc, y, cp.births.get(y)!, 1]);
    yield { kind: 'rows', table: 'births', rows: births };

    // Schools and their census.
    const { schools, townships } = generateSchools(county, cp.factor, seed, ids.school);
    ids.school += schools.length;
    const census = generateCensus(cp, schools, seed);
    const boarding = new Set<number>();
    for (const r of census.rows) if (r.year === CURRENT_YEAR && r.boarders > 0) boarding.add(r.school.id);
    yield {
      kind: 'rows',
      table: 'schools',
      rows: schools.map((s) => [
        s.id,
        s.code,
        s.name,
        cc,
        s.township.code,
        s.type,
        s.ownership,
        s.inclusive ? 1 : 0,
        s.locale,
        s.lng,
        s.lat,
        boarding.has(s.id) ? 1 : 0,
        s.address,
        1,
        AS_OF,
      ]),
    };
    yield {
      kind: 'rows',
      table: 'census',
      rows: census.rows.map((r) => [
        r.school.id,
        cc,
        r.year,
        r.grade,
        r.pupils_male,
        r.pupils_female,
        r.migrant,
        r.migrant_purchased,
        r.disabled_regular_class,
        r.disabled_special_class,
        r.disabled_special_school,
        r.disabled_home_teaching,
        r.left_behind,
        r.boarders,
        r.after_school,
        r.entrants,
        r.transfers_in,
        r.transfers_out,
        r.graduates,
        1,
      ]),
    };

    // Classes and capacity.
    const classes = generateClasses(census.rows, seed, cc);
    const classRows = classes.map((c) => [
      ids.class++,
      c.school.id,
      cc,
      c.year,
      c.grade,
      c.classNo,
      c.size,
      1,
    ]);
    yield { kind: 'rows', table: 'classes', rows: classRows };
    const gradesOf = (s: DemoSchool) =>
      (Object.keys(s.weights) as Stream[]).flatMap((stream) =>
        STREAM_GRADES[stream].map((grade) => ({ stream, grade })),
      );
    const capacity = generateCapacity(schools, census.rows, classes, gradesOf, seed, cc);
    yield {
      kind: 'rows',
      table: 'school_capacity',
      rows: capacity.map((c) => [c.school.id, cc, c.grade, c.plannedClasses, c.standardClassSize]),
    };

    // Teachers in the census.
    const teacherCensus = generateTeacherCensus(census.rows);
    yield {
      kind: 'rows',
      table: 'census_teachers',
      rows: teacherCensus.map((t) => [t.school.id, cc, t.year, t.subject, t.fullTime, 1]),
    };

    // Communities, catchments, housing, education groups.
    const places = generatePlaces(county, cp.factor, townships, schools, census.rows, seed, {
      groups: groupQuota.groups[ci],
      schools: groupQuota.schools[ci],
    });
    yield {
      kind: 'rows',
      table: 'communities',
      rows: places.communities.map((c) => [c.code, c.name, cc, c.township.code, c.lng, c.lat, 1]),
    };
    yield {
      kind: 'rows',
      table: 'catchments',
      rows: places.catchments.map((c) => [cc, CURRENT_YEAR, c.stage, c.community.code, c.school.id, 1]),
    };
    yield {
      kind: 'rows',
      table: 'housing',
      rows: places.housing.map((h) => [
        ids.housing++,
        h.code,
        h.name,
        cc,
        h.community.township.code,
        h.community.code,
        h.deliveryYear,
        h.units,
        h.status,
        1,
      ]),
    };
    const groupRows: unknown[][] = [];
    const memberRows: unknown[][] = [];
    for (const g of places.groups) {
      const id = ids.group++;
      groupRows.push([id, g.code, g.name, cc, g.lead.id, g.mode, g.tightness, g.startYear, 1]);
      for (const m of g.members) memberRows.push([id, m.school.id, cc, m.joinedYear]);
    }
    yield { kind: 'rows', table: 'education_groups', rows: groupRows };
    yield { kind: 'rows', table: 'group_members', rows: memberRows };

    // Teacher register.
    const issuer = new IdIssuer(`41149${county.idDigit}`);
    let batch: unknown[][] = [];
    for (const t of generateTeachers(teacherCensus, cc, issuer, seed)) {
      batch.push([
        ids.teacher++,
        cc,
        t.schoolId,
        t.teacherNo,
        t.idNumber,
        t.name,
        t.sex,
        t.birthDate,
        t.subject,
        t.fullTime,
        t.inEstablishment,
        t.title,
        t.hireYear,
        t.schoolSinceYear,
        1,
      ]);
      if (batch.length >= BATCH) {
        yield { kind: 'rows', table: 'teachers', rows: batch };
        batch = [];
      }
    }
    if (batch.length > 0) yield { kind: 'rows', table: 'teachers', rows: batch };

    // Pupil register (2025), school by school, and the disabled children among them.
    const rng = Rng.for(seed, `students:${cc}`);
    const disabled: DisabledRow[] = [];
    let reg = 0;
    const registerNo = () => `CJ${cc}${String(++reg).padStart(5, '0')}`;
    const rowsBySchool = groupBy(
      census.rows.filter((r) => r.year === CURRENT_YEAR),
      (r) => r.school.id,
    );
    const classesBySchool = groupBy(
      classes.filter((c) => c.year === CURRENT_YEAR),
      (c: DemoClass) => c.school.id,
    );
    batch = [];
    for (const s of schools) {
      const rows = rowsBySchool.get(s.id) ?? [];
      const homes = places.homesOf(s);
      for (const p of generateStudentsOfSchool(
        s,
        rows,
        classesBySchool.get(s.id) ?? [],
        homes,
        issuer,
        rng,
        disabled,
        registerNo,
      )) {
        batch.push([
          ids.student++,
          cc,
          p.schoolId,
          p.studentNo,
          p.idNumber,
          p.name,
          p.sex,
          p.birthDate,
          CURRENT_YEAR,
          p.grade,
          p.classNo,
          p.migrant,
          p.leftBehind,
          p.disabled,
          p.boarder,
          p.afterSchool,
          p.communityCode,
          p.purchasedPlace,
          p.disabledPlacement,
          1,
        ]);
        if (batch.length >= BATCH) {
          studentsDone += batch.length;
          yield { kind: 'rows', table: 'students', rows: batch };
          yield { kind: 'progress', phase, done: studentsDone, total: totalStudents };
          batch = [];
        }
      }
    }
    if (batch.length > 0) {
      studentsDone += batch.length;
      yield { kind: 'rows', table: 'students', rows: batch };
    }
    void pupilsOf;
    disabled.push(
      ...notEnrolledDisabled(
        cp,
        townships.map((t) => t.code),
        issuer,
        rng,
        registerNo,
      ),
    );
    const registers: [number, DisabledRow[]][] = [[CURRENT_YEAR, disabled]];
    for (const y of EARLIER_DISABLED_REGISTERS) {
      const townshipCodes = townships.map((t) => t.code);
      const yearRng = Rng.for(seed, `disabled:${cc}:${y}`);
      registers.push([
        y,
        disabledRegisterOfYear(y, census.rows, cp, townshipCodes, issuer, yearRng, registerNo),
      ]);
    }
    yield {
      kind: 'rows',
      table: 'disabled_children',
      rows: registers.flatMap(([year, entries]) =>
        entries.map((d) => [
          ids.disabled++,
          cc,
          d.townshipCode,
          year,
          d.registerNo,
          d.idNumber,
          d.name,
          d.sex,
          d.birthDate,
          d.disabilityType,
          d.placement,
          d.schoolId,
          1,
        ]),
      ),
    };
    yield { kind: 'progress', phase, done: studentsDone, total: totalStudents };
  }
}

function groupBy<T>(items: readonly T[], key: (t: T) => number): Map<number, T[]> {
  const m = new Map<number, T[]>();
  for (const t of items) {
    const k = key(t);
    const l = m.get(k);
    if (l) l.push(t);
    else m.set(k, [t]);
  }
  return m;
}
