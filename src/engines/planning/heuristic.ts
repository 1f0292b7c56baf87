/**
 * The heuristic beyond the exact size: a greedy assignment with capacity repair (expansions bought class by
 * class, within the budget) under fixed open/close decisions, improved by local search over those decisions
 * (open a site, close a school or site, swap one for a neighbour, change a site's size). Moves are ranked by
 * an estimate and confirmed by a full re-assignment. Deterministic: no clock, no randomness.
 */
import { seatPupils } from './max-flow.ts';
import { haversineKm, type Network, pairDemand } from './network.ts';
import { type Costs, costsOf, type Decision, seatsOf } from './plan.ts';

export interface Evaluation {
  decision: Decision;
  costs: Costs;
  /** Pupils the assignment could not place; a plan is feasible only at 0. */
  unserved: number;
  /** With splitting: 1 for the demand points that could pass seats on to the unplaced pupils. */
  short?: Uint8Array;
}

const MOVES_TRIED_PER_ROUND = 60;
const NEIGHBOURS = 6;

interface Context {
  net: Network;
  split: boolean;
  weight: number;
  budget: number;
  classSize: Int32Array;
  maxExtra: Int32Array;
  classCost: Float64Array;
}

function contextOf(net: Network): Context {
  const { schools } = net.input;
  return {
    net,
    split: net.input.allow_split,
    weight: net.input.cost_weight,
    budget: net.input.budget_fen ?? Number.POSITIVE_INFINITY,
    classSize: Int32Array.from(schools, (s) => s.expansion?.class_size ?? 0),
    maxExtra: Int32Array.from(schools, (s) => s.expansion?.max_extra_classes ?? 0),
    classCost: Float64Array.from(schools, (s) => s.expansion?.cost_per_class_fen ?? 0),
  };
}

function siteSpend(net: Network, siteOption: Int32Array): number {
  let spend = 0;
  siteOption.forEach((o, c) => {
    if (o >= 0) spend += net.input.sites[c].options[o].cost_fen;
  });
  return spend;
}

const better = (a: Evaluation, b: Evaluation) =>
  a.unserved < b.unserved ||
  (a.unserved === b.unserved &&
    a.costs.objective < b.costs.objective - 1e-9 * Math.max(1, b.costs.objective));

/** Demand points left without a school by a pass choose first in the next one; at most this many passes. */
const ASSIGNMENT_PASSES = 6;

/**
 * Assigns every demand point under fixed open/close decisions: points with the most to lose (regret: the
 * second-nearest open facility against the nearest) choose first, each taking the cheapest open facility
 * with room, buying extra classes where that is cheaper and the budget allows. Points left over are
 * repaired, then choose first in another pass; the best pass is kept.
 */
function assignGreedy(ctx: Context, schoolOpen: Uint8Array, siteOption: Int32Array): Evaluation {
  const { net } = ctx;
  const nD = net.demand.length;
  const open = new Uint8Array(net.nFacilities);
  const baseSeats = new Float64Array(net.nFacilities);
  net.input.schools.forEach((s, j) => {
    open[j] = schoolOpen[j];
    baseSeats[j] = s.capacity;
  });
  net.input.sites.forEach((s, c) => {
    const o = siteOption[c];
    open[net.nSchools + c] = o >= 0 ? 1 : 0;
    baseSeats[net.nSchools + c] = o >= 0 ? s.options[o].capacity : 0;
  });
  const regret = new Float64Array(nD);
  for (let i = 0; i < nD; i++) {
    let b1 = Number.POSITIVE_INFINITY;
    let b2 = Number.POSITIVE_INFINITY;
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      if (!open[net.pairFacility[p]]) continue;
      if (b1 === Number.POSITIVE_INFINITY) b1 = net.pairKm[p];
      else {
        b2 = net.pairKm[p];
        break;
      }
    }
    regret[i] = b1 === Number.POSITIVE_INFINITY ? -1 : net.pupils[i] * (b2 - b1);
  }
  let order = Array.from({ length: nD }, (_, i) => i).sort(
    (a, b) => regret[b] - regret[a] || net.pupils[b] - net.pupils[a] || a - b,
  );
  let best: Evaluation | null = null;
  for (let pass = 0; pass < ASSIGNMENT_PASSES; pass++) {
    const { evaluation, stranded } = assignmentPass(ctx, order, open, baseSeats, schoolOpen, siteOption);
    if (!best || better(evaluation, best)) best = evaluation;
    if (evaluation.unserved === 0 || stranded.length === 0) break;
    const first = new Set(stranded);
    order = [...stranded, ...order.filter((i) => !first.has(i))];
  }
  return best!;
}

