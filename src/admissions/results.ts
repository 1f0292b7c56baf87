/**
 * 录取结果: publication of a drawn round's placements to the families, and what the bureau and the
 * families read of them (docs/admissions.md "Publication and results"). Publishing copies the draw
 * file's placements — school, how placed, lottery key, tier — onto the applications, once, in one
 * transaction; from then on the applications are the record (a granted appeal adds `appeal`
 * placements there). Lists show children's names masked; a family sees its own child in full.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { nowIso } from '../domain/time.ts';
import type { Cutoff } from '../engines/admissions/contract.ts';
import { lotteryKey } from '../engines/admissions/keys.ts';
import { type DrawFile, verifyDraw } from '../engines/admissions/verify.ts';
import { regionNames } from '../store/regions.ts';
import type { AdmissionApplicationsTable, Database } from '../store/schema.ts';
import { type ApplicationRow, applicationNo } from './applications.ts';
import { checkDrawIntegrity, type DrawRow, findDraw } from './draw.ts';
import { maskedChild } from './masked.ts';
import { type Round, roundSchools } from './rounds.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type ResultBy = NonNullable<AdmissionApplicationsTable['result_by']>;
export const RESULT_BYS: readonly ResultBy[] = ['choice', 'fallback', 'overflow', 'appeal'];

const notDrawn = () =>
  new AppError('admissions.draw_not_drawn', '该批次尚未派位', 'The round has not been drawn yet', 'round');
const alreadyPublished = () =>
  new AppError(
    'admissions.results_published',
    '该批次的录取结果已公布，不能再次公布',
    "The round's results have already been published",
    'round',
  );
const notPublished = () =>
  new AppError(
    'admissions.results_not_published',
    '该批次的录取结果尚未公布',
    "The round's results have not been published yet",
    'round',
  );

/** Applications per UPDATE when publishing: 5 parameters each, well under SQLite's 32,766 and PostgreSQL's 65,535. */
const PUBLISH_CHUNK = 500;

/** Application number A0000123 → its id. */
const idOfNo = (no: string) => Number(no.slice(1));

/** A child's key at a school: one number for all schools (`single`), or afresh per school (`multiple`). */
function keyAt(file: Pick<DrawFile, 'seed' | 'tieBreaking'>, no: string, schoolCode: string | null) {
  return file.tieBreaking === 'multiple' && schoolCode !== null
    ? lotteryKey(file.seed, no, schoolCode)
    : lotteryKey(file.seed, no);
}

/** The published draw of a round, parsed; refused unless the round has been drawn. */
async function drawnFile(db: Db, round: Round): Promise<{ draw: DrawRow; file: DrawFile }> {
  const draw = await findDraw(db, round.id);
  if (draw?.status !== 'drawn' || !draw.published) throw notDrawn();
  return { draw, file: JSON.parse(draw.published) as DrawFile };
}

/**
 * Publishes a drawn round's results: checks that the stored draw file verifies, then copies every
 * placement (school, how, key, tier) onto its application and stamps the draw published — in one
 * transaction, once (a second call, or two at once, is refused with `admissions.results_published`).
 */
