/**
 * 审核: the clerks' queue by school and category, their decisions (approve with the category the
 * proofs support, or return with a reason the family sees), conflict detection, and live counts.
 * Every decision is a row in `admission_decisions` and an audit entry, in one transaction.
 */
import type { Kysely, Transaction } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { nowIso } from '../domain/time.ts';
import type { Database } from '../store/schema.ts';
import type { ApplicationRow } from './applications.ts';
import { maskedChild } from './masked.ts';
import { type Round, roundSchools, roundWhile } from './rounds.ts';
import { categoryMatches, DOC_TYPE_LABELS, type DocType, findCategory, missingProofs } from './rules.ts';

type Db = Kysely<Database> | Transaction<Database>;

export const factsOf = (a: ApplicationRow) => ({
  localHukou: a.local_hukou === 1,
  hukouAtProperty: a.hukou_at_property === 1,
  hasProperty: a.has_property === 1,
  residencePermit: a.residence_permit === 1,
});

export type Conflict = 'duplicate_child' | 'property_overuse';

/**
 * Applications that need a second look: the same child in another live application of the same
 * year (any round, any county), and a property used by more families than the round allows.
 */
export async function findConflicts(db: Db, round: Round, ids?: number[]): Promise<Map<number, Conflict[]>> {
  const out = new Map<number, Conflict[]>();
  const add = (id: number, c: Conflict) => out.set(id, [...(out.get(id) ?? []), c]);
  if (ids && ids.length === 0) return out;
  const dup = await db
    .selectFrom('admission_applications as a')
    .innerJoin('admission_applications as b', (j) =>
      j.onRef('b.child_id_number', '=', 'a.child_id_number').onRef('b.id', '<>', 'a.id'),
    )
    .innerJoin('admission_rounds as rb', 'rb.id', 'b.round_id')
    .select('a.id')
    .distinct()
    .where('a.round_id', '=', round.id)
    .where('rb.year', '=', round.year)
    .where('a.status', '<>', 'withdrawn')
    .where('b.status', '<>', 'withdrawn')
    .$if(Boolean(ids), (q) => q.where('a.id', 'in', ids!))
    .execute();
  for (const r of dup) add(r.id, 'duplicate_child');
  const limit = round.parsedRules.propertyFamilyLimit;
  const crowded = db
    .selectFrom('admission_applications')
    .select('property_no')
    .where('round_id', '=', round.id)
    .where('status', '<>', 'withdrawn')
    .where('property_no', 'is not', null)
    .groupBy('property_no')
    .having((eb) => eb.fn.count('parent_id').distinct(), '>', limit);
  const overused = await db
    .selectFrom('admission_applications')
    .select('id')
    .where('round_id', '=', round.id)
    .where('status', '<>', 'withdrawn')
    .where('property_no', 'in', crowded)
    .$if(Boolean(ids), (q) => q.where('id', 'in', ids!))
    .execute();
  for (const r of overused) add(r.id, 'property_overuse');
  return out;
}

export interface QueueFilter {
  applicationId?: number;
  schoolId?: number;
  category?: string;
  status?: ApplicationRow['status'];
  conflict?: boolean;
  limit: number;
  offset: number;
  /**
   * Key-set paging for exports: the applications after this id, in id order (offset ignored). The
   * clerks' page orders by `updated_at`, which a family's edit changes mid-export — offset paging
   * over it would skip or repeat rows; ids never change.
   */
  afterId?: number;
}