function assignmentPass(
  ctx: Context,
  order: number[],
  open: Uint8Array,
  baseSeats: Float64Array,
  schoolOpen: Uint8Array,
  siteOption: Int32Array,
): { evaluation: Evaluation; stranded: number[] } {
  const { net, split, weight } = ctx;
  const seats = Float64Array.from(baseSeats);
  let budgetLeft = ctx.budget - siteSpend(net, siteOption);
  const flow = new Int32Array(net.pairFacility.length);
  const extra = new Int32Array(net.nSchools);
  const load = new Float64Array(net.nFacilities);
  const served = new Int32Array(net.demand.length);
  const recount = () => {
    served.fill(0);
    load.fill(0);
    for (let i = 0; i < net.demand.length; i++)
      for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
        served[i] += flow[p];
        load[net.pairFacility[p]] += flow[p];
      }
    return net.pupils.reduce((a, x, i) => a + x - served[i], 0);
  };
  let unserved = 0;
  let stranded: number[] = [];
  let short: Uint8Array | undefined;
  // Today's seats first (a class bought early for one point may be the seats another point needed), then
  // extra classes for the pupils still without a school.
  for (const withClasses of [false, true]) {
    unserved = 0;
    stranded = [];
    for (const i of order) {
      let left = net.pupils[i] - served[i];
      while (left > 0) {
        let best = -1;
        let bestCost = Number.POSITIVE_INFINITY;
        let bestAmount = 0;
        let bestAdd = 0;
        for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
          const f = net.pairFacility[p];
          if (!open[f]) continue;
          const room = seats[f] - load[f];
          const km = net.pairKm[p];
          let amount: number;
          let add = 0;
          let cost: number;
          if (room >= left || (split && room > 0)) {
            amount = Math.min(left, room);
            cost = km;
          } else {
            const cs = f < net.nSchools ? ctx.classSize[f] : 0;
            if (!withClasses || cs === 0) continue;
            add = split ? 1 : Math.ceil((left - room) / cs);
            amount = split ? Math.min(left, room + cs) : left;
            if (extra[f] + add > ctx.maxExtra[f] || add * ctx.classCost[f] > budgetLeft) continue;
            cost = km + (weight * add * ctx.classCost[f]) / amount;
          }
          if (cost < bestCost) [best, bestCost, bestAmount, bestAdd] = [p, cost, amount, add];
        }
        if (best < 0) {
          unserved += left;
          if (!split) stranded.push(i);
          break;
        }
        const f = net.pairFacility[best];
        if (bestAdd > 0) {
          extra[f] += bestAdd;
          seats[f] += bestAdd * ctx.classSize[f];
          budgetLeft -= bestAdd * ctx.classCost[f];
        }
        load[f] += bestAmount;
        flow[best] += bestAmount;
        served[i] += bestAmount;
        left -= bestAmount;
      }
    }
    if (split && unserved > 0) {
      // Capacity repair by augmenting paths: reroute seated pupils only where that seats the rest (with
      // the classes a school may still add, in the second round, when no budget limits them).
      const room = Float64Array.from(seats, (x, f) =>
        !open[f]
          ? 0
          : withClasses && f < net.nSchools && ctx.budget === Number.POSITIVE_INFINITY
            ? x + (ctx.maxExtra[f] - extra[f]) * ctx.classSize[f]
            : x,
      );
      const repaired = seatPupils(net, room, flow);
      flow.set(repaired.pairFlow);
      short = Uint8Array.from({ length: net.demand.length }, (_, i) => (repaired.level[i] >= 0 ? 1 : 0));
      unserved = recount();
      for (let f = 0; f < net.nSchools; f++)
        if (load[f] > seats[f]) {
          const add = Math.ceil((load[f] - seats[f]) / ctx.classSize[f]);
          extra[f] += add;
          seats[f] += add * ctx.classSize[f];
        }
    } else if (stranded.length) {
      repairCapacity(net, stranded, open, seats, load, flow);
      unserved = recount();
    }
    if (unserved === 0) break;
  }
  const decision: Decision = {
    schoolOpen: Uint8Array.from(schoolOpen),
    extraClasses: extra,
    siteOption: Int32Array.from(siteOption),
    flow,
  };
  return {
    evaluation: { decision, costs: costsOf(net, decision), unserved, ...(short ? { short } : {}) },
    stranded: stranded.filter((i) => served[i] < net.pupils[i]),
  };
}

