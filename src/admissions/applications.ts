/**
 * 报名: a parent's application for a child. One per child per round and one per submission key —
 * both UNIQUE constraints of the database, so a retried, double-clicked or raced submit returns the
 * first application instead of making a second. Editable until the round's Asia/Shanghai deadline.
 */
import {
  type Insertable,
  type Kysely,
  PostgresAdapter,
  type Selectable,
  sql,
  type Transaction,
} from 'kysely';
import { type AuditActor, auditRow, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { birthDateOfIdNumber, checkIdNumber } from '../domain/id-number.ts';
import { nowIso } from '../domain/time.ts';
import type { AdmissionApplicationsTable, Database } from '../store/schema.ts';
import {
  type ChoosableSchool,
  findRound,
  type Round,
  requireAccepting,
  roundChoiceIndex,
  roundWhile,
} from './rounds.ts';
import { categoryMatches, type Facts, findCategory } from './rules.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type ApplicationRow = Selectable<AdmissionApplicationsTable>;

export const GUARDIAN_RELATIONS = ['father', 'mother', 'grandparent', 'other'] as const;

/** What a family fills in (the web form; the API contract mirrors it). */
export interface ApplicationInput {
  child: { idNumber: string; name: string };
  communityCode: string;
  facts: Facts;
  propertyNo?: string | null;
  guardian: { name: string; relation: (typeof GUARDIAN_RELATIONS)[number] };
  /** The guardian agrees to the processing of the child's data for this round. */
  consent: boolean;
  category: string;
  /** School ids, best first. */
  choices: number[];
}

/** The published application number: never the ID number or the name. */
export const applicationNo = (id: number) => `A${String(id).padStart(7, '0')}`;

const bad = (code: string, zh: string, en: string, field: string) =>
  new AppError(`admissions.${code}`, zh, en, field);

/** Checks an application against the round's rules and the registry; returns the columns to store. */
export async function validateApplication(db: Db, round: Round, input: ApplicationInput) {
  const rules = round.parsedRules;
  const id = input.child.idNumber.trim().toUpperCase();
  const problem = checkIdNumber(id);
  if (problem)
    throw bad(
      'bad_id_number',
      problem === 'check_digit' ? '身份证号校验位不正确' : '身份证号格式不正确（18 位）',
      problem === 'check_digit'
        ? 'The ID number’s check digit is wrong'
        : 'The ID number is malformed (18 characters)',
      'child.idNumber',
    );
  const birth = birthDateOfIdNumber(id);
  if (birth < rules.ageWindow.bornFrom || birth > rules.ageWindow.bornTo)
    throw bad(
      'outside_age_window',
      `出生日期 ${birth} 不在本批次年龄范围（${rules.ageWindow.bornFrom} 至 ${rules.ageWindow.bornTo}）`,
      `Born ${birth}: outside the round's age window (${rules.ageWindow.bornFrom} to ${rules.ageWindow.bornTo})`,
      'child.idNumber',
    );
  const name = input.child.name.trim();
  if (!name || name.length > 30)
    throw bad('bad_name', '请填写儿童姓名', "Enter the child's name", 'child.name');
  const guardian = input.guardian.name.trim();
  if (!guardian || guardian.length > 30)
    throw bad('bad_guardian', '请填写监护人姓名', "Enter the guardian's name", 'guardian.name');
  if (!input.consent)
    throw bad(
      'consent_required',
      '须监护人同意为招生目的处理儿童信息',
      "The guardian's consent to processing the child's data is required",
      'consent',
    );
  const category = findCategory(rules, input.category);
  if (!categoryMatches(category, input.facts))
    throw bad(
      'category_mismatch',
      `所填户籍、房产、居住证情况不符合“${category.label.zh}”`,
      `The hukou, property and residence-permit answers do not meet “${category.label.en}”`,
      'category',
    );
  const propertyNo = input.propertyNo?.trim() || null;
  if (input.facts.hasProperty && !propertyNo)
    throw bad(
      'property_no_required',
      '有房产须填写不动产权证号或网签合同号',
      'Enter the property deed or contract number',
      'propertyNo',
    );

  // The round's catchments and schools, kept by the process for a few seconds: a submission on
  // registration day reads nothing else before its insert.
  const index = await roundChoiceIndex(db, round);
  const community = index.communities.get(input.communityCode);
  const served = community?.schoolIds ?? [];
  if (served.length === 0)
    throw bad(
      'bad_community',
      '所选小区不在本批次划片范围内',
      'The community is not in this round’s catchments',
      'communityCode',
    );
  const schools = index.schools;
  const { maxPublic, maxPrivate, maxTotal } = rules.choices;
  if (input.choices.length === 0 || input.choices.length > maxTotal)
    throw bad('choice_count', `请选择 1 至 ${maxTotal} 所学校`, `Choose 1 to ${maxTotal} schools`, 'choices');
  let publics = 0;
  let privates = 0;
  input.choices.forEach((schoolId, i) => {
    const s = schools.get(schoolId);
    const field = `choices[${i}]`;
    if (!s || input.choices.indexOf(schoolId) !== i)
      throw bad(
        'bad_choice',
        '所选学校不在本批次或重复',
        'The school is not in this round, or is chosen twice',
        field,
      );
    if (s.ownership === 'private') privates++;
    else if (!served.includes(schoolId))
      throw bad(
        'outside_catchment',
        `${s.name} 不是所选小区的划片学校`,
        `${s.name} is not a catchment school of the community`,
        field,
      );
    else publics++;
    if (publics > maxPublic || privates > maxPrivate)
      throw bad(
        'choice_limit',
        `最多可选公办 ${maxPublic} 所、民办 ${maxPrivate} 所，合计 ${maxTotal} 所`,
        `At most ${maxPublic} public and ${maxPrivate} private schools, ${maxTotal} in all`,
        field,
      );
  });
  return {
    columns: {
      child_id_number: id,
      child_name: name,
      // GB 11643: the 17th character is odd for a boy.
      child_sex: Number(id[16]) % 2 === 1 ? 'male' : 'female',
      child_birth_date: birth,
      community_code: input.communityCode,
      local_hukou: input.facts.localHukou ? 1 : 0,
      hukou_at_property: input.facts.hukouAtProperty ? 1 : 0,
      has_property: input.facts.hasProperty ? 1 : 0,
      residence_permit: input.facts.residencePermit ? 1 : 0,
      property_no: propertyNo,
      guardian_name: guardian,
      guardian_relation: input.guardian.relation,
      claimed_category: category.code,
    },
    choices: input.choices,
    /** What the family's view shows of the choices and the community (no need to read them back). */
    known: {
      choices: input.choices.map((id, i) => ({ rank: i + 1, ...schools.get(id)! })),
      communityName: community!.name,
    },
  };
}

const childTaken = () =>
  bad(
    'application_exists',
    '该儿童已在本批次报名（可在“我的报名”中查看或修改）',
    'This child already has an application in this round (see “My applications”)',
    'child.idNumber',
  );

async function insertChoices(
  trx: Transaction<Database>,
  applicationId: number,
  county: string,
  choices: number[],
) {
  await trx
    .insertInto('admission_choices')
    .values(
      choices.map((school_id, i) => ({
        application_id: applicationId,
        rank: i + 1,
        school_id,
        county_code: county,
      })),
    )
    .execute();
}

/** A just-created application's parts, known from the submission: its view needs no read-back. */
export interface SubmittedParts {
  choices: (ChoosableSchool & { rank: number })[];
  communityName: string;
}

/**
 * Submits an application. The same client key returns the first application (created false);
 * concurrent twins meet at the UNIQUE constraints: one inserts, the others find its row.
 * The usual case costs one statement: the checks read only the round's cached choice index, and the
 * application, its choices and its audit entry are written together (`insertApplication`). A
 * submission that fails a check is still answered with an earlier application of the same key (a
 * retry after the deadline, or of a form changed since), as the client key promises.
 */
export async function submitApplication(
  db: Kysely<Database>,
  actor: AuditActor & { userId: number },
  round: Round,
  clientKey: string,
  input: ApplicationInput,
  opts: { now?: Date; synthetic?: boolean } = {},
): Promise<{ application: ApplicationRow; created: boolean; parts?: SubmittedParts }> {
  const byKey = () =>
    db
      .selectFrom('admission_applications')
      .selectAll()
      .where('parent_id', '=', actor.userId)
      .where('client_key', '=', clientKey)
      .executeTakeFirst();
  let v: Awaited<ReturnType<typeof validateApplication>>;
  try {
    requireAccepting(round, opts.now);
    v = await validateApplication(db, round, input);
  } catch (e) {
    const earlier = await byKey();
    if (earlier) return { application: earlier, created: false };
    throw e;
  }
  const now = nowIso();
  const row = {
    round_id: round.id,
    county_code: round.county_code,
    parent_id: actor.userId,
    client_key: clientKey,
    ...v.columns,
    consent_at: now,
    status: 'submitted' as const,
    synthetic: opts.synthetic ? 1 : 0,
    submitted_at: now,
    updated_at: now,
  };
  const inserted = await insertApplication(db, actor, row, v.choices);
  if (inserted) return { application: inserted, created: true, parts: v.known };
  const twin = await byKey();
  if (twin) return { application: twin, created: false };
  // Nothing inserted and no twin: the child is taken, or the round closed since it was read.
  const fresh = await findRound(db, round.id);
  if (fresh) requireAccepting(fresh, opts.now);
  throw childTaken();
}

const applyAudit = (
  row: Pick<ApplicationRow, 'id' | 'county_code' | 'child_name' | 'child_id_number' | 'claimed_category'>,
) => ({
  action: 'admissions.apply',
  resourceType: 'admission_application',
  resourceId: row.id,
  countyCode: row.county_code,
  after: { name: row.child_name, id_number: row.child_id_number, category: row.claimed_category },
});

type NewApplication = Insertable<AdmissionApplicationsTable>;

/**
 * INSERT … SELECT of the application's row from its round while the round is open (so a round read
 * from the cache but closed meanwhile takes nothing), and nothing when a UNIQUE constraint holds
 * (the client key, or the child in the round).
 * Every value is cast to its column's type: PostgreSQL types a parameter in a select list as text.
 */
function insertWhileOpen(qb: Kysely<Database> | Transaction<Database>, row: NewApplication) {
  const cols = Object.keys(row) as (keyof NewApplication & string)[];
  const typed = (v: unknown) =>
    typeof v === 'number' ? sql`cast(${v} as integer)` : sql`cast(${v ?? null} as text)`;
  return qb
    .insertInto('admission_applications')
    .columns(cols)
    .expression(
      qb
        .selectFrom('admission_rounds')
        .select(cols.map((c) => typed(row[c]).as(c)))
        .where('admission_rounds.id', '=', row.round_id)
        .where('admission_rounds.status', '=', 'open')
        // On PostgreSQL the round row is share-locked, so a close (an UPDATE of it) either commits
        // before this reads it — and nothing is inserted — or waits until this submission is in.
        .$if(qb.getExecutor().adapter instanceof PostgresAdapter, (q) => q.forShare())
        // A replay or a child already applied for inserts nothing, and takes no application number
        // from the sequence (ON CONFLICT still settles twins racing each other).
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('admission_applications as k')
                .select('k.id')
                .where('k.parent_id', '=', row.parent_id)
                .where('k.client_key', '=', row.client_key),
            ),
          ),
        )
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('admission_applications as c')
                .select('c.id')
                .where('c.round_id', '=', row.round_id)
                .where('c.child_id_number', '=', row.child_id_number),
            ),
          ),
        ),
    )
    .onConflict((oc) => oc.doNothing())
    .returningAll();
}

