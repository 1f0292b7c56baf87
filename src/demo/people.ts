/**
 * People of the demo city: full-time teachers per school and subject (census, 2013–2025) and the 2025
 * teacher register; the 2025 pupil register, one record per census pupil with the census's
 * breakdowns; and the register of school-age disabled children. Names are invented; ID numbers are
 * valid in form (GB 11643 check digit) but use the unallocated prefix 41149x, so they belong to no one.
 */
import { makeIdNumber } from '../domain/id-number.ts';
import { type Grade, typicalEntryAge } from '../domain/stages.ts';
import { type CensusRow, pupilsOf } from './census.ts';
import type { DemoClass } from './classes.ts';
import { personName } from './names.ts';
import type { DemoCommunity } from './places.ts';
import type { CountyPlan, Stream } from './plan.ts';
import { apportion, cumulative, Rng } from './prng.ts';
import { CURRENT_YEAR, YEARS } from './profile.ts';
import type { DemoSchool } from './schools.ts';

const SUBJECTS: Record<Stream, [string, number][]> = {
  K: [['preschool', 1]],
  P: [
    ['chinese', 0.3],
    ['math', 0.24],
    ['english', 0.08],
    ['ethics', 0.05],
    ['science', 0.06],
    ['pe', 0.08],
    ['music', 0.06],
    ['art', 0.06],
    ['it', 0.03],
    ['other', 0.04],
  ],
  J: [
    ['chinese', 0.15],
    ['math', 0.15],
    ['english', 0.14],
    ['ethics', 0.06],
    ['history', 0.06],
    ['geography', 0.05],
    ['biology', 0.05],
    ['physics', 0.08],
    ['chemistry', 0.05],
    ['pe', 0.07],
    ['music', 0.03],
    ['art', 0.03],
    ['it', 0.03],
    ['mental_health', 0.01],
    ['other', 0.04],
  ],
  S: [
    ['chinese', 0.13],
    ['math', 0.13],
    ['english', 0.13],
    ['politics', 0.07],
    ['history', 0.07],
    ['geography', 0.07],
    ['physics', 0.1],
    ['chemistry', 0.08],
    ['biology', 0.08],
    ['pe', 0.06],
    ['music', 0.02],
    ['art', 0.02],
    ['it', 0.03],
    ['other', 0.01],
  ],
  V: [
    ['vocational', 0.5],
    ['chinese', 0.1],
    ['math', 0.1],
    ['english', 0.08],
    ['politics', 0.05],
    ['pe', 0.05],
    ['it', 0.07],
    ['other', 0.05],
  ],
  X: [
    ['special_education', 0.8],
    ['pe', 0.05],
    ['music', 0.05],
    ['art', 0.05],
    ['other', 0.05],
  ],
};
const FEMALE_TEACHERS: Record<Stream, number> = { K: 0.97, P: 0.72, J: 0.58, S: 0.48, V: 0.45, X: 0.7 };

/** Pupils per full-time teacher (生师比) by stream and locale, 2025. */
function pupilsPerTeacher(s: DemoSchool, st: Stream): number {
  const loc = s.locale;
  switch (st) {
    case 'K':
      return s.ownership === 'private' ? 17 : 15;
    case 'P':
      return loc === 'urban' ? 19 : loc === 'town' ? 17 : 12;
    case 'J':
      return loc === 'urban' ? 13.5 : loc === 'town' ? 12.5 : 11;
    case 'S':
      return 13.5;
    case 'V':
      return 17;
    case 'X':
      return 4.5;
  }
}

export interface TeacherCensus {
  school: DemoSchool;
  year: number;
  subject: string;
  fullTime: number;
  stream: Stream;
}

