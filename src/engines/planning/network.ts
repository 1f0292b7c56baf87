/**
 * The planning network: demand points, facilities (existing schools first, then candidate sites) and the
 * demand–facility pairs within the service radius, as flat typed arrays shared by every solver.
 */
import type { ParsedPlanningInput } from './contract.ts';

export interface Network {
  input: ParsedPlanningInput;
  /** Demand points with pupils (points with none need no school and are left out). */
  demand: number[];
  pupils: Int32Array;
  nSchools: number;
  nFacilities: number;
  /** Pairs grouped by demand (index into `demand`), nearest first: `pairStart[i]..pairStart[i+1]`. */
  pairStart: Int32Array;
  pairFacility: Int32Array;
  pairKm: Float64Array;
  /** The same pairs grouped by facility: indices into the pair arrays. */
  facilityStart: Int32Array;
  facilityPairs: Int32Array;
}

const EARTH_KM = 6371.0088;

/** Great-circle distance in km. */
export function haversineKm(lng1: number, lat1: number, lng2: number, lat2: number): number {
  const r = Math.PI / 180;
  const dLat = (lat2 - lat1) * r;
  const dLng = (lng2 - lng1) * r;
  const a = Math.sin(dLat / 2) ** 2 + Math.cos(lat1 * r) * Math.cos(lat2 * r) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_KM * Math.asin(Math.min(1, Math.sqrt(a)));
}

interface Place {
  id: string;
  lng: number;
  lat: number;
  boarding: boolean;
}

export function facilitiesOf(input: ParsedPlanningInput): Place[] {
  return [...input.schools, ...input.sites];
}

/** The radius a pupil of this area may travel to this facility. */
export function radiusKm(input: ParsedPlanningInput, area: 'urban' | 'rural', boarding: boolean): number {
  const r = input.service_radius_km;
  if (area === 'urban') return r.urban;
  if (input.stage === 'junior' && boarding && r.rural_boarding !== undefined)
    return Math.max(r.rural, r.rural_boarding);
  return r.rural;
}

/** Builds the pairs within the radius (and among the k nearest when `nearest_k` is set). */
export function buildNetwork(input: ParsedPlanningInput): Network {
  const places = facilitiesOf(input);
  const demand = input.demand_points.flatMap((d, i) => (d.pupils > 0 ? [i] : []));
  const candidates: { f: number; km: number }[][] = demand.map(() => []);
  const maxRadius = Math.max(
    input.service_radius_km.urban,
    input.service_radius_km.rural,
    input.service_radius_km.rural_boarding ?? 0,
  );
  if (input.distance.method === 'haversine') {
    const detour = input.distance.detour_factor;
    // Latitude band first: one degree of latitude is ~111 km, so most pairs are skipped cheaply.
    const band = maxRadius / detour / 110;
    const byLat = places.map((_, f) => f).sort((a, b) => places[a].lat - places[b].lat);
    const lats = byLat.map((f) => places[f].lat);
    demand.forEach((di, i) => {
      const d = input.demand_points[di];
      let lo = 0;
      let hi = lats.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (lats[mid] < d.lat - band) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < byLat.length && lats[k] <= d.lat + band; k++) {
        const f = byLat[k];
        const p = places[f];
        const dist = haversineKm(d.lng, d.lat, p.lng, p.lat) * detour;
        if (dist <= radiusKm(input, d.area, p.boarding)) candidates[i].push({ f, km: dist });
      }
    });
  } else {
    const demandIndex = new Map(demand.map((di, i) => [input.demand_points[di].id, i]));
    const facilityIndex = new Map(places.map((p, f) => [p.id, f]));
    const seen = new Set<string>();
    for (const p of input.distance.pairs) {
      const i = demandIndex.get(p.demand);
      const f = facilityIndex.get(p.facility)!;
      // A repeated pair keeps its first distance; a demand point without pupils has no pairs.
      if (i === undefined || seen.has(`${i}:${f}`)) continue;
      seen.add(`${i}:${f}`);
      const area = input.demand_points[demand[i]].area;
      if (p.km <= radiusKm(input, area, places[f].boarding)) candidates[i].push({ f, km: p.km });
    }
  }
  const k = input.nearest_k ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i < candidates.length; i++) {
    candidates[i].sort((a, b) => a.km - b.km || a.f - b.f);
    if (candidates[i].length > k) candidates[i].length = k;
  }
  const nPairs = candidates.reduce((s, c) => s + c.length, 0);
  const pairStart = new Int32Array(demand.length + 1);
  const pairFacility = new Int32Array(nPairs);
  const pairKm = new Float64Array(nPairs);
  let q = 0;
  candidates.forEach((c, i) => {
    pairStart[i] = q;
    for (const { f, km } of c) {
      pairFacility[q] = f;
      pairKm[q++] = km;
    }
  });
  pairStart[demand.length] = q;
  const facilityStart = new Int32Array(places.length + 1);
  for (let p = 0; p < nPairs; p++) facilityStart[pairFacility[p] + 1]++;
  for (let f = 0; f < places.length; f++) facilityStart[f + 1] += facilityStart[f];
  const fill = facilityStart.slice(0, places.length);
  const facilityPairs = new Int32Array(nPairs);
  for (let p = 0; p < nPairs; p++) facilityPairs[fill[pairFacility[p]]++] = p;
  return {
    input,
    demand,
    pupils: Int32Array.from(demand, (di) => input.demand_points[di].pupils),
    nSchools: input.schools.length,
    nFacilities: places.length,
    pairStart,
    pairFacility,
    pairKm,
    facilityStart,
    facilityPairs,
  };
}

/** The demand point (index into `demand`) of each pair. */
export function pairDemand(net: Network): Int32Array {
  const out = new Int32Array(net.pairFacility.length);
  for (let i = 0; i < net.demand.length; i++) out.fill(i, net.pairStart[i], net.pairStart[i + 1]);
  return out;
}