/** The queue, masked: who applied (family name only, ID region and last four), where, as what. */
export async function loadQueue(db: Db, round: Round, f: QueueFilter) {
  const base = db
    .selectFrom('admission_applications as a')
    .innerJoin('admission_choices as c', (j) => j.onRef('c.application_id', '=', 'a.id').on('c.rank', '=', 1))
    .innerJoin('schools as s', 's.id', 'c.school_id')
    .innerJoin('communities as m', 'm.code', 'a.community_code')
    .where('a.round_id', '=', round.id)
    .$if(f.applicationId !== undefined, (q) => q.where('a.id', '=', f.applicationId!))
    .$if(f.schoolId !== undefined, (q) => q.where('c.school_id', '=', f.schoolId!))
    .$if(Boolean(f.category), (q) =>
      q.where((eb) =>
        eb.or([eb('a.approved_category', '=', f.category!), eb('a.claimed_category', '=', f.category!)]),
      ),
    )
    .$if(Boolean(f.status), (q) => q.where('a.status', '=', f.status!));
  const conflicts = f.conflict ? await findConflicts(db, round) : null;
  const filtered = conflicts ? base.where('a.id', 'in', [0, ...conflicts.keys()]) : base;
  const total = await filtered.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  const rows = await filtered
    .select([
      'a.id',
      'a.child_name',
      'a.child_id_number',
      'a.claimed_category',
      'a.approved_category',
      'a.status',
      'a.submitted_at',
      'a.updated_at',
      's.id as school_id',
      's.name as school_name',
      'm.name as community_name',
    ])
    .$if(f.afterId !== undefined, (q) => q.where('a.id', '>', f.afterId!).orderBy('a.id').limit(f.limit))
    .$if(f.afterId === undefined, (q) =>
      q.orderBy('a.updated_at').orderBy('a.id').limit(f.limit).offset(f.offset),
    )
    .execute();
  const ids = rows.map((r) => r.id);
  const flags = conflicts ?? (await findConflicts(db, round, ids));
  const docs = ids.length
    ? await db
        .selectFrom('admission_documents')
        .select(['application_id', 'doc_type'])
        .where('application_id', 'in', ids)
        .execute()
    : [];
  const rules = round.parsedRules;
  return {
    total: Number(total.n),
    rows: rows.map((r) => {
      const category = rules.categories.find((c) => c.code === (r.approved_category ?? r.claimed_category));
      const have = docs.filter((d) => d.application_id === r.id).map((d) => d.doc_type);
      return {
        id: r.id,
        ...maskedChild(r.id, r.child_name, r.child_id_number),
        communityName: r.community_name,
        schoolId: r.school_id,
        schoolName: r.school_name,
        claimedCategory: r.claimed_category,
        approvedCategory: r.approved_category,
        status: r.status,
        submittedAt: r.submitted_at,
        updatedAt: r.updated_at,
        missingProofs: category ? missingProofs(category, have).length : 0,
        conflicts: flags.get(r.id) ?? [],
      };
    }),
  };
}

export type Decision = { decision: 'approve'; category: string } | { decision: 'return'; reason: string };

/**
 * A clerk's decision on a submitted (or already approved) application. Approval needs the category's
 * facts and every proof it lists; a return needs a reason. The row changes only from the status
 * the clerk saw, so two clerks deciding at once cannot both win.
 */
