/**
 * The records behind a figure: the census rows, classes, schools or register entries an indicator
 * counts for a region and year, as a table (columns and rows) that the web shows and the export writes.
 * Census-based tables come from the same read as the engine (`loadIndicatorRows`), so they add up to
 * the figure; classes, the disabled-children register and pupils are read here.
 */
import type { Kysely } from 'kysely';
import { classSizeBand } from '../domain/class-size.ts';
import { AppError } from '../domain/errors.ts';
import { maskIdNumber, maskName, maskRegisterNo } from '../domain/privacy.ts';
import {
  DISABLED_PLACEMENT_LABELS,
  DISABLED_PLACEMENT_LABELS_EN,
  type DisabledPlacement,
  GRADE_LABELS,
  GRADE_LABELS_EN,
  GRADES,
  type Grade,
  OWNERSHIP_LABELS,
  OWNERSHIP_LABELS_EN,
  type Ownership,
  SCHOOL_TYPE_LABELS,
  SCHOOL_TYPE_LABELS_EN,
  type SchoolType,
  STAGE_GRADES,
  type Stage,
  stageOfGrade,
} from '../domain/stages.ts';
import { teachersByStage } from '../domain/teachers.ts';
import { INDICATOR_BY_ID } from '../engines/indicators/definitions.ts';
import type { Database } from '../store/schema.ts';
import {
  indexRows,
  loadIndicatorRows,
  type ResolvedRegion,
  type StoredSchool,
  schoolsOfSet,
  setCondition,
} from './load.ts';

type Db = Kysely<Database>;

/** `figure`: what the figure counts; `register`: the pupils of a school's register behind it. */
export type RecordSource = 'figure' | 'register';
export type ValueKind =
  | 'text'
  | 'number'
  | 'grade'
  | 'ownership'
  | 'schoolType'
  | 'placement'
  | 'flag'
  | 'sex';
export type RecordValue = string | number | null;

export interface RecordColumn {
  key: string;
  zh: string;
  en: string;
  kind: ValueKind;
}

export interface IndicatorRecords {
  kind: 'census' | 'classes' | 'schools' | 'disabled' | 'pupils';
  /** Personal records (pupils, disabled children): reading them needs personal.read and is audited. */
  personal: boolean;
  masked: boolean;
  columns: RecordColumn[];
  rows: RecordValue[][];
}

const col = (key: string, zh: string, en: string, kind: ValueKind = 'number'): RecordColumn => ({
  key,
  zh,
  en,
  kind,
});
const SCHOOL = [
  col('school', '学校', 'School', 'text'),
  col('school_code', '学校标识码', 'School code', 'text'),
];
const GRADE = col('grade', '年级', 'Grade', 'grade');

/** A person's register number (under `key`), name and ID number: the columns that are masked. */
const personColumns = (key: string, zh: string): RecordColumn[] => [
  col(key, zh, 'Register no.', 'text'),
  col('name', '姓名', 'Name', 'text'),
  col('id_number', '身份证号', 'ID number', 'text'),
];
/** The cells of personColumns, masked unless the reader may see them in full. */
const personCells = (no: string, name: string, id: string | null, unmasked: boolean): RecordValue[] =>
  unmasked ? [no, name, id] : [maskRegisterNo(no), maskName(name), maskIdNumber(id)];
const PUPILS = col('pupils', '在校生', 'Pupils');

const K = new Set<string>(STAGE_GRADES.kindergarten);
const COMPULSORY = new Set<string>([...STAGE_GRADES.primary, ...STAGE_GRADES.junior]);
const SENIOR = new Set<string>(STAGE_GRADES.senior);

/** The indicator and stage asked for, checked against the definitions. */
export function checkIndicator(id: string, stage: Stage | null): void {
  const d = INDICATOR_BY_ID.get(id);
  if (!d)
    throw new AppError('indicators.unknown_indicator', `没有指标 ${id}`, `no indicator ${id}`, 'indicator');
  if (d.stages.length ? !stage || !d.stages.includes(stage) : stage !== null)
    throw new AppError(
      'indicators.invalid_stage',
      d.stages.length ? `${d.zh}需指定学段：${d.stages.join('、')}` : `${d.zh}不分学段`,
      d.stages.length ? `${d.en} needs a stage: ${d.stages.join(', ')}` : `${d.en} has no stage`,
      'stage',
    );
}

