/**
 * 招生批次: a county's round for a stage and year. Drafts are edited freely; opening checks the rules
 * against the registry (catchments, planned classes, reserved seats) and freezes them with a digest.
 * Catchments and capacities are the registry's tables, read for the round's county, year and stage.
 */
import { createHash } from 'node:crypto';
import { type Kysely, PostgresAdapter, type Selectable, sql, type Transaction } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { levelOfCode } from '../domain/regions/index.ts';
import {
  SCHOOL_TYPE_STAGES,
  type SchoolType,
  STAGE_GRADES,
  STAGE_LABELS,
  type Stage,
} from '../domain/stages.ts';
import { nowIso, shanghaiInstant } from '../domain/time.ts';
import type { AdmissionRoundsTable, Database } from '../store/schema.ts';
import { parseRoundRules, type RoundRules, type RuleProblem } from './rules.ts';

type Db = Kysely<Database> | Transaction<Database>;

/** Admissions happen at the two entry points of compulsory education. */
export const ADMISSION_STAGES = ['primary', 'junior'] as const;
export type AdmissionStage = (typeof ADMISSION_STAGES)[number];

export type RoundRow = Selectable<AdmissionRoundsTable>;
export interface Round extends RoundRow {
  parsedRules: RoundRules;
}

const roundNotFound = () =>
  new AppError('admissions.round_not_found', '找不到该招生批次', 'No such admission round');

/** Stored rules text → its parsed value (a pure function of the text, so safe to share). */
const parsedRulesCache = new Map<string, RoundRules>();

function deepFreeze<T>(v: T): T {
  if (v && typeof v === 'object' && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** Stored rules were valid when saved; parsing again gives the typed value. Parsed once per text. */
function parseStoredRules(text: string): RoundRules {
  let rules = parsedRulesCache.get(text);
  if (!rules) {
    rules = deepFreeze(parseRoundRules(JSON.parse(text)));
    if (parsedRulesCache.size >= 200) parsedRulesCache.clear();
    parsedRulesCache.set(text, rules);
  }
  return rules;
}

export async function findRound(db: Db, id: number): Promise<Round | undefined> {
  // The row is read every time (its status and deadline decide whether families may submit).
  const row = await db.selectFrom('admission_rounds').selectAll().where('id', '=', id).executeTakeFirst();
  return row && { ...row, parsedRules: parseStoredRules(row.rules) };
}

const openRounds = new WeakMap<object, Map<number, { at: number; round: Round }>>();

/**
 * The round for a submission: an open round is kept per process for CHOICE_INDEX_MS (its rules and
 * deadline are frozen once open); any other status is read every time, so a round that opens is
 * seen at once. A round closed meanwhile takes no application all the same: the insert re-checks
 * the status in the database (submitApplication).
 */
export async function findRoundForSubmission(
  db: Db,
  id: number,
  now = Date.now(),
): Promise<Round | undefined> {
  const perDb = openRounds.get(db) ?? new Map<number, { at: number; round: Round }>();
  openRounds.set(db, perDb);
  const hit = perDb.get(id);
  if (hit && now - hit.at < CHOICE_INDEX_MS) return hit.round;
  const round = await findRound(db, id);
  if (round?.status === 'open') perDb.set(id, { at: now, round });
  else perDb.delete(id);
  return round;
}

export async function getRound(db: Db, id: number): Promise<Round> {
  const r = await findRound(db, id);
  if (!r) throw roundNotFound();
  return r;
}

export async function listRounds(
  db: Db,
  filter: { county?: string; countyPrefix?: string; status?: string },
) {
  // The stages in school order, primary (小学) before junior (初中): pages open the first round.
  const stageOrder = sql`CASE WHEN stage = 'primary' THEN 0 ELSE 1 END`;
  return db
    .selectFrom('admission_rounds')
    .selectAll()
    .$if(Boolean(filter.county), (q) => q.where('county_code', '=', filter.county!))
    .$if(Boolean(filter.countyPrefix), (q) => q.where('county_code', 'like', `${filter.countyPrefix}%`))
    .$if(Boolean(filter.status), (q) => q.where('status', '=', filter.status as RoundRow['status']))
    .orderBy('year', 'desc')
    .orderBy('county_code')
    .orderBy(stageOrder)
    .execute();
}

export interface NewRound {
  countyCode: string;
  year: number;
  stage: AdmissionStage;
  name: string;
  rules: unknown;
  synthetic?: boolean;
}

export async function createRound(db: Kysely<Database>, actor: AuditActor, input: NewRound): Promise<Round> {
  const rules = parseRoundRules(input.rules);
  if (levelOfCode(input.countyCode) !== 'county')
    throw new AppError(
      'admissions.county_required',
      '须为县级区划代码',
      'A county code is needed',
      'countyCode',
    );
  const county = await db
    .selectFrom('regions')
    .select('code')
    .where('code', '=', input.countyCode)
    .executeTakeFirst();
  if (!county) throw new AppError('admissions.county_required', '县区不存在', 'No such county', 'countyCode');
  return db.transaction().execute(async (trx) => {
    const taken = await trx
      .selectFrom('admission_rounds')
      .select('id')
      .where('county_code', '=', input.countyCode)
      .where('year', '=', input.year)
      .where('stage', '=', input.stage)
      .executeTakeFirst();
    if (taken)
      throw new AppError(
        'admissions.round_exists',
        `该县区 ${input.year} 年此学段的招生批次已存在`,
        `The county already has a ${input.year} round for this stage`,
        'year',
      );
    const now = nowIso();
    const row = await trx
      .insertInto('admission_rounds')
      .values({
        county_code: input.countyCode,
        year: input.year,
        stage: input.stage,
        name: input.name,
        status: 'draft',
        rules: JSON.stringify(rules),
        deadline_at: shanghaiInstant(rules.schedule.registrationCloses),
        synthetic: input.synthetic ? 1 : 0,
        created_by: actor.username ?? 'system',
        updated_at: now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'admissions.round_create',
      resourceType: 'admission_round',
      resourceId: row.id,
      countyCode: row.county_code,
      after: { year: row.year, stage: row.stage, name: row.name },
    });
    return { ...row, parsedRules: rules };
  });
}

/** Edits a draft's name and rules; an opened round's rules are frozen. */
export async function updateRound(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  input: { name?: string; rules: unknown },
): Promise<Round> {
  if (round.status !== 'draft')
    throw new AppError(
      'admissions.rules_frozen',
      '报名已开始，招生规则已冻结，不能修改',
      'Registration has opened: the rules are frozen',
      'rules',
    );
  const rules = parseRoundRules(input.rules);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('admission_rounds')
      .set({
        name: input.name ?? round.name,
        rules: JSON.stringify(rules),
        deadline_at: shanghaiInstant(rules.schedule.registrationCloses),
        updated_at: nowIso(),
      })
      .where('id', '=', round.id)
      .where('status', '=', 'draft')
      .returningAll()
      .executeTakeFirst();
    if (!row) throw roundNotFound();
    await writeAudit(trx, actor, {
      action: 'admissions.round_update',
      resourceType: 'admission_round',
      resourceId: round.id,
      countyCode: round.county_code,
    });
    return { ...row, parsedRules: rules };
  });
}

