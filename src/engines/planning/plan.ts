/** A plan as decisions over the network, its objective, and the plan as the engine returns it. */
import type { Network } from './network.ts';

/** What every solver decides. */
export interface Decision {
  /** 1: the school stays open (kept or expanded); 0: closed and merged into others. */
  schoolOpen: Uint8Array;
  extraClasses: Int32Array;
  /** Index of the built capacity option of each site, −1 where nothing is built. */
  siteOption: Int32Array;
  /** Pupils sent along each pair of the network. */
  flow: Int32Array;
}

export interface Costs {
  pupilKm: number;
  /** Expansions and new schools. */
  spendFen: number;
  /** Savings of the closed schools. */
  savingFen: number;
  /** Savings forgone by keeping schools that could have closed: the objective's closure term. */
  forgoneFen: number;
  /** pupil-km + cost_weight × (spend + forgone savings): never negative, so gaps stay relative. */
  objective: number;
}

export function costsOf(net: Network, d: Decision): Costs {
  const { input } = net;
  let pupilKm = 0;
  for (let p = 0; p < d.flow.length; p++) pupilKm += d.flow[p] * net.pairKm[p];
  let spendFen = 0;
  let savingFen = 0;
  let forgoneFen = 0;
  for (let f = 0; f < net.nFacilities; f++) spendFen += spendFenOf(net, d, f);
  input.schools.forEach((s, j) => {
    if (s.must_keep) return;
    if (d.schoolOpen[j]) forgoneFen += s.closure_saving_fen;
    else savingFen += s.closure_saving_fen;
  });
  return {
    pupilKm,
    spendFen,
    savingFen,
    forgoneFen,
    objective: pupilKm + input.cost_weight * (spendFen + forgoneFen),
  };
}

/** What facility f's decision spends: its extra classes (school) or its built option (site). */
export function spendFenOf(net: Network, d: Decision, f: number): number {
  if (f < net.nSchools) return d.extraClasses[f] * (net.input.schools[f].expansion?.cost_per_class_fen ?? 0);
  const c = f - net.nSchools;
  return d.siteOption[c] >= 0 ? net.input.sites[c].options[d.siteOption[c]].cost_fen : 0;
}

/** Seats of facility f under the decision (0 when closed). */
export function seatsOf(net: Network, d: Decision, f: number): number {
  if (f < net.nSchools) {
    const s = net.input.schools[f];
    return d.schoolOpen[f] ? s.capacity + d.extraClasses[f] * (s.expansion?.class_size ?? 0) : 0;
  }
  const c = f - net.nSchools;
  return d.siteOption[c] >= 0 ? net.input.sites[c].options[d.siteOption[c]].capacity : 0;
}

export function isOpen(net: Network, d: Decision, f: number): boolean {
  return f < net.nSchools ? d.schoolOpen[f] === 1 : d.siteOption[f - net.nSchools] >= 0;
}

export interface SchoolAction {
  id: string;
  action: 'keep' | 'expand' | 'close';
  extra_classes: number;
  seats: number;
  pupils: number;
  cost_fen: number;
  saving_fen: number;
  /** For a closed school: the open school or new site nearest to it, which takes its place. */
  merged_into?: string;
}

export interface SiteAction {
  id: string;
  action: 'build' | 'none';
  /** Index into the site's `options`. */
  option?: number;
  seats: number;
  pupils: number;
  cost_fen: number;
}

export interface Assignment {
  demand_point: string;
  facility: string;
  pupils: number;
  km: number;
}

export interface PlanSummary {
  pupils: number;
  pupil_km: number;
  mean_km: number;
  max_km: number;
  seats_added: number;
  spend_fen: number;
  saving_fen: number;
  /** Spend minus savings. */
  net_cost_fen: number;
  schools_closed: number;
  schools_expanded: number;
  new_schools: number;
}

export interface PresentedPlan {
  summary: PlanSummary;
  schools: SchoolAction[];
  sites: SiteAction[];
  assignments: Assignment[];
}

const round = (x: number, digits = 3) => Math.round(x * 10 ** digits) / 10 ** digits;

/** The plan in the bureau's terms: actions per school and site, assignments, the summary. */
export function presentPlan(net: Network, d: Decision): PresentedPlan {
  const { input } = net;
  const places = [...input.schools, ...input.sites];
  const load = new Float64Array(net.nFacilities);
  const assignments: Assignment[] = [];
  let maxKm = 0;
  for (let i = 0; i < net.demand.length; i++)
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      if (d.flow[p] <= 0) continue;
      const f = net.pairFacility[p];
      load[f] += d.flow[p];
      maxKm = Math.max(maxKm, net.pairKm[p]);
      assignments.push({
        demand_point: input.demand_points[net.demand[i]].id,
        facility: places[f].id,
        pupils: d.flow[p],
        km: round(net.pairKm[p]),
      });
    }
  const open = places.map((_, f) => isOpen(net, d, f));
  const nearestOpen = (f: number) => {
    let best = -1;
    let bestKm = Number.POSITIVE_INFINITY;
    places.forEach((p, g) => {
      if (!open[g] || g === f) return;
      const km = (p.lng - places[f].lng) ** 2 + (p.lat - places[f].lat) ** 2;
      if (km < bestKm) [best, bestKm] = [g, km];
    });
    return best < 0 ? undefined : places[best].id;
  };
  const schools: SchoolAction[] = input.schools.map((s, j) => {
    const extra = d.extraClasses[j];
    const closed = !d.schoolOpen[j];
    return {
      id: s.id,
      action: closed ? 'close' : extra > 0 ? 'expand' : 'keep',
      extra_classes: extra,
      seats: seatsOf(net, d, j),
      pupils: load[j],
      cost_fen: extra * (s.expansion?.cost_per_class_fen ?? 0),
      saving_fen: closed ? s.closure_saving_fen : 0,
      ...(closed ? { merged_into: nearestOpen(j) } : {}),
    };
  });
  const sites: SiteAction[] = input.sites.map((s, c) => {
    const o = d.siteOption[c];
    const f = net.nSchools + c;
    return o < 0
      ? { id: s.id, action: 'none', seats: 0, pupils: 0, cost_fen: 0 }
      : {
          id: s.id,
          action: 'build',
          option: o,
          seats: s.options[o].capacity,
          pupils: load[f],
          cost_fen: s.options[o].cost_fen,
        };
  });
  const costs = costsOf(net, d);
  const pupils = load.reduce((a, b) => a + b, 0);
  return {
    summary: {
      pupils,
      pupil_km: round(costs.pupilKm),
      mean_km: pupils ? round(costs.pupilKm / pupils) : 0,
      max_km: round(maxKm),
      seats_added:
        schools.reduce((a, s, j) => a + s.extra_classes * (input.schools[j].expansion?.class_size ?? 0), 0) +
        sites.reduce((a, s) => a + s.seats, 0),
      spend_fen: costs.spendFen,
      saving_fen: costs.savingFen,
      net_cost_fen: costs.spendFen - costs.savingFen,
      schools_closed: schools.filter((s) => s.action === 'close').length,
      schools_expanded: schools.filter((s) => s.action === 'expand').length,
      new_schools: sites.filter((s) => s.action === 'build').length,
    },
    schools,
    sites,
    assignments,
  };
}
