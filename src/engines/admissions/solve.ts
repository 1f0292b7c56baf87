/** `admissions solve`: keys, deferred acceptance, and the overflow step when its data are given. */
import type { AdmissionsInput, AdmissionsResult } from './contract.ts';
import {
  computeLotteryKeys,
  deferredAcceptance,
  type Instance,
  indexInstance,
  type LotteryKeys,
  pairKey,
} from './deferred-acceptance.ts';
import { placeOverflow } from './overflow.ts';

/** The solve once the input is indexed and its keys hashed (the benchmark times the two apart). */
export function solveIndexed(input: AdmissionsInput, inst: Instance, lottery: LotteryKeys): AdmissionsResult {
  const matching = deferredAcceptance(inst, lottery);
  const assignments: AdmissionsResult['assignments'] = {};
  input.applicants.forEach((a, i) => {
    const p = matching.held[i];
    assignments[a.id] = p < 0 ? null : input.schools[inst.pairSchool[p]].id;
  });
  const schools: AdmissionsResult['schools'] = {};
  input.schools.forEach((s, i) => {
    const p = matching.last[i];
    schools[s.id] = {
      admitted: matching.admitted[i],
      cutoff: p < 0 ? null : { tier: inst.tiers[inst.pairTier[p]], key: pairKey(inst, lottery, p) },
    };
  });
  const result: AdmissionsResult = { assignments, schools };
  if (input.overflow) Object.assign(result, placeOverflow(input, input.overflow, inst, lottery, matching));
  return result;
}

/**
 * Solves a parsed input (DESIGN.md "admissions solve"). Example: seed "ab", P01 with 1 seat, A1 and
 * A2 both tier 1 → the one with the smaller SHA-256("ab:A…") gets P01, the other `null`;
 * `schools.P01 = { admitted: 1, cutoff: { tier: 1, key: <that key> } }`.
 */
export function solveAdmissions(input: AdmissionsInput): AdmissionsResult {
  const inst = indexInstance(input);
  return solveIndexed(input, inst, computeLotteryKeys(input, inst));
}
