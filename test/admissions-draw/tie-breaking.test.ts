import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDraw, freezeDraw, runDraw } from '../../src/admissions/draw.ts';
import { drawFileOf } from '../../src/admissions/results.ts';
import { closeRound, getRound, type Round } from '../../src/admissions/rounds.ts';
import { checkRoundRules, parseRoundRules, typicalRules } from '../../src/admissions/rules.ts';
import { verifyDraw } from '../../src/engines/admissions/verify.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { buildDrawRound, clerk, PUBLIC_VALUE } from './fixture.ts';

const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
const POPULAR = '4114020101';
const PRIVATE = '4114020103';

describe('the tie-breaking rule', () => {
  it('is single in the template, multiple when chosen, and nothing else', () => {
    expect(typicalRules(2026).tieBreaking).toBe('single');
    const { tieBreaking: _, ...before } = typicalRules(2026);
    expect(parseRoundRules(before).tieBreaking).toBe('single');
    expect(parseRoundRules({ ...before, tieBreaking: 'multiple' }).tieBreaking).toBe('multiple');
    expect(checkRoundRules({ ...before, tieBreaking: 'random' }).problems).toEqual([
      {
        field: 'rules.tieBreaking',
        zh: '无效选项：期望以下之一 "single"|"multiple"',
        en: 'must be single or multiple',
      },
    ]);
    expect(() => parseRoundRules({ ...before, tieBreaking: 'random' })).toThrow(
      expect.objectContaining({ code: 'admissions.rules_invalid', field: 'rules.tieBreaking' }),
    );
  });
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`tie-breaking in the draw on ${dialect}`, () => {
    let t: TestDatabase;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
    });
    afterAll(async () => t?.drop());

    it('a round with multiple tie-breaking freezes a multiple input, and its draw verifies', async () => {
      const built = await buildDrawRound(t, { tieBreaking: 'multiple' });
      expect(built.round.parsedRules.tieBreaking).toBe('multiple');
      let round: Round = await closeRound(t.store.db, clerk, built.round);
      const draw = await freezeDraw(t.store.db, clerk, round);
      expect(JSON.parse(draw.input).tieBreaking).toBe('multiple');
      round = await getRound(t.store.db, round.id);
      await runDraw(t.store.db, clerk, round, PUBLIC_VALUE);
      const file = await drawFileOf(t.store.db, round, 'drawn');
      expect(file.tieBreaking).toBe('multiple');
      expect(verifyDraw(JSON.parse(JSON.stringify(file)))).toMatchObject({
        ok: true,
        result: { ok: true, mismatches: 0 },
      });
      // The popular school (2 seats) takes the two tier-1 children with the smallest keys
      // SHA-256(seed:school:applicationNo), recomputed here; its cutoff is the larger of the two. Its
      // tier-1 applicants: the three who chose it, and 平原小区's private chooser if that one lost the
      // private school's lottery (the popular school is its catchment fallback).
      const tier1 = file.applicants
        .filter((a) => a.tiers[POPULAR] === 1 && file.result.assignments[a.id] !== PRIVATE)
        .map((a) => ({ id: a.id, key: sha(`${file.seed}:${POPULAR}:${a.id}`) }))
        .sort((a, b) => (a.key < b.key ? -1 : 1));
      expect(tier1.length).toBeGreaterThanOrEqual(3);
      const admitted = Object.entries(file.result.assignments)
        .filter(([, s]) => s === POPULAR)
        .map(([id]) => id)
        .sort();
      expect(admitted).toEqual([tier1[0].id, tier1[1].id].sort());
      expect(file.result.schools[POPULAR].cutoff).toEqual({ tier: 1, key: tier1[1].key });
    });

    it('a round stored before the rule existed reads as single, its stored rules and digest untouched', async () => {
      const other = await createTestDatabase(dialect);
      try {
        await seedRegions(other.store.db);
        const built = await buildDrawRound(other);
        // The rules as a round opened before the field existed holds them: without tieBreaking,
        // digested as stored.
        const { tieBreaking: _, ...old } = JSON.parse(
          (await getRound(other.store.db, built.round.id)).rules,
        ) as Record<string, unknown>;
        const legacy = JSON.stringify(old);
        await other.store.db
          .updateTable('admission_rounds')
          .set({ rules: legacy, rules_digest: sha(legacy) })
          .where('id', '=', built.round.id)
          .execute();
        let round = await getRound(other.store.db, built.round.id);
        expect(round.parsedRules.tieBreaking).toBe('single');
        round = await closeRound(other.store.db, clerk, round);
        const draw = await freezeDraw(other.store.db, clerk, round);
        expect(JSON.parse(draw.input).tieBreaking).toBe('single');
        await runDraw(other.store.db, clerk, await getRound(other.store.db, round.id), PUBLIC_VALUE);
        const after = await getRound(other.store.db, round.id);
        expect(after.rules).toBe(legacy);
        expect(after.rules_digest).toBe(sha(legacy));
        const file = JSON.parse((await findDraw(other.store.db, round.id))!.published!);
        expect(verifyDraw(file).ok).toBe(true);
        expect(file.result.schools[POPULAR].cutoff.key).toMatch(/^[0-9a-f]{64}$/);
        const cutoffId = file.applicants.find(
          (a: { id: string }) => sha(`${file.seed}:${a.id}`) === file.result.schools[POPULAR].cutoff.key,
        );
        expect(cutoffId).toBeDefined();
      } finally {
        await other.drop();
      }
    });
  });
}
