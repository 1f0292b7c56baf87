import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findDraw, freezeDraw, runDraw } from '../../src/admissions/draw.ts';
import { drawFileOf, publishResults } from '../../src/admissions/results.ts';
import { closeRound, type Round } from '../../src/admissions/rounds.ts';
import { applicantListDigest } from '../../src/engines/admissions/keys.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { buildDrawRound, clerk, PUBLIC_VALUE } from './fixture.ts';

/** The fixture's schools: two public (first, second) and the private one of 1 seat. */
const FIRST = '4114020101';
const SECOND = '4114020102';
const PRIVATE = '4114020103';
/** Each community's public catchment schools, nearest first (平原小区 lies next to the first school). */
const CATCHMENT: Record<string, string[]> = { '411402001001': [FIRST, SECOND], '411402001002': [SECOND] };

type Stored = { input: string; list_digest: string; commitment: string; secret: string };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(
    `the draw's integrity and the lottery's rules on ${dialect}`,
    () => {
      let t: TestDatabase;
      let round: Round;
      let frozen: Stored;
      const restore = async (
        s: Partial<Stored & { published: string | null; seed: string | null; public_value: string | null }>,
      ) => t.store.db.updateTable('admission_draws').set(s).where('round_id', '=', round.id).execute();

      beforeAll(async () => {
        t = await createTestDatabase(dialect);
        await seedRegions(t.store.db);
        ({ round } = await buildDrawRound(t));
        round = await closeRound(t.store.db, clerk, round);
        frozen = await freezeDraw(t.store.db, clerk, round);
      });
      afterAll(async () => t?.drop());

      it('ranks by lottery alone at a private school, and appends the catchment schools after it', async () => {
        const input = JSON.parse(frozen.input) as {
          applicants: { id: string; choices: string[]; tiers: Record<string, number> }[];
          overflow: { applicants: Record<string, string> };
        };
        const privates = input.applicants.filter((a) => a.choices[0] === PRIVATE);
        expect(privates).toHaveLength(3);
        for (const a of privates) {
          const community = input.overflow.applicants[a.id];
          expect(a.choices).toEqual([PRIVATE, ...CATCHMENT[community]]);
          expect(a.tiers[PRIVATE]).toBe(1);
          for (const s of CATCHMENT[community]) expect(a.tiers[s]).toBe(1);
        }
        // Public choosers keep their own list and the category's tier (有房无户: 2).
        const publics = input.applicants.filter((a) => a.choices[0] === FIRST);
        expect(publics.map((a) => a.choices)).toEqual([[FIRST], [FIRST], [FIRST], [FIRST]]);
        expect(publics.map((a) => a.tiers[FIRST]).sort()).toEqual([1, 1, 1, 2]);
      });

      it('refuses the draw when the stored list was changed after the freeze, naming the digest', async () => {
        const input = JSON.parse(frozen.input);
        input.applicants[0].tiers = Object.fromEntries(
          Object.keys(input.applicants[0].tiers).map((s) => [s, 1]),
        );
        input.applicants.pop();
        const changed = JSON.stringify(input);
        // The input alone: it no longer hashes to the stored digest.
        await restore({ input: changed });
        await expect(runDraw(t.store.db, clerk, round, PUBLIC_VALUE)).rejects.toMatchObject({
          code: 'admissions.draw_integrity',
          field: 'digest',
        });
        // The input and the digest column changed together: still not the digest the freeze published.
        await restore({ input: changed, list_digest: applicantListDigest(input.applicants) });
        await expect(runDraw(t.store.db, clerk, round, PUBLIC_VALUE)).rejects.toMatchObject({
          code: 'admissions.draw_integrity',
          field: 'digest',
        });
        await restore({ input: frozen.input, list_digest: frozen.list_digest });
        expect((await findDraw(t.store.db, round.id))?.status).toBe('frozen');
      });

      it('refuses the draw when the secret no longer matches the commitment', async () => {
        await restore({ secret: `${frozen.secret}0` });
        await expect(runDraw(t.store.db, clerk, round, PUBLIC_VALUE)).rejects.toMatchObject({
          code: 'admissions.draw_integrity',
          field: 'commitment',
        });
        const other = 'a'.repeat(64);
        await restore({ secret: other, commitment: createHash('sha256').update(other).digest('hex') });
        await expect(runDraw(t.store.db, clerk, round, PUBLIC_VALUE)).rejects.toMatchObject({
          code: 'admissions.draw_integrity',
          field: 'commitment',
        });
        await restore({ secret: frozen.secret, commitment: frozen.commitment });
      });

      it('draws: the private school’s lottery losers are placed at their catchment school by fallback', async () => {
        await runDraw(t.store.db, clerk, round, PUBLIC_VALUE);
        const file = await drawFileOf(t.store.db, round, 'drawn');
        const placements = file.result.placements!;
        const privates = file.applicants.filter((a) => a.choices[0] === PRIVATE);
        const winners = privates.filter((a) => placements[a.id].school === PRIVATE);
        const losers = privates.filter((a) => placements[a.id].school !== PRIVATE);
        expect(winners).toHaveLength(1);
        expect(losers).toHaveLength(2);
        for (const a of losers) {
          expect(placements[a.id].by).toBe('fallback');
          expect(CATCHMENT[file.overflow!.applicants[a.id]]).toContain(placements[a.id].school);
        }
        // 统筹 places only the popular school's losers, never a private school's lottery loser.
        for (const [id, p] of Object.entries(placements))
          if (p.by === 'overflow') expect(file.applicants.find((a) => a.id === id)?.choices[0]).toBe(FIRST);
      });

      it('refuses to publish a draw file whose seed, public value or digest is not the draw’s', async () => {
        const draw = (await findDraw(t.store.db, round.id))!;
        const file = JSON.parse(draw.published!);
        await restore({ seed: 'b'.repeat(64) });
        await expect(publishResults(t.store.db, clerk, round)).rejects.toMatchObject({
          code: 'admissions.draw_integrity',
          field: 'seed',
        });
        await restore({ seed: draw.seed, public_value: `${PUBLIC_VALUE} ` });
        await expect(publishResults(t.store.db, clerk, round)).rejects.toMatchObject({
          code: 'admissions.draw_integrity',
          field: 'publicValue',
        });
        // A file rebuilt on a changed list, its own digest consistent with it: the freeze's digest refuses it.
        const changed = structuredClone(file);
        changed.applicants.pop();
        changed.digest = applicantListDigest(changed.applicants);
        await restore({ public_value: draw.public_value, published: JSON.stringify(changed) });
        await expect(publishResults(t.store.db, clerk, round)).rejects.toMatchObject({
          code: 'admissions.draw_integrity',
          field: 'digest',
        });
        await restore({ published: draw.published });
        await expect(publishResults(t.store.db, clerk, round)).resolves.toMatchObject({ status: 'drawn' });
      });
    },
  );
}
