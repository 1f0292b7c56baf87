/**
 * Store side of the census derivation: reads the registers of a region from the store, collapsed in
 * SQL (GROUP BY over the register's columns turns 1.5 million pupil records into about 250,000
 * groups of identical records), hands them to the pure engine, and writes the derived census of year Y
 * in one audited transaction — refusing to overwrite a stored census unless asked to replace it.
 */
import { type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { CENSUS_COUNT_COLUMNS, type CensusCountColumn } from '../domain/census-counts.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import type { DeriveInput } from '../engines/census/contract.ts';
import { type DerivedCensus, type DerivedCensusRow, deriveCensus } from '../engines/census/derive.ts';
import { indicatorInputOf } from '../engines/census/indicator-input.ts';
import type { ParsedIndicatorInput } from '../engines/indicators/contract.ts';
import {
  type IndicatorScope,
  loadIndicatorInput,
  type RegionSet,
  resolveRegion,
  schoolsOfSet,
} from '../indicators/load.ts';
import { refreshSchoolFigures } from '../registry/school-figures.ts';
import type { Database } from '../store/schema.ts';

type Db = Kysely<Database>;

export interface CensusRegion {
  /** The region or school code asked for; null for every school in the store. */
  code: string | null;
  set: RegionSet;
  /** The county of a county, township or school (for the audit log); null above. */
  countyCode: string | null;
}

export type Progress = (
  phase: 'pupils' | 'teachers' | 'derive' | 'write',
  done: number,
  total: number,
) => void;

/** A region, township or school code → the schools it covers; no code means every school. */
export async function resolveCensusRegion(db: Db, code: string | undefined): Promise<CensusRegion> {
  if (code === undefined) return { code: null, set: { kind: 'all' }, countyCode: null };
  const r = await resolveRegion(db, code, '--region');
  return { code, set: r.set, countyCode: r.countyCode };
}

export interface StoredDerivation {
  region: CensusRegion;
  derived: DerivedCensus;
  /** Pupil records of the region whose year is not Y (left out). */
  otherYearRecords: number;
}

/** The pupil fields the census is derived from: records equal in these count as one group. */
export const PUPIL_COLUMNS = [
  'school_id',
  'grade',
  'class_no',
  'sex',
  'migrant',
  'purchased_place',
  'left_behind',
  'disabled',
  'disabled_placement',
  'boarder',
  'after_school',
] as const;

/** The pupil records of year Y in the region, identical records collapsed into one group with its count. */
export function pupilGroupsQuery(db: Db, year: number, set: RegionSet) {
  return db
    .selectFrom('students')
    .select([...PUPIL_COLUMNS, (eb) => eb.fn.countAll<number>().as('n')])
    .where('year', '=', year)
    .$if(set.kind !== 'all', (q) => q.where(regionCondition(db, set, 'school_id')))
    .groupBy([...PUPIL_COLUMNS]);
}

/** Derives the census of year Y for a region from the pupil and teacher registers in the store. */
export async function deriveStoredCensus(
  db: Db,
  year: number,
  region: CensusRegion,
  onProgress: Progress = () => {},
): Promise<StoredDerivation> {
  const inRegion = (column: string) => regionCondition(db, region.set, column);
  const schools = await db
    .selectFrom('schools')
    .select(['id', 'code', 'county_code', 'school_type', 'ownership'])
    .where(inRegion('id'))
    .execute();

  onProgress('pupils', 0, 1);
  const groups = await pupilGroupsQuery(db, year, region.set).execute();
  const other = await db
    .selectFrom('students')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('year', '<>', year)
    .where(inRegion('school_id'))
    .executeTakeFirstOrThrow();
  onProgress('pupils', 1, 1);
  if (groups.length === 0)
    throw new AppError(
      'census.no_register',
      `学生学籍中没有 ${year} 学年的学生${Number(other.n) > 0 ? `（有 ${Number(other.n)} 条其他学年的学籍）` : ''}`,
      `the pupil register holds no pupils of ${year}${Number(other.n) > 0 ? ` (${Number(other.n)} records of other years)` : ''}`,
      '--year',
    );

  onProgress('teachers', 0, 1);
  const teachers = await db
    .selectFrom('teachers')
    .select(['school_id', 'subject', 'full_time', (eb) => eb.fn.countAll<number>().as('n')])
    .where(inRegion('school_id'))
    .groupBy(['school_id', 'subject', 'full_time'])
    .execute();
  onProgress('teachers', 1, 1);

  onProgress('derive', 0, 1);
  const input: DeriveInput = {
    year,
    schools: schools.map((s) => ({
      id: Number(s.id),
      code: s.code,
      county_code: s.county_code,
      school_type: s.school_type as DeriveInput['schools'][number]['school_type'],
      ownership: s.ownership as DeriveInput['schools'][number]['ownership'],
    })),
    pupils: groups.map((g) => ({
      school_id: Number(g.school_id),
      grade: g.grade as DeriveInput['pupils'][number]['grade'],
      class_no: g.class_no === null ? null : Number(g.class_no),
      sex: g.sex as 'M' | 'F',
      migrant: Number(g.migrant) === 1,
      purchased_place: Number(g.purchased_place) === 1,
      left_behind: Number(g.left_behind) === 1,
      disabled: Number(g.disabled) === 1,
      disabled_placement: g.disabled_placement as DeriveInput['pupils'][number]['disabled_placement'],
      boarder: Number(g.boarder) === 1,
      after_school: Number(g.after_school) === 1,
      count: Number(g.n),
    })),
    // The store keeps one record per pupil (the register as it stands), not last year's register.
    previous_pupils: null,
    teachers: teachers.map((t) => ({
      school_id: Number(t.school_id),
      subject: t.subject,
      full_time: Number(t.full_time) === 1,
      count: Number(t.n),
    })),
  };
  let derived: DerivedCensus;
  try {
    derived = deriveCensus(input);
  } catch (e) {
    throw isAppError(e) ? inStoreTerms(e, input) : e;
  }
  onProgress('derive', 1, 1);
  return { region, derived, otherYearRecords: Number(other.n) };
}

/** An engine error about `pupils[i]` or `teachers[i]` → the school and grade of the register rows behind it. */
function inStoreTerms(e: AppError, input: DeriveInput): AppError {
  const m = /^(pupils|teachers)\[(\d+)\]\.?(.*)$/.exec(e.field ?? '');
  if (!m) return e;
  const entry = input[m[1] as 'pupils' | 'teachers']![Number(m[2])];
  const school = input.schools.find((s) => s.id === entry.school_id)?.code ?? String(entry.school_id);
  const grade = 'grade' in entry ? `，年级 ${entry.grade}` : '';
  const gradeEn = 'grade' in entry ? `, grade ${entry.grade}` : '';
  const table = m[1] === 'pupils' ? 'students' : 'teachers';
  return new AppError(
    e.code,
    `${table === 'students' ? '学生学籍' : '教师名册'}（学校 ${school}${grade}）：${e.zh}`,
    `${table} register (school ${school}${gradeEn}): ${e.en}`,
    `${table}.${m[3] || 'school_id'}`,
  );
}

export interface WriteOptions {
  /** Replace the census, census_teachers and classes of year Y already stored for the region. */
  replace?: boolean;
  actor: AuditActor;
  onProgress?: Progress;
}

export interface WriteSummary {
  written: { census: number; census_teachers: number; classes: number };
  /** Rows of year Y that were there before and were replaced. */
  replaced: { census: number; census_teachers: number; classes: number };
  /** Census columns the registers could not give: kept from the replaced rows (0 where there was none). */
  kept: CensusCountColumn[];
}

/**
 * Writes a derived census for its year and region, in one transaction, audited. A stored census,
 * teacher census or class list of that year for the region is refused unless `replace`; with it, those
 * rows are replaced, and the census columns the registers cannot give keep their stored values.
 * Parts that were not derivable at all (classes, census_teachers) are left as they are.
 */
export async function writeDerivedCensus(
  db: Db,
  { region, derived }: Pick<StoredDerivation, 'region' | 'derived'>,
  opts: WriteOptions,
): Promise<WriteSummary> {
  const Y = derived.year;
  const progress = opts.onProgress ?? (() => {});
  const kept = CENSUS_COUNT_COLUMNS.filter((c) => derived.not_derivable.some((n) => n.field === c));
  const tables = ['census', 'census_teachers', 'classes'] as const;
  const derivedRows = {
    census: derived.census,
    census_teachers: derived.census_teachers,
    classes: derived.classes,
  };
  return db.transaction().execute(async (trx) => {
    const inRegion = () => regionCondition(trx, region.set, 'school_id');
    const replaced = { census: 0, census_teachers: 0, classes: 0 };
    for (const t of tables) {
      const r = await trx
        .selectFrom(t)
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('year', '=', Y)
        .where(inRegion())
        .executeTakeFirstOrThrow();
      replaced[t] = derivedRows[t] === null ? 0 : Number(r.n);
    }
    const existing = replaced.census + replaced.census_teachers + replaced.classes;
    if (existing > 0 && !opts.replace)
      throw new AppError(
        'census.exists',
        `${Y} 年已有基础统计（${replaced.census} 行基础统计、${replaced.census_teachers} 行专任教师、${replaced.classes} 个班级）：如要以学籍推算的结果替换，请加 --replace`,
        `census ${Y} is already stored for the region (${replaced.census} census rows, ${replaced.census_teachers} teacher rows, ${replaced.classes} classes); pass --replace to replace it with the derived census`,
        '--replace',
      );

    progress('write', 0, 3);
    const stored = new Map<string, Record<string, unknown>>();
    if (kept.length > 0 && replaced.census > 0) {
      const rows = await trx
        .selectFrom('census')
        .select(['school_id', 'county_code', 'grade', ...kept])
        .where('year', '=', Y)
        .where(inRegion())
        .execute();
      for (const r of rows) stored.set(`${r.school_id}:${r.grade}`, r);
    }
    const synthetic = await syntheticSchools(trx);
    const rows = derived.census.map((r) => {
      const key = `${r.school_id}:${r.grade}`;
      const before = stored.get(key);
      stored.delete(key);
      return censusRow(r, kept, before, synthetic);
    });
    // A stored row without pupils on the register now (graduates of a grade no longer taught, say)
    // keeps what the registers cannot give.
    for (const before of stored.values())
      if (kept.some((c) => Number(before[c]) > 0)) {
        const empty = { ...before, year: Y } as unknown as DerivedCensusRow;
        for (const c of CENSUS_COUNT_COLUMNS) if (!kept.includes(c)) empty[c] = 0;
        rows.push(censusRow(empty, kept, before, synthetic));
      }
    await trx.deleteFrom('census').where('year', '=', Y).where(inRegion()).execute();
    await insertChunks(trx, 'census', rows);
    progress('write', 1, 3);
    if (derived.census_teachers) {
      await trx.deleteFrom('census_teachers').where('year', '=', Y).where(inRegion()).execute();
      await insertChunks(
        trx,
        'census_teachers',
        derived.census_teachers.map((t) => ({ ...t, synthetic: synthetic.has(t.school_id) ? 1 : 0 })),
      );
    }
    progress('write', 2, 3);
    if (derived.classes) {
      await trx.deleteFrom('classes').where('year', '=', Y).where(inRegion()).execute();
      await insertChunks(
        trx,
        'classes',
        derived.classes.map((c) => ({ ...c, synthetic: synthetic.has(c.school_id) ? 1 : 0 })),
      );
    }
    await refreshSchoolFigures(trx);
    const written = {
      census: rows.length,
      census_teachers: derived.census_teachers?.length ?? 0,
      classes: derived.classes?.length ?? 0,
    };
    await writeAudit(trx, opts.actor, {
      action: 'census.derive',
      resourceType: 'census',
      resourceId: String(Y),
      countyCode: region.countyCode,
      context: {
        year: Y,
        region: region.code,
        pupil_records: derived.pupil_records,
        written,
        replaced,
        kept,
        not_derivable: derived.not_derivable.map((n) => n.field),
      },
    });
    progress('write', 3, 3);
    return { written, replaced, kept };
  });
}

/** A census row to insert: derived columns, and the stored value (or 0) of those not derivable. */
function censusRow(
  r: DerivedCensusRow,
  kept: readonly CensusCountColumn[],
  stored: Record<string, unknown> | undefined,
  synthetic: Set<number>,
) {
  const row: Record<string, unknown> = {
    school_id: r.school_id,
    county_code: r.county_code,
    year: r.year,
    grade: r.grade,
    synthetic: synthetic.has(r.school_id) ? 1 : 0,
  };
  for (const c of CENSUS_COUNT_COLUMNS) row[c] = kept.includes(c) ? Number(stored?.[c] ?? 0) : r[c];
  return row as { school_id: number; county_code: string; year: number; grade: string };
}

/** Rows derived from synthetic (demo) schools' registers are synthetic too. */
async function syntheticSchools(trx: Transaction<Database>): Promise<Set<number>> {
  const rows = await trx.selectFrom('schools').select('id').where('synthetic', '=', 1).execute();
  return new Set(rows.map((r) => Number(r.id)));
}

/** Inserts in chunks that stay under both dialects' limits on bound parameters. */
async function insertChunks(
  trx: Transaction<Database>,
  table: 'census' | 'census_teachers' | 'classes',
  rows: Record<string, unknown>[],
): Promise<void> {
  const CHUNK = 1000;
  for (let i = 0; i < rows.length; i += CHUNK)
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK) as never)
      .execute();
}

/** `column` is the id of a school of the region (no condition for every school). */
function regionCondition(db: Db | Transaction<Database>, set: RegionSet, column: string) {
  return set.kind === 'all'
    ? sql<SqlBool>`1 = 1`
    : sql<SqlBool>`${sql.ref(column)} in ${schoolsOfSet(db as Db, set)}`;
}

/**
 * The indicator engine's input over a derived census: schools, population and the disabled-children
 * register of the region from the store, census, teachers and classes from the registers.
 */
export async function derivedIndicatorInput(
  db: Db,
  { region, derived }: Pick<StoredDerivation, 'region' | 'derived'>,
): Promise<ParsedIndicatorInput> {
  const scope: IndicatorScope =
    region.code === null ? { kind: 'all' } : { kind: 'region', code: region.code };
  return indicatorInputOf(derived, await loadIndicatorInput(db, scope, derived.year));
}