export async function publishResults(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
): Promise<DrawRow> {
  const { draw, file } = await drawnFile(db, round);
  if (draw.published_at) throw alreadyPublished();
  await checkDrawIntegrity(db, draw, file);
  const check = verifyDraw(file);
  if (!check.ok)
    throw new AppError(
      'admissions.draw_mismatch',
      `派位文件复算不一致（${check.result.first[0]?.field ?? 'seed'}），不能公布`,
      `The draw file does not verify (${check.result.first[0]?.field ?? 'seed'}): not published`,
      check.result.first[0]?.field ?? 'seed',
    );
  const schools = await roundSchools(db, round, round.parsedRules);
  const idOfCode = new Map(schools.map((s) => [s.code, s.id]));
  const placements = file.result.placements ?? {};
  return db.transaction().execute(async (trx) => {
    const at = nowIso();
    const row = await trx
      .updateTable('admission_draws')
      .set({ published_at: at, published_by: actor.username ?? 'system' })
      .where('id', '=', draw.id)
      .where('status', '=', 'drawn')
      .where('published_at', 'is', null)
      .returningAll()
      .executeTakeFirst();
    if (!row) throw alreadyPublished();
    const counts: Record<string, number> = { choice: 0, fallback: 0, overflow: 0, unplaced: 0 };
    const rows = file.applicants.map((a) => {
      const p = placements[a.id] ?? { school: file.result.assignments[a.id] ?? null, by: null };
      const schoolId = p.school === null ? null : idOfCode.get(p.school);
      if (schoolId === undefined)
        throw new AppError(
          'admissions.draw_school',
          `派位文件中的学校 ${p.school} 不属于本批次`,
          `School ${p.school} of the draw file is not a school of the round`,
          `result.placements.${a.id}`,
        );
      // The tier at the placing school; for 统筹 or no seat the approved category's, the largest of
      // the child's tiers (a private school has tier 1 for all, public schools the category's).
      const tiers = Object.values(a.tiers);
      const tier =
        (p.school !== null ? a.tiers[p.school] : undefined) ?? (tiers.length ? Math.max(...tiers) : null);
      const by = p.school === null ? null : (p.by ?? 'choice');
      counts[by ?? 'unplaced']++;
      return {
        no: a.id,
        id: idOfNo(a.id),
        schoolId,
        by,
        key: keyAt(file, a.id, by === 'overflow' ? null : p.school),
        tier,
      };
    });
    // A few hundred applications per UPDATE … FROM (VALUES …) — SQLite ≥ 3.33 and PostgreSQL both
    // name the columns column1 … column5 — so 20,000 children are 40 statements, not 20,000.
    for (let i = 0; i < rows.length; i += PUBLISH_CHUNK) {
      const chunk = rows.slice(i, i + PUBLISH_CHUNK);
      const values = sql.join(
        chunk.map(
          (r) =>
            sql`(cast(${r.id} as integer), cast(${r.schoolId} as integer), cast(${r.by} as text), cast(${r.key} as text), cast(${r.tier} as integer))`,
        ),
      );
      const result = await sql`
        update admission_applications
           set result_school_id = v.column2, result_by = v.column3, result_key = v.column4, result_tier = v.column5
          from (values ${values}) as v
         where admission_applications.id = v.column1 and admission_applications.round_id = ${round.id}`.execute(
        trx,
      );
      if (Number(result.numAffectedRows ?? 0) !== chunk.length) {
        const found = new Set(
          (
            await trx
              .selectFrom('admission_applications')
              .select('id')
              .where(
                'id',
                'in',
                chunk.map((r) => r.id),
              )
              .where('round_id', '=', round.id)
              .execute()
          ).map((r) => r.id),
        );
        const missing = chunk.find((r) => !found.has(r.id))?.no ?? chunk[0].no;
        throw new AppError(
          'admissions.draw_applicant',
          `派位文件中的报名 ${missing} 不在本批次`,
          `Application ${missing} of the draw file is not in the round`,
          `applicants.${missing}`,
        );
      }
    }
    await writeAudit(trx, actor, {
      action: 'admissions.results_publish',
      resourceType: 'admission_round',
      resourceId: round.id,
      countyCode: round.county_code,
      context: { applicants: file.applicants.length, ...counts, seed: file.seed },
    });
    return row;
  });
}

/** A school of a drawn round with its seats as the draw used them, and who holds them now. */
export interface SchoolSeats {
  id: number;
  code: string;
  name: string;
  ownership: string;
  /** Entry-grade seats before the appeal reserve: the draw's seats plus the reserve. */
  planned: number;
  /** Kept back for appeals by the frozen rules. */
  reserved: number;
  /** The seats the draw used: the frozen input's `schools[].capacity`. */
  drawSeats: number;
  /** Children placed there now, appeals included, and by how. */
  placed: number;
  choice: number;
  fallback: number;
  overflow: number;
  appeal: number;
  /** planned − placed: what an appeal may still take. */
  left: number;
}

/**
 * The one computation of a drawn round's seats per school. Planned seats are what the draw used
 * (the frozen input's `schools[].capacity`) plus the frozen rules' appeal reserve for that school —
 * never the registry's capacity read now, which may have changed since the draw. Placed counts every
 * application of the round with that `result_school_id` (appeals included); left = planned − placed.
 * Call it inside the transaction that then places a child.
 */
