import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { presentMyAppeal } from '../../src/admissions/appeal-views.ts';
import { appealWindow } from '../../src/admissions/appeals.ts';
import { findApplication, validateApplication } from '../../src/admissions/applications.ts';
import { drawFileOf, loadFamilyResult, seatsLeftBySchool } from '../../src/admissions/results.ts';
import { getRound, isAccepting, listRounds, type Round, roundSchools } from '../../src/admissions/rounds.ts';
import { factsOf } from '../../src/admissions/verification.ts';
import { DEMO_PASSWORD, listDemoAccounts } from '../../src/auth/demo-users.ts';
import { signIn } from '../../src/auth/sessions.ts';
import { DEMO_PARENT_PHONE } from '../../src/demo/admissions.ts';
import { buildDemoCity } from '../../src/demo/index.ts';
import { checkIdNumber } from '../../src/domain/id-number.ts';
import { todayInShanghai } from '../../src/domain/time.ts';
import { verifyDraw } from '../../src/engines/admissions/verify.ts';
import type { Store } from '../../src/store/db.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

/** Every application of the round is one a family could have submitted: the portal's own checks pass. */
async function expectValidApplications(store: Store, round: Round) {
  const db = store.db;
  const apps = await db
    .selectFrom('admission_applications')
    .selectAll()
    .where('round_id', '=', round.id)
    .execute();
  const choices = await db
    .selectFrom('admission_choices')
    .selectAll()
    .where(
      'application_id',
      'in',
      apps.map((a) => a.id),
    )
    .orderBy('rank')
    .execute();
  for (const a of apps) {
    // Fake but well-formed: the unallocated prefix 41149x, the window's birth dates, the round's catchments.
    expect(a.child_id_number.slice(0, 5)).toBe('41149');
    expect(checkIdNumber(a.child_id_number)).toBeNull();
    expect(a.synthetic).toBe(1);
    await validateApplication(db, round, {
      child: { idNumber: a.child_id_number, name: a.child_name },
      communityCode: a.community_code,
      facts: factsOf(a),
      propertyNo: a.property_no,
      guardian: { name: a.guardian_name, relation: a.guardian_relation as 'father' },
      consent: true,
      category: a.claimed_category,
      choices: choices.filter((c) => c.application_id === a.id).map((c) => c.school_id),
    });
  }
  return { apps, choices };
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`the demo admission rounds on ${dialect}`, () => {
    let t: TestDatabase;
    let open: Round;
    let drawn: Round;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      await buildDemoCity(t.store, { scale: 'small', seed: 1 });
      const rounds = await listRounds(t.store.db, {});
      open = await getRound(t.store.db, rounds.find((r) => r.stage === 'primary')!.id);
      drawn = await getRound(t.store.db, rounds.find((r) => r.stage === 'junior')!.id);
    }, 180_000);
    afterAll(async () => t?.drop());
    const db = () => t.store.db;

    it('opens a 2026 primary round in the demo county with a few hundred valid synthetic applications', async () => {
      expect(open).toMatchObject({ county_code: '411402', year: 2026, status: 'open', synthetic: 1 });
      expect(isAccepting(open)).toBe(true);
      const { apps } = await expectValidApplications(t.store, open);
      expect(apps).toHaveLength(300);
      expect(new Set(apps.map((a) => a.status))).toEqual(
        new Set(['submitted', 'returned', 'approved', 'withdrawn']),
      );
    });

    it('lists the open primary round first, so the office pages open it by default', async () => {
      const rounds = await listRounds(db(), { county: '411402' });
      expect(rounds.map((r) => [r.stage, r.id])).toEqual([
        ['primary', open.id],
        ['junior', drawn.id],
      ]);
    });

    it('has a 2026 junior round, registration over, drawn with a demo public value and published today', async () => {
      expect(drawn).toMatchObject({
        county_code: '411402',
        year: 2026,
        stage: 'junior',
        status: 'frozen',
        synthetic: 1,
      });
      expect(isAccepting(drawn)).toBe(false);
      const s = drawn.parsedRules.schedule;
      const today = todayInShanghai();
      expect(s.registrationCloses.slice(0, 10) < today).toBe(true);
      expect(s.drawOn <= today && s.noticeOn <= today).toBe(true);
      // Families can still appeal in the demo.
      expect(s.appealsClose > today).toBe(true);
      const w = await appealWindow(db(), drawn);
      expect(w.open).toBe(true);
      const draw = await db()
        .selectFrom('admission_draws')
        .selectAll()
        .where('round_id', '=', drawn.id)
        .executeTakeFirstOrThrow();
      expect(draw.status).toBe('drawn');
      expect(draw.published_at).not.toBeNull();
      expect(draw.public_value).toMatch(/^演示公开值 \d{4}-\d{2}-\d{2}/);
      const { apps } = await expectValidApplications(t.store, drawn);
      expect(apps.length).toBeGreaterThan(300);
      const approved = apps.filter((a) => a.status === 'approved');
      // Most approved; the rest returned (not corrected in time) or withdrawn, none still waiting.
      expect(approved.length / apps.length).toBeGreaterThan(0.8);
      expect(apps.filter((a) => a.status === 'submitted')).toEqual([]);
      expect(draw.applicants).toBe(approved.length);
      // Written by the store's own steps, each audited.
      const actions = await db()
        .selectFrom('audit_log')
        .select('action')
        .where('resource_type', '=', 'admission_round')
        .where('resource_id', '=', String(drawn.id))
        .execute();
      for (const a of ['admissions.draw_freeze', 'admissions.draw', 'admissions.results_publish'])
        expect(actions.map((x) => x.action)).toContain(a);
    });

    it('publishes a draw file that verifies, here and with bin/eduatlas admissions verify', async () => {
      const file = await drawFileOf(db(), drawn, 'drawn');
      expect(verifyDraw(file).ok).toBe(true);
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-demo-draw-'));
      try {
        const out = path.join(dir, 'draw.json');
        const written = runCli(['admissions', 'publish-file', '--round', String(drawn.id), '--out', out], {
          DATABASE_URL: t.url,
        });
        expect(written.stderr).toBe('');
        expect(written.status).toBe(0);
        const verified = runCli(['admissions', 'verify', out]);
        expect(verified.status).toBe(0);
        expect(JSON.parse(verified.stdout).ok).toBe(true);
        // The file is what the families read: application numbers, no names or ID numbers.
        const text = fs.readFileSync(out, 'utf8');
        const someone = await db()
          .selectFrom('admission_applications')
          .select(['child_name', 'child_id_number'])
          .where('round_id', '=', drawn.id)
          .where('status', '=', 'approved')
          .executeTakeFirstOrThrow();
        expect(text).not.toContain(someone.child_id_number);
        expect(text).not.toContain(someone.child_name);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    }, 60_000);

    it('oversubscribes a school: the lottery decides, losers fall back to their second school or are placed by 统筹', async () => {
      const file = await drawFileOf(db(), drawn, 'drawn');
      const full = file.schools.filter((s) => {
        const wanting = file.applicants.filter((a) => a.choices[0] === s.id).length;
        return wanting > s.capacity && file.result.schools[s.id].admitted === s.capacity;
      });
      expect(full.length).toBeGreaterThanOrEqual(1);
      // Its cutoff is a lottery key within a tier: the lottery mattered there.
      for (const s of full) expect(file.result.schools[s.id].cutoff).not.toBeNull();
      const placements = Object.entries(file.result.placements ?? {});
      const fallback = placements.filter(([, p]) => p.by === 'fallback');
      const overflow = placements.filter(([, p]) => p.by === 'overflow');
      expect(fallback.length).toBeGreaterThanOrEqual(1);
      expect(overflow.length).toBeGreaterThanOrEqual(1);
      const byId = new Map(file.applicants.map((a) => [a.id, a]));
      const publicIds = new Set(
        file.overflow!.schools.filter((s) => s.ownership === 'public').map((s) => s.id),
      );
      for (const [id, p] of fallback) {
        const a = byId.get(id)!;
        expect(full.map((s) => s.id)).toContain(a.choices[0]);
        expect(p.school).toBe(a.choices[1]);
      }
      for (const [id, p] of overflow) {
        expect(byId.get(id)!.choices).not.toContain(p.school);
        expect(publicIds.has(p.school!)).toBe(true);
      }
      // The applications carry the published result.
      const rows = await db()
        .selectFrom('admission_applications')
        .select(['result_by'])
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('round_id', '=', drawn.id)
        .groupBy('result_by')
        .execute();
      const n = Object.fromEntries(rows.map((r) => [r.result_by ?? 'none', Number(r.n)]));
      // One of them was since granted an appeal (result_by 'appeal').
      expect(n.fallback + n.overflow + (n.appeal ?? 0)).toBe(fallback.length + overflow.length);
      expect(n.appeal).toBe(1);
    });

    it('has appeals in each status: waiting, one granted into seats left, one refused with its reason, one withdrawn', async () => {
      const appeals = await db()
        .selectFrom('admission_appeals')
        .selectAll()
        .where('round_id', '=', drawn.id)
        .execute();
      const by = (s: string) => appeals.filter((a) => a.status === s);
      expect(by('submitted').length).toBeGreaterThanOrEqual(2);
      expect(by('granted')).toHaveLength(1);
      expect(by('refused')).toHaveLength(1);
      expect(by('withdrawn')).toHaveLength(1);
      for (const a of appeals) expect(a.reason.length).toBeGreaterThan(0);
      const [granted] = by('granted');
      expect(granted.decision_reason).toBeTruthy();
      const app = (await findApplication(db(), granted.application_id))!;
      expect(app.result_school_id).toBe(granted.placed_school_id);
      expect(app.result_by).toBe('appeal');
      expect(granted.previous_school_id).not.toBe(granted.placed_school_id);
      // Granted into the reserved seats: nobody else was moved, and no school is over its planned seats.
      for (const [, s] of await seatsLeftBySchool(db(), drawn)) expect(s.left).toBeGreaterThanOrEqual(0);
      const [refused] = by('refused');
      expect(refused.decision_reason).toMatch(/不予支持/);
      const refusedApp = (await findApplication(db(), refused.application_id))!;
      expect(refusedApp.result_by).not.toBe('appeal');
      const schools = await roundSchools(db(), drawn, drawn.parsedRules);
      for (const a of appeals)
        if (a.desired_school_id !== null) expect(schools.map((s) => s.id)).toContain(a.desired_school_id);
    });

    it('gives the demo family one child in the junior round with a published result it can still appeal', async () => {
      const parent = await db()
        .selectFrom('users')
        .select('id')
        .where('username', '=', DEMO_PARENT_PHONE)
        .executeTakeFirstOrThrow();
      const mine = await db()
        .selectFrom('admission_applications')
        .selectAll()
        .where('parent_id', '=', parent.id)
        .execute();
      expect(mine.map((a) => a.round_id)).toEqual([drawn.id]);
      const [app] = mine;
      expect(app.status).toBe('approved');
      expect(app.result_school_id).not.toBeNull();
      const result = await loadFamilyResult(db(), drawn, app);
      expect(result.published).toBe(true);
      const appeal = await presentMyAppeal(db(), drawn, app);
      expect(appeal).toMatchObject({ appeal: null, canAppeal: true });
    });

    it('lists the demo family with the other demo accounts, signed in with the demo password', async () => {
      const accounts = await listDemoAccounts(db());
      expect(accounts.filter((a) => a.role === 'parent').map((a) => a.username)).toContain(DEMO_PARENT_PHONE);
      const s = await signIn(db(), DEMO_PARENT_PHONE, DEMO_PASSWORD, '127.0.0.1');
      expect(s.user.role).toBe('parent');
    });
  });
}
