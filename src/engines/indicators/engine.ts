/**
 * The indicator engine: pure, no I/O. Census, classes, teachers, population and registers in; every
 * indicator with value, numerator and denominator out. A zero or missing denominator gives value
 * null with a reason; aggregation is always sum of numerators over sum of denominators.
 */
import { classSizeBand } from '../../domain/class-size.ts';
import { STAGE_GRADES, type Stage, stageOfGrade } from '../../domain/stages.ts';
import { teachersByStage } from '../../domain/teachers.ts';
import { type IndicatorInput, indicatorInputSchema, type ParsedIndicatorInput } from './contract.ts';
import { INDICATOR_BY_ID, type IndicatorUnit } from './definitions.ts';

export interface Reason {
  zh: string;
  en: string;
}
export interface IndicatorResult {
  id: string;
  stage: Stage | null;
  value: number | null;
  numerator: number;
  denominator: number | null;
  unit: IndicatorUnit;
  reason: Reason | null;
}

const ZERO: Reason = { zh: '分母为零', en: 'the denominator is zero' };
const NO_POPULATION: Reason = { zh: '缺少该年的分年龄人口', en: 'population by age is missing for the year' };
const NO_REGISTER: Reason = { zh: '缺少残疾儿童登记', en: 'the disabled-children register is missing' };
const NO_COHORT: Reason = {
  zh: '缺少该届学生入学或转学的基础统计',
  en: 'census of the cohort’s intake or transfers is missing',
};

function result(
  id: string,
  stage: Stage | null,
  numerator: number,
  denominator: number | null,
  missing?: Reason,
  cap?: number,
): IndicatorResult {
  const unit = INDICATOR_BY_ID.get(id)!.unit;
  if (missing || denominator === null)
    return { id, stage, value: null, numerator, denominator, unit, reason: missing ?? ZERO };
  if (!(denominator > 0)) return { id, stage, value: null, numerator, denominator, unit, reason: ZERO };
  let value = unit === 'percent' ? (100 * numerator) / denominator : numerator / denominator;
  if (cap !== undefined) value = Math.min(value, cap);
  return { id, stage, value, numerator, denominator, unit, reason: null };
}

const K = new Set<string>(STAGE_GRADES.kindergarten);
const COMPULSORY = new Set<string>([...STAGE_GRADES.primary, ...STAGE_GRADES.junior]);
const SENIOR = new Set<string>(STAGE_GRADES.senior);

/**
 * Computes every indicator; the input is validated (and defaulted) by the contract schema first.
 * `computeIndicators({ year: 2023, schools: [], census: [], teachers: [], classes: [] })` gives the
 * 21 results, each with value null and the reason 分母为零.
 */
export function computeIndicators(raw: IndicatorInput | ParsedIndicatorInput): IndicatorResult[] {
  return computeParsedIndicators(indicatorInputSchema.parse(raw));
}

/**
 * The same over input that is already valid and defaulted (from `parseIndicatorInput` or the store
 * loader): re-parsing the city's 70,000 census rows for every region would cost more than the sums.
 */