/**
 * Inserts the application with its choices and its audit entry, all or nothing; undefined when a
 * UNIQUE constraint (the client key, or the child in the round) already holds another row, or the
 * round is no longer open. On PostgreSQL one statement (data-modifying CTEs: the choices and the
 * audit row are selected from the inserted row, so a conflict writes neither); on SQLite,
 * in-process, a transaction.
 */
async function insertApplication(
  db: Kysely<Database>,
  actor: AuditActor,
  row: NewApplication,
  choices: number[],
): Promise<ApplicationRow | undefined> {
  if (!(db.getExecutor().adapter instanceof PostgresAdapter)) {
    return db.transaction().execute(async (trx) => {
      const inserted = await insertWhileOpen(trx, row).executeTakeFirst();
      if (!inserted) return undefined;
      await insertChoices(trx, inserted.id, inserted.county_code, choices);
      await writeAudit(trx, actor, applyAudit(inserted));
      return inserted;
    });
  }
  // The audit row as writeAudit makes it; only its resource id comes from the inserted row.
  const audit = auditRow(actor, applyAudit({ ...(row as ApplicationRow), id: 0 }));
  const text = (v: string | null) => sql<string | null>`cast(${v} as text)`;
  return db
    .with('a', () => insertWhileOpen(db, row))
    .with('c', (qb) =>
      qb
        .insertInto('admission_choices')
        .columns(['application_id', 'rank', 'school_id', 'county_code'])
        .expression(
          choices
            .map((schoolId, i) =>
              qb
                .selectFrom('a')
                .select([
                  'a.id',
                  sql<number>`cast(${i + 1} as integer)`.as('rank'),
                  sql<number>`cast(${schoolId} as integer)`.as('school_id'),
                  'a.county_code',
                ]),
            )
            .reduce((all, one) => all.unionAll(one)),
        ),
    )
    .with('l', (qb) =>
      qb
        .insertInto('audit_log')
        .columns([
          'at',
          'user_id',
          'username',
          'role',
          'ip',
          'action',
          'resource_type',
          'resource_id',
          'county_code',
          'detail',
        ])
        .expression(
          qb
            .selectFrom('a')
            .select([
              text(audit.at).as('at'),
              sql<number | null>`cast(${audit.user_id} as integer)`.as('user_id'),
              text(audit.username).as('username'),
              text(audit.role).as('role'),
              text(audit.ip).as('ip'),
              text(audit.action).as('action'),
              text(audit.resource_type).as('resource_type'),
              sql<string>`cast(a.id as text)`.as('resource_id'),
              'a.county_code',
              text(audit.detail).as('detail'),
            ]),
        ),
    )
    .selectFrom('a')
    .selectAll()
    .executeTakeFirst();
}

