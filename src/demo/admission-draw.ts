/**
 * The demo's drawn round (docs/demo-city.md "Admissions"): 2026 junior entry (初中七年级) in the demo
 * county, registration over, the list frozen, the draw run with a public value that says it is a
 * demo, results published and a handful of appeals — all through the store's own functions
 * (openRound, closeRound, freezeDraw, runDraw, publishResults, submitAppeal, withdrawAppeal,
 * decideAppeal), so that the stored draw file verifies (`bin/eduatlas admissions verify`) and the
 * office's draw, results and appeals pages show a real round. Dates are relative to the build day:
 * the results are published on it and appeals stay open for 30 days.
 *
 * One school is oversubscribed so the lottery matters: the county's smallest private school teaching
 * junior grades (公民同招), or, where the county has none (the small scale), its smallest public one,
 * whose catchment communities the 2026 catchments share with the nearest other public school
 * (多校划片). Families list it first, most with their catchment school second: losers of the lottery
 * who listed a second school are placed there (`fallback`), those who listed only it go to the
 * nearest public school with seats left (统筹, `overflow`).
 */

import { decideAppeal, submitAppeal, withdrawAppeal } from '../admissions/appeals.ts';
import { findApplication } from '../admissions/applications.ts';
import { freezeDraw, runDraw } from '../admissions/draw.ts';
import { publishResults, seatsLeftBySchool } from '../admissions/results.ts';
import {
  closeRound,
  createRound,
  getRound,
  openRound,
  type RoundSchool,
  roundCatchments,
  roundSchools,
} from '../admissions/rounds.ts';
import { typicalRules } from '../admissions/rules.ts';
import type { AuditActor } from '../audit/audit-log.ts';
import { todayInShanghai } from '../domain/time.ts';
import type { Store } from '../store/db.ts';
import {
  carryCatchmentsForward,
  DEMO_ACTOR,
  DEMO_ADMISSION_YEAR,
  type DemoFamily,
  insertDemoFamilies,
} from './families.ts';
import { Rng } from './prng.ts';

/** The drawn round's synthetic families' phones: 199 0001 0000 onwards; nobody can sign in as them. */
export const DRAWN_ROUND_PHONE_PREFIX = '1990001';
/** Families who want neither the popular school nor, mostly, any private one. */
const OTHER_FAMILIES = 150;
/** Approved first-choice applicants of the popular school per draw seat there. */
const OVERSUBSCRIPTION = 1.45;
/** Registration is over: every application was decided (or withdrawn); most were approved. */
const APPROVED = 0.88;
const statusOf = (r: number) => (r < APPROVED ? 'approved' : r < 0.95 ? 'returned' : 'withdrawn');
/** Of the families who list the popular school first, those who also list a second school. */
const WITH_SECOND = 0.6;

export interface DrawnRoundOptions {
  countyCode: string;
  countyName: string;
  /** The ID numbers' address prefix (41149d). */
  idPrefix: string;
  seed: number;
  now: Date;
  /** The demo family (13800138000): one child in this round, approved, with a published result. */
  parentId: number;
}

export interface DemoDrawnRound {
  roundId: number;
  /** The oversubscribed school. */
  popularSchoolId: number;
  publicValue: string;
  applications: number;
  appeals: number;
}

const squared = (a: RoundSchool, b: RoundSchool) =>
  ((a.lng ?? 0) - (b.lng ?? 0)) ** 2 + ((a.lat ?? 0) - (b.lat ?? 0)) ** 2;

const smallest = (list: RoundSchool[]) =>
  [...list].sort((a, b) => a.capacity - b.capacity || a.code.localeCompare(b.code))[0];