export async function roundSeats(db: Db, round: Round): Promise<SchoolSeats[]> {
  const head = await drawHead(db, round.id);
  if (head?.status !== 'drawn') throw notDrawn();
  const { file } = await parsedFile(db, head);
  const codes = file.schools.map((s) => s.id);
  const [rows, placed] = await Promise.all([
    codes.length
      ? db
          .selectFrom('schools')
          .select(['id', 'code', 'name', 'ownership'])
          .where('county_code', '=', round.county_code)
          .where('code', 'in', codes)
          .execute()
      : [],
    db
      .selectFrom('admission_applications')
      .select((eb) => ['result_school_id', 'result_by', eb.fn.countAll<number>().as('n')])
      .where('round_id', '=', round.id)
      .where('result_school_id', 'is not', null)
      .groupBy(['result_school_id', 'result_by'])
      .execute(),
  ]);
  const byCode = new Map(rows.map((r) => [r.code, r]));
  const counts = new Map<number, Record<ResultBy, number>>();
  for (const p of placed) {
    const c = counts.get(p.result_school_id!) ?? { choice: 0, fallback: 0, overflow: 0, appeal: 0 };
    c[p.result_by ?? 'choice'] += Number(p.n);
    counts.set(p.result_school_id!, c);
  }
  const reserve = round.parsedRules.reservedSeats;
  return file.schools.flatMap((s) => {
    const school = byCode.get(s.id);
    if (!school) return [];
    const reserved = reserve.bySchool[s.id] ?? reserve.default;
    const planned = s.capacity + reserved;
    const by = counts.get(school.id) ?? { choice: 0, fallback: 0, overflow: 0, appeal: 0 };
    const n = by.choice + by.fallback + by.overflow + by.appeal;
    return [
      {
        id: school.id,
        code: school.code,
        name: school.name,
        ownership: school.ownership,
        planned,
        reserved,
        drawSeats: s.capacity,
        placed: n,
        ...by,
        left: planned - n,
      },
    ];
  });
}

/** {@link roundSeats} by school id. */
export async function seatsLeftBySchool(db: Db, round: Round): Promise<Map<number, SchoolSeats>> {
  return new Map((await roundSeats(db, round)).map((s) => [s.id, s]));
}

/** The draw's row without its (large) file. */
const drawHead = (db: Db, roundId: number) =>
  db
    .selectFrom('admission_draws')
    .select(['id', 'status', 'drawn_at', 'published_at', 'published_by'])
    .where('round_id', '=', roundId)
    .executeTakeFirst();
type DrawHead = NonNullable<Awaited<ReturnType<typeof drawHead>>>;

interface ParsedFile {
  file: DrawFile;
  applicants: Map<string, DrawFile['applicants'][number]>;
}
const FILES = new WeakMap<object, Map<string, ParsedFile>>();
const FILES_KEPT = 4;

/**
 * A drawn round's file never changes after the draw, so on result day it is read and parsed once per
 * database handle and draw (the last few kept), not once per family: a county's file is megabytes.
 */
async function parsedFile(db: Db, head: DrawHead): Promise<ParsedFile> {
  const key = `${head.id}:${head.drawn_at}`;
  const kept = FILES.get(db) ?? new Map<string, ParsedFile>();
  FILES.set(db, kept);
  const hit = kept.get(key);
  if (hit) return hit;
  const row = await db
    .selectFrom('admission_draws')
    .select('published')
    .where('id', '=', head.id)
    .executeTakeFirstOrThrow();
  const file = JSON.parse(row.published!) as DrawFile;
  const parsed = { file, applicants: new Map(file.applicants.map((a) => [a.id, a])) };
  kept.set(key, parsed);
  if (kept.size > FILES_KEPT) kept.delete(kept.keys().next().value!);
  return parsed;
}

/** The draw of a round whose results are published, or `admissions.results_not_published` (one small read). */
export async function requirePublished(db: Db, round: Round): Promise<DrawHead> {
  const draw = await drawHead(db, round.id);
  if (draw?.status !== 'drawn' || !draw.published_at) throw notPublished();
  return draw;
}

/** The round's published results, or `admissions.results_not_published`. */
async function publishedFile(db: Db, round: Round) {
  const draw = await requirePublished(db, round);
  return { draw, ...(await parsedFile(db, draw)) };
}

/**
 * The stored draw file, parsed once (see `parsedFile`): for the office once drawn (`'drawn'`), for
 * families only once the results are published (`'published'`, what they download to check the
 * lottery). The routes' one getter of it.
 */
export async function drawFileOf(db: Db, round: Round, when: 'drawn' | 'published'): Promise<DrawFile> {
  if (when === 'published') return (await publishedFile(db, round)).file;
  const head = await drawHead(db, round.id);
  if (head?.status !== 'drawn') throw notDrawn();
  return (await parsedFile(db, head)).file;
}

