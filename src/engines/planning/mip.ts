/**
 * The exact model (capacitated facility location as a MIP), built as typed arrays for HiGHS's persistent
 * API and solved in a worker thread with a time limit; the best solution found so far is kept.
 *
 * Columns: x per pair (binary share of the demand point, or integer pupils when splitting is allowed),
 * y per school (open), e per expandable school (extra classes), z per site option (built).
 * Rows: each demand point served; seats per school (capacity·y + class size·e) and per site (Σ options);
 * e ≤ max·y; one option per site; x ≤ open (the strong linking that keeps the LP bound tight);
 * budget; new schools.
 */
import { Worker } from 'node:worker_threads';
import type { Network } from './network.ts';
import type { Decision } from './plan.ts';

interface Layout {
  nPairs: number;
  /** Column of y for school j: nPairs + j. */
  expansionCol: Int32Array;
  /** First column of site c's options. */
  siteCol: Int32Array;
  numCols: number;
}

export interface MipModel {
  numCols: number;
  numRows: number;
  colCost: Float64Array;
  colLower: Float64Array;
  colUpper: Float64Array;
  rowLower: Float64Array;
  rowUpper: Float64Array;
  matrix: {
    format: 'csr';
    numRows: number;
    numCols: number;
    starts: Int32Array;
    indices: Int32Array;
    values: Float64Array;
  };
  integrality: Int32Array;
}

function layoutOf(net: Network): Layout {
  const nPairs = net.pairFacility.length;
  let col = nPairs + net.nSchools;
  const expansionCol = Int32Array.from(net.input.schools, (s) =>
    s.expansion && s.expansion.max_extra_classes > 0 ? col++ : -1,
  );
  const siteCol = Int32Array.from(net.input.sites, (s) => {
    const first = col;
    col += s.options.length;
    return first;
  });
  return { nPairs, expansionCol, siteCol, numCols: col };
}

/**
 * The MIP of the network; x scaled so that the capacity rows read in pupils. `split` (default: the input's
 * `allow_split`) true on a whole-demand input gives its relaxation with pupils split: every whole plan is
 * one of its plans, so its bound is a bound of the whole model too.
 */