export async function decideApplication(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  app: ApplicationRow,
  d: Decision,
): Promise<ApplicationRow> {
  if (round.status !== 'open' && round.status !== 'closed')
    throw new AppError(
      'admissions.round_not_verifying',
      '该批次不在审核阶段',
      'The round is not being verified',
      'round',
    );
  if (app.status !== 'submitted' && app.status !== 'approved')
    throw new AppError(
      'admissions.not_decidable',
      app.status === 'returned' ? '已退回，等待家长修改后重新提交' : '该报名已撤回',
      app.status === 'returned'
        ? 'Returned: waiting for the family to correct it'
        : 'The application was withdrawn',
      'status',
    );
  let category: string | null = null;
  let reason: string | null = null;
  if (d.decision === 'approve') {
    const c = findCategory(round.parsedRules, d.category);
    if (!categoryMatches(c, factsOf(app)))
      throw new AppError(
        'admissions.category_mismatch',
        `家庭所填情况不符合“${c.label.zh}”`,
        `The family's answers do not meet “${c.label.en}”`,
        'category',
      );
    const docs = await db
      .selectFrom('admission_documents')
      .select('doc_type')
      .where('application_id', '=', app.id)
      .execute();
    const missing = missingProofs(
      c,
      docs.map((x) => x.doc_type),
    );
    if (missing.length > 0) {
      const names = (lang: 'zh' | 'en') =>
        missing
          .map((p) =>
            (Array.isArray(p) ? p : [p])
              .map((t) => DOC_TYPE_LABELS[t as DocType][lang])
              .join(lang === 'zh' ? '或' : ' or '),
          )
          .join(lang === 'zh' ? '、' : ', ');
      throw new AppError(
        'admissions.proofs_missing',
        `“${c.label.zh}”缺少材料：${names('zh')}`,
        `“${c.label.en}” lacks: ${names('en')}`,
        'documents',
      );
    }
    category = c.code;
  } else {
    reason = d.reason.trim();
    if (!reason)
      throw new AppError('admissions.reason_required', '退回须写明原因', 'A return needs a reason', 'reason');
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('admission_applications')
      .set({
        status: d.decision === 'approve' ? 'approved' : 'returned',
        approved_category: category,
        return_reason: reason,
        updated_at: nowIso(),
      })
      .where('id', '=', app.id)
      .where('status', '=', app.status)
      .where('updated_at', '=', app.updated_at)
      // Not after the list is frozen: an approval then would miss the draw.
      .where('round_id', 'in', roundWhile(trx, round.id, ['open', 'closed']))
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new AppError(
        'admissions.decision_conflict',
        '该报名已被修改，请刷新',
        'The application changed meanwhile: reload',
        'status',
      );
    await trx
      .insertInto('admission_decisions')
      .values({
        application_id: app.id,
        county_code: app.county_code,
        decision: d.decision,
        category,
        reason,
        decided_by: actor.username ?? 'system',
        decided_at: nowIso(),
      })
      .execute();
    await writeAudit(trx, actor, {
      action: `admissions.${d.decision}`,
      resourceType: 'admission_application',
      resourceId: app.id,
      countyCode: app.county_code,
      before: { status: app.status, category: app.approved_category },
      after: { status: row.status, category, reason },
    });
    return row;
  });
}

/** Live registration counts: by status, by first-choice school (with its seats), by category. */
export async function loadCounts(db: Db, round: Round) {
  const [byStatus, bySchool, byCategory, schools] = await Promise.all([
    db
      .selectFrom('admission_applications')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('round_id', '=', round.id)
      .groupBy('status')
      .execute(),
    db
      .selectFrom('admission_applications as a')
      .innerJoin('admission_choices as c', (j) =>
        j.onRef('c.application_id', '=', 'a.id').on('c.rank', '=', 1),
      )
      .select(['c.school_id', 'a.status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('a.round_id', '=', round.id)
      .groupBy(['c.school_id', 'a.status'])
      .execute(),
    db
      .selectFrom('admission_applications')
      .select([
        (eb) => eb.fn.coalesce('approved_category', 'claimed_category').as('category'),
        (eb) => eb.fn.countAll<number>().as('n'),
      ])
      .where('round_id', '=', round.id)
      .where('status', '<>', 'withdrawn')
      .groupBy((eb) => eb.fn.coalesce('approved_category', 'claimed_category'))
      .execute(),
    roundSchools(db, round, round.parsedRules),
  ]);
  const statuses = ['submitted', 'returned', 'approved', 'withdrawn'] as const;
  const count = (rows: { status: string; n: number }[], s: string) =>
    Number(rows.find((r) => r.status === s)?.n ?? 0);
  return {
    byStatus: Object.fromEntries(statuses.map((s) => [s, count(byStatus, s)])) as Record<
      (typeof statuses)[number],
      number
    >,
    schools: schools.map((s) => {
      const rows = bySchool.filter((r) => r.school_id === s.id);
      return {
        id: s.id,
        code: s.code,
        name: s.name,
        ownership: s.ownership,
        capacity: s.capacity,
        reserved: s.reserved,
        ...(Object.fromEntries(statuses.map((st) => [st, count(rows, st)])) as Record<
          (typeof statuses)[number],
          number
        >),
      };
    }),
    categories: round.parsedRules.categories.map((c) => ({
      code: c.code,
      label: c.label,
      applications: Number(byCategory.find((r) => r.category === c.code)?.n ?? 0),
    })),
  };
}