/** The family's edit (or resubmission after a return): back into the clerks' queue. */
export async function editApplication(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  app: ApplicationRow,
  input: ApplicationInput,
  now?: Date,
): Promise<ApplicationRow> {
  requireAccepting(round, now);
  const v = await validateApplication(db, round, input);
  if (v.columns.child_id_number !== app.child_id_number) {
    const other = await db
      .selectFrom('admission_applications')
      .select('id')
      .where('round_id', '=', round.id)
      .where('child_id_number', '=', v.columns.child_id_number)
      .executeTakeFirst();
    if (other) throw childTaken();
  }
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('admission_applications')
      .set({
        ...v.columns,
        consent_at: nowIso(),
        status: 'submitted',
        approved_category: null,
        return_reason: null,
        updated_at: nowIso(),
      })
      .where('id', '=', app.id)
      .where('round_id', 'in', roundWhile(trx, round.id, ['open']))
      .returningAll()
      .executeTakeFirst();
    if (!row) throw roundClosedMeanwhile();
    await trx.deleteFrom('admission_choices').where('application_id', '=', app.id).execute();
    await insertChoices(trx, app.id, app.county_code, v.choices);
    await writeAudit(trx, actor, {
      action: 'admissions.edit',
      resourceType: 'admission_application',
      resourceId: app.id,
      countyCode: app.county_code,
      context: { from: app.status },
    });
    return row;
  });
}

