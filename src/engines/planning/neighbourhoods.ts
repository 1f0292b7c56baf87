/**
 * Neighbourhoods re-solved exactly (a large-neighbourhood search): from a plan, take a facility and its
 * nearest facilities, the demand points they serve, and solve that small model exactly with HiGHS, the rest
 * of the plan fixed (its spending counts against the budget, its new schools against the limit); keep the
 * result when it lowers the objective. It improves the heuristic's plans most (bench/README.md).
 * Deterministic: seeds in a fixed order, passes over every facility until a pass improves nothing; only the
 * deadline, on a large model, cuts it short (and then how far it got depends on the machine).
 */
import { Worker } from 'node:worker_threads';
import { facilityNeighbours } from './heuristic.ts';
import { buildMip, decisionOf } from './mip.ts';
import type { Network } from './network.ts';
import { costsOf, type Decision, seatsOf, spendFenOf } from './plan.ts';

/** Facilities per neighbourhood: the seed and its nearest. Four re-solved best in the time (bench). */
const SIZE = 4;
/** Seconds one neighbourhood's solve may take. */
const SOLVE_LIMIT_S = 1;
const MAX_PASSES = 5;

interface Neighbourhood {
  net: Network;
  /** The plan with these facilities' decisions and these points' pupils taken from the small model's. */
  merge(small: Decision): Decision;
}

/**
 * The model of facilities `F` and the pupils `d` sends to them, with their points' pairs into `F` only;
 * null when no pupil is served there.
 */
function neighbourhood(net: Network, d: Decision, F: number[]): Neighbourhood | null {
  const { input } = net;
  const nS = net.nSchools;
  const inF = new Uint8Array(net.nFacilities);
  for (const f of F) inF[f] = 1;
  const schools = [...F].filter((f) => f < nS).sort((a, b) => a - b);
  const sites = [...F].filter((f) => f >= nS).sort((a, b) => a - b);
  const local = new Int32Array(net.nFacilities).fill(-1);
  schools.forEach((f, k) => {
    local[f] = k;
  });
  sites.forEach((f, k) => {
    local[f] = schools.length + k;
  });
  // Every point with pupils at one of F, with those pupils only: what it sends elsewhere stays there.
  const points: number[] = [];
  const inside: number[] = [];
  for (let i = 0; i < net.demand.length; i++) {
    let here = 0;
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++)
      if (inF[net.pairFacility[p]]) here += d.flow[p];
    if (here > 0) {
      points.push(i);
      inside.push(here);
    }
  }
  if (points.length === 0) return null;
  const pairOf: number[] = [];
  const pairStart = [0];
  for (const i of points) {
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++)
      if (inF[net.pairFacility[p]]) pairOf.push(p);
    pairStart.push(pairOf.length);
  }
  const pairFacility = Int32Array.from(pairOf, (p) => local[net.pairFacility[p]]);
  const facilityStart = new Int32Array(F.length + 1);
  for (const f of pairFacility) facilityStart[f + 1]++;
  for (let f = 0; f < F.length; f++) facilityStart[f + 1] += facilityStart[f];
  const fill = facilityStart.slice(0, F.length);
  const facilityPairs = new Int32Array(pairOf.length);
  pairFacility.forEach((f, q) => {
    facilityPairs[fill[f]++] = q;
  });
  // What the rest of the plan spends and builds stays; the neighbourhood gets what is left.
  let spentOutside = 0;
  for (let f = 0; f < net.nFacilities; f++) if (!inF[f]) spentOutside += spendFenOf(net, d, f);
  const builtOutside = sites.reduce((n, f) => n - (d.siteOption[f - nS] >= 0 ? 1 : 0), builtCount(d));
  const small: Network = {
    input: {
      ...input,
      demand_points: points.map((i, k) => ({ ...input.demand_points[net.demand[i]], pupils: inside[k] })),
      schools: schools.map((f) => input.schools[f]),
      sites: sites.map((f) => input.sites[f - nS]),
      ...(input.budget_fen !== undefined ? { budget_fen: input.budget_fen - spentOutside } : {}),
      ...(input.max_new_schools !== undefined
        ? { max_new_schools: input.max_new_schools - builtOutside }
        : {}),
    },
    demand: points.map((_, k) => k),
    pupils: Int32Array.from(inside),
    nSchools: schools.length,
    nFacilities: F.length,
    pairStart: Int32Array.from(pairStart),
    pairFacility,
    pairKm: Float64Array.from(pairOf, (p) => net.pairKm[p]),
    facilityStart,
    facilityPairs,
  };
  return {
    net: small,
    merge(s) {
      const out: Decision = {
        schoolOpen: d.schoolOpen.slice(),
        extraClasses: d.extraClasses.slice(),
        siteOption: d.siteOption.slice(),
        flow: d.flow.slice(),
      };
      schools.forEach((f, k) => {
        out.schoolOpen[f] = s.schoolOpen[k];
        out.extraClasses[f] = s.extraClasses[k];
      });
      sites.forEach((f, k) => {
        out.siteOption[f - nS] = s.siteOption[k];
      });
      pairOf.forEach((p, q) => {
        out.flow[p] = s.flow[q];
      });
      return out;
    },
  };
}

