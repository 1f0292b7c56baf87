/**
 * Applicant-proposing deferred acceptance (递延接受) over integer indices. With strict rankings by
 * (tier, lottery key) its result is the unique applicant-optimal stable assignment, so any correct
 * implementation, and so any verifier, finds the same one.
 *
 * Layout: each applicant's eligible choices (those with a tier) are "pairs" in one flat array, best
 * first. Every school's pairs are sorted once by (tier, key), the schools' lists laid end to end; a
 * pair's position there is its rank, so the proposal loop compares integers only and keeps each
 * school's held applicants in a max-heap of ranks bounded by the capacity.
 */

import { ints } from './arrays.ts';
import type { AdmissionsInput } from './contract.ts';
import { keyPacking, keyPrefix, keyPrefixOf, keyStart, lotteryKey, packKey, sortPackedKeys } from './keys.ts';

/** The input as integer indices: applicants and schools by their place in the input. */
export interface Instance {
  applicants: number;
  schools: number;
  capacity: Int32Array;
  /** Applicant a's pairs are pairStart[a] … pairStart[a + 1] − 1, in the family's order. */
  pairStart: number[];
  pairApplicant: number[];
  pairSchool: number[];
  /** The pair's place in the applicant's `choices` (0: the first choice). */
  pairChoice: number[];
  /** The pair's tier as a place in `tiers`, the distinct tiers in ascending order. */
  pairTier: number[];
  tiers: number[];
}

/**
 * The keys of every applicant (`single`) or of every eligible choice (`multiple`), held as their
 * leading bits: a million 64-digit strings kept alive would cost the collector more than the solve.
 */
export interface LotteryKeys {
  tieBreaking: AdmissionsInput['tieBreaking'];
  prefixes: Float64Array;
  /** The full key of an applicant (`single`) or a pair (`multiple`), hashed again. */
  keyOf: (slot: number) => string;
}

export interface Matching {
  /** Applicant → the pair it is admitted by, −1 when DA leaves it unplaced. */
  held: number[];
  admitted: Int32Array;
  /** School → the pair of its last admitted applicant when it is full, −1 while seats are left. */
  last: Int32Array;
}

export function indexInstance(input: AdmissionsInput): Instance {
  const schoolIndex = new Map(input.schools.map((s, i) => [s.id, i]));
  const n = input.applicants.length;
  let bound = 0;
  for (const a of input.applicants) bound += a.choices.length;
  const pairStart = ints(n + 1);
  const pairApplicant = ints(bound);
  const pairSchool = ints(bound);
  const pairChoice = ints(bound);
  const pairTier = ints(bound);
  // Tiers are numbered as they are met, then renumbered in ascending order.
  const tierNumber = new Map<number, number>();
  let p = 0;
  for (let a = 0; a < n; a++) {
    const { choices, tiers } = input.applicants[a];
    pairStart[a] = p;
    for (let k = 0; k < choices.length; k++) {
      // A listed school without a tier is one the child is not eligible for: skipped. (Inherited
      // names such as `constructor` are never numbers.)
      const tier = tiers[choices[k]];
      if (typeof tier !== 'number') continue;
      let t = tierNumber.get(tier);
      if (t === undefined) {
        t = tierNumber.size;
        tierNumber.set(tier, t);
      }
      pairApplicant[p] = a;
      pairSchool[p] = schoolIndex.get(choices[k])!;
      pairChoice[p] = k;
      pairTier[p] = t;
      p++;
    }
  }
  pairStart[n] = p;
  const tiers = [...tierNumber.keys()].sort((x, y) => x - y);
  const renumber = new Int32Array(tiers.length);
  tiers.forEach((t, i) => {
    renumber[tierNumber.get(t)!] = i;
  });
  for (let q = 0; q < p; q++) pairTier[q] = renumber[pairTier[q]];
  for (const pairArray of [pairApplicant, pairSchool, pairChoice, pairTier]) pairArray.length = p;
  return {
    applicants: n,
    schools: input.schools.length,
    capacity: Int32Array.from(input.schools, (s) => s.capacity),
    pairStart,
    pairApplicant,
    pairSchool,
    pairChoice,
    pairTier,
    tiers,
  };
}

/** Every how many keys `computeLotteryKeys` checks its leading bits against node:crypto's full key. */
const SELF_CHECK_EVERY = 65_536;

/**
 * Hashes the keys: one per applicant for `single`, one per eligible choice for `multiple` — only
 * their leading bits (`keyPrefixOf`, one SHA-256 block each after the shared `seed:` or
 * `seed:school:`), never a string. Some keys are checked against node:crypto's (`lotteryKey`).
 */
export function computeLotteryKeys(input: AdmissionsInput, inst: Instance): LotteryKeys {
  const { seed, tieBreaking, applicants, schools } = input;
  const keyOf =
    tieBreaking === 'single'
      ? (a: number) => lotteryKey(seed, applicants[a].id)
      : (p: number) => lotteryKey(seed, applicants[inst.pairApplicant[p]].id, schools[inst.pairSchool[p]].id);
  let prefixes: Float64Array;
  if (tieBreaking === 'single') {
    const start = keyStart(`${seed}:`);
    prefixes = new Float64Array(applicants.length);
    for (let a = 0; a < applicants.length; a++) prefixes[a] = keyPrefixOf(start, applicants[a].id);
  } else {
    const starts = schools.map((s) => keyStart(`${seed}:${s.id}:`));
    const { pairStart, pairSchool } = inst;
    prefixes = new Float64Array(pairSchool.length);
    for (let a = 0; a < applicants.length; a++) {
      const { id } = applicants[a];
      for (let p = pairStart[a]; p < pairStart[a + 1]; p++)
        prefixes[p] = keyPrefixOf(starts[pairSchool[p]], id);
    }
  }
  for (let i = 0; i < prefixes.length; i += SELF_CHECK_EVERY)
    if (prefixes[i] !== keyPrefix(keyOf(i))) throw new Error(`lottery key ${i}: SHA-256 self-check failed`);
  return { tieBreaking, prefixes, keyOf };
}

