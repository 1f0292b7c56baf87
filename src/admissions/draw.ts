/**
 * 摇号: the publicly verifiable draw of a round (docs/admissions.md "The draw"). Freezing turns the
 * verified applications into the engine's input — application numbers only, never names or ID
 * numbers — and publishes its digest and the commitment SHA-256(secret) of a secret kept here until
 * the draw. The draw reveals the secret, takes the public value entered by the clerk, solves
 * (deferred acceptance, then 统筹) and stores the draw file that `admissions verify` reads.
 */
import { randomBytes } from 'node:crypto';
import type { Kysely, Selectable, Transaction } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { nowIso } from '../domain/time.ts';
import { type AdmissionsInput, checkReferences } from '../engines/admissions/contract.ts';
import { applicantListDigest, commitmentOf } from '../engines/admissions/keys.ts';
import { type DrawFile, publishDraw } from '../engines/admissions/verify.ts';
import type { AdmissionDrawsTable, Database } from '../store/schema.ts';
import { applicationNo } from './applications.ts';
import { type Round, roundCatchments, roundSchools } from './rounds.ts';

type Db = Kysely<Database> | Transaction<Database>;
export type DrawRow = Selectable<AdmissionDrawsTable>;
/** The engine's input before the seed exists: what the digest covers and the draw solves. */
export type DrawInput = Omit<AdmissionsInput, 'seed'>;

const EARTH_M = 6_371_008.8;

/**
 * Longitude/latitude → plane metres (x east, y north) from the mean of the points: an
 * equirectangular projection at their mean latitude, within a few tenths of a percent across a
 * county. Rounded to whole metres, so the published file carries plain integers.
 */
function projector(points: readonly { lng: number; lat: number }[]) {
  const lng0 = points.reduce((s, p) => s + p.lng, 0) / points.length;
  const lat0 = points.reduce((s, p) => s + p.lat, 0) / points.length;
  const rad = Math.PI / 180;
  const kx = EARTH_M * rad * Math.cos(lat0 * rad);
  return (p: { lng: number; lat: number }) => ({
    x: Math.round((p.lng - lng0) * kx),
    y: Math.round((p.lat - lat0) * EARTH_M * rad),
  });
}

/**
 * The engine's input from a round's verified (approved) applications: each one's number, its
 * choices in order as school codes, its tiers, the round's seats, and for 统筹 the coordinates of
 * the applicants' communities and of the round's public schools (docs/admissions.md "The draw").
 *
 * - Tiers: at a public school the approved category's place in the rules' categories (1 = first);
 *   at a private school 1 for everyone — an oversubscribed private school admits by the lottery
 *   alone (公民同招, DOMAIN.md §1: all applicants go into the computer lottery).
 * - Fallback: an applicant who chose a private school gets, after its own choices, the public
 *   catchment school(s) of its community that it did not list, nearest first (the plane distance
 *   统筹 uses), ties by school code, at the category's tier — so that a lottery loser is placed at
 *   its catchment school by DA (`by: fallback`) before 统筹.
 */
