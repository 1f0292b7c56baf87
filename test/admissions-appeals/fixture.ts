import type { Kysely } from 'kysely';
import { submitApplication } from '../../src/admissions/applications.ts';
import { addDocument } from '../../src/admissions/documents.ts';
import { freezeDraw, runDraw } from '../../src/admissions/draw.ts';
import { registerParent } from '../../src/admissions/parents.ts';
import { publishResults } from '../../src/admissions/results.ts';
import { closeRound, createRound, getRound, openRound, type Round } from '../../src/admissions/rounds.ts';
import type { RoundRules } from '../../src/admissions/rules.ts';
import { decideApplication } from '../../src/admissions/verification.ts';
import type { AuditActor } from '../../src/audit/audit-log.ts';
import type { Database } from '../../src/store/schema.ts';
import {
  type AdmissionsWorld,
  buildApplication,
  buildRules,
  childId,
  JPEG,
  locateAdmissionsWorld,
  seedAdmissionsWorld,
} from '../support/admissions.ts';
import { HOME_COUNTY } from '../support/api.ts';

export const clerk: AuditActor = { userId: null, username: 'clerk', role: 'county_staff', ip: '127.0.0.1' };
export const FAMILY_PHONE = '13800000019';
export const FAMILY_PASSWORD = 'parent2026pw';

export interface AppealWorld {
  w: AdmissionsWorld;
  round: Round;
  family: AuditActor & { userId: number };
  /** The applications, in plan order. */
  apps: number[];
  /** With `outsideDraw`: two applications of the family that never took part in the draw. */
  outside: { returned: number; pending: number } | null;
}

/**
 * A drawn and published 2026 primary round in the home county (regions seeded by the caller).
 * 第一实验小学 (public): 3 planned seats, 1 reserved for appeals → 2 in the draw, 4 verified
 * applicants; 第二实验小学 (public): 2 seats, nobody's choice (统筹 fills it); 民办育才小学: 1 seat,
 * 3 applicants. After the draw 7 children meet 5 draw seats: 2 stay unplaced, and only the
 * first school's reserved seat is left. One family (FAMILY_PHONE) made every application.
 * `outsideDraw` adds two more of its applications that never reach the draw: one returned by the
 * clerk (never verified) and one still waiting for a decision when registration closed.
 */
export async function buildPublishedRound(
  db: Kysely<Database>,
  opts: { publish?: boolean; rules?: Partial<RoundRules>; outsideDraw?: boolean } = {},
): Promise<AppealWorld> {
  const w = await seedAdmissionsWorld(db);
  const seats = (id: number, n: number) =>
    db
      .updateTable('school_capacity')
      .set({ planned_classes: 1, standard_class_size: n })
      .where('school_id', '=', id)
      .execute();
  await seats(w.publicId, 3);
  await seats(w.otherPublicId, 2);
  await seats(w.privateId, 1);
  await locateAdmissionsWorld(db, w);
  const draft = await createRound(db, clerk, {
    countyCode: HOME_COUNTY,
    year: 2026,
    stage: 'primary',
    name: '2026 年梁园区小学一年级招生',
    rules: buildRules({ reservedSeats: { default: 0, bySchool: { '4114020101': 1 } }, ...opts.rules }),
  });
  const open = await openRound(db, clerk, draft);
  const parent = await registerParent(db, null, { phone: FAMILY_PHONE, password: FAMILY_PASSWORD });
  const family = { userId: parent.id, username: FAMILY_PHONE, role: 'parent', ip: null };
  const plan = [
    { community: w.community, school: w.publicId },
    { community: w.community, school: w.publicId },
    { community: w.community, school: w.publicId },
    { community: w.community, school: w.publicId },
    { community: '411402001002', school: w.privateId },
    { community: '411402001002', school: w.privateId },
    { community: w.community, school: w.privateId },
  ];
  const apps: number[] = [];
  for (const [i, p] of plan.entries()) {
    const { application } = await submitApplication(
      db,
      family,
      open,
      `appeal-key-${i}`,
      buildApplication(w, {
        child: { idNumber: childId(i + 1), name: `李小${'一二三四五六七'[i]}` },
        communityCode: p.community,
        propertyNo: `豫(2020)商丘市不动产权第01${i}号`,
        choices: [p.school],
      }),
    );
    for (const d of ['hukou_book', 'property_deed', 'birth_certificate'])
      await addDocument(db, { dir: null }, family, open, application, d, JPEG);
    await decideApplication(db, clerk, open, application, {
      decision: 'approve',
      category: 'hukou_property',
    });
    apps.push(application.id);
  }
  let outside: AppealWorld['outside'] = null;
  if (opts.outsideDraw) {
    const unverified = async (i: number) =>
      (
        await submitApplication(
          db,
          family,
          open,
          `appeal-outside-${i}`,
          buildApplication(w, {
            child: { idNumber: childId(i + 1), name: `王小${'八九'[i - 7]}` },
            propertyNo: `豫(2020)商丘市不动产权第02${i}号`,
            choices: [w.publicId],
          }),
        )
      ).application;
    const returned = await unverified(7);
    await decideApplication(db, clerk, open, returned, {
      decision: 'return',
      reason: '缺少房产证照片',
    });
    outside = { returned: returned.id, pending: (await unverified(8)).id };
  }
  const closed = await closeRound(db, clerk, open);
  await freezeDraw(db, clerk, closed);
  const frozen = await getRound(db, closed.id);
  await runDraw(db, clerk, frozen, '2026-08-08 福彩3D 第2026210期 5 0 2');
  if (opts.publish !== false) await publishResults(db, clerk, frozen);
  return { w, round: frozen, family, apps, outside };
}

/** The applications the draw left without a place (in the draw: they have a key; not placed). */
export async function unplacedApplications(db: Kysely<Database>, round: Round): Promise<number[]> {
  const rows = await db
    .selectFrom('admission_applications')
    .select('id')
    .where('round_id', '=', round.id)
    .where('result_key', 'is not', null)
    .where('result_school_id', 'is', null)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.id);
}
