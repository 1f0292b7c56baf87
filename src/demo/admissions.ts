/**
 * The demo city's admission rounds (阳光招生, docs/admissions.md), both in one county: 2026 primary
 * entry, open for registration around the day the demo is built (so that the portal can be tried
 * whenever it is), with a few hundred synthetic families' applications in every status; and 2026
 * junior entry, already drawn, published and appealed (`admission-draw.ts`), so that the office's
 * draw, results and appeals pages have something to show. The 2025 catchments are carried forward to
 * 2026. Nothing the demo built before is changed.
 */
import { registerParent } from '../admissions/parents.ts';
import { createRound, openRound, roundCatchments, roundSchools } from '../admissions/rounds.ts';
import { typicalRules } from '../admissions/rules.ts';
import { DEMO_COUNTY, DEMO_PASSWORD } from '../auth/demo-users.ts';
import { todayInShanghai } from '../domain/time.ts';
import type { Store } from '../store/db.ts';
import { buildDemoDrawnRound, DRAWN_ROUND_PHONE_PREFIX } from './admission-draw.ts';
import { carryCatchmentsForward, DEMO_ACTOR, DEMO_ADMISSION_YEAR, insertDemoFamilies } from './families.ts';
import { Rng } from './prng.ts';
import { COUNTIES, type DemoScale, SCALES } from './profile.ts';

export { DEMO_ADMISSION_YEAR } from './families.ts';
/** The demo family that can sign in (password DEMO_PASSWORD), listed with the other demo accounts. */
export const DEMO_PARENT_PHONE = '13800138000';
/** The open round's synthetic families' phones: 199 0000 0000 onwards; nobody can sign in as them. */
const FAMILY_PHONE_PREFIX = '1990000';
/** Families in the open demo round. */
const FAMILIES = 300;

export interface DemoAdmissions {
  roundId: number;
  countyCode: string;
  applications: number;
  parentPhone: string;
  /** The junior round, drawn, published and appealed. */
  drawnRoundId: number;
}

export async function buildDemoAdmissions(
  store: Store,
  scale: DemoScale,
  seed: number,
  now = new Date(),
): Promise<DemoAdmissions> {
  const db = store.db;
  const counties = SCALES[scale].counties;
  const countyCode = counties.includes(DEMO_COUNTY) ? DEMO_COUNTY : counties[0];
  const year = DEMO_ADMISSION_YEAR;
  const profile = COUNTIES.find((c) => c.code === countyCode)!;

  await carryCatchmentsForward(db, countyCode, year, 'primary');

  const day = (n: number) => todayInShanghai(new Date(now.getTime() + n * 86400_000));
  const rules = {
    ...typicalRules(year),
    schedule: {
      planPublished: day(-7),
      registrationOpens: `${day(-3)}T08:00`,
      registrationCloses: `${day(27)}T18:00`,
      verificationEnds: day(32),
      drawOn: day(35),
      noticeOn: day(38),
      appealsClose: day(45),
    },
  };
  const county = await db
    .selectFrom('regions')
    .select('name')
    .where('code', '=', countyCode)
    .executeTakeFirstOrThrow();
  const round = await openRound(
    db,
    DEMO_ACTOR,
    await createRound(db, DEMO_ACTOR, {
      countyCode,
      year,
      stage: 'primary',
      name: `${year} 年${county.name}小学一年级招生（演示）`,
      rules,
      synthetic: true,
    }),
  );

  for (const prefix of [FAMILY_PHONE_PREFIX, DRAWN_ROUND_PHONE_PREFIX])
    await db
      .deleteFrom('users')
      .where('role', '=', 'parent')
      .where('username', 'like', `${prefix}%`)
      .execute();
  const parent = await registerParent(db, null, {
    phone: DEMO_PARENT_PHONE,
    password: DEMO_PASSWORD,
    displayName: '演示家长',
    demo: true,
  });

  const communities = await roundCatchments(db, round);
  const schools = await roundSchools(db, round, rules);
  const privates = schools.filter((s) => s.ownership === 'private');
  const rng = Rng.for(seed, `${countyCode}:admissions`);
  await insertDemoFamilies(db, {
    round,
    idPrefix: `41149${profile.idDigit}`,
    phonePrefix: FAMILY_PHONE_PREFIX,
    count: FAMILIES,
    rng,
    choose: () => {
      const community = rng.pick(communities);
      const choice =
        privates.length > 0 && rng.chance(0.15) ? rng.pick(privates).id : rng.pick(community.schoolIds);
      return { community, choices: [choice] };
    },
    status: (r) => (r < 0.55 ? 'submitted' : r < 0.7 ? 'returned' : r < 0.95 ? 'approved' : 'withdrawn'),
  });
  const drawn = await buildDemoDrawnRound(store, {
    countyCode,
    countyName: county.name,
    idPrefix: `41149${profile.idDigit}`,
    seed,
    now,
    parentId: parent.id,
  });
  return {
    roundId: round.id,
    countyCode,
    applications: FAMILIES,
    parentPhone: DEMO_PARENT_PHONE,
    drawnRoundId: drawn.roundId,
  };
}