export async function buildDrawInput(db: Db, round: Round): Promise<DrawInput> {
  const rules = round.parsedRules;
  const schools = await roundSchools(db, round, rules);
  const apps = await db
    .selectFrom('admission_applications')
    .select(['id', 'community_code', 'approved_category'])
    .where('round_id', '=', round.id)
    .where('status', '=', 'approved')
    .orderBy('id')
    .execute();
  const choiceRows = await db
    .selectFrom('admission_choices')
    .innerJoin('admission_applications', 'admission_applications.id', 'admission_choices.application_id')
    .innerJoin('schools', 'schools.id', 'admission_choices.school_id')
    .select(['admission_choices.application_id', 'schools.code'])
    .where('admission_applications.round_id', '=', round.id)
    .where('admission_applications.status', '=', 'approved')
    .orderBy('admission_choices.application_id')
    .orderBy('admission_choices.rank')
    .execute();
  const choicesOf = new Map<number, string[]>();
  for (const c of choiceRows) {
    const list = choicesOf.get(c.application_id) ?? [];
    list.push(c.code);
    choicesOf.set(c.application_id, list);
  }
  const roundCodes = new Set(schools.map((s) => s.code));
  const ownershipOf = new Map(schools.map((s) => [s.code, s.ownership]));
  const codeOfId = new Map(schools.map((s) => [s.id, s.code]));
  const catchmentCodes = new Map(
    (await roundCatchments(db, round)).map((c) => [
      c.code,
      c.schoolIds.flatMap((id) => {
        const code = codeOfId.get(id);
        return code !== undefined && ownershipOf.get(code) === 'public' ? [code] : [];
      }),
    ]),
  );
  const applicants = apps.map((a) => {
    const id = applicationNo(a.id);
    const tier = rules.categories.findIndex((c) => c.code === a.approved_category) + 1;
    if (tier === 0)
      throw new AppError(
        'admissions.draw_category',
        `报名 ${id} 的审核类别 ${a.approved_category} 不在本批次规则中`,
        `Application ${id}: its approved category ${a.approved_category} is not in the round's rules`,
        id,
      );
    const choices = choicesOf.get(a.id) ?? [];
    const outside = choices.find((s) => !roundCodes.has(s));
    if (outside)
      throw new AppError(
        'admissions.draw_school',
        `报名 ${id} 所填学校 ${outside} 不属于本批次`,
        `Application ${id} chose school ${outside}, which is not a school of the round`,
        id,
      );
    return { id, community: a.community_code, choices, tier };
  });

  const codes = [...new Set(apps.map((a) => a.community_code))].sort();
  const communityRows = codes.length
    ? await db
        .selectFrom('communities')
        .select(['code', 'lng', 'lat'])
        .where('code', 'in', codes)
        .orderBy('code')
        .execute()
    : [];
  const located = <T extends { lng: number | null; lat: number | null }>(
    r: T,
    field: string,
  ): T & { lng: number; lat: number } => {
    if (r.lng === null || r.lat === null)
      throw new AppError(
        'admissions.draw_coordinates',
        `${field} 缺少经纬度，无法统筹分配`,
        `${field} has no longitude/latitude, needed for the overflow placement`,
        field,
      );
    return r as T & { lng: number; lat: number };
  };
  const communities = communityRows.map((c) => located(c, `communities.${c.code}`));
  const publicSchools = schools
    .filter((s) => s.ownership === 'public')
    .map((s) => located(s, `schools.${s.code}`));
  const project = projector([...communities, ...publicSchools]);
  const atCommunity = new Map(communities.map((c) => [c.code, project(c)]));
  const atSchool = new Map(publicSchools.map((s) => [s.code, project(s)]));
  const distance2 = (from: string, to: string) => {
    const a = atCommunity.get(from);
    const b = atSchool.get(to);
    return a && b ? (a.x - b.x) ** 2 + (a.y - b.y) ** 2 : Number.POSITIVE_INFINITY;
  };
  return {
    tieBreaking: rules.tieBreaking,
    schools: schools.map((s) => ({ id: s.code, capacity: s.capacity })),
    applicants: applicants.map(({ id, community, choices, tier }) => {
      const fallback = choices.some((s) => ownershipOf.get(s) === 'private')
        ? (catchmentCodes.get(community) ?? [])
            .filter((s) => !choices.includes(s))
            .sort((x, y) => distance2(community, x) - distance2(community, y) || (x < y ? -1 : x > y ? 1 : 0))
        : [];
      const all = [...choices, ...fallback];
      return {
        id,
        choices: all,
        tiers: Object.fromEntries(all.map((s) => [s, ownershipOf.get(s) === 'private' ? 1 : tier])),
      };
    }),
    overflow: {
      schools: publicSchools.map((s) => ({ id: s.code, ownership: 'public' as const, ...project(s) })),
      communities: communities.map((c) => ({ id: c.code, ...project(c) })),
      applicants: Object.fromEntries(apps.map((a) => [applicationNo(a.id), a.community_code])),
    },
  };
}