/** Which of a school's pupils stand behind an indicator: grades, and a flag or class band. */
function pupilFilter(
  id: string,
  stage: Stage | null,
): { grades: readonly string[]; migrant?: true; disabled?: true } {
  switch (id) {
    case 'preschool_ger':
    case 'inclusive_kg_coverage':
    case 'public_kg_share':
      return { grades: STAGE_GRADES.kindergarten };
    case 'senior_ger':
      return { grades: STAGE_GRADES.senior };
    case 'compulsory_retention':
    case 'compulsory_retention_raw':
      return { grades: ['G9'] };
    case 'migrant_public_share':
      return { grades: [...COMPULSORY], migrant: true };
    case 'after_school_participation':
      return { grades: [...COMPULSORY] };
    case 'disabled_enrollment_rate':
      return { grades: GRADES, disabled: true };
    case 'large_class_share':
    case 'super_large_class_share':
    case 'pupil_teacher_ratio':
      return { grades: STAGE_GRADES[stage!] };
    default:
      return { grades: GRADES };
  }
}

/**
 * The records behind `indicator` (and `stage`) for a region and year Y. The register source is for a
 * school only (a region's register runs to hundreds of thousands of pupils); names, ID numbers and
 * 学籍号 are masked unless `unmasked`.
 */
export async function loadIndicatorRecords(
  db: Db,
  region: ResolvedRegion,
  year: number,
  indicator: string,
  stage: Stage | null,
  source: RecordSource,
  o: { unmasked: boolean },
): Promise<IndicatorRecords> {
  checkIndicator(indicator, stage);
  if (source === 'register') {
    if (region.set.kind !== 'school')
      throw new AppError(
        'indicators.register_school_only',
        '学籍名册只能按学校查看',
        'the pupil register is shown for one school at a time',
        'source',
      );
    return pupilsBehind(db, region.set.schoolId, year, indicator, stage, o.unmasked);
  }
  if (indicator === 'large_class_share' || indicator === 'super_large_class_share')
    return classesBehind(
      db,
      region,
      year,
      indicator === 'large_class_share' ? 'large' : 'super_large',
      stage!,
    );
  if (indicator === 'disabled_enrollment_rate') return disabledBehind(db, region, year, o.unmasked);
  return censusBehind(db, region, year, indicator, stage);
}