const categoryOf = (round: Round, code: string | null) =>
  round.parsedRules.categories.find((c) => c.code === code) ?? null;

/** The round's results: per school the seats, the placed by how, the cutoff; per category the outcome. */
export async function loadResults(db: Db, round: Round) {
  const { draw, file } = await publishedFile(db, round);
  // Every child the draw listed (it has a key) and every child placed later by an appeal.
  const [seats, rows] = await Promise.all([
    roundSeats(db, round),
    db
      .selectFrom('admission_applications')
      .select(['result_by', 'approved_category'])
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('round_id', '=', round.id)
      .where((eb) => eb.or([eb('result_key', 'is not', null), eb('result_by', 'is not', null)]))
      .groupBy(['result_by', 'approved_category'])
      .execute(),
  ]);
  const empty = () => ({ choice: 0, fallback: 0, overflow: 0, appeal: 0 });
  const byCategory = new Map<string, Record<ResultBy | 'unplaced', number>>();
  for (const r of rows) {
    const code = r.approved_category ?? '';
    const c = byCategory.get(code) ?? { ...empty(), unplaced: 0 };
    c[r.result_by ?? 'unplaced'] += Number(r.n);
    byCategory.set(code, c);
  }
  const schoolViews = seats.map((s) => ({
    ...s,
    cutoff: (file.result.schools[s.code]?.cutoff ?? null) as Cutoff | null,
  }));
  const categories = round.parsedRules.categories.map((c, i) => {
    const k = byCategory.get(c.code) ?? { ...empty(), unplaced: 0 };
    return {
      code: c.code,
      label: c.label,
      tier: i + 1,
      applicants: k.choice + k.fallback + k.overflow + k.appeal + k.unplaced,
      ...k,
    };
  });
  const sum = (f: (c: (typeof categories)[number]) => number) => categories.reduce((n, c) => n + f(c), 0);
  return {
    roundId: round.id,
    publishedAt: draw.published_at!,
    publishedBy: draw.published_by!,
    seed: file.seed,
    digest: file.digest,
    totals: {
      applicants: sum((c) => c.applicants),
      placed: sum((c) => c.choice + c.fallback + c.overflow + c.appeal),
      choice: sum((c) => c.choice),
      fallback: sum((c) => c.fallback),
      overflow: sum((c) => c.overflow),
      appeal: sum((c) => c.appeal),
      unplaced: sum((c) => c.unplaced),
      planned: schoolViews.reduce((n, s) => n + s.planned, 0),
      left: schoolViews.reduce((n, s) => n + s.left, 0),
    },
    schools: schoolViews,
    categories,
  };
}

/**
 * One school's admitted children, masked (family name only), in the school's order: tier, then
 * lottery key; the appeals after them. `schoolId` undefined: every school of the round.
 */
export async function loadAdmitted(db: Db, round: Round, schoolId?: number) {
  await publishedFile(db, round);
  const rows = await db
    .selectFrom('admission_applications as a')
    .innerJoin('schools as s', 's.id', 'a.result_school_id')
    .select([
      'a.id',
      'a.child_name',
      'a.child_id_number',
      'a.approved_category',
      'a.result_by',
      'a.result_key',
      'a.result_tier',
      's.id as school_id',
      's.code as school_code',
      's.name as school_name',
    ])
    .where('a.round_id', '=', round.id)
    .$if(schoolId !== undefined, (q) => q.where('a.result_school_id', '=', schoolId!))
    .execute();
  const rank = (r: (typeof rows)[number]) => (r.result_by === 'appeal' ? 1 : 0);
  rows.sort(
    (a, b) =>
      a.school_code.localeCompare(b.school_code) ||
      rank(a) - rank(b) ||
      (a.result_tier ?? 99) - (b.result_tier ?? 99) ||
      (a.result_key ?? '').localeCompare(b.result_key ?? '') ||
      a.id - b.id,
  );
  return rows.map((r) => ({
    ...maskedChild(r.id, r.child_name, r.child_id_number),
    schoolId: r.school_id,
    schoolCode: r.school_code,
    schoolName: r.school_name,
    category: categoryOf(round, r.approved_category)?.label ?? null,
    by: r.result_by!,
    tier: r.result_tier,
    key: r.result_key,
  }));
}

/**
 * The per-school results every family of the round may read once they are published (公布): each
 * school's admitted count, DA cutoff (tier and key) and seats left — the figures of the office's
 * table, from the same computation. Refused (`admissions.results_not_published`) before publication.
 */