export async function findDraw(db: Db, roundId: number): Promise<DrawRow | undefined> {
  return db.selectFrom('admission_draws').selectAll().where('round_id', '=', roundId).executeTakeFirst();
}

const FIELD_WORDS: Record<string, { zh: string; en: string }> = {
  digest: { zh: '派位名单摘要', en: "the applicant list's digest" },
  commitment: { zh: '密钥承诺值', en: "the secret's commitment" },
  seed: { zh: '种子', en: 'the seed' },
  publicValue: { zh: '公开值', en: 'the public value' },
  secret: { zh: '密钥', en: 'the secret' },
};

const tampered = (field: keyof typeof FIELD_WORDS, doing: 'draw' | 'publish') => {
  const w = FIELD_WORDS[field];
  return new AppError(
    'admissions.draw_integrity',
    `${w.zh}（${field}）与冻结时公布的不一致，${doing === 'draw' ? '不能派位' : '不能公布'}`,
    `${w.en[0].toUpperCase()}${w.en.slice(1)} (${field}) does not match what was published at the freeze: ${doing === 'draw' ? 'not drawn' : 'not published'}`,
    field,
  );
};

/**
 * The digest and commitment as published at the freeze: the `admissions.draw_freeze` audit entry
 * written in the freeze's transaction (append-only), or none for a draw frozen without one.
 */
async function publishedAtFreeze(db: Db, draw: DrawRow): Promise<{ digest?: unknown; commitment?: unknown }> {
  const entry = await db
    .selectFrom('audit_log')
    .select('detail')
    .where('action', '=', 'admissions.draw_freeze')
    .where('resource_type', '=', 'admission_round')
    .where('resource_id', '=', String(draw.round_id))
    .orderBy('id')
    .executeTakeFirst();
  return entry?.detail ? (JSON.parse(entry.detail) as { digest?: unknown; commitment?: unknown }) : {};
}

/**
 * Refuses a draw (or a publication) whose stored numbers no longer hold together: the frozen list's
 * digest recomputed from the stored input must equal the `list_digest` column and the digest the
 * freeze published (its audit entry); SHA-256(secret) must equal the commitment, both stored and
 * published. With the draw file (publication), the file must carry the same digest, commitment,
 * secret, seed and public value as the draw row, and its list must hash to the digest.
 */
export async function checkDrawIntegrity(db: Db, draw: DrawRow, file?: DrawFile): Promise<void> {
  const doing = file ? 'publish' : 'draw';
  const input = JSON.parse(draw.input) as DrawInput;
  const published = await publishedAtFreeze(db, draw);
  if (
    applicantListDigest(input.applicants) !== draw.list_digest ||
    (published.digest !== undefined && published.digest !== draw.list_digest)
  )
    throw tampered('digest', doing);
  if (
    commitmentOf(draw.secret) !== draw.commitment ||
    (published.commitment !== undefined && published.commitment !== draw.commitment)
  )
    throw tampered('commitment', doing);
  if (!file) return;
  if (file.digest !== draw.list_digest || applicantListDigest(file.applicants) !== draw.list_digest)
    throw tampered('digest', doing);
  if (file.commitment !== draw.commitment) throw tampered('commitment', doing);
  if (file.secret !== draw.secret) throw tampered('secret', doing);
  if (file.seed !== draw.seed) throw tampered('seed', doing);
  if (file.publicValue !== draw.public_value) throw tampered('publicValue', doing);
}

const alreadyFrozen = () =>
  new AppError(
    'admissions.draw_frozen',
    '该批次的派位名单已冻结，不能再次冻结',
    "The round's applicant list is already frozen",
    'round',
  );

/**
 * Fixes the applicant list of a round whose registration has closed: stores the engine's input, its
 * digest and the commitment to a fresh secret; the round becomes `frozen`. A second freeze is refused.
 */
