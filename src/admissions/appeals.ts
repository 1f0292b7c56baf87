/**
 * 申诉/复核: a family appeals against its published result within the window (from publication until
 * the end of `rules.schedule.appealsClose`, Asia/Shanghai); a clerk grants it into a school of the
 * round with seats left — reserved for appeals or left over, never by moving another child — or
 * refuses it, with a reason the family sees. Every step is one transaction and one audit entry.
 */
import { type Kysely, PostgresAdapter, type Selectable, type Transaction } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { nowIso, shanghaiInstant } from '../domain/time.ts';
import type { AdmissionAppealsTable, Database } from '../store/schema.ts';
import type { ApplicationRow } from './applications.ts';
import { seatsLeftBySchool } from './results.ts';
import { type Round, roundSchools } from './rounds.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type AppealRow = Selectable<AdmissionAppealsTable>;
export type AppealStatus = AppealRow['status'];
export const APPEAL_STATUSES = [
  'submitted',
  'granted',
  'refused',
  'withdrawn',
] as const satisfies readonly AppealStatus[];

export const APPEAL_REASON_MAX = 1000;

/** The last instant of the appeal window: the end of `appealsClose` in Asia/Shanghai, as UTC. */
export function appealsCloseAt(round: Round): string {
  return new Date(
    Date.parse(shanghaiInstant(round.parsedRules.schedule.appealsClose)) + 86400_000,
  ).toISOString();
}

export interface AppealWindow {
  /** When the round's results were published (the window opens then); null before. */
  publishedAt: string | null;
  /** The UTC instant the window closes (end of appealsClose, Asia/Shanghai). */
  closesAt: string;
  open: boolean;
}

export async function appealWindow(db: Db, round: Round, now = new Date()): Promise<AppealWindow> {
  const draw = await db
    .selectFrom('admission_draws')
    .select('published_at')
    .where('round_id', '=', round.id)
    .executeTakeFirst();
  const publishedAt = draw?.published_at ?? null;
  const closesAt = appealsCloseAt(round);
  return { publishedAt, closesAt, open: publishedAt !== null && now.toISOString() < closesAt };
}

function requireOpen(w: AppealWindow, round: Round) {
  if (w.publishedAt === null)
    throw new AppError(
      'admissions.appeal_not_open',
      '录取结果公布后才能申诉',
      'Appeals open once the results are published',
      'round',
    );
  if (!w.open) {
    const day = round.parsedRules.schedule.appealsClose;
    throw new AppError(
      'admissions.appeal_window_closed',
      `申诉已截止（${day} 北京时间 24 时）`,
      `The appeal window closed at the end of ${day} (Asia/Shanghai time)`,
      'round',
    );
  }
}

const cleanReason = (text: string, field: string, zh: string, en: string) => {
  const reason = text.trim();
  if (!reason) throw new AppError('admissions.reason_required', zh, en, field);
  if (reason.length > APPEAL_REASON_MAX)
    throw new AppError(
      'admissions.reason_too_long',
      `原因不能超过 ${APPEAL_REASON_MAX} 字`,
      `The reason is longer than ${APPEAL_REASON_MAX} characters`,
      field,
    );
  return reason;
};

const schoolOfRound = async (db: Db, round: Round, schoolId: number, field: string) => {
  const s = (await roundSchools(db, round, round.parsedRules)).find((x) => x.id === schoolId);
  if (!s)
    throw new AppError(
      'admissions.appeal_school',
      '所选学校不属于本批次',
      'The school chosen is not a school of this round',
      field,
    );
  return s;
};

