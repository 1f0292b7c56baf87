/**
 * The optimum of a tiny planning input by enumeration: every open/close/expand/build choice, then every
 * assignment. With splitting allowed each pupil is assigned on its own. Distances from the coordinates.
 */
import type { ParsedPlanningInput } from '../../src/engines/planning/contract.ts';
import { haversineKm, radiusKm } from '../../src/engines/planning/network.ts';

/** The least objective over all plans, or null when there is no plan. */
export function bruteForceOptimum(input: ParsedPlanningInput): number | null {
  if (input.distance.method !== 'haversine') throw new Error('brute force needs coordinates');
  const detour = input.distance.detour_factor;
  const w = input.cost_weight;
  const places = [...input.schools, ...input.sites];
  const units = input.demand_points.flatMap((d) =>
    input.allow_split
      ? Array.from({ length: d.pupils }, () => ({ d, pupils: 1 }))
      : d.pupils > 0
        ? [{ d, pupils: d.pupils }]
        : [],
  );
  const reach = units.map(({ d }) =>
    places.flatMap((p, f) => {
      const km = haversineKm(d.lng, d.lat, p.lng, p.lat) * detour;
      return km <= radiusKm(input, d.area, p.boarding) ? [{ f, km }] : [];
    }),
  );
  const schoolStates = input.schools.map((s) => {
    const extras = Array.from({ length: (s.expansion?.max_extra_classes ?? 0) + 1 }, (_, e) => e);
    return [...(s.must_keep ? [] : [-1]), ...extras];
  });
  const siteStates = input.sites.map((s) => [-1, ...s.options.map((_, k) => k)]);
  const states = [...schoolStates, ...siteStates];
  let best: number | null = null;
  const choice = new Array<number>(states.length);
  const configure = (k: number) => {
    if (k < states.length) {
      for (const v of states[k]) {
        choice[k] = v;
        configure(k + 1);
      }
      return;
    }
    let spend = 0;
    let forgone = 0;
    let built = 0;
    const seats = places.map((_, f) => {
      const v = choice[f];
      if (f < input.schools.length) {
        const s = input.schools[f];
        if (v < 0) return -1;
        spend += v * (s.expansion?.cost_per_class_fen ?? 0);
        if (!s.must_keep) forgone += s.closure_saving_fen;
        return s.capacity + v * (s.expansion?.class_size ?? 0);
      }
      if (v < 0) return -1;
      const o = input.sites[f - input.schools.length].options[v];
      spend += o.cost_fen;
      built++;
      return o.capacity;
    });
    if (input.budget_fen !== undefined && spend > input.budget_fen) return;
    if (input.max_new_schools !== undefined && built > input.max_new_schools) return;
    const fixed = w * (spend + forgone);
    const assign = (u: number, km: number) => {
      if (best !== null && fixed + km >= best) return;
      if (u === units.length) {
        best = fixed + km;
        return;
      }
      for (const r of reach[u]) {
        if (seats[r.f] < units[u].pupils) continue;
        seats[r.f] -= units[u].pupils;
        assign(u + 1, km + units[u].pupils * r.km);
        seats[r.f] += units[u].pupils;
      }
    };
    assign(0, 0);
  };
  configure(0);
  return best;
}