const roundClosedMeanwhile = () =>
  new AppError(
    'admissions.round_not_open',
    '该批次已停止报名，修改未保存',
    'The round stopped taking applications meanwhile: the change was not saved',
    'round',
  );

export async function withdrawApplication(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  app: ApplicationRow,
  now?: Date,
): Promise<ApplicationRow> {
  requireAccepting(round, now);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('admission_applications')
      .set({ status: 'withdrawn', updated_at: nowIso() })
      .where('id', '=', app.id)
      .where('round_id', 'in', roundWhile(trx, round.id, ['open']))
      .returningAll()
      .executeTakeFirst();
    if (!row) throw roundClosedMeanwhile();
    await writeAudit(trx, actor, {
      action: 'admissions.withdraw',
      resourceType: 'admission_application',
      resourceId: app.id,
      countyCode: app.county_code,
      context: { from: app.status },
    });
    return row;
  });
}

export async function findApplication(db: Db, id: number): Promise<ApplicationRow | undefined> {
  return db.selectFrom('admission_applications').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function listParentApplications(db: Db, parentId: number): Promise<ApplicationRow[]> {
  return db
    .selectFrom('admission_applications')
    .selectAll()
    .where('parent_id', '=', parentId)
    .orderBy('id', 'desc')
    .execute();
}

/** What a page shows beside an application: its choices, documents and decisions. */
export async function loadApplicationParts(db: Db, id: number) {
  const [choices, documents, decisions] = await Promise.all([
    db
      .selectFrom('admission_choices')
      .innerJoin('schools', 'schools.id', 'admission_choices.school_id')
      .select(['admission_choices.rank', 'schools.id', 'schools.code', 'schools.name', 'schools.ownership'])
      .where('admission_choices.application_id', '=', id)
      .orderBy('admission_choices.rank')
      .execute(),
    db
      .selectFrom('admission_documents')
      .select(['id', 'doc_type', 'mime', 'size', 'uploaded_at'])
      .where('application_id', '=', id)
      .orderBy('id')
      .execute(),
    db.selectFrom('admission_decisions').selectAll().where('application_id', '=', id).orderBy('id').execute(),
  ]);
  return { choices, documents, decisions };
}
