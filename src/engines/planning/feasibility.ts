/**
 * Infeasibility explained (无可行方案的原因): conditions every plan must meet, checked before any solve, each
 * failure with its numbers — demand points no school or site can reach within the radius, groups of
 * demand points whose reachable seats (every expansion and the largest option of every site) fall short
 * (found by a maximum flow),
 * an unsplittable demand point larger than any school it can reach, and a budget or a number of new schools
 * too small for the seats that must be added.
 */
import { shortGroups } from './max-flow.ts';
import { facilitiesOf, haversineKm, type Network, radiusKm } from './network.ts';

export interface Unreachable {
  demand_point: string;
  pupils: number;
  radius_km: number;
  /** Distance to the nearest school or site (detour included), null with a distance matrix. */
  nearest_km: number | null;
}

export interface CapacityShort {
  /** Demand points whose pupils exceed every seat they can reach (at most), and those schools and sites. */
  demand_points: string[];
  facilities: string[];
  pupils: number;
  max_seats: number;
  short_seats: number;
}

export interface TooLarge {
  demand_point: string;
  pupils: number;
  largest_seats: number;
}

export interface Infeasibility {
  unreachable: Unreachable[];
  capacity_short: CapacityShort[];
  too_large: TooLarge[];
  /** The least spending that adds the seats needed (a lower bound), against the budget. */
  budget: { budget_fen: number; min_spend_fen: number } | null;
  new_schools: { max_new_schools: number; min_new_schools: number } | null;
  /** One line per reason, Chinese and English. */
  reasons: { zh: string; en: string }[];
}

function find(parent: Int32Array, a: number): number {
  while (parent[a] !== a) {
    parent[a] = parent[parent[a]];
    a = parent[a];
  }
  return a;
}