export async function loadPublicResults(db: Db, round: Round) {
  const { draw, file } = await publishedFile(db, round);
  const seats = await roundSeats(db, round);
  return {
    roundId: round.id,
    publishedAt: draw.published_at!,
    schools: seats.map((s) => ({
      id: s.id,
      code: s.code,
      name: s.name,
      ownership: s.ownership,
      admitted: s.placed,
      left: s.left,
      cutoff: (file.result.schools[s.code]?.cutoff ?? null) as Cutoff | null,
    })),
  };
}

/** One school's admitted list for families: application numbers and masked names, no ID numbers. */
export async function loadPublicAdmitted(db: Db, round: Round, schoolId: number) {
  return (await loadAdmitted(db, round, schoolId)).map(({ idNumber: _, ...r }) => r);
}

/** Whether a parent has an application in the round: who may read its per-school results. */
export async function hasApplicationInRound(db: Db, round: Round, parentId: number) {
  const row = await db
    .selectFrom('admission_applications')
    .select('id')
    .where('round_id', '=', round.id)
    .where('parent_id', '=', parentId)
    .executeTakeFirst();
  return row !== undefined;
}

/** What happens next for a family, by its outcome. */
export type NextStep = 'notice' | 'unplaced' | 'not_in_draw' | 'pending';

/**
 * A family's result and why: the school, how it was reached, its tier and lottery key, that school's
 * cutoff, and at each school it listed before, that school's cutoff (which the child's rank missed).
 * Before publication: `published: false` and what is pending.
 */
export async function loadFamilyResult(db: Db, round: Round, a: ApplicationRow) {
  const draw = await drawHead(db, round.id);
  const schedule = round.parsedRules.schedule;
  const base = {
    roundId: round.id,
    applicationId: a.id,
    applicationNo: applicationNo(a.id),
    noticeOn: schedule.noticeOn,
    appealsClose: schedule.appealsClose,
  };
  if (draw?.status !== 'drawn' || !draw.published_at)
    return {
      ...base,
      published: false as const,
      drawStatus: draw?.status ?? null,
      next: 'pending' as NextStep,
    };
  const { file, applicants } = await parsedFile(db, draw);
  const no = applicationNo(a.id);
  const applicant = applicants.get(no);
  const choices = await db
    .selectFrom('admission_choices')
    .innerJoin('schools', 'schools.id', 'admission_choices.school_id')
    .select(['admission_choices.rank', 'schools.id', 'schools.code', 'schools.name', 'schools.ownership'])
    .where('admission_choices.application_id', '=', a.id)
    .orderBy('admission_choices.rank')
    .execute();
  const school = a.result_school_id
    ? await db
        .selectFrom('schools')
        .select(['id', 'code', 'name', 'ownership', 'address'])
        .where('id', '=', a.result_school_id)
        .executeTakeFirst()
    : undefined;
  const cutoffAt = (code: string) => (file.result.schools[code]?.cutoff ?? null) as Cutoff | null;
  const placed = school !== undefined && a.result_by !== null;
  const next: NextStep = placed ? 'notice' : applicant ? 'unplaced' : 'not_in_draw';
  const [county] = [...(await regionNames(db, [round.county_code])).values()];
  return {
    ...base,
    published: true as const,
    publishedAt: draw.published_at,
    inDraw: applicant !== undefined,
    placed,
    school: school
      ? {
          id: school.id,
          code: school.code,
          name: school.name,
          ownership: school.ownership,
          address: school.address,
        }
      : null,
    by: a.result_by,
    category: categoryOf(round, a.approved_category)?.label ?? null,
    tier: a.result_tier,
    key: a.result_key,
    cutoff: school ? cutoffAt(school.code) : null,
    choices: choices.map((c) => ({
      rank: c.rank,
      schoolId: c.id,
      code: c.code,
      name: c.name,
      ownership: c.ownership,
      /** The tier at this school (null: not eligible there). */
      tier: applicant?.tiers[c.code] ?? null,
      key: applicant ? keyAt(file, no, c.code) : null,
      cutoff: cutoffAt(c.code),
      admitted: school?.id === c.id,
    })),
    seed: file.seed,
    publicValue: file.publicValue,
    digest: file.digest,
    commitment: file.commitment,
    next,
    notice: placed
      ? {
          childName: a.child_name,
          childSex: a.child_sex,
          countyName: county ?? round.county_code,
          year: round.year,
          stage: round.stage,
          roundName: round.name,
        }
      : null,
  };
}