export function buildMip(net: Network, split = net.input.allow_split): MipModel {
  const { input } = net;
  const w = input.cost_weight;
  const L = layoutOf(net);
  const colCost = new Float64Array(L.numCols);
  const colLower = new Float64Array(L.numCols);
  const colUpper = new Float64Array(L.numCols);
  const integrality = new Int32Array(L.numCols).fill(1);
  for (let i = 0; i < net.demand.length; i++)
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      colCost[p] = split ? net.pairKm[p] : net.pupils[i] * net.pairKm[p];
      colUpper[p] = split ? net.pupils[i] : 1;
      // Split pupils are continuous: with the open decisions fixed the assignment is a transportation
      // problem, whose vertex solutions are whole pupils; decisionOf rounds what tolerance leaves.
      if (split) integrality[p] = 0;
    }
  input.schools.forEach((s, j) => {
    colCost[L.nPairs + j] = s.must_keep ? 0 : w * s.closure_saving_fen;
    colLower[L.nPairs + j] = s.must_keep ? 1 : 0;
    colUpper[L.nPairs + j] = 1;
    const e = L.expansionCol[j];
    if (e >= 0) {
      colCost[e] = w * s.expansion!.cost_per_class_fen;
      colUpper[e] = s.expansion!.max_extra_classes;
    }
  });
  input.sites.forEach((s, c) => {
    s.options.forEach((o, k) => {
      colCost[L.siteCol[c] + k] = w * o.cost_fen;
      colUpper[L.siteCol[c] + k] = 1;
    });
  });
  const starts: number[] = [0];
  const indices: number[] = [];
  const values: number[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const row = (lo: number, hi: number) => {
    lower.push(lo);
    upper.push(hi);
    starts.push(indices.length);
  };
  const entry = (col: number, value: number) => {
    indices.push(col);
    values.push(value);
  };
  for (let i = 0; i < net.demand.length; i++) {
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) entry(p, 1);
    const need = split ? net.pupils[i] : 1;
    row(need, need);
  }
  const demandOfPair = new Int32Array(L.nPairs);
  for (let i = 0; i < net.demand.length; i++) demandOfPair.fill(i, net.pairStart[i], net.pairStart[i + 1]);
  const facilityRow = (f: number, openCols: { col: number; seats: number }[]) => {
    for (let k = net.facilityStart[f]; k < net.facilityStart[f + 1]; k++) {
      const p = net.facilityPairs[k];
      entry(p, split ? 1 : net.pupils[demandOfPair[p]]);
    }
    for (const o of openCols) entry(o.col, -o.seats);
    row(Number.NEGATIVE_INFINITY, 0);
  };
  const linking = (f: number, openCols: number[]) => {
    for (let k = net.facilityStart[f]; k < net.facilityStart[f + 1]; k++) {
      const p = net.facilityPairs[k];
      entry(p, 1);
      for (const c of openCols) entry(c, -colUpper[p]);
      row(Number.NEGATIVE_INFINITY, 0);
    }
  };
  input.schools.forEach((s, j) => {
    const y = L.nPairs + j;
    const e = L.expansionCol[j];
    facilityRow(j, [
      { col: y, seats: s.capacity },
      ...(e >= 0 ? [{ col: e, seats: s.expansion!.class_size }] : []),
    ]);
    if (e >= 0) {
      entry(y, -s.expansion!.max_extra_classes);
      entry(e, 1);
      row(Number.NEGATIVE_INFINITY, 0);
    }
    linking(j, [y]);
  });
  input.sites.forEach((s, c) => {
    const cols = s.options.map((_, k) => L.siteCol[c] + k);
    facilityRow(
      net.nSchools + c,
      s.options.map((o, k) => ({ col: cols[k], seats: o.capacity })),
    );
    if (cols.length > 1) {
      for (const col of cols) entry(col, 1);
      row(Number.NEGATIVE_INFINITY, 1);
    }
    linking(net.nSchools + c, cols);
  });
  if (input.budget_fen !== undefined) {
    input.schools.forEach((s, j) => {
      if (L.expansionCol[j] >= 0 && s.expansion!.cost_per_class_fen > 0)
        entry(L.expansionCol[j], s.expansion!.cost_per_class_fen);
    });
    input.sites.forEach((s, c) => {
      s.options.forEach((o, k) => {
        if (o.cost_fen > 0) entry(L.siteCol[c] + k, o.cost_fen);
      });
    });
    row(Number.NEGATIVE_INFINITY, input.budget_fen);
  }
  if (input.max_new_schools !== undefined) {
    input.sites.forEach((s, c) => {
      for (let k = 0; k < s.options.length; k++) entry(L.siteCol[c] + k, 1);
    });
    row(Number.NEGATIVE_INFINITY, input.max_new_schools);
  }
  const numRows = lower.length;
  return {
    numCols: L.numCols,
    numRows,
    colCost,
    colLower,
    colUpper,
    rowLower: Float64Array.from(lower),
    rowUpper: Float64Array.from(upper),
    matrix: {
      format: 'csr',
      numRows,
      numCols: L.numCols,
      starts: Int32Array.from(starts),
      indices: Int32Array.from(indices),
      values: Float64Array.from(values),
    },
    integrality,
  };
}

/** The column vector of a decision (the warm start). */
export function columnsOf(net: Network, d: Decision, split = net.input.allow_split): Float64Array {
  const L = layoutOf(net);
  const x = new Float64Array(L.numCols);
  for (let i = 0; i < net.demand.length; i++)
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++)
      x[p] = split ? d.flow[p] : d.flow[p] / net.pupils[i];
  net.input.schools.forEach((_, j) => {
    x[L.nPairs + j] = d.schoolOpen[j];
    if (L.expansionCol[j] >= 0) x[L.expansionCol[j]] = d.extraClasses[j];
  });
  net.input.sites.forEach((_, c) => {
    if (d.siteOption[c] >= 0) x[L.siteCol[c] + d.siteOption[c]] = 1;
  });
  return x;
}

/** The decision of a column vector (rounded: HiGHS returns integers, and vertex pupils, up to its tolerance). */
export function decisionOf(net: Network, x: Float64Array, split = net.input.allow_split): Decision {
  const L = layoutOf(net);
  const flow = new Int32Array(L.nPairs);
  for (let i = 0; i < net.demand.length; i++) {
    const start = net.pairStart[i];
    const end = net.pairStart[i + 1];
    if (!split) {
      for (let p = start; p < end; p++) flow[p] = Math.round(x[p]) * net.pupils[i];
      continue;
    }
    // Whole pupils that still add up to the point's pupils: floors, then the largest remainders.
    let left = net.pupils[i];
    for (let p = start; p < end; p++) {
      flow[p] = Math.floor(x[p] + 1e-6);
      left -= flow[p];
    }
    const byRemainder = Array.from({ length: end - start }, (_, k) => start + k).sort(
      (a, b) => x[b] - flow[b] - (x[a] - flow[a]) || a - b,
    );
    for (let k = 0; k < left && k < byRemainder.length; k++) flow[byRemainder[k]]++;
  }
  return {
    schoolOpen: Uint8Array.from(net.input.schools, (_, j) => Math.round(x[L.nPairs + j])),
    extraClasses: Int32Array.from(net.input.schools, (_, j) =>
      L.expansionCol[j] >= 0 ? Math.round(x[L.expansionCol[j]]) : 0,
    ),
    siteOption: Int32Array.from(net.input.sites, (s, c) =>
      s.options.findIndex((_, k) => x[L.siteCol[c] + k] > 0.5),
    ),
    flow,
  };
}