export async function buildDemoDrawnRound(store: Store, o: DrawnRoundOptions): Promise<DemoDrawnRound> {
  const db = store.db;
  const year = DEMO_ADMISSION_YEAR;
  await carryCatchmentsForward(db, o.countyCode, year, 'junior');

  const day = (n: number) => todayInShanghai(new Date(o.now.getTime() + n * 86400_000));
  const base = typicalRules(year);
  const rules = {
    ...base,
    // Registration closed two weeks ago; the draw and the notice are today; appeals for 30 days.
    schedule: {
      planPublished: day(-35),
      registrationOpens: `${day(-28)}T08:00`,
      registrationCloses: `${day(-14)}T18:00`,
      verificationEnds: day(-7),
      drawOn: day(0),
      noticeOn: day(0),
      appealsClose: day(30),
    },
    // Junior entry: 12 by 31 August (born 1 September of year − 13 to 31 August of year − 12).
    ageWindow: { bornFrom: `${year - 13}-09-01`, bornTo: `${year - 12}-08-31` },
    // The county lets a family list a private (or a second catchment) school before its own.
    choices: { maxPublic: 2, maxPrivate: 1, maxTotal: 2 },
  };
  const draft = await createRound(db, DEMO_ACTOR, {
    countyCode: o.countyCode,
    year,
    stage: 'junior',
    name: `${year} 年${o.countyName}初中七年级招生（演示）`,
    rules,
    synthetic: true,
  });

  const schools = (await roundSchools(db, draft, draft.parsedRules)).filter((s) => s.capacity > 0);
  const privates = schools.filter((s) => s.ownership === 'private');
  const publics = schools.filter((s) => s.ownership === 'public');
  const popular = privates.length > 0 ? smallest(privates) : smallest(publics);
  // A public popular school: its communities get the nearest other public school too (多校划片).
  const partner =
    popular.ownership === 'public'
      ? publics
          .filter((s) => s.id !== popular.id)
          .sort((a, b) => squared(a, popular) - squared(b, popular) || a.code.localeCompare(b.code))[0]
      : undefined;
  if (partner) {
    const shared = (await roundCatchments(db, draft)).filter(
      (c) => c.schoolIds.includes(popular.id) && !c.schoolIds.includes(partner.id),
    );
    if (shared.length > 0)
      await db
        .insertInto('catchments')
        .values(
          shared.map((c) => ({
            county_code: o.countyCode,
            year,
            stage: 'junior',
            community_code: c.code,
            school_id: partner.id,
            synthetic: 1,
          })),
        )
        .execute();
  }
  const round = await openRound(db, DEMO_ACTOR, draft);

  const communities = await roundCatchments(db, round);
  const homes = partner ? communities.filter((c) => c.schoolIds.includes(popular.id)) : communities;
  const others = privates.filter((s) => s.id !== popular.id);
  const popularFamilies = Math.ceil((OVERSUBSCRIPTION * popular.capacity) / APPROVED);
  const rng = Rng.for(o.seed, `${o.countyCode}:admissions:junior`);
  const catchmentSchool = (c: { schoolIds: number[] }) => {
    const own = c.schoolIds.filter((id) => id !== popular.id);
    return partner && own.includes(partner.id) ? partner.id : rng.pick(own.length > 0 ? own : c.schoolIds);
  };
  const wantsPopular = (second: boolean) => {
    const community = rng.pick(homes);
    const next = second ? catchmentSchool(community) : popular.id;
    return { community, choices: next === popular.id ? [popular.id] : [popular.id, next] };
  };
  const families = await insertDemoFamilies(db, {
    round,
    idPrefix: o.idPrefix,
    phonePrefix: DRAWN_ROUND_PHONE_PREFIX,
    count: popularFamilies + OTHER_FAMILIES,
    rng,
    choose: (i) => {
      if (i < popularFamilies) return wantsPopular(rng.chance(WITH_SECOND));
      const community = rng.pick(communities);
      const own = rng.pick(community.schoolIds);
      return others.length > 0 && rng.chance(0.1)
        ? { community, choices: [rng.pick(others).id, own] }
        : { community, choices: [own] };
    },
    status: statusOf,
    own: { parentId: o.parentId, choose: () => wantsPopular(true) },
  });

  await freezeDraw(db, DEMO_ACTOR, await closeRound(db, DEMO_ACTOR, round));
  const drawn = await getRound(db, round.id);
  const publicValue = `演示公开值 ${rules.schedule.drawOn}（非真实开奖号码）`;
  await runDraw(db, DEMO_ACTOR, drawn, publicValue);
  await publishResults(db, DEMO_ACTOR, drawn);
  const appeals = await demoAppeals(store, drawn.id, popular, families, o.parentId);
  return {
    roundId: round.id,
    popularSchoolId: popular.id,
    publicValue,
    applications: families.length,
    appeals,
  };
}