async function censusBehind(
  db: Db,
  region: ResolvedRegion,
  year: number,
  indicator: string,
  stage: Stage | null,
): Promise<IndicatorRecords> {
  const index = indexRows(await loadIndicatorRows(db, region.set, year, year));
  const schools = index.rows.schools;
  const now = (s: StoredSchool) => (index.census.get(s.id) ?? []).filter((c) => c.year === year);
  const table = (columns: RecordColumn[], rows: RecordValue[][]): IndicatorRecords => ({
    kind: indicator.startsWith('group_') || indicator === 'pupil_teacher_ratio' ? 'schools' : 'census',
    personal: false,
    masked: false,
    columns,
    rows,
  });
  const byGrade = (
    grades: Set<string>,
    extra: (s: StoredSchool) => RecordValue[],
    keep = (n: number) => n > 0,
  ) => {
    const rows: RecordValue[][] = [];
    for (const s of schools)
      for (const c of now(s))
        if (grades.has(c.grade) && keep(c.pupils))
          rows.push([s.name, s.code, ...extra(s), c.grade, c.pupils]);
    return rows;
  };
  switch (indicator) {
    case 'preschool_ger':
    case 'inclusive_kg_coverage':
    case 'public_kg_share':
      return table(
        [
          ...SCHOOL,
          col('ownership', '办学性质', 'Ownership', 'ownership'),
          col('inclusive', '普惠性', 'Inclusive', 'flag'),
          GRADE,
          PUPILS,
        ],
        byGrade(K, (s) => [s.ownership, s.ownership === 'public' || s.inclusive ? 1 : 0]),
      );
    case 'senior_ger':
      return table(
        [...SCHOOL, col('school_type', '学校类型', 'School type', 'schoolType'), GRADE, PUPILS],
        byGrade(SENIOR, (s) => [s.school_type]),
      );
    case 'after_school_participation': {
      const rows: RecordValue[][] = [];
      for (const s of schools)
        for (const c of now(s))
          if (COMPULSORY.has(c.grade) && c.pupils > 0)
            rows.push([s.name, s.code, c.grade, c.pupils, c.after_school]);
      return table([...SCHOOL, GRADE, PUPILS, col('after_school', '参加课后服务', 'After-school')], rows);
    }
    case 'migrant_public_share': {
      const rows: RecordValue[][] = [];
      for (const s of schools)
        for (const c of now(s))
          if (COMPULSORY.has(c.grade) && c.migrant > 0)
            rows.push([
              s.name,
              s.code,
              s.ownership,
              c.grade,
              c.migrant,
              c.migrant_purchased,
              s.ownership === 'public' ? c.migrant : c.migrant_purchased,
            ]);
      return table(
        [
          ...SCHOOL,
          col('ownership', '办学性质', 'Ownership', 'ownership'),
          GRADE,
          col('migrant', '随迁子女', 'Migrant pupils'),
          col('migrant_purchased', '政府购买学位', 'Purchased places'),
          col('counted', '计入分子', 'Counted'),
        ],
        rows,
      );
    }
    case 'compulsory_retention':
    case 'compulsory_retention_raw': {
      // The cohort's cells: intake (Y−9, G1), transfers (Y−9+k, Gk), graduates (Y, G9).
      const cells = new Set([
        `${year - 9}:G1`,
        ...Array.from({ length: 9 }, (_, k) => `${year - 8 + k}:G${k + 1}`),
      ]);
      const rows: RecordValue[][] = [];
      for (const s of schools)
        for (const c of index.census.get(s.id) ?? [])
          if (cells.has(`${c.year}:${c.grade}`))
            rows.push([
              s.name,
              s.code,
              c.year,
              c.grade,
              c.entrants,
              c.transfers_in,
              c.transfers_out,
              c.graduates,
            ]);
      rows.sort((a, b) => Number(a[2]) - Number(b[2]) || String(a[1]).localeCompare(String(b[1])));
      return table(
        [
          ...SCHOOL,
          col('year', '统计年度', 'Census year'),
          GRADE,
          col('entrants', '招生', 'Entrants'),
          col('transfers_in', '转入', 'Transfers in'),
          col('transfers_out', '转出', 'Transfers out'),
          col('graduates', '毕业生', 'Graduates'),
        ],
        rows,
      );
    }
    case 'pupil_teacher_ratio': {
      const teachers = new Map<number, number>();
      for (const [id, list] of index.teachers)
        teachers.set(
          Number(id),
          list.filter((t) => t.year === year).reduce((n, t) => n + t.full_time_teachers, 0),
        );
      const rows: RecordValue[][] = [];
      for (const s of schools) {
        const byStage = new Map<Stage, number>();
        for (const c of now(s))
          byStage.set(stageOfGrade(c.grade), (byStage.get(stageOfGrade(c.grade)) ?? 0) + c.pupils);
        const all = teachers.get(s.id) ?? 0;
        const share = teachersByStage(all, byStage, s.school_type).get(stage!) ?? 0;
        const pupils = byStage.get(stage!) ?? 0;
        if (pupils > 0 || share > 0)
          rows.push([s.name, s.code, s.school_type, pupils, all, Math.round(share * 100) / 100]);
      }
      return table(
        [
          ...SCHOOL,
          col('school_type', '学校类型', 'School type', 'schoolType'),
          col('pupils', '本学段在校生', 'Pupils of the stage'),
          col('teachers', '全校专任教师', 'Full-time teachers (school)'),
          col('teachers_stage', '分摊到本学段', 'Teachers of the stage'),
        ],
        rows,
      );
    }
    default: {
      // Education groups: schools with pupils, covered or not.
      const rows: RecordValue[][] = [];
      for (const s of schools) {
        const pupils = now(s).reduce((n, c) => n + c.pupils, 0);
        if (pupils === 0) continue;
        const covered = s.group_since !== null && s.group_since <= year;
        rows.push([s.name, s.code, pupils, covered ? 1 : 0, covered ? s.group_since : null]);
      }
      return table(
        [
          ...SCHOOL,
          PUPILS,
          col('in_group', '集团成员', 'In a group', 'flag'),
          col('since', '加入年份', 'Since'),
        ],
        rows,
      );
    }
  }
}

async function classesBehind(
  db: Db,
  region: ResolvedRegion,
  year: number,
  band: 'large' | 'super_large',
  stage: Stage,
): Promise<IndicatorRecords> {
  const rows = await db
    .selectFrom('classes as c')
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .select(['s.name', 's.code', 'c.grade', 'c.class_no', 'c.size'])
    .where('c.school_id', 'in', schoolsOfSet(db, region.set))
    .where('c.year', '=', year)
    .where('c.grade', 'in', [...STAGE_GRADES[stage]])
    .where('c.size', '>=', 56) // the smallest large class; the band itself is classSizeBand's
    .orderBy('s.code')
    .orderBy('c.grade')
    .orderBy('c.class_no')
    .execute();
  return {
    kind: 'classes',
    personal: false,
    masked: false,
    columns: [...SCHOOL, GRADE, col('class_no', '班号', 'Class'), col('size', '班额', 'Class size')],
    rows: rows
      .filter((r) => classSizeBand(Number(r.size)) === band)
      .map((r) => [r.name, r.code, r.grade, Number(r.class_no), Number(r.size)]),
  };
}

