import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AdmissionsInput } from '../../src/engines/admissions/contract.ts';
import { solveAdmissions } from '../../src/engines/admissions/solve.ts';
import { buildInput, instanceArb, sha } from './factory.ts';

/** Random instances with locations on a small grid (so equal distances happen) and mixed ownership. */
const withOverflowArb = instanceArb(5, 14).chain((input) =>
  fc
    .record({
      schools: fc.array(
        fc.record({
          public: fc.boolean(),
          x: fc.integer({ min: 0, max: 4 }),
          y: fc.integer({ min: 0, max: 4 }),
        }),
        { minLength: input.schools.length, maxLength: input.schools.length },
      ),
      communities: fc.array(
        fc.record({ x: fc.integer({ min: 0, max: 4 }), y: fc.integer({ min: 0, max: 4 }) }),
        {
          minLength: 1,
          maxLength: 3,
        },
      ),
      homes: fc.array(fc.nat(), { minLength: input.applicants.length, maxLength: input.applicants.length }),
    })
    .map(
      ({ schools, communities, homes }): AdmissionsInput => ({
        ...input,
        overflow: {
          schools: schools.map((s, i) => ({
            id: input.schools[i].id,
            ownership: s.public ? 'public' : 'private',
            x: s.x * 100,
            y: s.y * 100,
          })),
          communities: communities.map((c, i) => ({ id: `C${i}`, x: c.x * 100, y: c.y * 100 })),
          applicants: Object.fromEntries(
            input.applicants.map((a, i) => [a.id, `C${homes[i] % communities.length}`]),
          ),
        },
      }),
    ),
);

/**
 * The overflow rule checked against every public school: a child placed by overflow (or left
 * without a seat) could not have had a nearer open school, nor an equally near one with a smaller
 * id, when its turn came in key order.
 */
function expectNearestRule(input: AdmissionsInput): void {
  const r = solveAdmissions(input);
  const o = input.overflow!;
  const key = (a: string) => sha(`${input.seed}:${a}`);
  const publics = o.schools.filter((s) => s.ownership === 'public');
  const home = (a: string) => o.communities.find((c) => c.id === o.applicants[a])!;
  const d2 = (a: string, s: { x: number; y: number }) => (s.x - home(a).x) ** 2 + (s.y - home(a).y) ** 2;
  const overflowAt = (s: string) =>
    input.applicants.filter((b) => r.placements![b.id].school === s && r.placements![b.id].by === 'overflow');
  for (const a of input.applicants) {
    if (r.assignments[a.id] !== null) continue;
    const { school, by } = r.placements![a.id];
    const at = publics.find((s) => s.id === school);
    if (school !== null) {
      expect(by).toBe('overflow');
      expect(at).toBeDefined();
    } else expect(by).toBeNull();
    for (const t of publics) {
      if (at && (d2(a.id, t) > d2(a.id, at) || (d2(a.id, t) === d2(a.id, at) && t.id >= at.id))) continue;
      // A better school was full, and full before this child's turn.
      expect(r.seatsLeft![t.id]).toBe(0);
      for (const b of overflowAt(t.id)) expect(key(b.id) < key(a.id)).toBe(true);
    }
  }
}

describe('overflow placement (统筹)', () => {
  it('keeps DA placements, marks them by choice or fallback, and never exceeds a capacity', () => {
    fc.assert(
      fc.property(withOverflowArb, (input) => {
        const r = solveAdmissions(input);
        for (const a of input.applicants) {
          const s = r.assignments[a.id];
          if (s === null) continue;
          expect(r.placements![a.id]).toEqual({ school: s, by: a.choices[0] === s ? 'choice' : 'fallback' });
        }
        for (const s of input.schools) {
          const placed = input.applicants.filter((a) => r.placements![a.id].school === s.id).length;
          expect(r.seatsLeft![s.id]).toBe(s.capacity - placed);
          expect(r.seatsLeft![s.id]).toBeGreaterThanOrEqual(0);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('sends each unplaced child to the nearest public school with seats left, smaller lottery key first', () => {
    fc.assert(
      fc.property(withOverflowArb, (input) => expectNearestRule(input)),
      { numRuns: 300 },
    );
  });

  it('finds the nearest school among many scattered ones (the grid search against every school)', () => {
    const many = fc
      .record({
        seed: fc.stringMatching(/^[0-9a-f]{1,8}$/),
        schools: fc.array(
          fc.record({
            capacity: fc.integer({ min: 0, max: 2 }),
            x: fc.double({ min: -5e4, max: 5e4, noNaN: true }),
            y: fc.integer({ min: 0, max: 3000 }),
          }),
          { minLength: 1, maxLength: 80 },
        ),
        homes: fc.array(
          fc.record({
            x: fc.double({ min: -6e4, max: 6e4, noNaN: true }),
            y: fc.integer({ min: -500, max: 4000 }),
          }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        children: fc.array(fc.nat(), { minLength: 1, maxLength: 60 }),
      })
      .map(({ seed, schools, homes, children }) =>
        buildInput({
          seed,
          schools: schools.map((s, i) => ({ id: `P${i}`, capacity: s.capacity })),
          applicants: children.map((_, i) => ({ id: `A${i}`, choices: [], tiers: {} })),
          overflow: {
            schools: schools.map((s, i) => ({ id: `P${i}`, ownership: 'public', x: s.x, y: s.y })),
            communities: homes.map((h, i) => ({ id: `C${i}`, ...h })),
            applicants: Object.fromEntries(children.map((c, i) => [`A${i}`, `C${c % homes.length}`])),
          },
        }),
      );
    fc.assert(
      fc.property(many, (input) => expectNearestRule(input)),
      { numRuns: 200 },
    );
  });

  it('places by hand: the private school is left to its lottery, the rest go to the nearest public seats', () => {
    const input = buildInput({
      schools: [
        { id: 'M1', capacity: 1 },
        { id: 'P1', capacity: 1 },
        { id: 'P2', capacity: 5 },
      ],
      applicants: ['A1', 'A2', 'A3'].map((id) => ({ id, choices: ['M1'], tiers: { M1: 1 } })),
      overflow: {
        schools: [
          { id: 'M1', ownership: 'private', x: 0, y: 0 },
          { id: 'P1', ownership: 'public', x: 300, y: 400 },
          { id: 'P2', ownership: 'public', x: 0, y: 1000 },
        ],
        communities: [{ id: 'C1', x: 0, y: 0 }],
        applicants: { A1: 'C1', A2: 'C1', A3: 'C1' },
      },
    });
    const r = solveAdmissions(input);
    // Keys (seed "ab"): A1 436f…, A3 7583…, A2 9701…: A1 wins M1; A3 then takes P1 (500 m), A2 P2 (1 km).
    expect(r.placements).toEqual({
      A1: { school: 'M1', by: 'choice' },
      A3: { school: 'P1', by: 'overflow' },
      A2: { school: 'P2', by: 'overflow' },
    });
    expect(r.seatsLeft).toEqual({ M1: 0, P1: 0, P2: 4 });
    expect(r.assignments).toEqual({ A1: 'M1', A2: null, A3: null });
  });
});