/** Full-time teachers per school, year and subject. */
export function generateTeacherCensus(rows: readonly CensusRow[]): TeacherCensus[] {
  const bySchoolYearStream = new Map<
    string,
    { school: DemoSchool; year: number; stream: Stream; pupils: number }
  >();
  for (const r of rows) {
    const k = `${r.school.id}:${r.year}:${r.stream}`;
    const e = bySchoolYearStream.get(k) ?? { school: r.school, year: r.year, stream: r.stream, pupils: 0 };
    e.pupils += pupilsOf(r);
    bySchoolYearStream.set(k, e);
  }
  const out: TeacherCensus[] = [];
  for (const e of bySchoolYearStream.values()) {
    if (e.pupils === 0) continue;
    const ratio = pupilsPerTeacher(e.school, e.stream) * (1 + 0.01 * (CURRENT_YEAR - e.year));
    const ft = Math.max(1, Math.round(e.pupils / ratio));
    const subj = SUBJECTS[e.stream];
    const parts = apportion(
      ft,
      subj.map((x) => x[1]),
    );
    subj.forEach(([subject], i) => {
      if (parts[i] > 0)
        out.push({ school: e.school, year: e.year, subject, fullTime: parts[i], stream: e.stream });
    });
  }
  // one row per school, year and subject (a nine-year school's streams share subjects)
  const merged = new Map<string, TeacherCensus>();
  for (const t of out) {
    const k = `${t.school.id}:${t.year}:${t.subject}`;
    const m = merged.get(k);
    if (m) m.fullTime += t.fullTime;
    else merged.set(k, { ...t });
  }
  return [...merged.values()].sort(
    (a, b) =>
      a.school.id - b.school.id ||
      a.year - b.year ||
      (a.subject < b.subject ? -1 : a.subject > b.subject ? 1 : 0),
  );
}

