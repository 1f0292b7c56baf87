import { describe, expect, it } from 'vitest';
import { parsePlanningInput } from '../../src/engines/planning/contract.ts';
import { solvePlanning } from '../../src/engines/planning/index.ts';
import { planningInput } from './factory.ts';

const solve = (overrides: Parameters<typeof planningInput>[0], method: 'exact' | 'heuristic' = 'exact') =>
  solvePlanning({ ...parsePlanningInput(planningInput(overrides)), method });

describe('infeasible inputs explained', () => {
  it('names the demand point no school or site can reach, with the radius and the nearest distance', async () => {
    const base = planningInput();
    const r = await solve({
      demand_points: [...base.demand_points, { id: 'FAR', pupils: 30, lng: 115.0, lat: 33.6, area: 'rural' }],
    });
    expect(r.status).toBe('infeasible');
    expect(r.plan).toBeNull();
    expect(r.infeasibility!.unreachable).toEqual([
      { demand_point: 'FAR', pupils: 30, radius_km: 8, nearest_km: expect.any(Number) },
    ]);
    // 114.7 → 115.0 at latitude 33.6 is about 27.8 km straight, × 1.3 detour.
    expect(r.infeasibility!.unreachable[0].nearest_km).toBeCloseTo(36.2, 0);
    expect(r.infeasibility!.reasons[0].en).toContain(
      'FAR (30 pupils) has no school or site within the 8 km radius',
    );
    expect(r.infeasibility!.reasons[0].zh).toContain('需求点 FAR（30 人）');
  });

  it('boarding lifts the rural radius at junior high, so the same point becomes reachable', async () => {
    const base = planningInput();
    const far = { id: 'FAR', pupils: 30, lng: 114.6, lat: 33.7, area: 'rural' as const };
    const schools = base.schools!.map((s) => (s.id === 'S1' ? { ...s, boarding: true } : s));
    const primary = await solve({ demand_points: [...base.demand_points, far], schools });
    expect(primary.status).toBe('infeasible');
    const junior = await solve({
      stage: 'junior',
      demand_points: [...base.demand_points, far],
      schools,
      service_radius_km: { urban: 3, rural: 8, rural_boarding: 20 },
    });
    expect(junior.status).toBe('optimal');
    expect(junior.plan!.assignments.find((a) => a.demand_point === 'FAR')?.facility).toBe('S1');
  });

  it('says by how many seats a group of demand points is short of everything it can reach', async () => {
    const r = await solve({
      demand_points: [
        { id: 'V1', pupils: 500, lng: 114.6, lat: 33.6, area: 'rural' },
        { id: 'V2', pupils: 200, lng: 114.61, lat: 33.6, area: 'rural' },
      ],
      sites: [],
      service_radius_km: { urban: 3, rural: 3 },
    });
    expect(r.status).toBe('infeasible');
    // S1 alone is within 3 km: 150 seats + 4 classes of 45 = 330.
    expect(r.infeasibility!.capacity_short).toEqual([
      { demand_points: ['V1', 'V2'], facilities: ['S1'], pupils: 700, max_seats: 330, short_seats: 370 },
    ]);
    expect(r.infeasibility!.reasons.map((x) => x.en)).toContain(
      '2 demand points with 700 pupils can reach at most 330 seats: 370 short (V1, V2)',
    );
  });

  it('says when a budget cannot buy the seats that must be added, with the least spending', async () => {
    const r = await solve({ budget_fen: 100_000_000 }, 'heuristic');
    expect(r.status).toBe('infeasible');
    // 600 pupils, 450 seats today: 150 seats at best 80,000,000 / 45 fen a seat (expansions of S1).
    expect(r.infeasibility!.budget).toEqual({ budget_fen: 100_000_000, min_spend_fen: 266_666_667 });
  });

  it('says when a point that may not be split is larger than any school it can reach', async () => {
    const r = await solve({
      demand_points: [{ id: 'C1', pupils: 700, lng: 114.7, lat: 33.63, area: 'urban' }],
    });
    expect(r.status).toBe('infeasible');
    expect(r.infeasibility!.too_large).toEqual([{ demand_point: 'C1', pupils: 700, largest_seats: 540 }]);
  });

  it('says when more new schools are needed than allowed', async () => {
    const r = await solve({
      demand_points: [{ id: 'C1', pupils: 500, lng: 114.69, lat: 33.62, area: 'urban' }],
      schools: [],
      max_new_schools: 0,
    });
    expect(r.status).toBe('infeasible');
    expect(r.infeasibility!.new_schools).toEqual({ max_new_schools: 0, min_new_schools: 1 });
  });
});
