import { submitApplication } from '../../src/admissions/applications.ts';
import { addDocument } from '../../src/admissions/documents.ts';
import { registerParent } from '../../src/admissions/parents.ts';
import { createRound, openRound, type Round } from '../../src/admissions/rounds.ts';
import type { RoundRules } from '../../src/admissions/rules.ts';
import { decideApplication } from '../../src/admissions/verification.ts';
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
import type { TestDatabase } from '../support/databases.ts';

export const clerk = { userId: null, username: 'clerk', role: 'county_staff', ip: '127.0.0.1' };
export const PUBLIC_VALUE = '2026-08-08 福彩3D 第2026210期 3 1 9';

/**
 * A small round whose registration is still open (regions seeded by the caller): public schools of 2 seats each (the first, 平原小区's nearest, is the popular
 * one), a private school of 1 seat; 7 verified families, one of them 有房无户 (tier 2), and one
 * submitted but not verified (left out of the draw). `rules` overrides the round's rules (e.g.
 * `tieBreaking`).
 */
export async function buildDrawRound(
  t: TestDatabase,
  rules: Partial<RoundRules> = {},
): Promise<{ w: AdmissionsWorld; round: Round }> {
  const db = t.store.db;
  const w = await seedAdmissionsWorld(db);
  await db.updateTable('school_capacity').set({ planned_classes: 1, standard_class_size: 2 }).execute();
  await db
    .updateTable('school_capacity')
    .set({ standard_class_size: 1 })
    .where('school_id', '=', w.privateId)
    .execute();
  await locateAdmissionsWorld(db, w);
  const draft = await createRound(db, clerk, {
    countyCode: HOME_COUNTY,
    year: 2026,
    stage: 'primary',
    name: '2026 年梁园区小学一年级招生',
    rules: buildRules({ reservedSeats: { default: 0, bySchool: {} }, ...rules }),
  });
  const round = await openRound(db, clerk, draft);
  const parent = await registerParent(db, null, { phone: '13800000009', password: 'parent2026pw' });
  const family = { userId: parent.id, username: '13800000009', role: 'parent', ip: null };
  const plan: { community: string; school: number; category?: string; verified?: boolean }[] = [
    { community: w.community, school: w.publicId },
    { community: w.community, school: w.publicId },
    { community: w.community, school: w.publicId },
    { community: w.community, school: w.publicId, category: 'property_only' },
    { community: '411402001002', school: w.privateId },
    { community: '411402001002', school: w.privateId },
    { community: w.community, school: w.privateId },
    { community: w.community, school: w.publicId, verified: false },
  ];
  for (const [i, p] of plan.entries()) {
    const { application } = await submitApplication(
      db,
      family,
      round,
      `key-${i}`,
      buildApplication(w, {
        child: { idNumber: childId(i + 1), name: `张小${'一二三四五六七八'[i]}` },
        communityCode: p.community,
        propertyNo: `豫(2020)商丘市不动产权第00${i}号`,
        choices: [p.school],
        ...(p.category === 'property_only'
          ? {
              category: 'property_only',
              facts: { localHukou: false, hukouAtProperty: false, hasProperty: true, residencePermit: false },
            }
          : {}),
      }),
    );
    if (p.verified === false) continue;
    for (const d of ['hukou_book', 'property_deed', 'birth_certificate'])
      await addDocument(db, { dir: null }, family, round, application, d, JPEG);
    await decideApplication(db, clerk, round, application, {
      decision: 'approve',
      category: p.category ?? 'hukou_property',
    });
  }
  return { w, round };
}