/** The grade a stage admits into: G1 for primary, G7 for junior. */
export const entryGrade = (stage: string) => STAGE_GRADES[stage as Stage][0];

const typesTeaching = (stage: string) =>
  (Object.keys(SCHOOL_TYPE_STAGES) as SchoolType[]).filter((t) =>
    SCHOOL_TYPE_STAGES[t].includes(stage as Stage),
  );

export interface RoundSchool {
  id: number;
  code: string;
  name: string;
  ownership: string;
  lng: number | null;
  lat: number | null;
  /** 规划学位: planned entry-grade classes × standard class size. */
  planned: number;
  reserved: number;
  /** Seats for the draw: planned minus those kept for appeals. */
  capacity: number;
}

/**
 * The schools of a round: every public school a catchment of the round names, and the county's
 * private schools teaching the stage (公民同招), with seats from the registry's planned classes.
 */
export async function roundSchools(db: Db, round: RoundRow, rules: RoundRules): Promise<RoundSchool[]> {
  const grade = entryGrade(round.stage);
  const rows = await db
    .selectFrom('schools')
    .leftJoin('school_capacity', (j) =>
      j.onRef('school_capacity.school_id', '=', 'schools.id').on('school_capacity.grade', '=', grade),
    )
    .select([
      'schools.id',
      'schools.code',
      'schools.name',
      'schools.ownership',
      'schools.lng',
      'schools.lat',
      'school_capacity.planned_classes',
      'school_capacity.standard_class_size',
    ])
    .where('schools.county_code', '=', round.county_code)
    .where((eb) =>
      eb.or([
        eb(
          'schools.id',
          'in',
          eb
            .selectFrom('catchments')
            .select('catchments.school_id')
            .where('catchments.county_code', '=', round.county_code)
            .where('catchments.year', '=', round.year)
            .where('catchments.stage', '=', round.stage),
        ),
        eb.and([
          eb('schools.ownership', '=', 'private'),
          eb('schools.school_type', 'in', typesTeaching(round.stage)),
        ]),
      ]),
    )
    .orderBy('schools.code')
    .execute();
  return rows.map((r) => {
    const planned = (r.planned_classes ?? 0) * (r.standard_class_size ?? 0);
    const reserved = Math.min(planned, rules.reservedSeats.bySchool[r.code] ?? rules.reservedSeats.default);
    return {
      id: r.id,
      code: r.code,
      name: r.name,
      ownership: r.ownership,
      lng: r.lng,
      lat: r.lat,
      planned,
      reserved,
      capacity: planned - reserved,
    };
  });
}