/**
 * A handful of appeals from synthetic families, each through the family's and the clerk's store
 * functions: one granted into the popular school's reserved seats, one refused with its reason, one
 * withdrawn, the rest waiting. Which children appeal follows the published result (the secret, and so
 * the lottery, is fresh at every build).
 */
async function demoAppeals(
  store: Store,
  roundId: number,
  popular: RoundSchool,
  families: DemoFamily[],
  demoParentId: number,
): Promise<number> {
  const db = store.db;
  const round = await getRound(db, roundId);
  const byId = new Map(families.map((f) => [f.applicationId, f]));
  const results = await db
    .selectFrom('admission_applications')
    .select(['id', 'result_school_id', 'result_by'])
    .where('round_id', '=', roundId)
    .where('status', '=', 'approved')
    .where('parent_id', '<>', demoParentId)
    .orderBy('id')
    .execute();
  const lost = results.filter(
    (r) => byId.get(r.id)?.choices[0] === popular.id && r.result_school_id !== popular.id,
  );
  const queues = {
    fallback: lost.filter((r) => r.result_by === 'fallback'),
    overflow: lost.filter((r) => r.result_by === 'overflow'),
    lost,
    choice: results.filter((r) => r.result_by === 'choice' && r.result_school_id !== popular.id),
  };
  const used = new Set<number>();
  const take = (...from: (keyof typeof queues)[]) => {
    for (const q of from) {
      const r = queues[q].find((x) => !used.has(x.id));
      if (r) {
        used.add(r.id);
        return r;
      }
    }
    return undefined;
  };
  const schools = await roundSchools(db, round, round.parsedRules);
  const publicOther = (not: number | null) =>
    schools.find((s) => s.ownership === 'public' && s.id !== not && s.id !== popular.id);
  let count = 0;
  const appeal = async (
    r: { id: number; result_school_id: number | null } | undefined,
    reason: string,
    desired: number | null | undefined,
    then?: (a: Awaited<ReturnType<typeof submitAppeal>>, family: AuditActor) => Promise<unknown>,
  ) => {
    const f = r && byId.get(r.id);
    const app = r && (await findApplication(db, r.id));
    if (!f || !app) return;
    const family = { userId: f.parentId, username: f.username, role: 'parent', ip: null };
    const a = await submitAppeal(db, family, round, app, { reason, desiredSchoolId: desired ?? null });
    count++;
    if (then) await then(a, family);
  };

  await appeal(
    take('fallback', 'lost'),
    '孩子的哥哥在该校八年级就读，申请按同校就读照顾录取',
    popular.id,
    async (a) => {
      const left = (await seatsLeftBySchool(db, round)).get(popular.id)?.left ?? 0;
      if (left > 0)
        await decideAppeal(db, DEMO_ACTOR, round, a, {
          decision: 'grant',
          schoolId: popular.id,
          reason: '经核实户口簿和哥哥的在校证明，符合同校就读照顾条件，使用申诉预留学位录取',
        });
    },
  );
  await appeal(take('overflow', 'lost'), '统筹安排的学校离家较远，申请录取到第一志愿学校', popular.id, (a) =>
    decideAppeal(db, DEMO_ACTOR, round, a, {
      decision: 'refuse',
      reason:
        '第一志愿学校已按公开派位结果录满；统筹安排的学校是离家最近、仍有学位的公办学校，符合本批次招生规则，不予支持',
    }),
  );
  await appeal(take('lost'), '报名时所填志愿顺序有误，申请复核派位结果', popular.id);
  const moved = take('choice');
  await appeal(
    moved,
    '家庭已搬迁至新住址，申请调整到离新家更近的学校',
    publicOther(moved?.result_school_id ?? null)?.id,
  );
  await appeal(take('overflow', 'fallback', 'choice'), '孩子患有哮喘，需就近入学，附医院诊断证明', null);
  await appeal(take('choice'), '申请核实录取学校是否提供寄宿', null, (a, family) =>
    withdrawAppeal(db, family, a),
  );
  return count;
}
