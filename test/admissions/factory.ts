/** Random admissions instances and an independent reading of the contract to check the engine by. */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import type { AdmissionsInput, AdmissionsResult, Applicant } from '../../src/engines/admissions/contract.ts';

/** SHA-256 through createHash (the engine uses crypto.hash), so the test does not share its code path. */
export const sha = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** The contract's key, written out again from DESIGN.md. */
export const keyOf = (input: AdmissionsInput, a: string, s: string) =>
  input.tieBreaking === 'single' ? sha(`${input.seed}:${a}`) : sha(`${input.seed}:${s}:${a}`);

/** Is a ranked before b at school s? (tier, key), smaller first, keys as strings. */
export function ranksBefore(input: AdmissionsInput, s: string, a: Applicant, b: Applicant): boolean {
  const ta = a.tiers[s];
  const tb = b.tiers[s];
  if (ta !== tb) return ta < tb;
  return keyOf(input, a.id, s) < keyOf(input, b.id, s);
}

/** The schools an applicant may be admitted to, best first. */
export const eligible = (a: Applicant) => a.choices.filter((s) => Object.hasOwn(a.tiers, s));

/** Does `a` prefer school s to where it is (null: unplaced)? */
export function prefers(a: Applicant, s: string, current: string | null): boolean {
  const list = eligible(a);
  const i = list.indexOf(s);
  if (i < 0) return false;
  return current === null || i < list.indexOf(current);
}

export function buildInput(overrides: Partial<AdmissionsInput> = {}): AdmissionsInput {
  return {
    seed: 'ab',
    tieBreaking: 'single',
    schools: [{ id: 'P01', capacity: 1 }],
    applicants: [{ id: 'A1', choices: ['P01'], tiers: { P01: 1 } }],
    ...overrides,
  };
}

/**
 * Random instances: up to `maxSchools` schools, `maxApplicants` applicants, some choices without a
 * tier, tiers not contiguous.
 */
export function instanceArb(maxSchools = 5, maxApplicants = 12): fc.Arbitrary<AdmissionsInput> {
  return fc
    .record({
      seed: fc.stringMatching(/^[0-9a-f]{1,16}$/),
      tieBreaking: fc.constantFrom('single' as const, 'multiple' as const),
      capacities: fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: maxSchools }),
      applicants: fc.array(
        fc.record({
          picks: fc.array(fc.nat(), { maxLength: 4 }),
          tiers: fc.array(fc.option(fc.constantFrom(1, 2, 3, 40, 1_000_000), { freq: 5 }), {
            minLength: 4,
            maxLength: 4,
          }),
        }),
        { maxLength: maxApplicants },
      ),
    })
    .map(({ seed, tieBreaking, capacities, applicants }) => {
      const schools = capacities.map((capacity, i) => ({ id: `S${i}`, capacity }));
      return {
        seed,
        tieBreaking,
        schools,
        applicants: applicants.map((a, i) => {
          const choices = [...new Set(a.picks.map((p) => schools[p % schools.length].id))];
          const tiers: Record<string, number> = {};
          choices.forEach((s, k) => {
            if (a.tiers[k] !== null) tiers[s] = a.tiers[k];
          });
          return { id: `A${i}`, choices, tiers };
        }),
      };
    });
}

/** Every blocking pair of an assignment: justified envy or a wasted seat. Empty when stable. */
export function blockingPairs(
  input: AdmissionsInput,
  assignments: AdmissionsResult['assignments'],
): string[] {
  const found: string[] = [];
  const admitted = new Map(input.schools.map((s) => [s.id, [] as Applicant[]]));
  for (const a of input.applicants) {
    const s = assignments[a.id];
    if (s) admitted.get(s)!.push(a);
  }
  for (const a of input.applicants)
    for (const s of input.schools) {
      if (!prefers(a, s.id, assignments[a.id])) continue;
      const there = admitted.get(s.id)!;
      if (there.length < s.capacity) found.push(`${a.id} wastes a seat at ${s.id}`);
      for (const b of there)
        if (ranksBefore(input, s.id, a, b)) found.push(`${a.id} envies ${b.id} at ${s.id}`);
    }
  return found;
}
