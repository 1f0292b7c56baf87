/** The admissions API's presenters: one per resource, from a whitelist of fields (never a row). */
import type { Kysely } from 'kysely';
import { formatShanghai } from '../domain/time.ts';
import type {
  ApplicationView,
  RoundOptions,
  RoundSummary,
  RoundView,
} from '../server/admissions-contracts.ts';
import { regionNames } from '../store/regions.ts';
import type { Database } from '../store/schema.ts';
import {
  type ApplicationRow,
  applicationNo,
  loadApplicationParts,
  type SubmittedParts,
} from './applications.ts';
import { type DrawRow, findDraw } from './draw.ts';
import {
  type AdmissionStage,
  checkRoundRegistry,
  isAccepting,
  type Round,
  type RoundRow,
  roundCatchments,
  roundSchools,
} from './rounds.ts';
import { DOC_TYPE_LABELS, DOC_TYPES, type DocType, inLang, missingProofs } from './rules.ts';
import { type Conflict, factsOf, findConflicts } from './verification.ts';

type DrawStage = RoundSummary['drawStatus'];

function summary(r: RoundRow, countyName: string, drawStatus: DrawStage, now: Date): RoundSummary {
  return {
    id: r.id,
    countyCode: r.county_code,
    countyName,
    year: r.year,
    stage: r.stage as AdmissionStage,
    name: r.name,
    status: r.status,
    deadlineAt: r.deadline_at,
    deadline: formatShanghai(r.deadline_at),
    accepting: isAccepting(r, now),
    drawStatus,
  };
}

export async function presentRounds(db: Kysely<Database>, rounds: RoundRow[], now = new Date()) {
  const ids = rounds.map((r) => r.id);
  const [names, draws] = await Promise.all([
    regionNames(db, [...new Set(rounds.map((r) => r.county_code))]),
    ids.length
      ? db
          .selectFrom('admission_draws')
          .select(['round_id', 'status', 'published_at'])
          .where('round_id', 'in', ids)
          .execute()
      : [],
  ]);
  // A frozen round's draw goes on: drawn, then its results published.
  const stage = new Map<number, DrawStage>(
    draws.map((d) => [d.round_id, d.published_at ? 'published' : d.status === 'drawn' ? 'drawn' : 'frozen']),
  );
  return rounds.map((r) =>
    summary(r, names.get(r.county_code) ?? r.county_code, stage.get(r.id) ?? null, now),
  );
}

/** The round's page; its problems in `lang`. */
export async function presentRound(
  db: Kysely<Database>,
  round: Round,
  lang: 'zh' | 'en',
): Promise<RoundView> {
  const [[s], schools, catchments, problems] = await Promise.all([
    presentRounds(db, [round]),
    roundSchools(db, round, round.parsedRules),
    roundCatchments(db, round),
    checkRoundRegistry(db, round),
  ]);
  return {
    ...s,
    rules: round.parsedRules,
    rulesDigest: round.rules_digest,
    openedAt: round.opened_at,
    schools: schools.map(({ lng: _x, lat: _y, ...rest }) => rest),
    communities: catchments.length,
    docTypes: docTypes(),
    problems: inLang(problems, lang),
  };
}

const docTypes = () => DOC_TYPES.map((code) => ({ code, label: DOC_TYPE_LABELS[code] }));

const asList = (p: string | string[]) => (Array.isArray(p) ? p : [p]) as DocType[];

export async function presentRoundOptions(db: Kysely<Database>, round: Round): Promise<RoundOptions> {
  const rules = round.parsedRules;
  const [[s], schools, communities, draw] = await Promise.all([
    presentRounds(db, [round]),
    roundSchools(db, round, rules),
    roundCatchments(db, round),
    findDraw(db, round.id),
  ]);
  return {
    ...s,
    ageWindow: rules.ageWindow,
    choices: rules.choices,
    categories: rules.categories.map((c) => ({
      code: c.code,
      label: c.label,
      requires: Object.fromEntries(Object.entries(c.requires).filter(([, v]) => v !== undefined)) as Record<
        string,
        boolean
      >,
      proofs: c.proofs.map(asList),
    })),
    docTypes: docTypes(),
    maxBytes: rules.documents.maxBytes,
    communities,
    schools: schools.map((x) => ({ id: x.id, code: x.code, name: x.name, ownership: x.ownership })),
    draw: draw ? publicDraw(draw) : null,
  };
}

