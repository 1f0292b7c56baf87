/**
 * Whole demand points from a split plan (single sourcing): every demand point goes wholly to the school that
 * took most of its pupils, then a local search over the assignment moves single points and exchanges two
 * points between schools (a generalised-assignment search), each move only when it lowers the objective.
 * Each school's level follows its pupils: the fewest extra classes that seat them, the cheapest site option
 * that seats them, closed (or not built) when no pupil is left — so the search also gives back classes,
 * shrinks sites and closes what it empties; it never opens a school or site the plan had closed. Seats
 * short and spending over the budget are penalised above any saving, so a plan with neither is found first.
 * Deterministic.
 */
import type { Network } from './network.ts';
import type { Decision } from './plan.ts';

/** Sweeps of moves and exchanges over all points at most. */
const SWEEPS = 40;
/** Penalty per pupil without a seat and per fen over the budget: above any change of the objective. */
const SEAT_PENALTY = 1e12;
const FEN_PENALTY = 1e3;

export interface SearchOptions {
  /** Schools and sites the search may open (besides those `d` opens); default none. */
  mayOpen?: Uint8Array;
  /** Also try to close each school or site, open each closed one, and swap one for a neighbour. */
  facilityMoves?: boolean;
  /** Nearest facilities of each facility, for swaps. */
  neighbours?: Int32Array[];
}

interface Level {
  /** Objective units: cost_weight × (spend + forgone saving). */
  cost: number;
  spendFen: number;
  /** Pupils beyond the largest level. */
  excess: number;
  /** Extra classes (school) or option (site, −1 none; school −1 closed). */
  level: number;
}

/**
 * The whole-demand plan nearest to `d` (which may split points) among the schools and sites `d` opens, or
 * null when no such plan was found without seats short or spending over the budget.
 * @example singleSource(net, splitPlan)?.flow // every point's pupils on one pair
 */
