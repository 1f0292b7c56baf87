import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawFileOf } from '../../src/admissions/results.ts';
import { getRound, listRounds } from '../../src/admissions/rounds.ts';
import { buildDemoCity, type DemoSummary } from '../../src/demo/index.ts';
import { verifyDraw } from '../../src/engines/admissions/verify.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

describe('demo city at county scale on SQLite', () => {
  let t: TestDatabase;
  let summary: DemoSummary;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
    summary = await buildDemoCity(t.store, { scale: 'county', seed: 1 });
  }, 120_000);
  afterAll(async () => t?.drop());

  it('builds 柘城县 with about 150 schools and its pupils registered', () => {
    expect(summary.counties).toEqual([{ code: '411424', name: '柘城县' }]);
    expect(summary.schools).toBeGreaterThan(130);
    expect(summary.schools).toBeLessThan(190);
    expect(summary.students).toBe(summary.pupils);
    expect(summary.pupils).toBeGreaterThan(120_000);
  });

  it('meets the five 2023 indicators within half a percentage point', () => {
    const i = summary.indicators2023;
    expect(Math.abs(i.kindergartenGross.rate - 93.16)).toBeLessThan(0.5);
    expect(Math.abs(i.retention.rate - 97.96)).toBeLessThan(0.5);
    expect(Math.abs(i.seniorGross.rate - 92.86)).toBeLessThan(0.5);
    expect(Math.abs(i.afterSchool.rate - 95.25)).toBeLessThan(0.5);
    expect(Math.abs(i.migrantPublic.rate - 94.52)).toBeLessThan(0.5);
  });

  it('has education groups with lead and member schools', async () => {
    const groups = await t.store.db.selectFrom('education_groups').selectAll().execute();
    expect(groups.length).toBeGreaterThanOrEqual(10);
    const members = await t.store.db.selectFrom('group_members').selectAll().execute();
    expect(members.length).toBeGreaterThan(2 * groups.length);
    for (const g of groups)
      expect(members.some((m) => m.group_id === g.id && m.school_id === g.lead_school_id)).toBe(true);
  });

  it('has the junior round drawn: a private school (公民同招) oversubscribed, its losers placed by fallback and 统筹', async () => {
    const db = t.store.db;
    const [junior] = await listRounds(db, { county: '411424' }).then((rs) =>
      rs.filter((r) => r.stage === 'junior'),
    );
    const file = await drawFileOf(db, await getRound(db, junior.id), 'drawn');
    expect(verifyDraw(file).ok).toBe(true);
    const privates = new Set(
      (
        await db
          .selectFrom('schools')
          .select('code')
          .where('county_code', '=', '411424')
          .where('ownership', '=', 'private')
          .execute()
      ).map((s) => s.code),
    );
    const full = file.schools.filter(
      (s) =>
        privates.has(s.id) &&
        file.applicants.filter((a) => a.choices[0] === s.id).length > s.capacity &&
        file.result.schools[s.id].admitted === s.capacity,
    );
    expect(full).toHaveLength(1);
    const losers = file.applicants.filter(
      (a) => a.choices[0] === full[0].id && file.result.placements?.[a.id]?.school !== full[0].id,
    );
    expect(losers.length).toBeGreaterThan(0);
    // Lottery losers fall back to their catchment school (appended after the private choice), or
    // go by 统筹 where it is full; nobody is left without a seat.
    const by = losers.map((a) => file.result.placements?.[a.id]);
    expect(by.every((p) => p?.school && (p.by === 'fallback' || p.by === 'overflow'))).toBe(true);
    expect(by.some((p) => p?.by === 'fallback')).toBe(true);
  });
});