/** Community → the schools its catchment names for the round (多校划片: several). */
export async function roundCatchments(db: Db, round: RoundRow) {
  const rows = await db
    .selectFrom('catchments')
    .innerJoin('communities', 'communities.code', 'catchments.community_code')
    .select(['communities.code', 'communities.name', 'catchments.school_id'])
    .where('catchments.county_code', '=', round.county_code)
    .where('catchments.year', '=', round.year)
    .where('catchments.stage', '=', round.stage)
    .orderBy('communities.code')
    .orderBy('catchments.school_id')
    .execute();
  const out = new Map<string, { code: string; name: string; schoolIds: number[] }>();
  for (const r of rows) {
    const c = out.get(r.code) ?? { code: r.code, name: r.name, schoolIds: [] };
    c.schoolIds.push(r.school_id);
    out.set(r.code, c);
  }
  return [...out.values()];
}

export interface ChoosableSchool {
  id: number;
  code: string;
  name: string;
  ownership: string;
}

/** What a submission is checked against: each community's catchment schools, and the schools a family may list. */
export interface RoundChoiceIndex {
  communities: Map<string, { name: string; schoolIds: number[] }>;
  /** The county's public schools, and its private ones teaching the stage. */
  schools: Map<number, ChoosableSchool>;
}

/**
 * How long a process keeps a round's choice index (as the sessions, SESSION_CACHE_MS). The
 * catchments and schools are the registry's, checked when the round opened; an import meanwhile
 * reaches the submissions of every process within this time.
 */
export const CHOICE_INDEX_MS = 5000;
const choiceIndexes = new WeakMap<object, Map<string, { at: number; index: Promise<RoundChoiceIndex> }>>();

async function loadChoiceIndex(db: Db, round: RoundRow): Promise<RoundChoiceIndex> {
  const [catchments, schools] = await Promise.all([
    roundCatchments(db, round),
    db
      .selectFrom('schools')
      .select(['id', 'code', 'name', 'ownership', 'school_type'])
      .where('county_code', '=', round.county_code)
      .execute(),
  ]);
  const teaching = typesTeaching(round.stage);
  return {
    communities: new Map(catchments.map((c) => [c.code, { name: c.name, schoolIds: c.schoolIds }])),
    schools: new Map(
      schools
        .filter((r) => r.ownership !== 'private' || teaching.includes(r.school_type as SchoolType))
        .map((r) => [r.id, { id: r.id, code: r.code, name: r.name, ownership: r.ownership }]),
    ),
  };
}

/**
 * The round's choice index, read once per CHOICE_INDEX_MS per process (and per database handle):
 * on registration day every submission needs it, and reading it each time cost two queries.
 */
export function roundChoiceIndex(db: Db, round: RoundRow, now = Date.now()): Promise<RoundChoiceIndex> {
  const perDb = choiceIndexes.get(db) ?? new Map();
  choiceIndexes.set(db, perDb);
  const key = `${round.id}:${round.rules_digest ?? round.updated_at}`;
  const hit = perDb.get(key);
  if (hit && now - hit.at < CHOICE_INDEX_MS) return hit.index;
  const index = loadChoiceIndex(db, round);
  perDb.set(key, { at: now, index });
  // A failed read is not kept.
  index.catch(() => perDb.delete(key));
  return index;
}

