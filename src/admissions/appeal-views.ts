/**
 * What families and clerks see of appeals: the family's own appeal with the window, the clerks'
 * masked list by status and school, one appeal in full with every school's seats left (the read the
 * route audits), and the rows of the masked XLSX export. Presented from a whitelist, never a row.
 */
import type { Kysely, Transaction } from 'kysely';
import type {
  AppealList,
  AppealView,
  FamilyAppealView,
  MyAppeal,
} from '../server/admissions-appeal-contracts.ts';
import type { Database } from '../store/schema.ts';
import {
  type AppealRow,
  type AppealStatus,
  appealOfApplication,
  appealWindow,
  tookPartInDraw,
} from './appeals.ts';
import { type ApplicationRow, loadApplicationParts } from './applications.ts';
import { maskedChild } from './masked.ts';
import { roundSeats } from './results.ts';
import { type Round, roundSchools } from './rounds.ts';

type Db = Kysely<Database> | Transaction<Database>;
const STATUSES = ['submitted', 'granted', 'refused', 'withdrawn'] as const;

async function schoolNames(db: Db, ids: (number | null)[]) {
  const wanted = [...new Set(ids.filter((x): x is number => x !== null))];
  const rows = wanted.length
    ? await db.selectFrom('schools').select(['id', 'name']).where('id', 'in', wanted).execute()
    : [];
  const names = new Map(rows.map((r) => [r.id, r.name]));
  return (id: number | null) => (id === null ? null : { id, name: names.get(id) ?? String(id) });
}

function familyView(a: AppealRow, school: Awaited<ReturnType<typeof schoolNames>>): FamilyAppealView {
  return {
    id: a.id,
    applicationId: a.application_id,
    status: a.status,
    reason: a.reason,
    desiredSchool: school(a.desired_school_id),
    submittedAt: a.submitted_at,
    decisionReason: a.decision_reason,
    decidedAt: a.decided_at,
    placedSchool: school(a.placed_school_id),
  };
}

/** The family's appeal of one application (or none), with the window and the round's schools. */
export async function presentMyAppeal(
  db: Kysely<Database>,
  round: Round,
  app: ApplicationRow,
  now = new Date(),
): Promise<MyAppeal> {
  const [w, appeal, schools] = await Promise.all([
    appealWindow(db, round, now),
    appealOfApplication(db, app.id),
    roundSchools(db, round, round.parsedRules),
  ]);
  const school = await schoolNames(db, [appeal?.desired_school_id ?? null, appeal?.placed_school_id ?? null]);
  const inDraw = tookPartInDraw(app);
  return {
    window: { ...w, closesOn: round.parsedRules.schedule.appealsClose },
    appeal: appeal ? familyView(appeal, school) : null,
    inDraw,
    // The same conditions submitAppeal checks, so the page offers the form only where it is accepted.
    canAppeal: w.open && inDraw && (!appeal || appeal.status === 'withdrawn'),
    schools: schools.map((s) => ({ id: s.id, name: s.name, ownership: s.ownership })),
  };
}

export interface AppealFilter {
  status?: AppealStatus;
  schoolId?: number;
}

function appealsQuery(db: Db, round: Round, f: AppealFilter) {
  return db
    .selectFrom('admission_appeals as p')
    .innerJoin('admission_applications as a', 'a.id', 'p.application_id')
    .where('p.round_id', '=', round.id)
    .$if(Boolean(f.status), (q) => q.where('p.status', '=', f.status!))
    .$if(f.schoolId !== undefined, (q) =>
      q.where((eb) =>
        eb.or([
          eb('p.desired_school_id', '=', f.schoolId!),
          eb('p.placed_school_id', '=', f.schoolId!),
          eb('a.result_school_id', '=', f.schoolId!),
        ]),
      ),
    );
}

const ROW_COLUMNS = [
  'p.id',
  'p.application_id',
  'p.status',
  'p.submitted_at',
  'p.desired_school_id',
  'p.placed_school_id',
  'p.decided_at',
  'p.decided_by',
  'a.child_name',
  'a.child_id_number',
  'a.result_school_id',
  'a.result_by',
] as const;