async function disabledBehind(
  db: Db,
  region: ResolvedRegion,
  year: number,
  unmasked: boolean,
): Promise<IndicatorRecords> {
  const rows = await db
    .selectFrom('disabled_children as d')
    .leftJoin('schools as s', 's.id', 'd.school_id')
    .select([
      'd.register_no',
      'd.name',
      'd.id_number',
      'd.sex',
      'd.disability_type',
      'd.placement',
      's.name as school',
    ])
    .where('d.year', '=', year)
    .where(
      setCondition(region.set, {
        county: 'd.county_code',
        township: 'd.township_code',
        school: 'd.school_id',
      }),
    )
    .orderBy('d.register_no')
    .execute();
  return {
    kind: 'disabled',
    personal: true,
    masked: !unmasked,
    columns: [
      ...personColumns('register_no', '登记号'),
      col('sex', '性别', 'Sex', 'sex'),
      col('disability_type', '残疾类别', 'Disability', 'text'),
      col('placement', '安置方式', 'Placement', 'placement'),
      col('school', '安置学校', 'School', 'text'),
    ],
    rows: rows.map((r) => [
      ...personCells(r.register_no, r.name, r.id_number, unmasked),
      r.sex,
      r.disability_type,
      r.placement,
      r.school,
    ]),
  };
}

async function pupilsBehind(
  db: Db,
  schoolId: number,
  year: number,
  indicator: string,
  stage: Stage | null,
  unmasked: boolean,
): Promise<IndicatorRecords> {
  const f = pupilFilter(indicator, stage);
  const band =
    indicator === 'large_class_share'
      ? 'large'
      : indicator === 'super_large_class_share'
        ? 'super_large'
        : null;
  const rows = await db
    .selectFrom('students as p')
    .select([
      'p.student_no',
      'p.name',
      'p.id_number',
      'p.sex',
      'p.grade',
      'p.class_no',
      'p.migrant',
      'p.after_school',
      'p.disabled',
    ])
    .where('p.school_id', '=', schoolId)
    .where('p.year', '=', year)
    .where('p.grade', 'in', [...f.grades])
    .$if(Boolean(f.migrant), (q) => q.where('p.migrant', '=', 1))
    .$if(Boolean(f.disabled), (q) => q.where('p.disabled', '=', 1))
    .orderBy('p.grade')
    .orderBy('p.class_no')
    .orderBy('p.student_no')
    .execute();
  // The pupils of the large (or super-large) classes: their class in the class list of year Y.
  let inBand: Set<string> | null = null;
  if (band) {
    const classes = await db
      .selectFrom('classes')
      .select(['grade', 'class_no', 'size'])
      .where('school_id', '=', schoolId)
      .where('year', '=', year)
      .execute();
    inBand = new Set(
      classes.filter((c) => classSizeBand(Number(c.size)) === band).map((c) => `${c.grade}:${c.class_no}`),
    );
  }
  const order = new Map(GRADES.map((g, i) => [g as string, i]));
  const pupils = rows
    .filter((r) => !inBand || inBand.has(`${r.grade}:${r.class_no}`))
    .sort((a, b) => (order.get(a.grade) ?? 0) - (order.get(b.grade) ?? 0));
  return {
    kind: 'pupils',
    personal: true,
    masked: !unmasked,
    columns: [
      ...personColumns('student_no', '学籍号'),
      col('sex', '性别', 'Sex', 'sex'),
      GRADE,
      col('class_no', '班号', 'Class'),
      col('migrant', '随迁子女', 'Migrant', 'flag'),
      col('after_school', '课后服务', 'After-school', 'flag'),
      col('disabled', '残疾', 'Disabled', 'flag'),
    ],
    rows: pupils.map((r) => [
      ...personCells(r.student_no, r.name, r.id_number, unmasked),
      r.sex,
      r.grade,
      r.class_no === null ? null : Number(r.class_no),
      Number(r.migrant),
      Number(r.after_school),
      Number(r.disabled),
    ]),
  };
}

/** A value as the reader sees it, in their language (grades, ownership, placements and flags named). */
export function presentValue(kind: ValueKind, v: RecordValue, lang: 'zh' | 'en'): RecordValue {
  if (v === null) return null;
  const zh = lang === 'zh';
  switch (kind) {
    case 'grade':
      return (zh ? GRADE_LABELS : GRADE_LABELS_EN)[v as Grade] ?? v;
    case 'ownership':
      return (zh ? OWNERSHIP_LABELS : OWNERSHIP_LABELS_EN)[v as Ownership] ?? v;
    case 'schoolType':
      return (zh ? SCHOOL_TYPE_LABELS : SCHOOL_TYPE_LABELS_EN)[v as SchoolType] ?? v;
    case 'placement':
      return (zh ? DISABLED_PLACEMENT_LABELS : DISABLED_PLACEMENT_LABELS_EN)[v as DisabledPlacement] ?? v;
    case 'flag':
      return Number(v) === 1 ? (zh ? '是' : 'yes') : zh ? '否' : 'no';
    case 'sex':
      return v === 'F' ? (zh ? '女' : 'female') : v === 'M' ? (zh ? '男' : 'male') : v;
    default:
      return v;
  }
}