export async function findAppeal(db: Db, id: number): Promise<AppealRow | undefined> {
  return db.selectFrom('admission_appeals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The application's appeal: the live one, else the latest withdrawn one (or none). */
export async function appealOfApplication(db: Db, applicationId: number): Promise<AppealRow | undefined> {
  const rows = await db
    .selectFrom('admission_appeals')
    .selectAll()
    .where('application_id', '=', applicationId)
    .orderBy('id', 'desc')
    .execute();
  return rows.find((r) => r.status !== 'withdrawn') ?? rows[0];
}

const appealExists = () =>
  new AppError(
    'admissions.appeal_exists',
    '该报名已提出申诉，每份报名只能有一份未撤回的申诉',
    'This application already has an appeal (one that is not withdrawn per application)',
    'application',
  );

/**
 * Whether the application took part in the published draw: verified (approved) when the list was
 * frozen, and given its lottery key by the publication, placed or not. Only such a result can be
 * appealed; a returned or never-verified application has no result to appeal against.
 */
export const tookPartInDraw = (app: Pick<ApplicationRow, 'status' | 'result_key'>) =>
  app.status === 'approved' && app.result_key !== null;

export interface AppealInput {
  reason: string;
  desiredSchoolId?: number | null;
}

/**
 * A family's appeal for its own application of a published round, within the window, when the
 * application took part in the draw (`tookPartInDraw`). The database
 * allows one live (not withdrawn) appeal per application: a second, or a raced twin, is refused.
 */
export async function submitAppeal(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  app: ApplicationRow,
  input: AppealInput,
  now = new Date(),
): Promise<AppealRow> {
  if (app.status === 'withdrawn')
    throw new AppError(
      'admissions.appeal_withdrawn_application',
      '该报名已撤回，不能申诉',
      'The application was withdrawn: it cannot be appealed',
      'application',
    );
  requireOpen(await appealWindow(db, round, now), round);
  if (!tookPartInDraw(app))
    throw new AppError(
      'admissions.appeal_not_in_draw',
      '该报名未通过审核、未参加本批次派位，没有可申诉的派位结果',
      'This application was not verified and did not take part in the round’s draw: there is no result to appeal',
      'application',
    );
  const reason = cleanReason(input.reason, 'reason', '请写明申诉理由', 'Give the reason for the appeal');
  const desired = input.desiredSchoolId ?? null;
  if (desired !== null) await schoolOfRound(db, round, desired, 'desiredSchoolId');
  const row = await db.transaction().execute(async (trx) => {
    const at = nowIso();
    const inserted = await trx
      .insertInto('admission_appeals')
      .values({
        application_id: app.id,
        round_id: round.id,
        county_code: app.county_code,
        reason,
        desired_school_id: desired,
        status: 'submitted',
        submitted_at: at,
        updated_at: at,
      })
      .onConflict((oc) => oc.doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!inserted) return undefined;
    await writeAudit(trx, actor, {
      action: 'admissions.appeal_submit',
      resourceType: 'admission_appeal',
      resourceId: inserted.id,
      countyCode: inserted.county_code,
      before: null,
      after: { status: 'submitted', application: app.id, desiredSchoolId: desired },
    });
    return inserted;
  });
  if (!row) throw appealExists();
  return row;
}

const appealDecided = (a: Pick<AppealRow, 'status'>) =>
  new AppError(
    'admissions.appeal_decided',
    a.status === 'withdrawn' ? '该申诉已撤回' : '该申诉已处理，不能再次决定或撤回',
    a.status === 'withdrawn'
      ? 'The appeal was withdrawn'
      : 'The appeal has already been decided: it cannot be decided or withdrawn again',
    'status',
  );

/** The family withdraws its appeal while it waits for a decision; it may then appeal again within the window. */
export async function withdrawAppeal(
  db: Kysely<Database>,
  actor: AuditActor,
  appeal: AppealRow,
): Promise<AppealRow> {
  if (appeal.status !== 'submitted') throw appealDecided(appeal);
  return db.transaction().execute(async (trx) => {
    const at = nowIso();
    const row = await trx
      .updateTable('admission_appeals')
      .set({ status: 'withdrawn', withdrawn_at: at, updated_at: at })
      .where('id', '=', appeal.id)
      .where('status', '=', 'submitted')
      .returningAll()
      .executeTakeFirst();
    if (!row) throw appealDecided((await findAppeal(trx, appeal.id)) ?? appeal);
    await writeAudit(trx, actor, {
      action: 'admissions.appeal_withdraw',
      resourceType: 'admission_appeal',
      resourceId: appeal.id,
      countyCode: appeal.county_code,
      before: { status: 'submitted' },
      after: { status: 'withdrawn' },
    });
    return row;
  });
}

export type AppealDecision =
  | { decision: 'grant'; schoolId: number; reason: string }
  | { decision: 'refuse'; reason: string };

/**
 * A clerk's decision. Granting places the child at `schoolId` only if that school of the round has
 * seats left (planned − placed, counting every published and appeal placement), checked in the same
 * transaction that places it; concurrent grants into one round are serialised by a lock on the round
 * row (PostgreSQL; SQLite runs one write transaction at a time), so the last seat goes once. Nobody
 * else's result changes; the child's earlier school, if any, gains the seat it leaves.
 */
export async function decideAppeal(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  appeal: AppealRow,
  d: AppealDecision,
): Promise<AppealRow> {
  const reason = cleanReason(
    d.reason,
    'reason',
    d.decision === 'grant' ? '请写明同意的理由' : '请写明不予支持的理由（家长可见）',
    d.decision === 'grant'
      ? 'Give the reason for granting'
      : 'Give the reason for refusing (the family sees it)',
  );
  if (appeal.status !== 'submitted') throw appealDecided(appeal);
  return db.transaction().execute(async (trx) => {
    const lock = trx.selectFrom('admission_rounds').select('id').where('id', '=', round.id);
    await (trx.getExecutor().adapter instanceof PostgresAdapter ? lock.forUpdate() : lock).execute();
    const app = await trx
      .selectFrom('admission_applications')
      .select(['id', 'result_school_id', 'result_by'])
      .where('id', '=', appeal.application_id)
      .executeTakeFirstOrThrow();
    let placed: number | null = null;
    if (d.decision === 'grant') {
      const school = await schoolOfRound(trx, round, d.schoolId, 'schoolId');
      if (app.result_school_id === school.id)
        throw new AppError(
          'admissions.appeal_same_school',
          `该儿童已录取于${school.name}`,
          `The child is already placed at ${school.name}`,
          'schoolId',
        );
      const left = (await seatsLeftBySchool(trx, round)).get(school.id)?.left ?? 0;
      if (left <= 0)
        throw new AppError(
          'admissions.no_seats_left',
          `${school.name}已无剩余学位（含申诉预留）`,
          `No seats left at ${school.name} (reserved or left over)`,
          'schoolId',
        );
      placed = school.id;
    }
    const at = nowIso();
    const row = await trx
      .updateTable('admission_appeals')
      .set({
        status: d.decision === 'grant' ? 'granted' : 'refused',
        decision_reason: reason,
        decided_by: actor.username ?? 'system',
        decided_at: at,
        placed_school_id: placed,
        previous_school_id: app.result_school_id,
        updated_at: at,
      })
      .where('id', '=', appeal.id)
      .where('status', '=', 'submitted')
      .returningAll()
      .executeTakeFirst();
    if (!row) throw appealDecided((await findAppeal(trx, appeal.id)) ?? appeal);
    if (placed !== null)
      await trx
        .updateTable('admission_applications')
        .set({ result_school_id: placed, result_by: 'appeal' })
        .where('id', '=', app.id)
        .execute();
    await writeAudit(trx, actor, {
      action: `admissions.appeal_${d.decision}`,
      resourceType: 'admission_appeal',
      resourceId: appeal.id,
      countyCode: appeal.county_code,
      before: { status: 'submitted', resultSchoolId: app.result_school_id, resultBy: app.result_by },
      after: {
        status: row.status,
        resultSchoolId: placed ?? app.result_school_id,
        resultBy: placed !== null ? 'appeal' : app.result_by,
        reason,
      },
      context: { application: app.id },
    });
    return row;
  });
}
