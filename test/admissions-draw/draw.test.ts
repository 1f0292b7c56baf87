import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDraw, freezeDraw, runDraw } from '../../src/admissions/draw.ts';
import { drawFileOf } from '../../src/admissions/results.ts';
import { closeRound, getRound, type Round } from '../../src/admissions/rounds.ts';
import { verifyDraw } from '../../src/engines/admissions/verify.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { buildDrawRound, clerk, PUBLIC_VALUE } from './fixture.ts';

/** RFC 8785 for the list's values (strings, integers, arrays, objects), written apart from the engine's. */
function jcs(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(jcs).join(',')}]`;
  if (v && typeof v === 'object')
    return `{${Object.keys(v)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${jcs((v as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(v);
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`the draw on ${dialect}`, () => {
    let t: TestDatabase;
    let round: Round;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      ({ round } = await buildDrawRound(t));
    });
    afterAll(async () => t?.drop());

    it('freezes only after registration has closed', async () => {
      await expect(freezeDraw(t.store.db, clerk, round)).rejects.toMatchObject({
        code: 'admissions.round_not_closed',
      });
      round = await closeRound(t.store.db, clerk, round);
    });

    it('refuses a community without coordinates by name, leaving the round closed', async () => {
      const where = '411402001002';
      await t.store.db.updateTable('communities').set({ lng: null }).where('code', '=', where).execute();
      await expect(freezeDraw(t.store.db, clerk, round)).rejects.toMatchObject({
        code: 'admissions.draw_coordinates',
        field: `communities.${where}`,
      });
      expect((await getRound(t.store.db, round.id)).status).toBe('closed');
      expect(await findDraw(t.store.db, round.id)).toBeUndefined();
      await t.store.db.updateTable('communities').set({ lng: 115.619 }).where('code', '=', where).execute();
    });

    it('freezes the verified applications with a digest anyone can recompute and a commitment', async () => {
      const draw = await freezeDraw(t.store.db, clerk, round);
      const apps = await t.store.db
        .selectFrom('admission_applications')
        .select(['id', 'approved_category', 'community_code'])
        .where('status', '=', 'approved')
        .execute();
      const codes = Object.fromEntries(
        (await t.store.db.selectFrom('schools').select(['id', 'code']).execute()).map((s) => [s.id, s.code]),
      );
      const choices = await t.store.db.selectFrom('admission_choices').selectAll().orderBy('rank').execute();
      const list = apps
        .map((a) => {
          const own = choices.filter((c) => c.application_id === a.id).map((c) => codes[c.school_id]);
          const tier = a.approved_category === 'hukou_property' ? 1 : 2;
          // After the private school (4114020103, tier 1 for all: lottery alone) its catchment
          // public schools, nearest first: 平原小区 lies next to 0101.
          const mine = own.includes('4114020103')
            ? [
                ...own,
                ...(a.community_code === '411402001001' ? ['4114020101', '4114020102'] : ['4114020102']),
              ]
            : own;
          return {
            id: `A${String(a.id).padStart(7, '0')}`,
            choices: mine,
            tiers: Object.fromEntries(mine.map((s) => [s, s === '4114020103' ? 1 : tier])),
          };
        })
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      expect(list).toHaveLength(7);
      expect(draw.list_digest).toBe(createHash('sha256').update(jcs(list)).digest('hex'));
      expect(draw.commitment).toBe(createHash('sha256').update(draw.secret).digest('hex'));
      expect(draw).toMatchObject({ status: 'frozen', applicants: 7, seed: null, published: null });
      expect((await getRound(t.store.db, round.id)).status).toBe('frozen');
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'admissions.draw_freeze')
        .executeTakeFirstOrThrow();
      expect(audit.detail).toContain(draw.list_digest);
      expect(audit.detail).not.toContain(draw.secret);
    });

    it('refuses a second freeze, whether the round is read before or after the first', async () => {
      await expect(freezeDraw(t.store.db, clerk, round)).rejects.toMatchObject({
        code: 'admissions.draw_frozen',
      });
      const fresh = await getRound(t.store.db, round.id);
      await expect(freezeDraw(t.store.db, clerk, fresh)).rejects.toMatchObject({
        code: 'admissions.draw_frozen',
      });
      expect(await t.store.db.selectFrom('admission_draws').select('id').execute()).toHaveLength(1);
    });

    it('draws: the published file verifies, every placement matching', async () => {
      await expect(runDraw(t.store.db, clerk, round, '  ')).rejects.toMatchObject({ field: 'publicValue' });
      const draw = await runDraw(t.store.db, clerk, round, PUBLIC_VALUE);
      expect(draw.seed).toBe(createHash('sha256').update(`${draw.secret}:${PUBLIC_VALUE}`).digest('hex'));
      const file = await drawFileOf(t.store.db, round, 'drawn');
      expect(file).toMatchObject({
        secret: draw.secret,
        publicValue: PUBLIC_VALUE,
        digest: draw.list_digest,
      });
      const report = verifyDraw(JSON.parse(JSON.stringify(file)));
      expect(report).toMatchObject({ ok: true, result: { ok: true, mismatches: 0 } });
      // 5 seats for 7 children: the private school's one by lottery; its two losers fall back to
      // their catchment schools (the other public school, or for 平原小区 the popular one first), and
      // 统筹 fills what is left of the other public school (none or one seat, as the lottery fell).
      const placements = Object.values(file.result.placements!);
      expect(placements).toHaveLength(7);
      expect(placements.filter((p) => p.school !== null)).toHaveLength(5);
      expect(placements.filter((p) => p.by === 'fallback')).toHaveLength(2);
      expect(placements.filter((p) => p.by === 'overflow').length).toBeLessThanOrEqual(1);
      expect(file.result.schools['4114020103'].admitted).toBe(1);
      expect(file.result.seatsLeft).toEqual({ '4114020101': 0, '4114020102': 0, '4114020103': 0 });
      await expect(runDraw(t.store.db, clerk, round, PUBLIC_VALUE)).rejects.toMatchObject({
        code: 'admissions.draw_done',
      });
    });

    it('a tampered placement does not verify', async () => {
      const file = await drawFileOf(t.store.db, round, 'drawn');
      const [id, p] = Object.entries(file.result.placements!).find(([, p]) => p.school === '4114020101')!;
      const tampered = structuredClone(file);
      tampered.result.placements![id] = { ...p, school: '4114020103' };
      const report = verifyDraw(tampered);
      expect(report.ok).toBe(false);
      expect(report.result.mismatches).toBe(1);
      expect(report.result.first[0]).toEqual({
        field: `result.placements.${id}.school`,
        published: '4114020103',
        recomputed: '4114020101',
      });
    });

    it('never puts names, ID numbers or phones in the published file', async () => {
      const text = JSON.stringify(await drawFileOf(t.store.db, round, 'drawn'));
      const apps = await t.store.db
        .selectFrom('admission_applications')
        .select(['child_name', 'child_id_number', 'guardian_name', 'property_no'])
        .execute();
      for (const a of apps)
        for (const v of [a.child_name, a.child_id_number, a.guardian_name, a.property_no!])
          expect(text).not.toContain(v);
      expect(text).not.toContain('13800000009');
    });
  });
}