export function singleSource(net: Network, d: Decision, options: SearchOptions = {}): Decision | null {
  const { schools, sites } = net.input;
  const nD = net.demand.length;
  const nS = net.nSchools;
  const w = net.input.cost_weight;
  const budget = net.input.budget_fen ?? Number.POSITIVE_INFINITY;
  const usable = new Uint8Array(net.nFacilities);
  for (let f = 0; f < nS; f++) usable[f] = d.schoolOpen[f];
  sites.forEach((_, c) => {
    usable[nS + c] = d.siteOption[c] >= 0 ? 1 : 0;
  });
  if (options.mayOpen) for (let f = 0; f < net.nFacilities; f++) usable[f] ||= options.mayOpen[f];
  /**
   * The level of facility f for `pupils`: the cheapest that seats them, closed at none. (Sticky levels, a
   * site keeping free seats until a shrink move gives them back, were tried: the free seats drew pupils from
   * schools that then closed, 3.35 M against 2.40 M on the bench county.)
   */
  const levelOf = (f: number, pupils: number) => cheapest(f, pupils);
  /** The cheapest level of facility f that seats `pupils`. */
  const cheapest = (f: number, pupils: number): Level => {
    if (f < nS) {
      const s = schools[f];
      const forgone = s.must_keep ? 0 : w * s.closure_saving_fen;
      if (pupils === 0 && !s.must_keep) return { cost: 0, spendFen: 0, excess: 0, level: -1 };
      const cs = s.expansion?.class_size ?? 0;
      const max = s.expansion?.max_extra_classes ?? 0;
      const need = pupils <= s.capacity ? 0 : cs ? Math.ceil((pupils - s.capacity) / cs) : max + 1;
      const k = Math.min(need, max);
      const spendFen = k * (s.expansion?.cost_per_class_fen ?? 0);
      return {
        cost: forgone + w * spendFen,
        spendFen,
        excess: Math.max(0, pupils - s.capacity - k * cs),
        level: k,
      };
    }
    if (pupils === 0) return { cost: 0, spendFen: 0, excess: 0, level: -1 };
    const options = sites[f - nS].options;
    let best = -1;
    let largest = 0;
    options.forEach((o, k) => {
      if (o.capacity >= pupils && (best < 0 || o.cost_fen < options[best].cost_fen)) best = k;
      if (o.capacity > options[largest].capacity) largest = k;
    });
    const k = best >= 0 ? best : largest;
    return {
      cost: w * options[k].cost_fen,
      spendFen: options[k].cost_fen,
      excess: Math.max(0, pupils - options[k].capacity),
      level: k,
    };
  };
  const load = new Float64Array(net.nFacilities);
  const on = new Int32Array(nD).fill(-1);
  const members: number[][] = Array.from({ length: net.nFacilities }, () => []);
  for (let i = 0; i < nD; i++) {
    let best = -1;
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++)
      if (usable[net.pairFacility[p]] && (best < 0 || d.flow[p] > d.flow[best])) best = p;
    if (best >= 0 && d.flow[best] === 0)
      // A point the plan left without a school: the nearest it may go to.
      for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++)
        if (usable[net.pairFacility[p]]) {
          best = p;
          break;
        }
    if (best < 0) return null;
    on[i] = best;
    load[net.pairFacility[best]] += net.pupils[i];
    members[net.pairFacility[best]].push(i);
  }
  const level = Array.from({ length: net.nFacilities }, (_, f) => levelOf(f, load[f]));
  let spend = level.reduce((a, l) => a + l.spendFen, 0);
  const maxNew = net.input.max_new_schools ?? Number.POSITIVE_INFINITY;
  let built = 0;
  for (let f = nS; f < net.nFacilities; f++) if (level[f].level >= 0) built++;
  const overBudget = (s: number) => FEN_PENALTY * Math.max(0, s - budget);
  /** Sites built beyond max_new_schools, penalised like seats short. */
  const overNew = (b: number) => SEAT_PENALTY * Math.max(0, b - maxNew);
  const builtChange = (f: number, l: Level) =>
    f < nS ? 0 : (l.level >= 0 ? 1 : 0) - (level[f].level >= 0 ? 1 : 0);
  /** Penalised objective change of moving `out` pupils off f and `into` onto it (and the reverse at g). */
  const delta = (f: number, g: number, out: number, into: number, km: number) => {
    const lf = levelOf(f, load[f] - out + into);
    const lg = levelOf(g, load[g] + out - into);
    const s = spend + lf.spendFen - level[f].spendFen + lg.spendFen - level[g].spendFen;
    const b = built + builtChange(f, lf) + builtChange(g, lg);
    return {
      value:
        overNew(b) -
        overNew(built) +
        km +
        lf.cost -
        level[f].cost +
        lg.cost -
        level[g].cost +
        SEAT_PENALTY * (lf.excess - level[f].excess + lg.excess - level[g].excess) +
        overBudget(s) -
        overBudget(spend),
      lf,
      lg,
      s,
      b,
    };
  };
  const pairOf = (j: number, f: number) => {
    for (let q = net.pairStart[j]; q < net.pairStart[j + 1]; q++) if (net.pairFacility[q] === f) return q;
    return -1;
  };
  const move = (i: number, q: number) => {
    const f = net.pairFacility[on[i]];
    const g = net.pairFacility[q];
    load[f] -= net.pupils[i];
    load[g] += net.pupils[i];
    members[f].splice(members[f].indexOf(i), 1);
    members[g].push(i);
    on[i] = q;
  };
  /** Undo log of compound moves: the point, the pair it came from, the levels and spending before. */
  type Undo = {
    i: number;
    from: number;
    f: number;
    lf: Level;
    g: number;
    lg: Level;
    spend: number;
    built: number;
  }[];
  /** Moves point i to pair q and takes the levels and spending of `r`. */
  const apply = (i: number, q: number, r: ReturnType<typeof delta>, log?: Undo) => {
    const f = net.pairFacility[on[i]];
    const g = net.pairFacility[q];
    log?.push({ i, from: on[i], f, lf: level[f], g, lg: level[g], spend, built });
    move(i, q);
    level[f] = r.lf;
    level[g] = r.lg;
    spend = r.s;
    built = r.b;
  };
  /** Moves point i to its best other pair (never to `except`); returns the change, +∞ when it has none. */
  const relocate = (i: number, except: number, log: Undo) => {
    const p = on[i];
    const f = net.pairFacility[p];
    let best: { q: number; r: ReturnType<typeof delta> } | null = null;
    for (let q = net.pairStart[i]; q < net.pairStart[i + 1]; q++) {
      const g = net.pairFacility[q];
      if (g === f || g === except || !usable[g] || level[g].level < 0) continue;
      const r = delta(f, g, net.pupils[i], 0, net.pupils[i] * (net.pairKm[q] - net.pairKm[p]));
      if (!best || r.value < best.r.value) best = { q, r };
    }
    if (!best) return Number.POSITIVE_INFINITY;
    apply(i, best.q, best.r, log);
    return best.r.value;
  };
  const undo = (log: Undo) => {
    for (let k = log.length - 1; k >= 0; k--) {
      const e = log[k];
      if (e.i >= 0) move(e.i, e.from);
      level[e.f] = e.lf;
      level[e.g] = e.lg;
      spend = e.spend;
      built = e.built;
    }
  };
  /** Empties facility f into the others; the change (+∞ when a point has nowhere to go). */
  const closeAll = (f: number, log: Undo) => {
    let total = 0;
    for (const i of [...members[f]].sort((a, b) => net.pupils[b] - net.pupils[a] || a - b)) {
      const v = relocate(i, f, log);
      if (v === Number.POSITIVE_INFINITY) return v;
      total += v;
    }
    return total;
  };
  /** Fills facility g with the points that gain by going there; keeps the best prefix; the change. */
  const fill = (g: number, log: Undo) => {
    const gains: { i: number; q: number; gain: number }[] = [];
    for (let k = net.facilityStart[g]; k < net.facilityStart[g + 1]; k++) {
      const q = net.facilityPairs[k];
      const i = demandOf[q];
      if (net.pairFacility[on[i]] === g) continue;
      const gain = net.pupils[i] * (net.pairKm[on[i]] - net.pairKm[q]);
      if (gain > 0) gains.push({ i, q, gain });
    }
    gains.sort((a, b) => b.gain / net.pupils[b.i] - a.gain / net.pupils[a.i] || a.i - b.i);
    let total = 0;
    let best = 0;
    let bestLength = log.length;
    for (const { i, q } of gains) {
      const f = net.pairFacility[on[i]];
      const r = delta(f, g, net.pupils[i], 0, net.pupils[i] * (net.pairKm[q] - net.pairKm[on[i]]));
      if (r.lg.excess > level[g].excess) continue;
      apply(i, q, r, log);
      total += r.value;
      if (total < best) [best, bestLength] = [total, log.length];
    }
    undo(log.splice(bestLength));
    return best;
  };
  /** Seats of the level below f's (a class less, a smaller option), or −1 when there is none. */
  const lowerSeats = (f: number) => {
    const l = level[f];
    if (f < nS) {
      const cs = schools[f].expansion?.class_size ?? 0;
      return l.level > 0 ? schools[f].capacity + (l.level - 1) * cs : -1;
    }
    const now = sites[f - nS].options[l.level].capacity;
    let below = -1;
    for (const o of sites[f - nS].options) if (o.capacity < now && o.capacity > below) below = o.capacity;
    return below;
  };
  /** Moves the points of f that lose least by it elsewhere until f fits its level below; the change. */
  const shrink = (f: number, log: Undo) => {
    const target = lowerSeats(f);
    if (target < 0) return Number.POSITIVE_INFINITY;
    const detour = (i: number) => {
      let second = Number.POSITIVE_INFINITY;
      for (let q = net.pairStart[i]; q < net.pairStart[i + 1]; q++) {
        const g = net.pairFacility[q];
        if (g !== f && usable[g] && level[g].level >= 0) second = Math.min(second, net.pairKm[q]);
      }
      return net.pupils[i] * (second - net.pairKm[on[i]]);
    };
    const order = members[f]
      .map((i) => ({ i, cost: detour(i) }))
      .sort((a, b) => a.cost - b.cost || a.i - b.i);
    let total = 0;
    for (const { i } of order) {
      if (load[f] <= target) break;
      const v = relocate(i, f, log);
      if (v === Number.POSITIVE_INFINITY) return v;
      total += v;
    }
    // The level below (or less, when the points left fit it).
    const lower = cheapest(f, load[f]);
    const s = spend - level[f].spendFen + lower.spendFen;
    const b = built + builtChange(f, lower);
    const v =
      lower.cost -
      level[f].cost +
      SEAT_PENALTY * (lower.excess - level[f].excess) +
      overBudget(s) -
      overBudget(spend) +
      overNew(b) -
      overNew(built);
    log.push({ i: -1, from: -1, f, lf: level[f], g: f, lg: level[f], spend, built });
    built = b;
    level[f] = lower;
    spend = s;
    return total + v;
  };
  const demandOf = new Int32Array(net.pairFacility.length);
  for (let i = 0; i < nD; i++) demandOf.fill(i, net.pairStart[i], net.pairStart[i + 1]);
  const eps = () => 1e-9 * Math.max(1, Math.abs(level.reduce((a, l) => a + l.cost, 0)));
  /** Tries a compound move; keeps it when it lowers the objective. */
  const attempt = (run: (log: Undo) => number) => {
    const log: Undo = [];
    const v = run(log);
    if (v < -eps()) return true;
    undo(log);
    return false;
  };
  const facilitySweep = () => {
    let improved = false;
    for (let f = 0; f < net.nFacilities; f++) {
      if (!usable[f]) continue;
      if (level[f].level >= 0 && load[f] > 0 && !(f < nS && schools[f].must_keep))
        improved = attempt((log) => closeAll(f, log)) || improved;
      else if (level[f].level < 0) improved = attempt((log) => fill(f, log)) || improved;
      if (level[f].level >= 0 && lowerSeats(f) >= 0) improved = attempt((log) => shrink(f, log)) || improved;
      if (level[f].level < 0 || !options.neighbours || (f < nS && schools[f].must_keep)) continue;
      for (const g of options.neighbours[f]) {
        if (!usable[g] || level[g].level >= 0) continue;
        // Swap: open g with the points that gain, then empty f.
        if (
          attempt((log) => {
            const opened = fill(g, log);
            return opened + closeAll(f, log);
          })
        ) {
          improved = true;
          break;
        }
      }
    }
    return improved;
  };
  const pointSweep = () => {
    let improved = false;
    for (let i = 0; i < nD; i++) {
      const p = on[i];
      const f = net.pairFacility[p];
      const a = net.pupils[i];
      let best = -1e-9 * Math.max(1, Math.abs(level[f].cost));
      let bestMove: { q: number; j: number; qj: number; r: ReturnType<typeof delta> } | null = null;
      for (let q = net.pairStart[i]; q < net.pairStart[i + 1]; q++) {
        const g = net.pairFacility[q];
        if (g === f || !usable[g]) continue;
        const km = a * (net.pairKm[q] - net.pairKm[p]);
        const r = delta(f, g, a, 0, km);
        if (r.value < best) [best, bestMove] = [r.value, { q, j: -1, qj: -1, r }];
        // Exchange with a point j of g that can go to f.
        for (const j of members[g]) {
          const qj = pairOf(j, f);
          if (qj < 0) continue;
          const x = delta(f, g, a, net.pupils[j], km + net.pupils[j] * (net.pairKm[qj] - net.pairKm[on[j]]));
          if (x.value < best) [best, bestMove] = [x.value, { q, j, qj, r: x }];
        }
      }
      if (!bestMove) continue;
      move(i, bestMove.q);
      if (bestMove.j >= 0) move(bestMove.j, bestMove.qj);
      level[f] = bestMove.r.lf;
      level[net.pairFacility[bestMove.q]] = bestMove.r.lg;
      spend = bestMove.r.s;
      built = bestMove.r.b;
      improved = true;
    }
    return improved;
  };
  for (let sweep = 0; sweep < SWEEPS; sweep++) {
    let improved = false;
    for (let k = 0; k < SWEEPS && pointSweep(); k++) improved = true;
    if (options.facilityMoves && facilitySweep()) improved = true;
    if (!improved) break;
  }
  // Free seats left at the end are given back: each facility at the cheapest level that seats its pupils.
  for (let f = 0; f < net.nFacilities; f++)
    if (usable[f]) {
      const l = cheapest(f, load[f]);
      spend += l.spendFen - level[f].spendFen;
      level[f] = l;
    }
  built = 0;
  for (let f = nS; f < net.nFacilities; f++) if (level[f].level >= 0) built++;
  if (spend > budget || built > maxNew || level.some((l) => l.excess > 0)) return null;
  const flow = new Int32Array(net.pairFacility.length);
  for (let i = 0; i < nD; i++) flow[on[i]] = net.pupils[i];
  return {
    schoolOpen: Uint8Array.from({ length: nS }, (_, f) => (level[f].level >= 0 ? 1 : 0)),
    extraClasses: Int32Array.from({ length: nS }, (_, f) => Math.max(0, level[f].level)),
    siteOption: Int32Array.from(sites, (_, c) => level[nS + c].level),
    flow,
  };
}