const builtCount = (d: Decision) => d.siteOption.reduce((n, o) => n + (o >= 0 ? 1 : 0), 0);

/** Every point's pupils served, each school within its seats, the budget and the new-school limit kept. */
function isComplete(net: Network, d: Decision): boolean {
  const load = new Float64Array(net.nFacilities);
  for (let i = 0; i < net.demand.length; i++) {
    let served = 0;
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      served += d.flow[p];
      load[net.pairFacility[p]] += d.flow[p];
    }
    if (served !== net.pupils[i]) return false;
  }
  for (let f = 0; f < net.nFacilities; f++) if (load[f] > seatsOf(net, d, f)) return false;
  const { budget_fen, max_new_schools } = net.input;
  if (budget_fen !== undefined && costsOf(net, d).spendFen > budget_fen) return false;
  return max_new_schools === undefined || builtCount(d) <= max_new_schools;
}

/**
 * The plan improved by re-solving neighbourhoods until a pass over every facility improves nothing or
 * `deadline` (a performance.now() instant) passes.
 * @example await improveByNeighbourhoods(net, heuristic.decision, performance.now() + 20_000)
 */
export async function improveByNeighbourhoods(
  net: Network,
  d: Decision,
  deadline: number,
): Promise<Decision> {
  if (net.nFacilities === 0 || performance.now() >= deadline) return d;
  const near = facilityNeighbours(net);
  const worker = new Worker(new URL('./highs-worker.mjs', import.meta.url), { workerData: { jobs: true } });
  let pending: { resolve(r: { colValue: Float64Array | null }): void; reject(e: Error): void } | null = null;
  worker.on('message', (m) => pending?.resolve(m));
  worker.on('error', (e) => pending?.reject(e));
  worker.on('exit', (code) => pending?.reject(new Error(`worker exited with code ${code}`)));
  const solve = (model: ReturnType<typeof buildMip>, seconds: number) =>
    new Promise<{ colValue: Float64Array | null }>((resolve, reject) => {
      pending = { resolve, reject };
      worker.postMessage({
        model,
        options: { output_flag: false, time_limit: seconds, mip_rel_gap: 1e-6, random_seed: 0 },
      });
    });
  // Seeds spread over the county (schools and sites mixed), so that a deadline leaves no area unvisited.
  const n = net.nFacilities;
  const seeds = Array.from({ length: n }, (_, f) => f).sort(
    (a, b) => ((a * 7919) % n) - ((b * 7919) % n) || a - b,
  );
  let best = d;
  let objective = costsOf(net, d).objective;
  try {
    for (let pass = 0; pass < MAX_PASSES; pass++) {
      let improved = false;
      for (const seed of seeds) {
        const left = (deadline - performance.now()) / 1000;
        if (left <= 0.05) return best;
        const part = neighbourhood(net, best, [seed, ...near[seed].slice(0, SIZE - 1)]);
        if (!part) continue;
        const r = await solve(buildMip(part.net), Math.min(SOLVE_LIMIT_S, left));
        if (!r.colValue) continue;
        const next = part.merge(decisionOf(part.net, r.colValue));
        const value = costsOf(net, next).objective;
        if (value < objective - 1e-9 * Math.max(1, Math.abs(objective)) && isComplete(net, next)) {
          best = next;
          objective = value;
          improved = true;
        }
      }
      if (!improved) break;
    }
    return best;
  } catch {
    // The worker failed (e.g. out of its WebAssembly memory): the best plan so far stands.
    return best;
  } finally {
    await worker.terminate();
  }
}