/** Issues fake but well-formed ID numbers: prefix 41149d, the birth date, a sequence whose parity is the sex. */
export class IdIssuer {
  private next = new Map<string, number>();
  constructor(readonly prefix: string) {}
  issue(birthDate: string, sex: 'M' | 'F'): string {
    const key = birthDate + sex;
    const k = this.next.get(key) ?? 0;
    this.next.set(key, k + 1);
    if (k >= 500) throw new Error(`demo ID numbers exhausted for ${birthDate}`);
    return makeIdNumber(this.prefix, birthDate, 2 * k + (sex === 'M' ? 1 : 0));
  }
  private local = 0;
  /** 学籍号 for a pupil without an ID number: 'L' + 18 digits (prefix, birth date, a running number). */
  localStudentNo(birthDate: string): string {
    this.local++;
    return `L${this.prefix}${birthDate.replaceAll('-', '')}${String(this.local % 10000).padStart(4, '0')}`;
  }
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
function dateOf(y: number, dayOfYear: number): string {
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  let d = dayOfYear;
  for (let m = 0; m < 12; m++) {
    const len = DAYS_IN_MONTH[m] + (m === 1 && leap ? 1 : 0);
    if (d < len) return `${y}-${pad2(m + 1)}-${pad2(d + 1)}`;
    d -= len;
  }
  return `${y}-12-31`;
}
/** A birth date for someone aged `age` on 31 August of `year` (born September year−age−1 … August year−age). */
export function birthDateForAge(rng: Rng, year: number, age: number): string {
  const start = year - age - 1; // September of `start` … August of start+1
  const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const daysFromSep = 122; // Sep–Dec
  const total = daysFromSep + 243 + (leap(start + 1) ? 1 : 0);
  const k = Math.floor(rng.next() * total);
  if (k < daysFromSep) return dateOf(start, 243 + (leap(start) ? 1 : 0) + k);
  return dateOf(start + 1, k - daysFromSep);
}

const TITLES = ['未定级', '二级教师', '一级教师', '高级教师', '正高级教师'];

export interface TeacherRow {
  schoolId: number;
  teacherNo: string;
  idNumber: string;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  subject: string;
  fullTime: number;
  inEstablishment: number;
  title: string;
  hireYear: number;
  schoolSinceYear: number;
}

/** The 2025 teacher register: the census's full-time teachers by subject, plus a few part-time ones. */
export function* generateTeachers(
  census: readonly TeacherCensus[],
  countyCode: string,
  ids: IdIssuer,
  seed: number,
): Generator<TeacherRow> {
  const rng = Rng.for(seed, `teachers:${countyCode}`);
  let seq = 0;
  const make = (school: DemoSchool, stream: Stream, subject: string, fullTime: number): TeacherRow => {
    const sex: 'M' | 'F' = rng.chance(FEMALE_TEACHERS[stream]) ? 'F' : 'M';
    const older = school.locale === 'rural' ? 4 : 0;
    const age = Math.min(59, Math.max(22, Math.round(38 + older + 9 * rng.normal())));
    const birthDate = birthDateForAge(rng, CURRENT_YEAR, age);
    const hireYear = Math.min(CURRENT_YEAR, CURRENT_YEAR - age + 22 + rng.int(0, 3));
    const schoolSinceYear = rng.chance(0.35) ? hireYear : rng.int(hireYear, CURRENT_YEAR);
    const years = CURRENT_YEAR - hireYear;
    const title =
      years < 1
        ? TITLES[0]
        : years < 6
          ? TITLES[1]
          : years < 15
            ? TITLES[rng.chance(0.7) ? 2 : 1]
            : TITLES[rng.chance(0.03) ? 4 : rng.chance(0.45) ? 3 : 2];
    seq++;
    return {
      schoolId: school.id,
      teacherNo: `T${countyCode}${String(seq).padStart(6, '0')}`,
      idNumber: ids.issue(birthDate, sex),
      name: personName(rng, sex, true),
      sex,
      birthDate,
      subject,
      fullTime,
      inEstablishment: school.ownership === 'public' && fullTime === 1 ? (rng.chance(0.92) ? 1 : 0) : 0,
      title: school.ownership === 'private' && rng.chance(0.5) ? TITLES[0] : title,
      hireYear,
      schoolSinceYear,
    };
  };
  let lastSchool: DemoSchool | null = null;
  let schoolFt = 0;
  let schoolStream: Stream = 'P';
  for (const t of census) {
    if (t.year !== CURRENT_YEAR) continue;
    if (lastSchool && t.school !== lastSchool) {
      yield* partTime(lastSchool, schoolStream, schoolFt);
      schoolFt = 0;
    }
    lastSchool = t.school;
    schoolStream = t.stream;
    schoolFt += t.fullTime;
    for (let i = 0; i < t.fullTime; i++) yield make(t.school, t.stream, t.subject, 1);
  }
  if (lastSchool) yield* partTime(lastSchool, schoolStream, schoolFt);

  function* partTime(school: DemoSchool, stream: Stream, ft: number): Generator<TeacherRow> {
    const n = Math.round(ft * (school.ownership === 'private' ? 0.1 : 0.03) * rng.range(0.5, 1.5));
    for (let i = 0; i < n; i++)
      yield make(school, stream, rng.pick(['other', 'pe', 'music', 'art', 'it']), 0);
  }
}

export interface StudentRow {
  schoolId: number;
  studentNo: string;
  idNumber: string | null;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  grade: string;
  classNo: number | null;
  migrant: number;
  leftBehind: number;
  disabled: number;
  boarder: number;
  afterSchool: number;
  communityCode: string | null;
  /** 政府购买学位 (private schools only). */
  purchasedPlace: number;
  disabledPlacement: string | null;
}

export interface DisabledRow {
  registerNo: string;
  idNumber: string | null;
  name: string;
  sex: 'M' | 'F';
  birthDate: string;
  townshipCode: string | null;
  disabilityType: string;
  placement: string;
  schoolId: number | null;
}

const DISABILITY_IN_SPECIAL_SCHOOL: [string, number][] = [
  ['intellectual', 0.5],
  ['hearing', 0.18],
  ['visual', 0.1],
  ['multiple', 0.12],
  ['mental', 0.06],
  ['speech', 0.04],
];
const DISABILITY_IN_SCHOOL: [string, number][] = [
  ['physical', 0.3],
  ['intellectual', 0.25],
  ['speech', 0.1],
  ['hearing', 0.1],
  ['visual', 0.1],
  ['mental', 0.1],
  ['multiple', 0.05],
];
const DIS_SCHOOL_CUM = cumulative(DISABILITY_IN_SPECIAL_SCHOOL.map((x) => x[1]));
const DIS_REG_CUM = cumulative(DISABILITY_IN_SCHOOL.map((x) => x[1]));

/**
 * The 2025 pupils of one school: one record per pupil of each census row, flags matching the row's
 * counts exactly, class numbers matching the class sizes; disabled pupils also go to `disabled`.
 */
export function* generateStudentsOfSchool(
  school: DemoSchool,
  rows: readonly CensusRow[],
  classes: readonly DemoClass[],
  homes: readonly DemoCommunity[],
  ids: IdIssuer,
  rng: Rng,
  disabled: DisabledRow[],
  registerNo: () => string,
): Generator<StudentRow> {
  const byGrade = new Map<string, number[]>();
  for (const c of classes) {
    if (c.school !== school || c.year !== CURRENT_YEAR) continue;
    const l = byGrade.get(c.grade) ?? [];
    l[c.classNo - 1] = c.size;
    byGrade.set(c.grade, l);
  }
  for (const r of rows) {
    if (r.year !== CURRENT_YEAR || r.school !== school) continue;
    const n = pupilsOf(r);
    if (n === 0) continue;
    const home = r.disabled_home_teaching;
    const nDisabled = r.disabled_regular_class + r.disabled_special_class + r.disabled_special_school + home;
    const placementAt = (i: number) =>
      i < home
        ? 'home_teaching'
        : i < home + r.disabled_special_school
          ? 'special_school'
          : i < home + r.disabled_special_school + r.disabled_special_class
            ? 'special_class'
            : 'regular_class';
    const male = rng.mask(n, r.pupils_male);
    const migrant = rng.mask(n, r.migrant);
    // The census's purchased places go to the first of the (randomly drawn) migrant pupils.
    let purchasedLeft = r.migrant_purchased;
    // left-behind only among non-migrant pupils; boarding and after-school only among those at school
    const nonMigrant: number[] = [];
    for (let i = 0; i < n; i++) if (!migrant[i]) nonMigrant.push(i);
    const lbPick = rng.mask(nonMigrant.length, r.left_behind);
    const leftBehind = new Uint8Array(n);
    nonMigrant.forEach((i, k) => {
      if (lbPick[k]) leftBehind[i] = 1;
    });
    const atSchool = n - home;
    const boarderPick = rng.mask(atSchool, r.boarders);
    const asPick = rng.mask(atSchool, r.after_school);
    // Class numbers: a random order of the pupils filled into the classes in turn.
    const sizes = byGrade.get(r.grade) ?? [];
    const order = new Int32Array(n);
    for (let i = 0; i < n; i++) order[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(rng.next() * (i + 1));
      const t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    const classOf = new Int16Array(n);
    let pos = 0;
    sizes.forEach((size, c) => {
      for (let k = 0; k < size && pos < n; k++) classOf[order[pos++]] = c + 1;
    });
    const baseAge = typicalEntryAge(r.grade as Grade);
    const overAgeP = school.locale === 'rural' ? 0.04 : 0.02;
    for (let i = 0; i < n; i++) {
      const sex: 'M' | 'F' = male[i] ? 'M' : 'F';
      const isDisabled = i < nDisabled;
      const age = baseAge + (!isDisabled && rng.chance(overAgeP) ? 1 : 0);
      const birthDate = birthDateForAge(rng, CURRENT_YEAR, age);
      const hasId = !rng.chance(0.003);
      const idNumber = hasId ? ids.issue(birthDate, sex) : null;
      const name = personName(rng, sex, false);
      const community = homes.length > 0 ? homes[Math.floor(rng.next() * homes.length)] : null;
      const studentNo = idNumber ? `G${idNumber}` : ids.localStudentNo(birthDate);
      if (isDisabled) {
        const placement = placementAt(i);
        const cum =
          placement === 'special_school' || placement === 'home_teaching' ? DIS_SCHOOL_CUM : DIS_REG_CUM;
        const types =
          placement === 'special_school' || placement === 'home_teaching'
            ? DISABILITY_IN_SPECIAL_SCHOOL
            : DISABILITY_IN_SCHOOL;
        disabled.push({
          registerNo: registerNo(),
          idNumber,
          name,
          sex,
          birthDate,
          townshipCode: community?.township.code ?? school.township.code,
          disabilityType: types[rng.pickCumulative(cum)][0],
          placement,
          schoolId: school.id,
        });
      }
      const j = i - home;
      const purchased = migrant[i] && purchasedLeft > 0 ? 1 : 0;
      purchasedLeft -= purchased;
      yield {
        schoolId: school.id,
        studentNo,
        idNumber,
        name,
        sex,
        birthDate,
        grade: r.grade,
        classNo: classOf[i] || null,
        migrant: migrant[i],
        leftBehind: leftBehind[i],
        disabled: isDisabled ? 1 : 0,
        boarder: j >= 0 ? boarderPick[j] : 0,
        afterSchool: j >= 0 ? asPick[j] : 0,
        communityCode: community?.code ?? null,
        purchasedPlace: purchased,
        disabledPlacement: isDisabled ? placementAt(i) : null,
      };
    }
  }
}

/**
 * School-age disabled children who are not enrolled (未入学): the rest of a year's register. In 2025
 * the plan's number; in an earlier year as many in proportion to the disabled pupils enrolled then.
 */
export function notEnrolledDisabled(
  plan: CountyPlan,
  townshipCodes: readonly string[],
  ids: IdIssuer,
  rng: Rng,
  registerNo: () => string,
  year = CURRENT_YEAR,
  enrolled?: number,
): DisabledRow[] {
  const out: DisabledRow[] = [];
  const d = plan.disabled;
  const enrolled2025 = d.regular_class + d.special_class + d.special_school + d.home_teaching;
  const n =
    year === CURRENT_YEAR || enrolled === undefined
      ? d.not_enrolled
      : Math.round((d.not_enrolled * enrolled) / enrolled2025);
  for (let k = 0; k < n; k++) {
    const sex: 'M' | 'F' = rng.chance(0.6) ? 'M' : 'F';
    const birthDate = birthDateForAge(rng, year, rng.int(6, 14));
    out.push({
      registerNo: registerNo(),
      idNumber: ids.issue(birthDate, sex),
      name: personName(rng, sex, false),
      sex,
      birthDate,
      townshipCode: rng.pick(townshipCodes),
      disabilityType: rng.pick(['multiple', 'intellectual', 'physical', 'mental']),
      placement: 'not_enrolled',
      schoolId: null,
    });
  }
  return out;
}

export { YEARS };

/**
 * The disabled-children register of a year before 2025: the disabled pupils of that year's census, one
 * entry per pupil with the census's school and placement, and the children not enrolled. (The demo keeps
 * no pupil register for those years, so these are children of their own, not the 2025 pupils.)
 */
export function disabledRegisterOfYear(
  year: number,
  rows: readonly CensusRow[],
  plan: CountyPlan,
  townshipCodes: readonly string[],
  ids: IdIssuer,
  rng: Rng,
  registerNo: () => string,
): DisabledRow[] {
  const out: DisabledRow[] = [];
  const placements = [
    ['disabled_regular_class', 'regular_class'],
    ['disabled_special_class', 'special_class'],
    ['disabled_special_school', 'special_school'],
    ['disabled_home_teaching', 'home_teaching'],
  ] as const;
  for (const r of rows) {
    if (r.year !== year) continue;
    for (const [column, placement] of placements) {
      const inSpecialSchool = placement === 'special_school' || placement === 'home_teaching';
      const types = inSpecialSchool ? DISABILITY_IN_SPECIAL_SCHOOL : DISABILITY_IN_SCHOOL;
      for (let k = 0; k < r[column]; k++) {
        const sex: 'M' | 'F' = rng.chance(0.6) ? 'M' : 'F';
        const birthDate = birthDateForAge(rng, year, typicalEntryAge(r.grade as Grade));
        out.push({
          registerNo: registerNo(),
          idNumber: ids.issue(birthDate, sex),
          name: personName(rng, sex, false),
          sex,
          birthDate,
          townshipCode: r.school.township.code,
          disabilityType: types[rng.pickCumulative(inSpecialSchool ? DIS_SCHOOL_CUM : DIS_REG_CUM)][0],
          placement,
          schoolId: r.school.id,
        });
      }
    }
  }
  return [...out, ...notEnrolledDisabled(plan, townshipCodes, ids, rng, registerNo, year, out.length)];
}