/** The reasons no plan can exist, or null when none of these conditions fails. */
export function explainInfeasibility(net: Network): Infeasibility | null {
  const { input } = net;
  const places = facilitiesOf(input);
  const nD = net.demand.length;
  const unreachable: Unreachable[] = [];
  for (let i = 0; i < nD; i++) {
    if (net.pairStart[i + 1] > net.pairStart[i]) continue;
    const d = input.demand_points[net.demand[i]];
    const nearest =
      input.distance.method === 'haversine' && places.length
        ? Math.min(...places.map((p) => haversineKm(d.lng, d.lat, p.lng, p.lat))) *
          input.distance.detour_factor
        : null;
    unreachable.push({
      demand_point: d.id,
      pupils: d.pupils,
      radius_km: Math.max(
        ...places.map((p) => radiusKm(input, d.area, p.boarding)),
        radiusKm(input, d.area, false),
      ),
      nearest_km: nearest === null ? null : Math.round(nearest * 1000) / 1000,
    });
  }
  const maxSeats = places.map((_, f) => {
    if (f < net.nSchools) {
      const s = input.schools[f];
      return s.capacity + (s.expansion ? s.expansion.class_size * s.expansion.max_extra_classes : 0);
    }
    return Math.max(...input.sites[f - net.nSchools].options.map((o) => o.capacity));
  });
  const tooLarge: TooLarge[] = [];
  if (!input.allow_split)
    for (let i = 0; i < nD; i++) {
      let largest = 0;
      for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++)
        largest = Math.max(largest, maxSeats[net.pairFacility[p]]);
      if (net.pairStart[i + 1] > net.pairStart[i] && largest < net.pupils[i])
        tooLarge.push({
          demand_point: input.demand_points[net.demand[i]].id,
          pupils: net.pupils[i],
          largest_seats: largest,
        });
    }
  // Groups: demand points i and facilities nD + f joined by their pairs.
  const parent = Int32Array.from({ length: nD + places.length }, (_, k) => k);
  for (let i = 0; i < nD; i++)
    for (let p = net.pairStart[i]; p < net.pairStart[i + 1]; p++) {
      const a = find(parent, i);
      const b = find(parent, nD + net.pairFacility[p]);
      if (a !== b) parent[a] = b;
    }
  const groups = new Map<number, { demand: number[]; facilities: number[] }>();
  const groupOf = (k: number) => {
    const root = find(parent, k);
    let g = groups.get(root);
    if (!g) {
      g = { demand: [], facilities: [] };
      groups.set(root, g);
    }
    return g;
  };
  for (let i = 0; i < nD; i++) if (net.pairStart[i + 1] > net.pairStart[i]) groupOf(i).demand.push(i);
  for (let f = 0; f < places.length; f++)
    if (net.facilityStart[f + 1] > net.facilityStart[f]) groupOf(nD + f).facilities.push(f);
  const capacityShort: CapacityShort[] = shortGroups(net, maxSeats).map((g) => ({
    demand_points: g.demand.map((i) => input.demand_points[net.demand[i]].id),
    facilities: g.facilities.map((f) => places[f].id),
    pupils: g.pupils,
    max_seats: g.seats,
    short_seats: g.pupils - g.seats,
  }));
  let minSpend = 0;
  let minNew = 0;
  for (const g of groups.values()) {
    const pupils = g.demand.reduce((a, i) => a + net.pupils[i], 0);
    const seats = g.facilities.reduce((a, f) => a + maxSeats[f], 0);
    if (pupils > seats) continue;
    // Seats to add beyond today's schools, bought at the lowest cost per seat (fractionally: a lower bound).
    let need =
      pupils - g.facilities.reduce((a, f) => a + (f < net.nSchools ? input.schools[f].capacity : 0), 0);
    if (need <= 0) continue;
    const offers: { perSeat: number; seats: number }[] = [];
    let expansionSeats = 0;
    const siteSeats: number[] = [];
    for (const f of g.facilities) {
      if (f < net.nSchools) {
        const e = input.schools[f].expansion;
        if (e && e.max_extra_classes > 0) {
          offers.push({
            perSeat: e.cost_per_class_fen / e.class_size,
            seats: e.class_size * e.max_extra_classes,
          });
          expansionSeats += e.class_size * e.max_extra_classes;
        }
      } else {
        const options = input.sites[f - net.nSchools].options;
        // One option per site: the cheapest per seat stands for the site, with the largest option's seats.
        const perSeat = Math.min(...options.map((o) => o.cost_fen / o.capacity));
        offers.push({ perSeat, seats: maxSeats[f] });
        siteSeats.push(maxSeats[f]);
      }
    }
    offers.sort((a, b) => a.perSeat - b.perSeat);
    let left = need;
    for (const o of offers) {
      const take = Math.min(left, o.seats);
      minSpend += take * o.perSeat;
      left -= take;
      if (left <= 0) break;
    }
    need -= expansionSeats;
    siteSeats.sort((a, b) => b - a);
    for (const s of siteSeats) {
      if (need <= 0) break;
      need -= s;
      minNew++;
    }
  }
  minSpend = Math.ceil(minSpend - 1e-6);
  const budget =
    input.budget_fen !== undefined && minSpend > input.budget_fen
      ? { budget_fen: input.budget_fen, min_spend_fen: minSpend }
      : null;
  const newSchools =
    input.max_new_schools !== undefined && minNew > input.max_new_schools
      ? { max_new_schools: input.max_new_schools, min_new_schools: minNew }
      : null;
  const reasons: { zh: string; en: string }[] = [
    ...unreachable.map((u) => ({
      zh: `需求点 ${u.demand_point}（${u.pupils} 人）在服务半径 ${u.radius_km} 公里内没有可用的学校或校址${u.nearest_km === null ? '' : `，最近的在 ${u.nearest_km} 公里`}`,
      en: `demand point ${u.demand_point} (${u.pupils} pupils) has no school or site within the ${u.radius_km} km radius${u.nearest_km === null ? '' : `; the nearest is ${u.nearest_km} km away`}`,
    })),
    ...tooLarge.map((t) => ({
      zh: `需求点 ${t.demand_point} 有 ${t.pupils} 人，不允许拆分，而可达的学校最多 ${t.largest_seats} 个学位`,
      en: `demand point ${t.demand_point} has ${t.pupils} pupils and may not be split, but the largest school it can reach has ${t.largest_seats} seats`,
    })),
    ...capacityShort.map((c) => ({
      zh: `${c.demand_points.length} 个需求点共 ${c.pupils} 人，可达学位最多 ${c.max_seats} 个，缺 ${c.short_seats} 个（${c.demand_points.slice(0, 5).join('、')}${c.demand_points.length > 5 ? '等' : ''}）`,
      en: `${c.demand_points.length} demand points with ${c.pupils} pupils can reach at most ${c.max_seats} seats: ${c.short_seats} short (${c.demand_points.slice(0, 5).join(', ')}${c.demand_points.length > 5 ? ', …' : ''})`,
    })),
    ...(budget
      ? [
          {
            zh: `所需新增学位至少花费 ${budget.min_spend_fen} 分，超出预算 ${budget.budget_fen} 分`,
            en: `the seats to add cost at least ${budget.min_spend_fen} fen, above the budget of ${budget.budget_fen} fen`,
          },
        ]
      : []),
    ...(newSchools
      ? [
          {
            zh: `至少需要新建 ${newSchools.min_new_schools} 所学校，上限为 ${newSchools.max_new_schools} 所`,
            en: `at least ${newSchools.min_new_schools} new schools are needed; at most ${newSchools.max_new_schools} are allowed`,
          },
        ]
      : []),
  ];
  if (!reasons.length) return null;
  return {
    unreachable,
    capacity_short: capacityShort,
    too_large: tooLarge,
    budget,
    new_schools: newSchools,
    reasons,
  };
}
