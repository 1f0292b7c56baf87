/**
 * The demo's synthetic families (阳光招生, docs/demo-city.md): the generator of applications the
 * demo rounds share, and the catchments carried forward to the admission year. Every family,
 * application, photo and decision is synthetic; names and ID numbers are invented (prefix 41149d).
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Insertable, type Kysely, sql } from 'kysely';
import type { AdmissionStage, Round } from '../admissions/rounds.ts';
import type { Category, Facts } from '../admissions/rules.ts';
import { hashPassword } from '../auth/passwords.ts';
import { makeIdNumber } from '../domain/id-number.ts';
import { nowIso } from '../domain/time.ts';
import type { AdmissionApplicationsTable, Database } from '../store/schema.ts';
import { personName } from './names.ts';
import type { Rng } from './prng.ts';

export const DEMO_ADMISSION_YEAR = 2026;

/** A 1 × 1 grey PNG: the synthetic families' document photos. */
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const PHOTO_SHA256 = createHash('sha256').update(PHOTO).digest('hex');

const RETURN_REASONS = [
  '户口簿照片不清晰，请重新上传首页和儿童页',
  '不动产权证书与所填小区不一致，请核对',
  '缺少居住证有效期页，请补充',
  '出生医学证明照片不完整，请重新拍摄',
];

/** Category, weight, and the facts a family in it states. */
const FAMILY_MIX: [string, number, Facts][] = [
  [
    'hukou_property',
    40,
    { localHukou: true, hasProperty: true, hukouAtProperty: true, residencePermit: false },
  ],
  [
    'property_only',
    15,
    { localHukou: true, hasProperty: true, hukouAtProperty: false, residencePermit: false },
  ],
  [
    'hukou_only',
    15,
    { localHukou: true, hasProperty: false, hukouAtProperty: false, residencePermit: false },
  ],
  [
    'migrant_property',
    12,
    { localHukou: false, hasProperty: true, hukouAtProperty: false, residencePermit: true },
  ],
  [
    'migrant_rent',
    18,
    { localHukou: false, hasProperty: false, hukouAtProperty: false, residencePermit: true },
  ],
];

const MIX_CUMULATIVE = FAMILY_MIX.map((_, i) => FAMILY_MIX.slice(0, i + 1).reduce((n, [, w]) => n + w, 0));

export const DEMO_ACTOR = { userId: null, username: 'demo', role: null, ip: null };

/** The county's catchments of `year − 1` for a stage, carried forward to `year`. */
export async function carryCatchmentsForward(
  db: Kysely<Database>,
  countyCode: string,
  year: number,
  stage: AdmissionStage,
): Promise<void> {
  await db
    .insertInto('catchments')
    .columns(['county_code', 'year', 'stage', 'community_code', 'school_id', 'synthetic'])
    .expression((eb) =>
      eb
        .selectFrom('catchments')
        .select([
          'county_code',
          sql.lit(year).as('year'),
          'stage',
          'community_code',
          'school_id',
          'synthetic',
        ])
        .where('county_code', '=', countyCode)
        .where('year', '=', year - 1)
        .where('stage', '=', stage),
    )
    .execute();
}

export type DemoApplicationStatus = AdmissionApplicationsTable['status'];

export interface DemoFamilies {
  round: Round;
  /** The ID numbers' address prefix: the demo's unallocated 41149d (src/demo/people.ts). */
  idPrefix: string;
  /** The synthetic families' phones (sign-in names): the prefix and four digits; nobody can sign in. */
  phonePrefix: string;
  count: number;
  rng: Rng;
  /** Where family i lives and the schools it lists, best first (drawn from `rng`). */
  choose: (i: number) => { community: { code: string }; choices: number[] };
  /** The application's status from a uniform number in [0, 1). */
  status: (r: number) => DemoApplicationStatus;
  /** A real account's own application (the demo family), approved, added after the others. */
  own?: { parentId: number; choose: () => { community: { code: string }; choices: number[] } };
}

export interface DemoFamily {
  applicationId: number;
  parentId: number;
  username: string | null;
  status: DemoApplicationStatus;
  category: string;
  choices: number[];
}

/**
 * The demo's family generator: `count` synthetic families (one unusable password each), each with
 * an application to `round` in the given status — category and facts from the typical mix, a birth
 * date in the round's age window, photos (every proof once approved), the clerk's decision for those
 * approved or returned — written in one transaction. Families are synthetic and marked so.
 */
