import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { generateCounty } from '../../bench/planning.ts';
import { type ParsedPlanningInput, parsePlanningInput } from '../../src/engines/planning/contract.ts';
import { solveHeuristic } from '../../src/engines/planning/heuristic.ts';
import { solvePlanning } from '../../src/engines/planning/index.ts';
import { lagrangianBound } from '../../src/engines/planning/lagrangian.ts';
import { improveByNeighbourhoods } from '../../src/engines/planning/neighbourhoods.ts';
import { buildNetwork } from '../../src/engines/planning/network.ts';
import { costsOf } from '../../src/engines/planning/plan.ts';
import { bruteForceOptimum } from './brute-force.ts';
import { planningInput, planViolations, tinyInstance } from './factory.ts';

const close = (a: number, b: number) => Math.abs(a - b) <= 1e-6 * Math.max(1, Math.abs(b));
const solve = (input: ParsedPlanningInput, method: 'exact' | 'heuristic') =>
  solvePlanning({ ...input, method });

describe('planning engine on the hand-made instance', () => {
  it('builds the larger option for the town, keeps the villages’ school, and respects every limit', async () => {
    const input = parsePlanningInput(planningInput());
    const r = await solve(input, 'exact');
    expect(r.status).toBe('optimal');
    expect(planViolations(input, r)).toEqual([]);
    // The town's 400 pupils fit neither S2 (300 seats, must keep) nor the small option: N1 at 540 seats.
    expect(r.plan!.sites[0]).toMatchObject({ id: 'N1', action: 'build', option: 1, seats: 540 });
    expect(r.plan!.assignments.find((a) => a.demand_point === 'C1')?.facility).toBe('N1');
    expect(r.objective).toBeCloseTo(bruteForceOptimum(input)!, 6);
    expect(r.gap).toBe(0);
  });

  it('closes a school when its saving outweighs the longer trips', async () => {
    const input = parsePlanningInput(
      planningInput({
        schools: [
          { id: 'S1', capacity: 300, lng: 114.61, lat: 33.6, closure_saving_fen: 100_000_000 },
          { id: 'S2', capacity: 800, lng: 114.66, lat: 33.62, must_keep: true },
        ],
        sites: [],
        demand_points: [
          { id: 'V1', pupils: 50, lng: 114.6, lat: 33.6, area: 'rural' },
          { id: 'V2', pupils: 80, lng: 114.65, lat: 33.62, area: 'rural' },
        ],
        cost_weight: 1e-5,
      }),
    );
    const r = await solve(input, 'exact');
    expect(r.plan!.schools[0]).toMatchObject({
      id: 'S1',
      action: 'close',
      saving_fen: 100_000_000,
      merged_into: 'S2',
    });
    expect(r.plan!.summary).toMatchObject({
      schools_closed: 1,
      saving_fen: 100_000_000,
      net_cost_fen: -100_000_000,
    });
    expect(r.objective).toBeCloseTo(bruteForceOptimum(input)!, 6);
  });

  it('gives the same plan for the same input, by either method', async () => {
    const input = parsePlanningInput(planningInput());
    for (const method of ['exact', 'heuristic'] as const)
      expect(await solve(input, method)).toEqual(await solve(input, method));
  });
});

describe('planning engine against brute force on tiny random instances', () => {
  for (const split of [false, true])
    it(`exact equals the enumerated optimum and respects every limit (${split ? 'split' : 'whole'} demand points)`, async () => {
      await fc.assert(
        fc.asyncProperty(tinyInstance(split), async (input) => {
          const best = bruteForceOptimum(input);
          const r = await solve(input, 'exact');
          if (best === null) {
            expect(r.status).toBe('infeasible');
            expect(r.infeasibility?.reasons.length).toBeGreaterThan(0);
            return;
          }
          expect(r.status).toBe('optimal');
          expect(planViolations(input, r)).toEqual([]);
          expect(close(r.objective!, best)).toBe(true);
        }),
        { numRuns: 60, seed: split ? 7 : 11 },
      );
    });

  for (const split of [false, true])
    it(`the heuristic's plan is feasible, its bound below the optimum and its gap consistent (${split ? 'split' : 'whole'})`, async () => {
      await fc.assert(
        fc.asyncProperty(tinyInstance(split), async (input) => {
          const best = bruteForceOptimum(input);
          const r = await solve(input, 'heuristic');
          if (best === null) {
            expect(['infeasible', 'no_plan_found']).toContain(r.status);
            return;
          }
          if (r.status === 'no_plan_found') return;
          expect(planViolations(input, r)).toEqual([]);
          expect(r.objective!).toBeGreaterThanOrEqual(best - 1e-6 * Math.max(1, best));
          expect(r.lower_bound!).toBeLessThanOrEqual(best + 1e-6 * Math.max(1, best));
          expect(close(r.lower_bound!, r.objective! * (1 - r.gap!))).toBe(true);
        }),
        { numRuns: 80, seed: split ? 3 : 5 },
      );
    });

  it('re-solving neighbourhoods never worsens the heuristic’s plan nor passes the optimum', async () => {
    await fc.assert(
      fc.asyncProperty(tinyInstance(true), async (input) => {
        const best = bruteForceOptimum(input);
        const net = buildNetwork(input);
        const h = solveHeuristic(net);
        if (best === null || h.unserved > 0) return;
        const value = costsOf(
          net,
          await improveByNeighbourhoods(net, h.decision, performance.now() + 30_000),
        ).objective;
        expect(value).toBeLessThanOrEqual(h.costs.objective + 1e-9);
        expect(value).toBeGreaterThanOrEqual(best - 1e-6 * Math.max(1, best));
      }),
      { numRuns: 40, seed: 21 },
    );
  });

  it('the Lagrangian bound never exceeds the enumerated optimum', () => {
    fc.assert(
      fc.property(tinyInstance(false), (input) => {
        const best = bruteForceOptimum(input);
        if (best === null) return;
        expect(lagrangianBound(buildNetwork(input), best * 1.5 + 1)).toBeLessThanOrEqual(
          best + 1e-6 * Math.max(1, best),
        );
      }),
      { numRuns: 100, seed: 13 },
    );
  });
});

describe('the heuristic with its neighbourhoods re-solved, on a generated county (300 points × 50 schools and sites)', () => {
  it('closes most of the gap to the exact optimum, within every limit', async () => {
    const input = parsePlanningInput(
      generateCounty({
        name: 'm',
        method: 'heuristic',
        split: true,
        demand: 300,
        facilities: 50,
        sideKm: 25,
      }),
    );
    const net = buildNetwork(input);
    const start = solveHeuristic(net).costs.objective;
    const r = await solvePlanning({ ...input, method: 'heuristic' });
    const exact = await solvePlanning({ ...input, method: 'exact' });
    expect(exact.status).toBe('optimal');
    expect(planViolations(input, r)).toEqual([]);
    // Measured: heuristic 655,399, re-solved 643,826, optimum 638,438 (2.7 % above it, then 0.8 %).
    expect(r.objective!).toBeLessThan(start * 0.99);
    expect(r.objective!).toBeLessThanOrEqual(exact.objective! * 1.015);
  }, 180_000);
});
