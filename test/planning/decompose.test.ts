import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCounty } from '../../bench/planning.ts';
import { type ParsedPlanningInput, parsePlanningInput } from '../../src/engines/planning/contract.ts';
import { independentParts } from '../../src/engines/planning/decompose.ts';
import { facilityNeighbours, solveHeuristic } from '../../src/engines/planning/heuristic.ts';
import { solvePlanning } from '../../src/engines/planning/index.ts';
import { buildNetwork } from '../../src/engines/planning/network.ts';
import { costsOf, presentPlan } from '../../src/engines/planning/plan.ts';
import { singleSource } from '../../src/engines/planning/single-source.ts';
import { bruteForceOptimum } from './brute-force.ts';
import { planningInput, planViolations, tinyInstance } from './factory.ts';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const below = (a: number, b: number) => a <= b + 1e-6 * Math.max(1, Math.abs(b));

/** Two instances side by side, the second 1° of longitude (≈ 93 km) east: no pair joins them. */
function twoCounties(a: ParsedPlanningInput, b: ParsedPlanningInput): ParsedPlanningInput {
  const east = <T extends { id: string; lng: number }>(x: T) => ({ ...x, id: `B${x.id}`, lng: x.lng + 1 });
  return parsePlanningInput({
    ...a,
    demand_points: [...a.demand_points, ...b.demand_points.map(east)],
    schools: [...a.schools, ...b.schools.map(east)],
    sites: [...a.sites, ...b.sites.map(east)],
    budget_fen: undefined,
    max_new_schools: undefined,
  });
}

describe('planning: independent parts', () => {
  for (const split of [false, true])
    it(`two separate counties solved part by part give the whole model's optimum (${split ? 'split' : 'whole'})`, async () => {
      await fc.assert(
        fc.asyncProperty(tinyInstance(split), tinyInstance(split), async (a, b) => {
          const input = twoCounties(a, b);
          const net = buildNetwork(input);
          const parts = independentParts(net);
          const byParts = await solvePlanning({ ...input, method: 'exact' });
          // A budget no plan can reach keeps the model whole (a budget couples the parts).
          const whole = await solvePlanning({ ...input, method: 'exact', budget_fen: 1e15 });
          expect(whole.model.parts).toBeUndefined();
          expect(byParts.status).toBe(whole.status);
          if (whole.status === 'infeasible') return;
          if (parts.length > 1) expect(byParts.model.parts).toBe(parts.length);
          expect(planViolations(input, byParts)).toEqual([]);
          expect(close(byParts.objective!, whole.objective!)).toBe(true);
          expect(below(byParts.lower_bound!, whole.objective!)).toBe(true);
          // The parts' optima add up to it.
          const county = (east: boolean) => {
            const mine = (x: { id: string }) => x.id.startsWith('B') === east;
            return {
              ...input,
              method: 'exact' as const,
              demand_points: input.demand_points.filter(mine),
              schools: input.schools.filter(mine),
              sites: input.sites.filter(mine),
            };
          };
          const separate = [await solvePlanning(county(false)), await solvePlanning(county(true))];
          if (separate.every((r) => r.objective !== null))
            expect(close(byParts.objective!, separate[0].objective! + separate[1].objective!)).toBe(true);
        }),
        { numRuns: 10, seed: split ? 17 : 19, endOnFailure: true },
      );
    }, 300_000);

  it('finds the parts: the points and facilities no chain of pairs joins', () => {
    fc.assert(
      fc.property(tinyInstance(false), tinyInstance(false), (a, b) => {
        const input = twoCounties(a, b);
        const net = buildNetwork(input);
        const parts = independentParts(net);
        const ids = input.demand_points.map((d) => d.id);
        for (const part of parts) {
          const names = part.demand.map((i) => ids[net.demand[i]]);
          // A part never mixes the two counties.
          expect(new Set(names.map((n) => n.startsWith('B'))).size).toBe(1);
        }
        expect(parts.reduce((n, p) => n + p.demand.length, 0)).toBe(net.demand.length);
        expect(parts.reduce((n, p) => n + p.facilities.length, 0)).toBe(net.nFacilities);
      }),
      { numRuns: 100, seed: 23 },
    );
  });
});

describe('planning: bound ≤ optimum ≤ objective', () => {
  for (const split of [false, true])
    for (const method of ['exact', 'heuristic'] as const)
      it(`${method}, ${split ? 'split' : 'whole'}: the reported bound is at most the enumerated optimum, the objective at least`, async () => {
        await fc.assert(
          fc.asyncProperty(tinyInstance(split), async (input) => {
            const best = bruteForceOptimum(input);
            const r = await solvePlanning({ ...input, method });
            if (best === null || r.objective === null) return;
            expect(below(r.lower_bound!, best)).toBe(true);
            expect(below(best, r.objective)).toBe(true);
            expect(close(r.lower_bound!, r.objective * (1 - r.gap!))).toBe(true);
          }),
          { numRuns: 15, seed: split ? 29 : 31 },
        );
      }, 300_000);
});

describe('planning: single sourcing', () => {
  it('turns any plan into a whole-demand plan within every limit, never below the optimum', () => {
    fc.assert(
      fc.property(tinyInstance(false), (input) => {
        const net = buildNetwork(input);
        const best = bruteForceOptimum(input);
        const h = solveHeuristic(net);
        const all = new Uint8Array(net.nFacilities).fill(1);
        for (const options of [
          {},
          { mayOpen: all, facilityMoves: true, neighbours: facilityNeighbours(net) },
        ]) {
          const d = singleSource(net, h.decision, options);
          if (!d) continue;
          const objective = costsOf(net, d).objective;
          const result = { plan: presentPlan(net, d) } as Parameters<typeof planViolations>[1];
          expect(planViolations(input, result)).toEqual([]);
          expect(best).not.toBeNull();
          expect(below(best!, objective)).toBe(true);
          // Moves only lower the objective: from a feasible plan it is never worse.
          if (h.unserved === 0) expect(below(objective, h.costs.objective)).toBe(true);
        }
      }),
      { numRuns: 150, seed: 37 },
    );
  });

  it('same input, same plan: the search on a generated county, and the exact solve of two counties', async () => {
    const county = parsePlanningInput(
      generateCounty({ name: 't', method: 'exact', split: false, demand: 300, facilities: 50, sideKm: 30 }),
    );
    const net = buildNetwork(county);
    const h = solveHeuristic(net);
    const search = () =>
      singleSource(net, h.decision, {
        mayOpen: new Uint8Array(net.nFacilities).fill(1),
        facilityMoves: true,
        neighbours: facilityNeighbours(net),
      });
    const found = search();
    expect(found).not.toBeNull();
    expect(costsOf(net, found!).objective).toBeLessThan(h.costs.objective);
    expect(search()).toEqual(found);
    const one = parsePlanningInput(planningInput());
    const input = twoCounties(one, one);
    const first = await solvePlanning(input);
    expect(first).toMatchObject({ status: 'optimal', model: { parts: 2 } });
    expect(await solvePlanning(input)).toEqual(first);
  }, 120_000);
});