describe('admissions freeze | draw | publish-file | verify on the command line', () => {
  let t: TestDatabase;
  let round: Round;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
    ({ round } = await buildDrawRound(t));
    round = await closeRound(t.store.db, clerk, round);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-draw-'));
  });
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('freezes, draws, writes the file, and the file verifies', async () => {
    const env = { DATABASE_URL: t.url };
    const freeze = runCli(['admissions', 'freeze', '--round', String(round.id)], env);
    expect(freeze.stderr).toBe('');
    const draw = (await findDraw(t.store.db, round.id))!;
    expect(freeze.stdout).toContain(draw.list_digest);
    expect(freeze.stdout).toContain(draw.commitment);
    expect(freeze.stdout).not.toContain(draw.secret);
    const again = runCli(['admissions', 'freeze', '--round', String(round.id)], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already frozen');
    const early = runCli(['admissions', 'publish-file', '--round', String(round.id), '--out', 'x'], env);
    expect(early.stderr).toContain('not been drawn');
    expect(
      runCli(['admissions', 'draw', '--round', String(round.id), '--public-value', PUBLIC_VALUE], env).status,
    ).toBe(0);
    const out = path.join(dir, 'draw.json');
    expect(
      runCli(['admissions', 'publish-file', '--round', String(round.id), '--out', out], env).status,
    ).toBe(0);
    const verify = runCli(['admissions', 'verify', out]);
    expect(verify.status).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true });
  }, 180_000);
});
