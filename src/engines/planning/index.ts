/**
 * The planning engine (教育设施布局规划): which schools to keep, expand or close, which sites to build, and
 * which school every demand point goes to, within the service radius, capacity, budget and number of new
 * schools, minimising pupil-km + cost_weight × cost. Exact (HiGHS) up to EXACT_MAX_PAIRS pairs, the
 * heuristic with a Lagrangian bound beyond; always the objective, the lower bound and the gap.
 */
import type { ParsedPlanningInput } from './contract.ts';
import { independentParts, mergedDecision, type Part, partInput } from './decompose.ts';
import { explainInfeasibility, type Infeasibility } from './feasibility.ts';
import { evaluationBudget, facilityNeighbours, solveHeuristic } from './heuristic.ts';
import { boundIterations, lagrangianBound, lagrangianBoundBeside } from './lagrangian.ts';
import { type MipResult, relaxedStart, solveMip } from './mip.ts';
import { improveByNeighbourhoods } from './neighbourhoods.ts';
import { buildNetwork, type Network } from './network.ts';
import { costsOf, type Decision, type PresentedPlan, presentPlan } from './plan.ts';
import { singleSource } from './single-source.ts';

/** Above this many demand–facility pairs `method: "auto"` uses the heuristic (measured in bench/planning.ts). */
export const EXACT_MAX_PAIRS = 150_000;

export interface PlanningResult {
  /**
   * optimal: proved within gap_tolerance; feasible: a plan, with its gap to the bound; infeasible: no plan
   * exists (see `infeasibility`); no_plan_found: the heuristic placed not every pupil though no reason
   * was found that no plan can exist.
   */
  status: 'optimal' | 'feasible' | 'infeasible' | 'no_plan_found';
  method: 'exact' | 'heuristic';
  objective: number | null;
  lower_bound: number | null;
  /** (objective − lower bound) / objective. */
  gap: number | null;
  plan: PresentedPlan | null;
  infeasibility: Infeasibility | null;
  /** Pupils the heuristic could not place (no_plan_found). */
  unserved_pupils?: number;
  /** `parts`: independent problems solved one by one (decompose.ts), when there were more than one. */
  model: { demand_points: number; facilities: number; pairs: number; parts?: number };
  /** Why the exact solve fell back to the heuristic's plan, when it did. */
  note?: string;
}

/** Share of `time_limit_s` the LP relaxation of a whole-demand model may take before the MIP. */
const RELAXATION_SHARE = 0.4;
/** Up to this many pairs the whole-demand MIP runs without the LP relaxation first (it solves them outright). */
const RELAXATION_MIN_PAIRS = 1000;
/**
 * Share of `time_limit_s` by which the heuristic's own search stops on a large model (small ones finish long
 * before); the rest goes to re-solving neighbourhoods exactly, with the Lagrangian bound beside.
 */
const HEURISTIC_SHARE = 0.35;
/** Re-assignments the heuristic may spend when it only gives the exact solve a start. */
const START_EVALUATIONS = 150;

const infeasibleTogether = (method: PlanningResult['method'], model: PlanningResult['model']) =>
  ({
    status: 'infeasible',
    method,
    infeasibility: {
      unreachable: [],
      capacity_short: [],
      too_large: [],
      budget: null,
      new_schools: null,
      reasons: [
        {
          zh: '半径、学位、预算和新建学校数的限制合在一起无法同时满足（单独检查均未发现缺口）',
          en: 'the radius, seats, budget and new-school limits cannot all hold together (no single check found the shortfall)',
        },
      ],
    },
    objective: null,
    lower_bound: null,
    gap: null,
    plan: null,
    model,
  }) satisfies PlanningResult;

/**
 * Whole demand points, exact: HiGHS alone finds no plan better than its start on such models (bench:
 * 2,000 × 300 stopped at its start, 18.6 % gap, with a bound within 0.5 % of the optimum), so the plans come
 * from a search and HiGHS gives the bound. In order: the LP relaxation in the worker while the heuristic
 * runs here; the single-sourcing search (single-source.ts) from the heuristic's plan and from the LP's
 * rounding; the MIP from the best of them for the rest of the time limit. Objective: the best plan found;
 * bound: the larger of the LP's and the MIP's.
 */