export function computeParsedIndicators(input: ParsedIndicatorInput): IndicatorResult[] {
  const Y = input.year;
  const schools = new Map(input.schools.map((s) => [s.id, s]));
  const now = input.census.filter((r) => r.year === Y && schools.has(r.school_id));
  const out: IndicatorResult[] = [];

  // Pre-school.
  let kAll = 0;
  let kPublic = 0;
  let kInclusive = 0;
  for (const r of now) {
    if (!K.has(r.grade)) continue;
    const s = schools.get(r.school_id)!;
    kAll += r.pupils;
    if (s.ownership === 'public') kPublic += r.pupils;
    if (s.ownership === 'public' || s.inclusive) kInclusive += r.pupils;
  }
  /** Persons aged a0–a1; null when any area in the input lacks one of those ages. */
  const pop = (a0: number, a1: number): number | null => {
    if (!input.population || input.population.length === 0) return null;
    const areas = new Map<string, Map<number, number>>();
    for (const p of input.population) {
      const m = areas.get(p.region_code ?? '') ?? new Map<number, number>();
      m.set(p.age, (m.get(p.age) ?? 0) + p.persons);
      areas.set(p.region_code ?? '', m);
    }
    for (const code of input.population_areas ?? []) if (!areas.has(code)) return null;
    let n = 0;
    for (const m of areas.values())
      for (let a = a0; a <= a1; a++) {
        const v = m.get(a);
        if (v === undefined) return null;
        n += v;
      }
    return n;
  };
  const pop35 = pop(3, 5);
  out.push(result('preschool_ger', null, kAll, pop35, pop35 === null ? NO_POPULATION : undefined));
  out.push(result('inclusive_kg_coverage', null, kInclusive, kAll));
  out.push(result('public_kg_share', null, kPublic, kAll));

  // Retention: graduates (Y, G9) over intake (Y−9, G1); transfers of the cohort at (Y−9+k, Gk).
  const cells = new Map<string, ParsedIndicatorInput['census']>();
  for (const r of input.census) {
    if (!schools.has(r.school_id)) continue;
    const key = `${r.year}:${r.grade}`;
    const rows = cells.get(key);
    if (rows) rows.push(r);
    else cells.set(key, [r]);
  }
  const cell = (year: number, grade: string) => cells.get(`${year}:${grade}`) ?? [];
  const graduates = cell(Y, 'G9').reduce((n, r) => n + r.graduates, 0);
  const intakeRows = cell(Y - 9, 'G1');
  const intake = intakeRows.reduce((n, r) => n + r.entrants, 0);
  let transfersMissing = intakeRows.length === 0;
  let net = 0;
  for (let k = 1; k <= 9; k++) {
    const rows = cell(Y - 9 + k, `G${k}`);
    if (rows.length === 0) transfersMissing = true;
    for (const r of rows) net += r.transfers_in - r.transfers_out;
  }
  out.push(
    result(
      'compulsory_retention',
      null,
      graduates,
      intake + net,
      transfersMissing ? NO_COHORT : undefined,
      100,
    ),
  );
  out.push(
    result(
      'compulsory_retention_raw',
      null,
      graduates,
      intake,
      intakeRows.length === 0 ? NO_COHORT : undefined,
    ),
  );

  // Senior secondary.
  const seniorPupils = now.filter((r) => SENIOR.has(r.grade)).reduce((n, r) => n + r.pupils, 0);
  const pop1517 = pop(15, 17);
  out.push(result('senior_ger', null, seniorPupils, pop1517, pop1517 === null ? NO_POPULATION : undefined));

  // Class sizes per stage.
  for (const stage of ['primary', 'junior', 'senior'] as const) {
    let all = 0;
    let large = 0;
    let superLarge = 0;
    for (const c of input.classes) {
      if (!schools.has(c.school_id) || stageOfGrade(c.grade) !== stage) continue;
      all++;
      const band = classSizeBand(c.size);
      if (band === 'large') large++;
      if (band === 'super_large') superLarge++;
    }
    out.push(result('large_class_share', stage, large, all));
    out.push(result('super_large_class_share', stage, superLarge, all));
  }

  // Pupil–teacher ratio: a school's teachers split over its stages in proportion to its pupils.
  const pupilsBy = new Map<number, Map<Stage, number>>();
  for (const r of now) {
    const m = pupilsBy.get(r.school_id) ?? new Map<Stage, number>();
    const st = stageOfGrade(r.grade);
    m.set(st, (m.get(st) ?? 0) + r.pupils);
    pupilsBy.set(r.school_id, m);
  }
  const teachersBy = new Map<number, number>();
  for (const t of input.teachers)
    if (schools.has(t.school_id))
      teachersBy.set(t.school_id, (teachersBy.get(t.school_id) ?? 0) + t.full_time_teachers);
  const ptrPupils = new Map<Stage, number>();
  const ptrTeachers = new Map<Stage, number>();
  for (const [id, s] of schools) {
    const m = pupilsBy.get(id);
    const teachers = teachersBy.get(id) ?? 0;
    if (m) for (const [st, n] of m) ptrPupils.set(st, (ptrPupils.get(st) ?? 0) + n);
    for (const [st, n] of teachersByStage(teachers, m ?? new Map(), s.school_type))
      ptrTeachers.set(st, (ptrTeachers.get(st) ?? 0) + n);
  }
  for (const stage of ['kindergarten', 'primary', 'junior', 'senior'] as const)
    out.push(result('pupil_teacher_ratio', stage, ptrPupils.get(stage) ?? 0, ptrTeachers.get(stage) ?? 0));

  // Compulsory grades: migrants and after-school services.
  let comp = 0;
  let after = 0;
  let migrant = 0;
  let covered = 0;
  for (const r of now) {
    if (!COMPULSORY.has(r.grade)) continue;
    const s = schools.get(r.school_id)!;
    comp += r.pupils;
    after += r.after_school;
    migrant += r.migrant;
    covered += s.ownership === 'public' ? r.migrant : r.migrant_purchased;
  }
  out.push(result('migrant_public_share', null, covered, migrant));

  // Disabled children: every placement counts.
  if (!input.disabled_register) {
    out.push(result('disabled_enrollment_rate', null, 0, null, NO_REGISTER));
  } else {
    const all = input.disabled_register.reduce((n, r) => n + r.children, 0);
    const placed = input.disabled_register
      .filter((r) => r.placement !== 'not_enrolled')
      .reduce((n, r) => n + r.children, 0);
    out.push(result('disabled_enrollment_rate', null, placed, all));
  }
  out.push(result('after_school_participation', null, after, comp));

  // Education groups: schools with pupils in census Y.
  let schoolsAll = 0;
  let schoolsIn = 0;
  let pupilsAll = 0;
  let pupilsIn = 0;
  for (const [id, m] of pupilsBy) {
    const n = [...m.values()].reduce((a, b) => a + b, 0);
    if (n === 0) continue;
    const inGroup = schools.get(id)!.in_group;
    schoolsAll++;
    pupilsAll += n;
    if (inGroup) {
      schoolsIn++;
      pupilsIn += n;
    }
  }
  out.push(result('group_coverage_schools', null, schoolsIn, schoolsAll));
  out.push(result('group_coverage_pupils', null, pupilsIn, pupilsAll));
  return out;
}
