import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildDemoCity, type DemoSummary } from '../../src/demo/index.ts';
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
});