async function solveWholeExact(net: Network) {
  const { input } = net;
  const began = performance.now();
  const relaxation: Promise<MipResult> =
    net.pairFacility.length > RELAXATION_MIN_PAIRS
      ? solveMip(net, null, { relax: true, time_limit_s: RELAXATION_SHARE * input.time_limit_s })
      : Promise.resolve({ status: 'failed', objective: null, bound: null, decision: null });
  const heuristic = solveHeuristic(net, Math.min(evaluationBudget(net), START_EVALUATIONS));
  const search = {
    mayOpen: new Uint8Array(net.nFacilities).fill(1),
    facilityMoves: true,
    neighbours: facilityNeighbours(net),
  };
  const plans: Decision[] = [];
  if (heuristic.unserved === 0) plans.push(heuristic.decision);
  const searched = singleSource(net, heuristic.decision, search);
  if (searched) plans.push(searched);
  const lp = await relaxation;
  if (lp.status === 'infeasible') return { infeasible: true as const };
  let bound = lp.bound ?? Number.NEGATIVE_INFINITY;
  if (lp.colValue) {
    const rounded = singleSource(net, relaxedStart(net, lp.colValue), search);
    if (rounded) plans.push(rounded);
  }
  const bestOf = () =>
    plans.reduce<Decision | null>(
      (a, d) => (a === null || costsOf(net, d).objective < costsOf(net, a).objective - 1e-9 ? d : a),
      null,
    );
  // A second is kept for the worker's start and the model's transfer, so the whole call fits the limit.
  const remaining = input.time_limit_s - (performance.now() - began) / 1000 - 1;
  const mip = await solveMip(net, bestOf(), { time_limit_s: Math.max(1, remaining) });
  if (mip.status === 'infeasible') return { infeasible: true as const };
  if (mip.bound !== null) bound = Math.max(bound, mip.bound);
  if (mip.decision) plans.push(mip.decision);
  const best = bestOf();
  return {
    infeasible: false as const,
    decision: best,
    bound,
    // HiGHS proved its plan within the tolerance; the best plan is no worse than its.
    proved: mip.status === 'optimal',
    note: mip.error ?? lp.error,
  };
}

/**
 * Solves each independent part on its own, with a share of the time limit by its pairs, and adds up: the
 * objective and the lower bound are the sums of the parts'; the plan is their union.
 */
async function solveByParts(
  net: Network,
  parts: Part[],
  model: PlanningResult['model'],
): Promise<PlanningResult> {
  const { input } = net;
  const pairsOf = (part: Part) =>
    part.demand.reduce((a, i) => a + net.pairStart[i + 1] - net.pairStart[i], 0);
  const total = Math.max(1, net.pairFacility.length);
  const results: PlanningResult[] = [];
  for (const part of parts)
    results.push(
      await solvePlanning(partInput(net, part, Math.max(1, (input.time_limit_s * pairsOf(part)) / total))),
    );
  const withParts = { ...model, parts: parts.length };
  const method = results.every((r) => r.method === 'exact') ? 'exact' : 'heuristic';
  const none = { objective: null, lower_bound: null, gap: null, plan: null, model: withParts };
  const notes = results.flatMap((r) => (r.note ? [r.note] : []));
  const note = notes.length ? { note: notes.join('; ') } : {};
  if (results.some((r) => r.status === 'infeasible'))
    return { ...infeasibleTogether(method, withParts), ...note };
  if (results.some((r) => r.status === 'no_plan_found'))
    return {
      status: 'no_plan_found',
      method,
      infeasibility: null,
      ...none,
      unserved_pupils: results.reduce((a, r) => a + (r.unserved_pupils ?? 0), 0),
      ...note,
    };
  const decision = mergedDecision(
    net,
    results.map((r) => r.plan!),
  );
  const objective = costsOf(net, decision).objective;
  const lower = Math.min(
    objective,
    results.reduce((a, r) => a + r.lower_bound!, 0),
  );
  const gap = gapOf(objective, lower);
  return {
    status:
      gap <= input.gap_tolerance || results.every((r) => r.status === 'optimal') ? 'optimal' : 'feasible',
    method,
    objective,
    lower_bound: lower,
    gap,
    plan: presentPlan(net, decision),
    infeasibility: null,
    model: withParts,
    ...note,
  };
}