/**
 * Capacity repair for whole demand points: a point left without a school gets a seat at a school it can
 * reach by moving one point assigned there (at least as large as the seats missing) to another school
 * with room. Returns the pupils placed.
 */
function repairCapacity(
  net: Network,
  stranded: number[],
  open: Uint8Array,
  seats: Float64Array,
  load: Float64Array,
  flow: Int32Array,
): number {
  const servedBy = new Int32Array(net.demand.length).fill(-1);
  const members: number[][] = Array.from({ length: net.nFacilities }, () => []);
  for (let i = 0; i < net.demand.length; i++)
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++)
      if (flow[p] > 0) {
        servedBy[i] = p;
        members[net.pairFacility[p]].push(i);
      }
  const place = (i: number, p: number) => {
    const f = net.pairFacility[p];
    flow[p] = net.pupils[i];
    load[f] += net.pupils[i];
    servedBy[i] = p;
    members[f].push(i);
  };
  const unplace = (j: number) => {
    const p = servedBy[j];
    const f = net.pairFacility[p];
    flow[p] = 0;
    load[f] -= net.pupils[j];
    members[f].splice(members[f].indexOf(j), 1);
  };
  const roomFor = (j: number, except: number) => {
    for (let q = net.pairStart[j]; q < net.pairStart[j + 1]; q++) {
      const g = net.pairFacility[q];
      if (g !== except && open[g] && seats[g] - load[g] >= net.pupils[j]) return q;
    }
    return -1;
  };
  let placed = 0;
  for (const i of stranded) {
    repair: for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      const f = net.pairFacility[p];
      if (!open[f]) continue;
      const missing = net.pupils[i] - (seats[f] - load[f]);
      for (const j of missing <= 0 ? [] : members[f]) {
        if (net.pupils[j] < missing) continue;
        const q = roomFor(j, f);
        if (q < 0) continue;
        unplace(j);
        place(j, q);
        place(i, p);
        placed += net.pupils[i];
        break repair;
      }
    }
  }
  return placed;
}

/** One change: a school's open flag (0/1) or a site's option (−1: not built). */
interface Change {
  f: number;
  value: number;
}
/** A move's estimated effect: on the unserved pupils first, then on the objective. */
interface Estimate {
  unserved: number;
  cost: number;
}
interface Move extends Estimate {
  changes: Change[];
}
const plus = (a: Estimate, b: Estimate): Estimate => ({
  unserved: a.unserved + b.unserved,
  cost: a.cost + b.cost,
});

/** What each demand point pays per pupil now (km), and its unserved pupils. */
function demandState(net: Network, e: Evaluation) {
  const nD = net.demand.length;
  const perPupil = new Float64Array(nD);
  const unserved = new Int32Array(nD);
  for (let i = 0; i < nD; i++) {
    let served = 0;
    let km = 0;
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      served += e.decision.flow[p];
      km += e.decision.flow[p] * net.pairKm[p];
    }
    perPupil[i] = served ? km / served : 0;
    unserved[i] = net.pupils[i] - served;
  }
  return { perPupil, unserved };
}

export function facilityNeighbours(net: Network): Int32Array[] {
  const places = [...net.input.schools, ...net.input.sites];
  return places.map((a, f) => {
    const near = places
      .map((b, g) => ({
        g,
        km: g === f ? Number.POSITIVE_INFINITY : haversineKm(a.lng, a.lat, b.lng, b.lat),
      }))
      .sort((x, y) => x.km - y.km || x.g - y.g)
      .slice(0, NEIGHBOURS);
    return Int32Array.from(near, (n) => n.g);
  });
}

