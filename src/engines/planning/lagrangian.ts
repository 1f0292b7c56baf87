/**
 * A lower bound on the objective by Lagrangian relaxation of the assignment constraints (every pupil
 * assigned once), maximised by subgradient steps. With the multipliers λ the problem falls apart per
 * facility: open it or not, and fill its seats (a fractional knapsack, expansions as seats at their per-seat
 * class cost) with the demand whose reduced cost pupils × km − λ is negative. The budget is dropped and the
 * expansions are fractional, so the value is a bound for split and unsplit plans alike.
 */
import { type Network, pairDemand } from './network.ts';

interface Item {
  /** Reduced cost per pupil (km − λ / pupils), negative. */
  ratio: number;
  pupils: number;
  pair: number;
}

/** Fills `seats` with the most negative items; returns the value and records the fractions in `x`. */
function fill(items: Item[], seats: number, extraSeats: number, extraCost: number, x: Float64Array | null) {
  let value = 0;
  let left = seats;
  let extraLeft = extraSeats;
  for (const it of items) {
    let take = Math.min(it.pupils, left);
    left -= take;
    let v = take * it.ratio;
    if (take < it.pupils && it.ratio + extraCost < 0) {
      const more = Math.min(it.pupils - take, extraLeft);
      extraLeft -= more;
      v += more * (it.ratio + extraCost);
      take += more;
    }
    if (take === 0 && left <= 0 && (extraLeft <= 0 || it.ratio + extraCost >= 0)) break;
    value += v;
    if (x) x[it.pair] = take / it.pupils;
  }
  return value;
}

/** Subgradient steps: the bound keeps improving for a few thousand steps; fewer on large networks (time). */
export function boundIterations(net: Network): number {
  return Math.max(300, Math.min(2000, Math.floor(1.2e8 / Math.max(1, net.pairFacility.length))));
}

/**
 * The best bound found in `iterations` subgradient steps (fewer when `until`, a performance.now() instant,
 * comes first), given an upper bound (a plan's objective).
 * @example lagrangianBound(net, 15234.5) // 15020.1
 */
export function lagrangianBound(
  net: Network,
  upper: number,
  iterations = boundIterations(net),
  until = Number.POSITIVE_INFINITY,
): number {
  const steps = boundSteps(net, upper, iterations, until);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/**
 * The same bound, one step per turn of the event loop, so that work awaited meanwhile (HiGHS in its worker,
 * neighbourhoods.ts) goes on beside it.
 */
export async function lagrangianBoundBeside(
  net: Network,
  upper: number,
  iterations = boundIterations(net),
  until = Number.POSITIVE_INFINITY,
): Promise<number> {
  const steps = boundSteps(net, upper, iterations, until);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** The subgradient steps, yielding after each; returns the best bound. */
function* boundSteps(
  net: Network,
  upper: number,
  iterations: number,
  until: number,
): Generator<void, number> {
  const { schools, sites } = net.input;
  const w = net.input.cost_weight;
  const nD = net.demand.length;
  const demandOfPair = pairDemand(net);
  const lambda = new Float64Array(nD);
  for (let i = 0; i < nD; i++)
    lambda[i] = net.pairStart[i + 1] > net.pairStart[i] ? net.pupils[i] * net.pairKm[net.pairStart[i]] : 0;
  const x = new Float64Array(net.pairFacility.length);
  const g = new Float64Array(nD);
  const maxNew = net.input.max_new_schools ?? Number.POSITIVE_INFINITY;
  let best = Number.NEGATIVE_INFINITY;
  let theta = 1;
  let sinceBest = 0;
  const items = (f: number) => {
    const out: Item[] = [];
    for (let k = net.facilityStart[f]; k < net.facilityStart[f + 1]; k++) {
      const p = net.facilityPairs[k];
      const i = demandOfPair[p];
      const ratio = net.pairKm[p] - lambda[i] / net.pupils[i];
      if (ratio < 0) out.push({ ratio, pupils: net.pupils[i], pair: p });
    }
    return out.sort((a, b) => a.ratio - b.ratio || a.pair - b.pair);
  };
  for (let it = 0; it < iterations && (it === 0 || performance.now() < until); it++) {
    x.fill(0);
    let value = 0;
    for (let i = 0; i < nD; i++) value += lambda[i];
    schools.forEach((s, j) => {
      const list = items(j);
      const cs = s.expansion?.class_size ?? 0;
      const extraSeats = cs * (s.expansion?.max_extra_classes ?? 0);
      const extraCost = cs ? (w * (s.expansion?.cost_per_class_fen ?? 0)) / cs : 0;
      const open =
        (s.must_keep ? 0 : w * s.closure_saving_fen) + fill(list, s.capacity, extraSeats, extraCost, null);
      if (s.must_keep || open < 0) {
        value += open;
        fill(list, s.capacity, extraSeats, extraCost, x);
      }
    });
    const siteValues: { value: number; c: number; option: number; list: Item[] }[] = [];
    sites.forEach((s, c) => {
      const list = items(net.nSchools + c);
      let bestOption = -1;
      let bestValue = 0;
      s.options.forEach((o, k) => {
        const v = w * o.cost_fen + fill(list, o.capacity, 0, 0, null);
        if (v < bestValue) [bestOption, bestValue] = [k, v];
      });
      if (bestOption >= 0) siteValues.push({ value: bestValue, c, option: bestOption, list });
    });
    siteValues.sort((a, b) => a.value - b.value || a.c - b.c);
    siteValues.slice(0, Math.min(siteValues.length, maxNew)).forEach((sv) => {
      value += sv.value;
      fill(sv.list, sites[sv.c].options[sv.option].capacity, 0, 0, x);
    });
    if (it === 0 || value > best + 1e-9 * Math.abs(best)) {
      best = value;
      sinceBest = 0;
    } else if (++sinceBest >= 15) {
      theta /= 2;
      sinceBest = 0;
    }
    if (upper - best <= 1e-6 * Math.abs(upper) || theta < 1e-4) break;
    g.fill(1);
    for (let p = 0; p < x.length; p++) g[demandOfPair[p]] -= x[p];
    let norm = 0;
    for (let i = 0; i < nD; i++) norm += (g[i] * net.pupils[i]) ** 2;
    if (norm === 0) break;
    // Steps are scaled by pupils so that large villages move their λ as fast as small ones in relative terms.
    const step = (theta * Math.max(upper - value, 1e-9 * Math.abs(upper))) / norm;
    for (let i = 0; i < nD; i++) lambda[i] += step * g[i] * net.pupils[i] ** 2;
    yield;
  }
  return best;
}