export async function freezeDraw(db: Kysely<Database>, actor: AuditActor, round: Round): Promise<DrawRow> {
  if (round.status === 'frozen') throw alreadyFrozen();
  if (round.status !== 'closed')
    throw new AppError(
      'admissions.round_not_closed',
      '报名截止（批次关闭）后才能冻结派位名单',
      'The applicant list can be frozen only after registration has closed',
      'status',
    );
  return db.transaction().execute(async (trx) => {
    const moved = await trx
      .updateTable('admission_rounds')
      .set({ status: 'frozen', updated_at: nowIso() })
      .where('id', '=', round.id)
      .where('status', '=', 'closed')
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw alreadyFrozen();
    const input = await buildDrawInput(trx, round);
    checkReferences(input);
    const secret = randomBytes(32).toString('hex');
    const row = await trx
      .insertInto('admission_draws')
      .values({
        round_id: round.id,
        county_code: round.county_code,
        status: 'frozen',
        input: JSON.stringify(input),
        applicants: input.applicants.length,
        list_digest: applicantListDigest(input.applicants),
        commitment: commitmentOf(secret),
        secret,
        frozen_at: nowIso(),
        frozen_by: actor.username ?? 'system',
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await writeAudit(trx, actor, {
      action: 'admissions.draw_freeze',
      resourceType: 'admission_round',
      resourceId: round.id,
      countyCode: round.county_code,
      context: { applicants: row.applicants, digest: row.list_digest, commitment: row.commitment },
    });
    return row;
  });
}

/**
 * The draw: reveals the secret, seeds with SHA-256(`secret:publicValue`), solves the frozen input
 * and stores the published draw file. Only once per round.
 */
export async function runDraw(
  db: Kysely<Database>,
  actor: AuditActor,
  round: Round,
  publicValue: string,
): Promise<DrawRow> {
  const value = publicValue.trim();
  if (!value)
    throw new AppError(
      'admissions.public_value',
      '请填写公开值',
      'The public value is required',
      'publicValue',
    );
  const draw = await findDraw(db, round.id);
  if (!draw)
    throw new AppError(
      'admissions.draw_not_frozen',
      '派位名单尚未冻结',
      'The applicant list has not been frozen yet',
      'round',
    );
  if (draw.status === 'drawn')
    throw new AppError('admissions.draw_done', '该批次已派位', 'The round has already been drawn', 'round');
  await checkDrawIntegrity(db, draw);
  const file = publishDraw(JSON.parse(draw.input) as DrawInput, draw.secret, value);
  return db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('admission_draws')
      .set({
        status: 'drawn',
        public_value: value,
        seed: file.seed,
        published: JSON.stringify(file),
        drawn_at: nowIso(),
        drawn_by: actor.username ?? 'system',
      })
      .where('id', '=', draw.id)
      .where('status', '=', 'frozen')
      .returningAll()
      .executeTakeFirst();
    if (!row)
      throw new AppError('admissions.draw_done', '该批次已派位', 'The round has already been drawn', 'round');
    const placed = Object.values(file.result.placements ?? {}).filter((p) => p.school !== null).length;
    await writeAudit(trx, actor, {
      action: 'admissions.draw',
      resourceType: 'admission_round',
      resourceId: round.id,
      countyCode: round.county_code,
      context: { publicValue: value, seed: file.seed, applicants: row.applicants, placed },
    });
    return row;
  });
}

/** What the bureau sees of a draw: the published numbers; the secret only once the draw revealed it. */
export function presentDraw(d: DrawRow) {
  return {
    roundId: d.round_id,
    status: d.status,
    applicants: d.applicants,
    digest: d.list_digest,
    commitment: d.commitment,
    frozenAt: d.frozen_at,
    frozenBy: d.frozen_by,
    secret: d.status === 'drawn' ? d.secret : null,
    publicValue: d.public_value,
    seed: d.seed,
    drawnAt: d.drawn_at,
    drawnBy: d.drawn_by,
    publishedAt: d.published_at,
    publishedBy: d.published_by,
  };
}