/** Ranks the moves from the current evaluation by their estimated change of the objective. */
function estimateMoves(
  ctx: Context,
  e: Evaluation,
  neighbours: Int32Array[],
  pairDemand: Int32Array,
): Move[] {
  const { net, weight } = ctx;
  const { schools, sites } = net.input;
  const d = e.decision;
  const { perPupil, unserved } = demandState(net, e);
  const isOpen = (f: number) =>
    f < net.nSchools ? d.schoolOpen[f] === 1 : d.siteOption[f - net.nSchools] >= 0;
  /** Opening facility f with `seats`, at `fixed` cost: unserved pupils it can reach fill it first, then
   *  the pupils who gain most by moving to it. */
  const addEffect = (f: number, seats: number, fixed: number): Estimate => {
    const gains: { gain: number; amount: number }[] = [];
    let left = seats;
    for (let k = net.facilityStart[f]; k < net.facilityStart[f + 1]; k++) {
      const p = net.facilityPairs[k];
      const i = pairDemand[p];
      const served = net.pupils[i] - unserved[i];
      if (unserved[i] > 0 || e.short?.[i])
        gains.push({ gain: Number.POSITIVE_INFINITY, amount: net.pupils[i] });
      if (served > 0 && perPupil[i] > net.pairKm[p])
        gains.push({ gain: perPupil[i] - net.pairKm[p], amount: served });
    }
    gains.sort((a, b) => b.gain - a.gain);
    const effect: Estimate = { unserved: 0, cost: fixed };
    // Pupils seated in place of the unplaced ones cannot outnumber them.
    let placeable = e.unserved;
    for (const g of gains) {
      if (left <= 0) break;
      const take = Math.min(
        left,
        g.gain === Number.POSITIVE_INFINITY ? Math.min(g.amount, placeable) : g.amount,
      );
      if (g.gain === Number.POSITIVE_INFINITY) placeable -= take;
      if (g.gain === Number.POSITIVE_INFINITY) effect.unserved -= take;
      else effect.cost -= take * g.gain;
      left -= take;
    }
    return effect;
  };
  // Seats still free at each open facility, counting the classes it may still add.
  const spare = new Float64Array(net.nFacilities);
  for (let p = 0; p < d.flow.length; p++) spare[net.pairFacility[p]] -= d.flow[p];
  for (let f = 0; f < net.nFacilities; f++)
    if (isOpen(f))
      spare[f] +=
        seatsOf(net, d, f) +
        (f < net.nSchools ? (ctx.maxExtra[f] - d.extraClasses[f]) * ctx.classSize[f] : 0);
  /** Closing f: its pupils go to the nearest open facility with seats to spare, or are left unserved. */
  const dropEffect = (f: number, fixed: number): Estimate => {
    const effect: Estimate = { unserved: 0, cost: -fixed };
    const taken = new Map<number, number>();
    for (let k = net.facilityStart[f]; k < net.facilityStart[f + 1]; k++) {
      const p = net.facilityPairs[k];
      if (d.flow[p] === 0) continue;
      const i = pairDemand[p];
      let alt = Number.POSITIVE_INFINITY;
      for (let q = net.pairStart[i]; q < net.pairStart[i + 1]; q++) {
        const g = net.pairFacility[q];
        const free = spare[g] - (taken.get(g) ?? 0);
        if (g !== f && isOpen(g) && free >= d.flow[p]) {
          alt = net.pairKm[q];
          taken.set(g, (taken.get(g) ?? 0) + d.flow[p]);
          break;
        }
      }
      if (alt === Number.POSITIVE_INFINITY) effect.unserved += d.flow[p];
      else effect.cost += d.flow[p] * (alt - net.pairKm[p]);
    }
    return effect;
  };
  const newSchools = d.siteOption.reduce((a, o) => a + (o >= 0 ? 1 : 0), 0);
  const maxNew = net.input.max_new_schools ?? Number.POSITIVE_INFINITY;
  const spend = siteSpend(net, d.siteOption);
  const budget = ctx.budget;
  const moves: Move[] = [];
  /** Openings: the change, its effect, and its spend and new-school deltas. */
  type Opening = { change: Change; effect: Estimate; spend: number; added: number };
  const openings = new Map<number, Opening[]>();
  for (let f = 0; f < net.nFacilities; f++) {
    if (isOpen(f)) continue;
    const list: Opening[] = [];
    if (f < net.nSchools) {
      const s = schools[f];
      list.push({
        change: { f, value: 1 },
        effect: addEffect(f, s.capacity, weight * s.closure_saving_fen),
        spend: 0,
        added: 0,
      });
    } else
      sites[f - net.nSchools].options.forEach((o, k) => {
        list.push({
          change: { f, value: k },
          effect: addEffect(f, o.capacity, weight * o.cost_fen),
          spend: o.cost_fen,
          added: 1,
        });
      });
    openings.set(f, list);
    for (const o of list)
      if (spend + o.spend <= budget && newSchools + o.added <= maxNew)
        moves.push({ ...o.effect, changes: [o.change] });
  }
  for (let f = 0; f < net.nFacilities; f++) {
    if (!isOpen(f) || (f < net.nSchools && schools[f].must_keep)) continue;
    const site = f - net.nSchools;
    const fixed =
      f < net.nSchools
        ? weight * schools[f].closure_saving_fen
        : weight * sites[site].options[d.siteOption[site]].cost_fen;
    const freed = f < net.nSchools ? 0 : sites[site].options[d.siteOption[site]].cost_fen;
    const removed = f < net.nSchools ? 0 : 1;
    const drop = dropEffect(f, fixed);
    const close: Change = { f, value: f < net.nSchools ? 0 : -1 };
    moves.push({ ...drop, changes: [close] });
    if (site >= 0)
      sites[site].options.forEach((o, k) => {
        if (k === d.siteOption[site] || spend - freed + o.cost_fen > budget) return;
        // A resize keeps the pupils; its estimate is the change of cost alone.
        moves.push({ unserved: 0, cost: weight * o.cost_fen - fixed, changes: [{ f, value: k }] });
      });
    for (const g of neighbours[f])
      for (const o of openings.get(g) ?? [])
        if (spend - freed + o.spend <= budget && newSchools - removed + o.added <= maxNew)
          moves.push({ ...plus(drop, o.effect), changes: [close, o.change] });
  }
  return moves.sort(
    (a, b) => a.unserved - b.unserved || a.cost - b.cost || a.changes.length - b.changes.length,
  );
}

