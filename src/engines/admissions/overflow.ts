/**
 * 统筹 (overflow placement): after DA, each unplaced applicant goes to the nearest public school with
 * seats left. Applicants are taken one at a time in the order of their single lottery key
 * SHA-256(`seed:a`) (in both tie-breaking modes), so where two compete for a last seat the smaller
 * key wins; distance is the straight line from the applicant's community to the school in projected
 * metres, compared squared (exact IEEE arithmetic, the same on every machine); equal distances go
 * to the smaller school id.
 */

import { ints } from './arrays.ts';
import type { AdmissionsInput, AdmissionsResult, OverflowInput, PlacementBy } from './contract.ts';
import type { Instance, LotteryKeys, Matching } from './deferred-acceptance.ts';
import { keyPrefix, lotteryKey, orderKeys } from './keys.ts';

type Point = { x: number; y: number };

/**
 * The public schools with seats left on a uniform grid of cells (about one school per cell), so
 * that the nearest open one to a point is found by scanning the cells around it ring by ring. The
 * grid spans the schools and the communities, so every point lies inside it.
 */
function openSchoolGrid(input: AdmissionsInput, overflow: OverflowInput, seats: Int32Array) {
  const index = new Map(input.schools.map((s, i) => [s.id, i]));
  // Sites numbered in id order: of equally distant schools the smaller number, the smaller id, wins.
  const sites = overflow.schools
    .filter((s) => s.ownership === 'public' && seats[index.get(s.id)!] > 0)
    .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const siteOf = new Int32Array(input.schools.length).fill(-1);
  sites.forEach((s, i) => {
    siteOf[index.get(s.id)!] = i;
  });
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (const p of [...sites, ...overflow.communities]) {
    x0 = Math.min(x0, p.x);
    y0 = Math.min(y0, p.y);
    x1 = Math.max(x1, p.x);
    y1 = Math.max(y1, p.y);
  }
  const side = Math.max(1, Math.ceil(Math.sqrt(sites.length)));
  const size = Math.max(x1 - x0, y1 - y0, 1) / side;
  const cellOf = (v: number, origin: number) =>
    Math.min(side - 1, Math.max(0, Math.floor((v - origin) / size)));
  // Each cell's open sites, swap-removed when their school fills.
  const cells = Array.from({ length: side * side }, () => [] as number[]);
  const cellOfSite = sites.map((s, i) => {
    const c = cellOf(s.y, y0) * side + cellOf(s.x, x0);
    cells[c].push(i);
    return c;
  });
  let open = sites.length;
  let best = -1;
  let bestD2 = Infinity;
  const scan = (cell: number[], p: Point) => {
    for (const i of cell) {
      const dx = sites[i].x - p.x;
      const dy = sites[i].y - p.y;
      const d2 = dx * dx + dy * dy;
      if (d2 < bestD2 || (d2 === bestD2 && i < best)) {
        best = i;
        bestD2 = d2;
      }
    }
  };

  return {
    /** The school index of the nearest open public school to p, or −1 when none has a seat. */
    nearest(p: Point): number {
      if (open === 0) return -1;
      const cx = cellOf(p.x, x0);
      const cy = cellOf(p.y, y0);
      best = -1;
      bestD2 = Infinity;
      for (let r = 0; r < side; r++) {
        // Every cell of ring r is at least r − 1 cell sides away; one side less covers the rounding
        // of `cellOf` (looking a ring further never changes the answer, stopping early would).
        const reach = Math.max(0, r - 2) * size;
        if (best >= 0 && reach * reach > bestD2) break;
        for (let gy = cy - r; gy <= cy + r; gy++) {
          if (gy < 0 || gy >= side) continue;
          const row = gy * side;
          if (gy === cy - r || gy === cy + r) {
            for (let gx = Math.max(0, cx - r); gx <= Math.min(side - 1, cx + r); gx++)
              scan(cells[row + gx], p);
          } else {
            if (cx - r >= 0) scan(cells[row + cx - r], p);
            if (cx + r < side) scan(cells[row + cx + r], p);
          }
        }
      }
      return best < 0 ? -1 : index.get(sites[best].id)!;
    },
    /** Takes a seat at school s (found by `nearest`); a school without seats leaves the grid. */
    take(s: number): void {
      if (--seats[s] > 0) return;
      const i = siteOf[s];
      const cell = cells[cellOfSite[i]];
      cell[cell.indexOf(i)] = cell[cell.length - 1];
      cell.pop();
      open--;
    },
  };
}

/**
 * Places the applicants DA left unplaced. Returns, per applicant, the final school and how it was
 * reached (`choice`: the first listed school, `fallback`: a later one, `overflow`), and the seats
 * left afterwards. Example: A3 unplaced, public P2 300 m away with a seat → `{ school: 'P2', by: 'overflow' }`.
 */
export function placeOverflow(
  input: AdmissionsInput,
  overflow: OverflowInput,
  inst: Instance,
  lottery: LotteryKeys,
  matching: Matching,
): Required<Pick<AdmissionsResult, 'placements' | 'seatsLeft'>> {
  const seats = Int32Array.from(inst.capacity, (c, s) => c - matching.admitted[s]);
  const school = ints(inst.applicants, -1);
  const unplaced: number[] = [];
  for (let a = 0; a < inst.applicants; a++) if (matching.held[a] < 0) unplaced.push(a);
  const keyOf = (i: number) => lotteryKey(input.seed, input.applicants[unplaced[i]].id);
  const prefixes = new Float64Array(unplaced.length);
  for (let i = 0; i < unplaced.length; i++)
    prefixes[i] = lottery.tieBreaking === 'single' ? lottery.prefixes[unplaced[i]] : keyPrefix(keyOf(i));
  const where = new Map(overflow.communities.map((c) => [c.id, c]));
  const grid = openSchoolGrid(input, overflow, seats);
  for (const i of orderKeys(prefixes, keyOf)) {
    const a = unplaced[i];
    const s = grid.nearest(where.get(overflow.applicants[input.applicants[a].id])!);
    if (s < 0) continue;
    grid.take(s);
    school[a] = s;
  }

  // One placement object per (school, how), shared and read-only: a million children need only a
  // few thousand objects.
  const HOW = ['choice', 'fallback', 'overflow'] as const;
  const shared: { school: string | null; by: PlacementBy | null }[] = [];
  const placement = (s: number, how: number) => {
    const k = s * HOW.length + how;
    shared[k] ??= { school: input.schools[s].id, by: HOW[how] };
    return shared[k];
  };
  const none = { school: null, by: null };
  const placements: AdmissionsResult['placements'] = {};
  for (let a = 0; a < inst.applicants; a++) {
    const p = matching.held[a];
    placements[input.applicants[a].id] =
      p >= 0
        ? placement(inst.pairSchool[p], inst.pairChoice[p] === 0 ? 0 : 1)
        : school[a] >= 0
          ? placement(school[a], 2)
          : none;
  }
  const seatsLeft: Record<string, number> = {};
  input.schools.forEach((s, i) => {
    seatsLeft[s.id] = seats[i];
  });
  return { placements, seatsLeft };
}
