/**
 * Decomposition: demand points and facilities that share no pair within the radius (no chain of pairs joins
 * them) are independent problems — the connected components of the radius graph, e.g. counties far apart
 * or a mountain valley. Without a budget or a limit on new schools (which would couple them) the optimum is
 * the sum of the components' optima, and the sum of their lower bounds is a lower bound.
 */
import type { ParsedPlanningInput } from './contract.ts';
import { facilitiesOf, type Network } from './network.ts';
import type { Decision, PresentedPlan } from './plan.ts';

export interface Part {
  /** Indices into `net.demand`. */
  demand: number[];
  /** Facility indices (schools first, then sites). */
  facilities: number[];
}

/**
 * The connected components of the radius graph that hold pupils; facilities no demand point reaches go with
 * the first (each is closed or not built there at no cost). Ordered by their first demand point.
 */
export function independentParts(net: Network): Part[] {
  const nD = net.demand.length;
  const parent = Int32Array.from({ length: nD + net.nFacilities }, (_, k) => k);
  const find = (k: number): number => {
    while (parent[k] !== k) {
      parent[k] = parent[parent[k]];
      k = parent[k];
    }
    return k;
  };
  for (let i = 0; i < nD; i++)
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      const a = find(i);
      const b = find(nD + net.pairFacility[p]);
      if (a !== b) parent[Math.max(a, b)] = Math.min(a, b);
    }
  const byRoot = new Map<number, Part>();
  for (let i = 0; i < nD; i++) {
    const r = find(i);
    if (!byRoot.has(r)) byRoot.set(r, { demand: [], facilities: [] });
    byRoot.get(r)!.demand.push(i);
  }
  const parts = [...byRoot.values()];
  for (let f = 0; f < net.nFacilities; f++) {
    const part = byRoot.get(find(nD + f)) ?? parts[0];
    part?.facilities.push(f);
  }
  return parts;
}

/** The input of one part: its demand points, schools and sites (matrix pairs filtered), `time_limit_s` its share. */
export function partInput(net: Network, part: Part, timeLimitS: number): ParsedPlanningInput {
  const { input } = net;
  const demandIds = new Set(part.demand.map((i) => input.demand_points[net.demand[i]].id));
  const places = facilitiesOf(input);
  const facilityIds = new Set(part.facilities.map((f) => places[f].id));
  return {
    ...input,
    demand_points: input.demand_points.filter((d) => demandIds.has(d.id)),
    schools: input.schools.filter((s) => facilityIds.has(s.id)),
    sites: input.sites.filter((s) => facilityIds.has(s.id)),
    distance:
      input.distance.method === 'matrix'
        ? {
            method: 'matrix',
            pairs: input.distance.pairs.filter((p) => demandIds.has(p.demand) && facilityIds.has(p.facility)),
          }
        : input.distance,
    time_limit_s: timeLimitS,
  };
}

/** The parts' plans as one decision over the whole network (facilities and pairs found by id). */
export function mergedDecision(net: Network, plans: PresentedPlan[]): Decision {
  const { input } = net;
  const schoolIndex = new Map(input.schools.map((s, j) => [s.id, j]));
  const siteIndex = new Map(input.sites.map((s, c) => [s.id, c]));
  const demandIndex = new Map(net.demand.map((di, i) => [input.demand_points[di].id, i]));
  const places = facilitiesOf(input);
  const d: Decision = {
    // A school no part mentions is in none: it reaches no pupil, so it is closed unless it must stay.
    schoolOpen: Uint8Array.from(input.schools, (s) => (s.must_keep ? 1 : 0)),
    extraClasses: new Int32Array(net.nSchools),
    siteOption: new Int32Array(input.sites.length).fill(-1),
    flow: new Int32Array(net.pairFacility.length),
  };
  for (const plan of plans) {
    for (const s of plan.schools) {
      const j = schoolIndex.get(s.id)!;
      d.schoolOpen[j] = s.action === 'close' ? 0 : 1;
      d.extraClasses[j] = s.extra_classes;
    }
    for (const s of plan.sites) if (s.action === 'build') d.siteOption[siteIndex.get(s.id)!] = s.option!;
    for (const a of plan.assignments) {
      const i = demandIndex.get(a.demand_point)!;
      for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++)
        if (places[net.pairFacility[p]].id === a.facility) d.flow[p] += a.pupils;
    }
  }
  return d;
}