type ListRow = {
  id: number;
  application_id: number;
  status: AppealStatus;
  submitted_at: string;
  desired_school_id: number | null;
  placed_school_id: number | null;
  decided_at: string | null;
  decided_by: string | null;
  child_name: string;
  child_id_number: string;
  result_school_id: number | null;
  result_by: ApplicationRow['result_by'];
};

async function maskedRows(db: Db, rows: ListRow[]) {
  const school = await schoolNames(
    db,
    rows.flatMap((r) => [r.desired_school_id, r.placed_school_id, r.result_school_id]),
  );
  return rows.map((r) => ({
    id: r.id,
    applicationId: r.application_id,
    ...maskedChild(r.application_id, r.child_name, r.child_id_number),
    status: r.status,
    submittedAt: r.submitted_at,
    desiredSchool: school(r.desired_school_id),
    result: { school: school(r.result_school_id), by: r.result_by },
    placedSchool: school(r.placed_school_id),
    decidedAt: r.decided_at,
    decidedBy: r.decided_by,
  }));
}

/** The clerks' list, masked, oldest waiting first; with the round's counts by status. */
export async function listAppeals(
  db: Db,
  round: Round,
  f: AppealFilter & { limit: number; offset: number },
): Promise<AppealList> {
  const q = appealsQuery(db, round, f);
  const [total, rows, counts] = await Promise.all([
    q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow(),
    q.select(ROW_COLUMNS).orderBy('p.submitted_at').orderBy('p.id').limit(f.limit).offset(f.offset).execute(),
    db
      .selectFrom('admission_appeals')
      .select(['status', (eb) => eb.fn.countAll<number>().as('n')])
      .where('round_id', '=', round.id)
      .groupBy('status')
      .execute(),
  ]);
  return {
    total: Number(total.n),
    byStatus: Object.fromEntries(
      STATUSES.map((s) => [s, Number(counts.find((c) => c.status === s)?.n ?? 0)]),
    ) as AppealList['byStatus'],
    rows: await maskedRows(db, rows as ListRow[]),
  };
}

/**
 * Every appeal of the filter, masked, in pages by id (key-set: a decision made meanwhile, which
 * moves an appeal out of a status filter, neither skips nor repeats a row): what the export writes.
 */
export async function* iterateAppeals(db: Db, round: Round, f: AppealFilter) {
  const page = 500;
  for (let afterId = 0; ; ) {
    const rows = await appealsQuery(db, round, f)
      .select([...ROW_COLUMNS, 'p.reason', 'p.decision_reason'])
      .where('p.id', '>', afterId)
      .orderBy('p.id')
      .limit(page)
      .execute();
    afterId = rows.at(-1)?.id ?? afterId;
    const masked = await maskedRows(db, rows as ListRow[]);
    for (const [i, r] of masked.entries())
      yield { ...r, reason: rows[i].reason, decisionReason: rows[i].decision_reason };
    if (rows.length < page) return;
  }
}

/** One appeal for the clerk: the child in full (the route audits this read), the result and the seats. */
export async function presentAppeal(
  db: Kysely<Database>,
  round: Round,
  appeal: AppealRow,
  app: ApplicationRow,
): Promise<AppealView> {
  const [[row], parts, community, seats] = await Promise.all([
    maskedRows(db, [
      {
        ...appeal,
        child_name: app.child_name,
        child_id_number: app.child_id_number,
        result_school_id: app.result_school_id,
        result_by: app.result_by,
      },
    ]),
    loadApplicationParts(db, app.id),
    db.selectFrom('communities').select('name').where('code', '=', app.community_code).executeTakeFirst(),
    roundSeats(db, round),
  ]);
  return {
    ...row,
    roundId: round.id,
    childName: app.child_name,
    idNumber: app.child_id_number,
    communityName: community?.name ?? app.community_code,
    approvedCategory: app.approved_category,
    applicationStatus: app.status,
    choices: parts.choices.map((c) => ({ id: c.id, name: c.name })),
    reason: appeal.reason,
    decisionReason: appeal.decision_reason,
    seats: seats.map((s) => ({
      id: s.id,
      code: s.code,
      name: s.name,
      ownership: s.ownership,
      planned: s.planned,
      placed: s.placed,
      left: s.left,
    })),
  };
}
