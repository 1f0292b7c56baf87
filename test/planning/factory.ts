/** Planning inputs for tests: a small hand-made instance, random tiny instances, an independent plan check. */
import fc from 'fast-check';
import {
  type ParsedPlanningInput,
  type PlanningInput,
  parsePlanningInput,
} from '../../src/engines/planning/contract.ts';
import type { PlanningResult } from '../../src/engines/planning/index.ts';
import { haversineKm, radiusKm } from '../../src/engines/planning/network.ts';

/** Three villages, a town, two schools and a site, about 10 km across; random ones 4 km (Zhoukou-like coordinates). */
export function planningInput(overrides: Partial<PlanningInput> = {}): PlanningInput {
  return {
    stage: 'primary',
    demand_points: [
      { id: 'V1', pupils: 120, lng: 114.6, lat: 33.6, area: 'rural' },
      { id: 'V2', pupils: 80, lng: 114.65, lat: 33.62, area: 'rural' },
      { id: 'C1', pupils: 400, lng: 114.7, lat: 33.63, area: 'urban' },
    ],
    schools: [
      {
        id: 'S1',
        capacity: 150,
        lng: 114.61,
        lat: 33.6,
        closure_saving_fen: 50_000_000,
        expansion: { class_size: 45, max_extra_classes: 4, cost_per_class_fen: 80_000_000 },
      },
      { id: 'S2', capacity: 300, lng: 114.7, lat: 33.625, must_keep: true },
    ],
    sites: [
      {
        id: 'N1',
        lng: 114.68,
        lat: 33.62,
        options: [
          { capacity: 270, cost_fen: 1_000_000_000 },
          { capacity: 540, cost_fen: 1_800_000_000 },
        ],
      },
    ],
    service_radius_km: { urban: 3, rural: 8 },
    cost_weight: 1e-6,
    budget_fen: 2_000_000_000,
    ...overrides,
  };
}

const coord = (base: number) => fc.integer({ min: 0, max: 400 }).map((k) => base + k / 10_000);

/** Tiny random instances (≤ 4 demand points, ≤ 2 schools, ≤ 2 sites) for brute force; split ones have few pupils. */
export function tinyInstance(split: boolean): fc.Arbitrary<ParsedPlanningInput> {
  const demand = fc.array(
    fc.record({
      pupils: split ? fc.integer({ min: 0, max: 2 }) : fc.integer({ min: 0, max: 60 }),
      lng: coord(114.6),
      lat: coord(33.6),
      area: fc.constantFrom('urban' as const, 'rural' as const),
    }),
    { minLength: 1, maxLength: split ? 3 : 4 },
  );
  const school = fc.record({
    capacity: split ? fc.integer({ min: 0, max: 4 }) : fc.integer({ min: 0, max: 120 }),
    lng: coord(114.6),
    lat: coord(33.6),
    must_keep: fc.boolean(),
    closure_saving_fen: fc.integer({ min: 0, max: 3 }).map((k) => k * 10_000_000),
    expansion: fc.option(
      fc.record({
        class_size: split ? fc.integer({ min: 1, max: 2 }) : fc.integer({ min: 10, max: 40 }),
        max_extra_classes: fc.integer({ min: 0, max: 2 }),
        cost_per_class_fen: fc.integer({ min: 1, max: 5 }).map((k) => k * 10_000_000),
      }),
      { nil: undefined },
    ),
    boarding: fc.boolean(),
  });
  const site = fc.record({
    lng: coord(114.6),
    lat: coord(33.6),
    options: fc.array(
      fc.record({
        capacity: split ? fc.integer({ min: 1, max: 4 }) : fc.integer({ min: 10, max: 120 }),
        cost_fen: fc.integer({ min: 1, max: 10 }).map((k) => k * 50_000_000),
      }),
      { minLength: 1, maxLength: 2 },
    ),
    boarding: fc.boolean(),
  });
  return fc
    .record({
      stage: fc.constantFrom('primary' as const, 'junior' as const),
      demand,
      schools: fc.array(school, { minLength: 1, maxLength: 2 }),
      sites: fc.array(site, { maxLength: 2 }),
      urban: fc.integer({ min: 2, max: 8 }),
      rural: fc.integer({ min: 3, max: 12 }),
      boardingRadius: fc.option(fc.integer({ min: 10, max: 20 }), { nil: undefined }),
      budget: fc.option(
        fc.integer({ min: 0, max: 20 }).map((k) => k * 50_000_000),
        { nil: undefined },
      ),
      maxNew: fc.option(fc.integer({ min: 0, max: 2 }), { nil: undefined }),
      weight: fc.constantFrom(0, 1e-7, 1e-6),
    })
    .map((r) =>
      parsePlanningInput({
        stage: r.stage,
        demand_points: r.demand.map((d, i) => ({ id: `D${i}`, ...d })),
        schools: r.schools.map((s, i) => ({ id: `S${i}`, ...s })),
        sites: r.sites.map((s, i) => ({ id: `N${i}`, ...s })),
        service_radius_km: { urban: r.urban, rural: r.rural, rural_boarding: r.boardingRadius },
        budget_fen: r.budget,
        max_new_schools: r.maxNew,
        cost_weight: r.weight,
        allow_split: split,
        gap_tolerance: 0,
      }),
    );
}