/** What every family sees of a frozen round's draw: the published numbers, the secret once revealed. */
function publicDraw(d: DrawRow): NonNullable<RoundOptions['draw']> {
  const drawn = d.status === 'drawn';
  return {
    status: drawn ? 'drawn' : 'frozen',
    applicants: d.applicants,
    digest: d.list_digest,
    commitment: d.commitment,
    frozenAt: d.frozen_at,
    secret: drawn ? d.secret : null,
    publicValue: drawn ? d.public_value : null,
    seed: drawn ? d.seed : null,
    drawnAt: drawn ? d.drawn_at : null,
    publishedAt: d.published_at,
  };
}

/** An application for its family or for the clerk's single view (name and ID number in full). */
export async function presentApplication(
  db: Kysely<Database>,
  round: Round,
  a: ApplicationRow,
  conflicts?: Conflict[],
  now = new Date(),
): Promise<ApplicationView> {
  const [parts, community, flags] = await Promise.all([
    loadApplicationParts(db, a.id),
    db.selectFrom('communities').select('name').where('code', '=', a.community_code).executeTakeFirst(),
    conflicts ? Promise.resolve(null) : findConflicts(db, round, [a.id]),
  ]);
  return applicationView(
    round,
    a,
    parts,
    community?.name ?? a.community_code,
    conflicts ?? flags?.get(a.id) ?? [],
    now,
  );
}

/**
 * The family's answer to a submission: a just-created application is shown from what the
 * submission knew (its choices and community; no documents or decisions yet) without reading it
 * back; a replayed one (the same client key) as stored.
 */
export async function presentSubmitted(
  db: Kysely<Database>,
  round: Round,
  r: { application: ApplicationRow; parts?: SubmittedParts },
): Promise<ApplicationView> {
  if (!r.parts) return presentApplication(db, round, r.application, []);
  const parts = { choices: r.parts.choices, documents: [], decisions: [] };
  return applicationView(round, r.application, parts, r.parts.communityName, [], new Date());
}

function applicationView(
  round: Round,
  a: ApplicationRow,
  parts: Awaited<ReturnType<typeof loadApplicationParts>>,
  communityName: string,
  conflicts: Conflict[],
  now: Date,
): ApplicationView {
  const category = round.parsedRules.categories.find(
    (c) => c.code === (a.approved_category ?? a.claimed_category),
  );
  return {
    id: a.id,
    applicationNo: applicationNo(a.id),
    roundId: round.id,
    roundName: round.name,
    status: a.status,
    returnReason: a.return_reason,
    child: {
      name: a.child_name,
      idNumber: a.child_id_number,
      birthDate: a.child_birth_date,
      sex: a.child_sex,
    },
    communityCode: a.community_code,
    communityName,
    facts: factsOf(a),
    propertyNo: a.property_no,
    guardian: {
      name: a.guardian_name,
      relation: a.guardian_relation as ApplicationView['guardian']['relation'],
    },
    consentAt: a.consent_at,
    claimedCategory: a.claimed_category,
    approvedCategory: a.approved_category,
    choices: parts.choices,
    documents: parts.documents.map((d) => ({
      id: d.id,
      docType: d.doc_type,
      mime: d.mime,
      size: d.size,
      uploadedAt: d.uploaded_at,
    })),
    missingProofs: category
      ? missingProofs(
          category,
          parts.documents.map((d) => d.doc_type),
        ).map(asList)
      : [],
    decisions: parts.decisions.map((d) => ({
      decision: d.decision,
      category: d.category,
      reason: d.reason,
      decidedAt: d.decided_at,
    })),
    conflicts,
    submittedAt: a.submitted_at,
    updatedAt: a.updated_at,
    editable: isAccepting(round, now),
  };
}