function applyChanges(net: Network, d: Decision, changes: Change[]) {
  const schoolOpen = Uint8Array.from(d.schoolOpen);
  const siteOption = Int32Array.from(d.siteOption);
  for (const { f, value } of changes) {
    if (f < net.nSchools) schoolOpen[f] = value;
    else siteOption[f - net.nSchools] = value;
  }
  return { schoolOpen, siteOption };
}

/** How many full re-assignments the search may spend: more on small networks, bounded on large ones. */
export function evaluationBudget(net: Network): number {
  return Math.max(200, Math.min(4000, Math.floor(1e8 / Math.max(1, net.pairFacility.length))));
}

/**
 * Greedy start (every school open, no site built), construction, then local search; the search also stops
 * at `searchUntil` (a performance.now() instant), so on a large model the time is left to the exact
 * re-solves that follow (neighbourhoods.ts).
 * @example solveHeuristic(buildNetwork(parsePlanningInput(json))).costs.objective // 12345.6
 */
export function solveHeuristic(
  net: Network,
  maxEvaluations = evaluationBudget(net),
  searchUntil = Number.POSITIVE_INFINITY,
): Evaluation {
  const ctx = contextOf(net);
  const neighbours = facilityNeighbours(net);
  const demandOfPair = pairDemand(net);
  let current = assignGreedy(
    ctx,
    new Uint8Array(net.nSchools).fill(1),
    new Int32Array(net.input.sites.length).fill(-1),
  );
  let evaluations = 1;
  // Construction: while pupils are left without a school, open the site (or reopen the school) that the
  // estimate says places most of them, one re-assignment per opening.
  const rejected = new Set<string>();
  while (current.unserved > 0 && evaluations < maxEvaluations) {
    const key = (m: Move) => `${m.changes[0].f}:${m.changes[0].value}`;
    const move = estimateMoves(ctx, current, neighbours, demandOfPair).find(
      (m) => m.changes.length === 1 && m.unserved < 0 && !rejected.has(key(m)),
    );
    if (!move) break;
    const { schoolOpen, siteOption } = applyChanges(net, current.decision, move.changes);
    const next = assignGreedy(ctx, schoolOpen, siteOption);
    evaluations++;
    if (next.unserved < current.unserved) current = next;
    else rejected.add(key(move));
  }
  while (evaluations < maxEvaluations && performance.now() < searchUntil) {
    const moves = estimateMoves(ctx, current, neighbours, demandOfPair);
    let improved = false;
    let tried = 0;
    // Many swaps share their best part (one site opened with each of its neighbours closed): try at most
    // two swaps per opened facility a round, so one promising site does not crowd out the others.
    const swaps = new Map<number, number>();
    for (const move of moves) {
      if (tried >= MOVES_TRIED_PER_ROUND || evaluations >= maxEvaluations || performance.now() >= searchUntil)
        break;
      if (move.changes.length > 1) {
        const key = move.changes[1].f;
        if ((swaps.get(key) ?? 0) >= 2) continue;
        swaps.set(key, (swaps.get(key) ?? 0) + 1);
      }
      tried++;
      const { schoolOpen, siteOption } = applyChanges(net, current.decision, move.changes);
      const next = assignGreedy(ctx, schoolOpen, siteOption);
      evaluations++;
      if (better(next, current)) {
        current = next;
        improved = true;
        break;
      }
    }
    if (!improved) break;
  }
  return current;
}