/** The key a pair is ranked by at its school. */
export const pairKey = (inst: Instance, lottery: LotteryKeys, p: number): string =>
  lottery.keyOf(lottery.tieBreaking === 'single' ? inst.pairApplicant[p] : p);

interface Ranking {
  /** School s's pairs, best first, are schoolList[schoolStart[s]] … schoolList[schoolStart[s + 1] − 1]. */
  schoolStart: Int32Array;
  schoolList: number[];
  /** A pair's place in schoolList: of two pairs at one school, the smaller is ranked first. */
  pairRank: number[];
}

/**
 * Ranks every school's pairs by (tier, key). The pairs are bucketed by (school, tier) in one
 * counting pass — in pair order, so reading each array once front to back — carrying each pair's
 * key bits packed with its place in the bucket into one exact double (`packKey`); then each bucket
 * (a few hundred pairs) is sorted by `sortPackedKeys`, exactly in the keys' string order.
 */
function rankPairs(inst: Instance, lottery: LotteryKeys): Ranking {
  const { pairSchool, pairTier, pairApplicant } = inst;
  const pairs = pairSchool.length;
  const tiers = inst.tiers.length;
  const buckets = inst.schools * tiers;
  const start = new Int32Array(buckets + 1);
  for (let p = 0; p < pairs; p++) start[pairSchool[p] * tiers + pairTier[p] + 1]++;
  let largest = 0;
  for (let b = 0; b < buckets; b++) {
    largest = Math.max(largest, start[b + 1]);
    start[b + 1] += start[b];
  }
  const packing = keyPacking(largest);
  const single = lottery.tieBreaking === 'single';
  const { prefixes } = lottery;
  const fill = start.slice(0, buckets);
  const schoolList = ints(pairs);
  const packed = new Float64Array(pairs);
  for (let p = 0; p < pairs; p++) {
    const b = pairSchool[p] * tiers + pairTier[p];
    const at = fill[b]++;
    schoolList[at] = p;
    packed[at] = packKey(single ? prefixes[pairApplicant[p]] : prefixes[p], at - start[b], packing);
  }
  const pairRank = ints(pairs);
  const scratch = ints(largest);
  const fullKey = (p: number) => lottery.keyOf(single ? pairApplicant[p] : p);
  for (let b = 0; b < buckets; b++) {
    const from = start[b];
    const to = start[b + 1];
    if (to - from > 1) sortPackedKeys(packed, schoolList, from, to - from, packing.slot, fullKey, scratch);
    for (let i = from; i < to; i++) pairRank[schoolList[i]] = i;
  }
  const schoolStart = new Int32Array(inst.schools + 1);
  for (let s = 0; s <= inst.schools; s++) schoolStart[s] = start[s * tiers];
  return { schoolStart, schoolList, pairRank };
}

/**
 * Runs DA: `deferredAcceptance(indexInstance(input), computeLotteryKeys(input, inst))`. Applicants
 * propose in turn down their lists; a full school keeps the best ranks and rejects its worst.
 */
export function deferredAcceptance(inst: Instance, lottery: LotteryKeys): Matching {
  const { schoolStart, schoolList, pairRank } = rankPairs(inst, lottery);
  const { capacity, pairStart, pairSchool, pairApplicant } = inst;
  const m = inst.schools;
  // A school never holds more than the pairs that can propose to it: the heaps fit in `pairs` slots.
  const room = new Int32Array(m);
  const heapStart = new Int32Array(m + 1);
  for (let s = 0; s < m; s++) {
    room[s] = Math.min(capacity[s], schoolStart[s + 1] - schoolStart[s]);
    heapStart[s + 1] = heapStart[s] + room[s];
  }
  const heap = ints(heapStart[m]);
  const size = new Int32Array(m);
  const next = pairStart.slice(0, inst.applicants);
  for (let first = 0; first < inst.applicants; first++) {
    let a = first;
    while (a >= 0) {
      const p = next[a];
      if (p === pairStart[a + 1]) break;
      next[a] = p + 1;
      const s = pairSchool[p];
      const rank = pairRank[p];
      const base = heapStart[s];
      const count = size[s];
      if (count < room[s]) {
        // Sift the new rank up the max-heap.
        let i = count;
        while (i > 0) {
          const parent = (i - 1) >> 1;
          if (heap[base + parent] >= rank) break;
          heap[base + i] = heap[base + parent];
          i = parent;
        }
        heap[base + i] = rank;
        size[s] = count + 1;
        a = -1;
      } else if (count > 0 && rank < heap[base]) {
        const worst = heap[base];
        // Replace the root (the worst held) and sift down.
        let i = 0;
        for (;;) {
          let c = 2 * i + 1;
          if (c >= count) break;
          if (c + 1 < count && heap[base + c + 1] > heap[base + c]) c++;
          if (heap[base + c] <= rank) break;
          heap[base + i] = heap[base + c];
          i = c;
        }
        heap[base + i] = rank;
        a = pairApplicant[schoolList[worst]];
      }
    }
  }
  const held = ints(inst.applicants, -1);
  const last = new Int32Array(m).fill(-1);
  for (let s = 0; s < m; s++) {
    for (let i = 0; i < size[s]; i++) {
      const p = schoolList[heap[heapStart[s] + i]];
      held[pairApplicant[p]] = p;
    }
    if (size[s] > 0 && size[s] === capacity[s]) last[s] = schoolList[heap[heapStart[s]]];
  }
  return { held, admitted: size, last };
}
