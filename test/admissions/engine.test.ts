import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdmissionsInput, AdmissionsResult } from '../../src/engines/admissions/contract.ts';
import { solveAdmissions } from '../../src/engines/admissions/solve.ts';
import { blockingPairs, buildInput, eligible, instanceArb, keyOf, prefers, sha } from './factory.ts';

/** Every capacity-respecting assignment of a tiny instance, each applicant to an eligible school or none. */
function* allAssignments(input: AdmissionsInput): Generator<AdmissionsResult['assignments']> {
  const options = input.applicants.map((a) => [null, ...eligible(a)]);
  const capacity = new Map(input.schools.map((s) => [s.id, s.capacity]));
  const pick: (string | null)[] = [];
  function* walk(i: number): Generator<AdmissionsResult['assignments']> {
    if (i === options.length) {
      yield Object.fromEntries(input.applicants.map((a, k) => [a.id, pick[k]]));
      return;
    }
    for (const s of options[i]) {
      if (s !== null && capacity.get(s) === 0) continue;
      if (s !== null) capacity.set(s, capacity.get(s)! - 1);
      pick[i] = s;
      yield* walk(i + 1);
      if (s !== null) capacity.set(s, capacity.get(s)! + 1);
    }
  }
  yield* walk(0);
}

describe('deferred acceptance on random instances', () => {
  it('never admits more than a school has seats, and reports the seats it filled', () => {
    fc.assert(
      fc.property(instanceArb(), (input) => {
        const r = solveAdmissions(input);
        for (const s of input.schools) {
          const admitted = input.applicants.filter((a) => r.assignments[a.id] === s.id).length;
          expect(admitted).toBeLessThanOrEqual(s.capacity);
          expect(r.schools[s.id].admitted).toBe(admitted);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('places a child only at a school it listed with a tier', () => {
    fc.assert(
      fc.property(instanceArb(), (input) => {
        const r = solveAdmissions(input);
        for (const a of input.applicants) {
          const s = r.assignments[a.id];
          expect(s === null || eligible(a).includes(s)).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('leaves no justified envy and no wasted seat', () => {
    fc.assert(
      fc.property(instanceArb(6, 20), (input) => {
        expect(blockingPairs(input, solveAdmissions(input).assignments)).toEqual([]);
      }),
      { numRuns: 300 },
    );
  });

  it('equals the applicant-optimal stable assignment found by enumerating every assignment', () => {
    fc.assert(
      fc.property(instanceArb(3, 5), (input) => {
        const stable = [...allAssignments(input)].filter((x) => blockingPairs(input, x).length === 0);
        // With strict rankings a stable assignment exists and one is weakly best for every child.
        const best = stable.filter((x) =>
          stable.every((y) => input.applicants.every((a) => !prefers(a, y[a.id] ?? '', x[a.id]))),
        );
        expect(best).toHaveLength(1);
        expect(solveAdmissions(input).assignments).toEqual(best[0]);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same result for the same seed, and the cutoff is the last admitted rank', () => {
    fc.assert(
      fc.property(instanceArb(), (input) => {
        const r = solveAdmissions(input);
        expect(solveAdmissions(structuredClone(input))).toEqual(r);
        for (const s of input.schools) {
          const admitted = input.applicants.filter((a) => r.assignments[a.id] === s.id);
          const { cutoff } = r.schools[s.id];
          if (admitted.length < s.capacity || s.capacity === 0) expect(cutoff).toBeNull();
          else {
            const ranks = admitted.map((a) => ({ tier: a.tiers[s.id], key: keyOf(input, a.id, s.id) }));
            ranks.sort((x, y) => x.tier - y.tier || (x.key < y.key ? -1 : 1));
            expect(cutoff).toEqual(ranks.at(-1));
          }
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('the order of the input', () => {
  it('does not change the result: schools and applicants shuffled give the same assignment', () => {
    fc.assert(
      fc.property(instanceArb(), fc.func(fc.integer()), (input, rank) => {
        const shuffle = <T>(xs: T[]) =>
          xs
            .map((x, i) => ({ x, r: rank(i) }))
            .sort((a, b) => a.r - b.r)
            .map((e) => e.x);
        const shuffled = { ...input, schools: shuffle(input.schools), applicants: shuffle(input.applicants) };
        expect(solveAdmissions(shuffled)).toEqual(solveAdmissions(input));
      }),
      { numRuns: 200 },
    );
  });
});

describe('tie-breaking', () => {
  // Four children of one tier want P1 (1 seat), then P2 (1 seat).
  const applicants = ['A1', 'A2', 'A3', 'A4'].map((id) => ({
    id,
    choices: ['P1', 'P2'],
    tiers: { P1: 1, P2: 1 },
  }));
  const schools = [
    { id: 'P1', capacity: 1 },
    { id: 'P2', capacity: 1 },
  ];

  it('single: one key per child, so the first two by SHA-256(seed:a) take the seats', () => {
    const r = solveAdmissions(buildInput({ seed: 'c0ffee', schools, applicants }));
    const byKey = [...applicants].sort((a, b) => (sha(`c0ffee:${a.id}`) < sha(`c0ffee:${b.id}`) ? -1 : 1));
    expect(r.assignments[byKey[0].id]).toBe('P1');
    expect(r.assignments[byKey[1].id]).toBe('P2');
    expect(r.schools.P2.cutoff?.key).toBe(sha(`c0ffee:${byKey[1].id}`));
  });

  it('multiple: a fresh key at each school, SHA-256(seed:s:a)', () => {
    const r = solveAdmissions(buildInput({ seed: 'c0ffee', tieBreaking: 'multiple', schools, applicants }));
    const best = (s: string, among: string[]) =>
      [...among].sort((a, b) => (sha(`c0ffee:${s}:${a}`) < sha(`c0ffee:${s}:${b}`) ? -1 : 1))[0];
    const p1 = best('P1', ['A1', 'A2', 'A3', 'A4']);
    const p2 = best(
      'P2',
      ['A1', 'A2', 'A3', 'A4'].filter((a) => a !== p1),
    );
    expect(r.assignments[p1]).toBe('P1');
    expect(r.assignments[p2]).toBe('P2');
    expect(r.schools.P1.cutoff).toEqual({ tier: 1, key: sha(`c0ffee:P1:${p1}`) });
  });

  it('the tier decides before the key; a listed school without a tier is skipped', () => {
    const r = solveAdmissions(
      buildInput({
        schools,
        applicants: [
          { id: 'A1', choices: ['P1', 'P2'], tiers: { P1: 2, P2: 1 } },
          { id: 'A2', choices: ['P1', 'P2'], tiers: { P1: 1, P2: 1 } },
          { id: 'A3', choices: ['P1', 'P2'], tiers: { P2: 1 } },
        ],
      }),
    );
    expect(r.assignments.A2).toBe('P1');
    expect(r.schools.P1.cutoff?.tier).toBe(1);
    // A1 and A3 meet at P2 in the same tier: the smaller key wins.
    const winner = sha('ab:A1') < sha('ab:A3') ? 'A1' : 'A3';
    expect(r.assignments[winner]).toBe('P2');
    expect(r.assignments[winner === 'A1' ? 'A3' : 'A1']).toBeNull();
  });

  it('a school with no seats admits nobody and has no cutoff', () => {
    const r = solveAdmissions(buildInput({ schools: [{ id: 'P01', capacity: 0 }] }));
    expect(r).toEqual({ assignments: { A1: null }, schools: { P01: { admitted: 0, cutoff: null } } });
  });
});