export async function insertDemoFamilies(db: Kysely<Database>, f: DemoFamilies): Promise<DemoFamily[]> {
  const { round, rng } = f;
  const rules = round.parsedRules;
  const countyCode = round.county_code;
  // One unusable password for every synthetic family: a random secret, hashed once, then forgotten.
  const unusable = await hashPassword(randomBytes(24).toString('hex'));
  const at = nowIso();
  const [bornFrom, bornTo] = [Date.parse(rules.ageWindow.bornFrom), Date.parse(rules.ageWindow.bornTo)];
  // Per birth date, the next sequence number: from 500, clear of the demo's pupils (people.ts).
  const perDay = new Map<string, number>();

  return db.transaction().execute(async (trx) => {
    const synthetic = await trx
      .insertInto('users')
      .values(
        Array.from({ length: f.count }, (_, i) => ({
          username: `${f.phonePrefix}${String(i).padStart(4, '0')}`,
          display_name: `演示家庭${i + 1}`,
          password_hash: unusable,
          role: 'parent',
          created_at: at,
          updated_at: at,
        })),
      )
      .returning(['id', 'username'])
      .execute();
    const parents: { id: number; username: string | null; own: boolean }[] = synthetic.map((p) => ({
      ...p,
      own: false,
    }));
    if (f.own) parents.push({ id: f.own.parentId, username: null, own: true });
    const rows: Insertable<AdmissionApplicationsTable>[] = [];
    const plans: {
      category: Category | undefined;
      code: string;
      status: DemoApplicationStatus;
      choices: number[];
      reason: string | null;
    }[] = [];
    for (const [i, parent] of parents.entries()) {
      const [code, , facts] = parent.own ? FAMILY_MIX[0] : FAMILY_MIX[rng.pickCumulative(MIX_CUMULATIVE)];
      const { community, choices } = parent.own ? f.own!.choose() : f.choose(i);
      const birth = new Date(
        bornFrom + Math.floor(rng.next() * ((bornTo - bornFrom) / 86400_000 + 1)) * 86400_000,
      )
        .toISOString()
        .slice(0, 10);
      const seq = perDay.get(birth) ?? 500;
      perDay.set(birth, seq + 1);
      const idNumber = makeIdNumber(f.idPrefix, birth, seq);
      const sex = Number(idNumber[16]) % 2 === 1 ? 'M' : 'F';
      const r = rng.next();
      const status = parent.own ? 'approved' : f.status(r);
      // A few families share a deed: the clerks' "same property, several families" flag has cases.
      const deed = facts.hasProperty
        ? `豫(2024)商丘市不动产权第${String(rng.chance(0.03) ? 1 : 1000 + i).padStart(7, '0')}号`
        : null;
      const reason = status === 'returned' ? rng.pick(RETURN_REASONS) : null;
      rows.push({
        round_id: round.id,
        county_code: countyCode,
        parent_id: parent.id,
        client_key: `demo-${round.id}-${i + 1}`,
        child_id_number: idNumber,
        child_name: personName(rng, sex, false),
        child_sex: sex === 'M' ? 'male' : 'female',
        child_birth_date: birth,
        community_code: community.code,
        local_hukou: facts.localHukou ? 1 : 0,
        hukou_at_property: facts.hukouAtProperty ? 1 : 0,
        has_property: facts.hasProperty ? 1 : 0,
        residence_permit: facts.residencePermit ? 1 : 0,
        property_no: deed,
        guardian_name: personName(rng, rng.chance(0.5) ? 'M' : 'F', true),
        guardian_relation: rng.chance(0.5) ? 'father' : 'mother',
        consent_at: at,
        claimed_category: code,
        approved_category: status === 'approved' ? code : null,
        status,
        return_reason: reason,
        synthetic: 1,
        submitted_at: at,
        updated_at: at,
      });
      plans.push({ category: rules.categories.find((c) => c.code === code), code, status, choices, reason });
    }
    const ids: number[] = [];
    for (let i = 0; i < rows.length; i += 100)
      ids.push(
        ...(
          await trx
            .insertInto('admission_applications')
            .values(rows.slice(i, i + 100))
            .returning('id')
            .execute()
        ).map((r) => r.id),
      );
    const choiceRows = ids.flatMap((id, i) =>
      plans[i].choices.map((school_id, k) => ({
        application_id: id,
        rank: k + 1,
        school_id,
        county_code: countyCode,
      })),
    );
    for (let i = 0; i < choiceRows.length; i += 200)
      await trx
        .insertInto('admission_choices')
        .values(choiceRows.slice(i, i + 200))
        .execute();
    const docs = ids.flatMap((id, i) => {
      const proofs = plans[i].category?.proofs ?? [];
      // Approved families sent every proof; the others some of them.
      const sent = plans[i].status === 'approved' ? proofs : proofs.slice(0, rng.int(0, proofs.length - 1));
      return sent.map((p) => ({
        application_id: id,
        county_code: countyCode,
        doc_type: Array.isArray(p) ? p[0] : p,
        mime: 'image/png',
        size: PHOTO.length,
        sha256: PHOTO_SHA256,
        content: PHOTO,
        uploaded_at: at,
      }));
    });
    for (let i = 0; i < docs.length; i += 200)
      await trx
        .insertInto('admission_documents')
        .values(docs.slice(i, i + 200))
        .execute();
    const decisions = ids.flatMap((id, i) =>
      plans[i].status === 'approved' || plans[i].status === 'returned'
        ? [
            {
              application_id: id,
              county_code: countyCode,
              decision: plans[i].status === 'approved' ? ('approve' as const) : ('return' as const),
              category: plans[i].status === 'approved' ? (plans[i].category?.code ?? null) : null,
              reason: plans[i].reason,
              decided_by: 'demo',
              decided_at: at,
            },
          ]
        : [],
    );
    for (let i = 0; i < decisions.length; i += 200)
      await trx
        .insertInto('admission_decisions')
        .values(decisions.slice(i, i + 200))
        .execute();
    return ids.map((applicationId, i) => ({
      applicationId,
      parentId: parents[i].id,
      username: parents[i].username,
      status: plans[i].status,
      category: plans[i].code,
      choices: plans[i].choices,
    }));
  });
}