/** What opening would refuse: the rules measured against the registry. */
export async function checkRoundRegistry(db: Db, round: Round): Promise<RuleProblem[]> {
  const rules = round.parsedRules;
  const problems: RuleProblem[] = [];
  const [catchments, schools] = await Promise.all([
    roundCatchments(db, round),
    roundSchools(db, round, rules),
  ]);
  if (catchments.length === 0)
    problems.push({
      field: 'catchments',
      zh: `${round.county_code} 县 ${round.year} 年${STAGE_LABELS[round.stage as Stage] ?? round.stage}尚无学区划分（请先导入学区）`,
      en: `no catchments for ${round.year} ${round.stage} in county ${round.county_code} (import the catchments first)`,
    });
  for (const s of schools)
    if (s.planned === 0)
      problems.push({
        field: `schools.${s.code}`,
        zh: `${s.name} 没有计划招收的起始年级（${entryGrade(round.stage)}）班级（school_capacity）`,
        en: `${s.name} has no planned ${entryGrade(round.stage)} classes (school_capacity)`,
      });
  const known = new Set(schools.map((s) => s.code));
  for (const [code, n] of Object.entries(rules.reservedSeats.bySchool)) {
    const s = schools.find((x) => x.code === code);
    if (!known.has(code))
      problems.push({
        field: `rules.reservedSeats.bySchool.${code}`,
        zh: '不是本批次的学校',
        en: 'is not a school of this round',
      });
    else if (s && n > s.planned)
      problems.push({
        field: `rules.reservedSeats.bySchool.${code}`,
        zh: `预留 ${n} 个学位，超过计划学位 ${s.planned} 个`,
        en: `reserves ${n} of ${s.planned} planned seats`,
      });
  }
  return problems;
}

/** Opens registration: the rules are frozen (with their SHA-256) and the registry checks must pass. */
export async function openRound(db: Kysely<Database>, actor: AuditActor, round: Round): Promise<Round> {
  if (round.status !== 'draft')
    throw new AppError(
      'admissions.round_not_draft',
      '只有草稿批次可以开放报名',
      'Only a draft round can open',
      'status',
    );
  const problems = await checkRoundRegistry(db, round);
  if (problems.length > 0)
    throw new AppError(
      'admissions.round_incomplete',
      `不能开放报名：${problems[0].field} ${problems[0].zh}`,
      `Cannot open registration: ${problems[0].field} ${problems[0].en}`,
      problems[0].field,
    );
  return setStatus(db, actor, round, 'draft', 'open', {
    rules_digest: createHash('sha256').update(round.rules).digest('hex'),
    opened_at: nowIso(),
  });
}

export async function closeRound(db: Kysely<Database>, actor: AuditActor, round: Round): Promise<Round> {
  if (round.status !== 'open')
    throw new AppError('admissions.round_not_open', '该批次未在报名中', 'The round is not open', 'status');
  return setStatus(db, actor, round, 'open', 'closed', {});
}

async function setStatus(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  from: RoundRow['status'],
  to: RoundRow['status'],
  extra: Partial<Pick<RoundRow, 'rules_digest' | 'opened_at'>>,
): Promise<Round> {
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('admission_rounds')
      .set({ status: to, updated_at: nowIso(), ...extra })
      .where('id', '=', round.id)
      .where('status', '=', from)
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        'admissions.round_conflict',
        '批次状态已被他人修改',
        'The round changed meanwhile',
        'status',
      );
    await writeAudit(trx, actor, {
      action: `admissions.round_${to}`,
      resourceType: 'admission_round',
      resourceId: round.id,
      countyCode: round.county_code,
      context: { from, to, ...extra },
    });
    return { ...row, parsedRules: round.parsedRules };
  });
}

/**
 * The round's id while its status is one of `statuses`, for an UPDATE's `where('round_id', 'in', …)`:
 * a write that must not land after the round moved on (a family's edit after the close, a clerk's
 * approval after the freeze). On PostgreSQL the round row is share-locked, so a status change either
 * commits first — and the write changes nothing — or waits for the write.
 */
export function roundWhile(
  qb: Kysely<Database> | Transaction<Database>,
  roundId: number,
  statuses: readonly RoundRow['status'][],
) {
  return qb
    .selectFrom('admission_rounds')
    .select('id')
    .where('id', '=', roundId)
    .where('status', 'in', [...statuses])
    .$if(qb.getExecutor().adapter instanceof PostgresAdapter, (q) => q.forShare());
}

/** Whether families may still submit and edit: the round is open and the Shanghai deadline not passed. */
export function isAccepting(round: Pick<RoundRow, 'status' | 'deadline_at'>, now = new Date()): boolean {
  return round.status === 'open' && now.toISOString() < round.deadline_at;
}

export function requireAccepting(round: Pick<RoundRow, 'status' | 'deadline_at'>, now = new Date()): void {
  if (round.status !== 'open')
    throw new AppError(
      'admissions.round_not_open',
      '该批次未在报名中',
      'The round is not open for registration',
      'round',
    );
  if (now.toISOString() >= round.deadline_at)
    throw new AppError(
      'admissions.deadline_passed',
      '报名已截止（截止时间为北京时间）',
      'The registration deadline (Asia/Shanghai time) has passed',
      'round',
    );
}