export interface MipResult {
  status: 'optimal' | 'infeasible' | 'limit' | 'failed';
  objective: number | null;
  bound: number | null;
  decision: Decision | null;
  /** Why the worker failed (e.g. HiGHS out of its WebAssembly memory), when it did. */
  error?: string;
  /** The LP relaxation's solution (`relax`). */
  colValue?: Float64Array;
}

/**
 * A plan to start a search from, read off the LP relaxation: every school open (the search closes what it
 * empties), every site with some opening in the LP built at its largest option (the search shrinks it to its
 * pupils), each point's pupils where the LP sends most of them.
 */
export function relaxedStart(net: Network, x: Float64Array): Decision {
  const L = layoutOf(net);
  return {
    schoolOpen: new Uint8Array(net.nSchools).fill(1),
    extraClasses: new Int32Array(net.nSchools),
    siteOption: Int32Array.from(net.input.sites, (s, c) => {
      let open = 0;
      for (let k = 0; k < s.options.length; k++) open += x[L.siteCol[c] + k];
      return open > 1e-6 ? s.options.length - 1 : -1;
    }),
    // Shares as whole thousandths: only which pair is largest matters.
    flow: Int32Array.from({ length: L.nPairs }, (_, p) => Math.round(x[p] * 1000)),
  };
}

/** Seconds the worker gets beyond HiGHS's own time limit before it is stopped. */
const GRACE_S = 30;

export interface MipOptions {
  /** Solve the split relaxation of a whole-demand input (see buildMip). */
  split?: boolean;
  /** Solve the LP relaxation (every column continuous): `colValue` then holds it, `decision` is null. */
  relax?: boolean;
  time_limit_s?: number;
  gap_tolerance?: number;
}

/** Solves the MIP in a worker thread; `start` is a feasible plan HiGHS may start from. */
export function solveMip(net: Network, start: Decision | null, options: MipOptions = {}): Promise<MipResult> {
  const split = options.split ?? net.input.allow_split;
  const model = buildMip(net, split);
  const time_limit_s = options.time_limit_s ?? net.input.time_limit_s;
  const gap_tolerance = options.gap_tolerance ?? net.input.gap_tolerance;
  return new Promise((resolve) => {
    let incumbent: { objective: number; bound: number; colValue: Float64Array } | null = null;
    const worker = new Worker(new URL('./highs-worker.mjs', import.meta.url), {
      workerData: {
        model,
        start: start && !options.relax ? columnsOf(net, start, split) : null,
        relax: options.relax === true,
        options: {
          output_flag: false,
          time_limit: time_limit_s,
          mip_rel_gap: gap_tolerance,
          random_seed: 0,
        },
      },
    });
    let settled = false;
    const finish = (r: MipResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      resolve(r);
    };
    const fromIncumbent = (error: string): MipResult =>
      incumbent
        ? {
            status: 'limit',
            objective: incumbent.objective,
            bound: incumbent.bound,
            decision: decisionOf(net, incumbent.colValue, split),
            error,
          }
        : { status: 'failed', objective: null, bound: null, decision: null, error };
    const timer = setTimeout(() => finish(fromIncumbent('time limit')), (time_limit_s + GRACE_S) * 1000);
    worker.on('message', (m) => {
      if (m.type === 'incumbent') incumbent = m;
      else
        finish({
          status: m.status,
          objective: m.objective,
          bound: Number.isFinite(m.bound) ? m.bound : null,
          decision: m.colValue && !options.relax ? decisionOf(net, m.colValue, split) : null,
          ...(options.relax && m.colValue ? { colValue: m.colValue } : {}),
        });
    });
    worker.on('error', (e) => finish(fromIncumbent(e.message)));
    worker.on('exit', (code) => finish(fromIncumbent(`worker exited with code ${code}`)));
  });
}