const gapOf = (objective: number, bound: number) =>
  objective > 0 ? Math.max(0, (objective - bound) / objective) : 0;

/**
 * Solves one stage's layout plan.
 * @example await solvePlanning(parsePlanningInput(json)) // { status: 'optimal', objective: 5120.4, gap: 0, plan: {...} }
 */
export async function solvePlanning(input: ParsedPlanningInput): Promise<PlanningResult> {
  const began = performance.now();
  const net = buildNetwork(input);
  const model = {
    demand_points: net.demand.length,
    facilities: net.nFacilities,
    pairs: net.pairFacility.length,
  };
  const exact = input.method === 'exact' || (input.method === 'auto' && model.pairs <= EXACT_MAX_PAIRS);
  const method = exact ? 'exact' : 'heuristic';
  const infeasibility = explainInfeasibility(net);
  const none = { objective: null, lower_bound: null, gap: null, plan: null, model };
  if (infeasibility) return { status: 'infeasible', method, infeasibility, ...none };
  // Independent parts are solved one by one unless a budget or a limit on new schools couples them.
  if (input.budget_fen === undefined && input.max_new_schools === undefined) {
    const parts = independentParts(net);
    if (parts.length > 1) return solveByParts(net, parts, model);
  }
  /** A plan is optimal when HiGHS proved it or its gap is within the tolerance. */
  const result = (proved: boolean, decision: Decision, bound: number, note?: string) => {
    const objective = costsOf(net, decision).objective;
    const lower = Math.min(bound, objective);
    const gap = gapOf(objective, lower);
    return {
      status: proved || gap <= input.gap_tolerance ? 'optimal' : 'feasible',
      method,
      objective,
      lower_bound: lower,
      gap,
      plan: presentPlan(net, decision),
      infeasibility: null,
      model,
      ...(note ? { note } : {}),
    } satisfies PlanningResult;
  };
  if (exact && !input.allow_split) {
    const whole = await solveWholeExact(net);
    if (whole.infeasible) return infeasibleTogether(method, model);
    if (whole.decision) return result(whole.proved, whole.decision, whole.bound, whole.note);
    return { status: 'no_plan_found', method, infeasibility: null, ...none, note: whole.note };
  }
  const limitMs = input.time_limit_s * 1000;
  const heuristic = exact
    ? solveHeuristic(net)
    : solveHeuristic(net, evaluationBudget(net), began + HEURISTIC_SHARE * limitMs);
  const start = heuristic.unserved === 0 ? heuristic.decision : null;
  if (exact) {
    const mip = await solveMip(net, start);
    if (mip.status === 'infeasible') return infeasibleTogether(method, model);
    if (mip.decision && mip.objective !== null) {
      const bound = mip.bound ?? Number.NEGATIVE_INFINITY;
      return result(mip.status === 'optimal', mip.decision, bound, mip.error);
    }
    if (start) return result(false, start, lagrangianBound(net, heuristic.costs.objective), mip.error);
    return { status: 'no_plan_found', method, infeasibility: null, ...none, note: mip.error };
  }
  if (heuristic.unserved > 0)
    return {
      status: 'no_plan_found',
      method,
      infeasibility: null,
      unserved_pupils: heuristic.unserved,
      ...none,
    };
  // The rest of the time limit re-solves neighbourhoods of the heuristic's plan exactly (HiGHS in its
  // worker) while the Lagrangian bound is computed here.
  // A second is kept for presenting the plan and stopping the worker, so the whole call fits the limit.
  const end = began + Math.max(limitMs - 1000, limitMs / 2);
  const [relaxed, improved] = await Promise.all([
    lagrangianBoundBeside(net, heuristic.costs.objective, boundIterations(net), end),
    improveByNeighbourhoods(net, heuristic.decision, end),
  ]);
  return result(false, improved, relaxed);
}