/** Everything a plan must respect, checked from the input alone (distances recomputed from coordinates). */
export function planViolations(input: ParsedPlanningInput, result: PlanningResult): string[] {
  const plan = result.plan!;
  const out: string[] = [];
  const detour = input.distance.method === 'haversine' ? input.distance.detour_factor : 1;
  const places = new Map([...input.schools, ...input.sites].map((p) => [p.id, p]));
  const seats = new Map<string, number>();
  const load = new Map<string, number>();
  for (const s of plan.schools) {
    const school = input.schools.find((x) => x.id === s.id)!;
    if (school.must_keep && s.action === 'close') out.push(`${s.id}: must-keep school closed`);
    if (s.extra_classes > (school.expansion?.max_extra_classes ?? 0)) out.push(`${s.id}: too many classes`);
    if (s.action !== 'close')
      seats.set(s.id, school.capacity + s.extra_classes * (school.expansion?.class_size ?? 0));
  }
  let spend = plan.schools.reduce(
    (a, s) =>
      a + s.extra_classes * (input.schools.find((x) => x.id === s.id)!.expansion?.cost_per_class_fen ?? 0),
    0,
  );
  let built = 0;
  for (const s of plan.sites) {
    if (s.action !== 'build') continue;
    const o = input.sites.find((x) => x.id === s.id)!.options[s.option!];
    seats.set(s.id, o.capacity);
    spend += o.cost_fen;
    built++;
  }
  if (input.budget_fen !== undefined && spend > input.budget_fen) out.push(`spend ${spend} over budget`);
  if (input.max_new_schools !== undefined && built > input.max_new_schools) out.push(`${built} new schools`);
  const served = new Map<string, string[]>();
  for (const a of plan.assignments) {
    const d = input.demand_points.find((x) => x.id === a.demand_point)!;
    const f = places.get(a.facility)!;
    if (!seats.has(a.facility)) out.push(`${a.demand_point} sent to closed ${a.facility}`);
    const km = haversineKm(d.lng, d.lat, f.lng, f.lat) * detour;
    if (km > radiusKm(input, d.area, f.boarding) + 1e-9) out.push(`${a.demand_point}→${a.facility} ${km} km`);
    load.set(a.facility, (load.get(a.facility) ?? 0) + a.pupils);
    served.set(a.demand_point, [...(served.get(a.demand_point) ?? []), a.facility]);
  }
  for (const [f, n] of load)
    if (n > (seats.get(f) ?? 0)) out.push(`${f}: ${n} pupils in ${seats.get(f)} seats`);
  for (const d of input.demand_points) {
    const got = plan.assignments.filter((a) => a.demand_point === d.id).reduce((a, x) => a + x.pupils, 0);
    if (got !== d.pupils) out.push(`${d.id}: ${got} of ${d.pupils} pupils placed`);
    if (!input.allow_split && (served.get(d.id)?.length ?? 0) > 1) out.push(`${d.id} split`);
  }
  return out;
}
