import { describe, expect, it } from 'vitest';
import type { PresentedPlan } from '../../src/engines/planning/plan.ts';
import { placeClasses, planClassSizes, taughtGrades } from '../../src/planning/class-sizes.ts';
import { largeClassShares } from '../../src/planning/scenarios.ts';

const school = (id: string, action: 'keep' | 'expand' | 'close', pupils: number, extra = 0) => ({
  id,
  action,
  extra_classes: extra,
  seats: 0,
  pupils,
  cost_fen: 0,
  saving_fen: 0,
});
const to = (demand_point: string, facility: string, pupils: number) => ({
  demand_point,
  facility,
  pupils,
  km: 1,
});

/**
 * By hand. Area A (points P1, P2) projects G1 60, G2 40 → mix 0.6 / 0.4; area B (P3, P5) G1 50, G2 50.
 * - S1 keeps 2 + 2 classes; P1 sends 200 → G1 120 in 2 (60 each: 大班额), G2 80 in 2 (40): 2 large of 4.
 * - S2 adds 1 class to its 1 + 1; P2 sends 100 (60 / 40), P3 70 (35 / 35) → G1 95, G2 75. The added
 *   class goes to G1 (95 per class against 75): G1 95 in 2 (48 + 47), G2 75 in 1 (超大班额): 1 large,
 *   1 super-large of 3.
 * - S3 closes: its 3 classes do not count.
 * - N1 is built with 135 seats → 3 classes; P5 sends 130 → G1 65, G2 65: the first two classes go to
 *   the grades without one, the third to G1 (tie, lower grade): G1 2 × 32.5, G2 65 in 1 (大班额, not
 *   超大): 1 large of 3.
 * Total 10 classes, 4 large (56+), 1 super-large (66+).
 */
const plan: PresentedPlan = {
  summary: {
    pupils: 500,
    pupil_km: 500,
    mean_km: 1,
    max_km: 1,
    seats_added: 180,
    spend_fen: 0,
    saving_fen: 0,
    net_cost_fen: 0,
    schools_closed: 1,
    schools_expanded: 1,
    new_schools: 1,
  },
  schools: [school('S1', 'keep', 200), school('S2', 'expand', 170, 1), school('S3', 'close', 0)],
  sites: [
    { id: 'N1', action: 'build', option: 0, seats: 135, pupils: 130, cost_fen: 0 },
    { id: 'N2', action: 'none', seats: 0, pupils: 0, cost_fen: 0 },
  ],
  assignments: [to('P1', 'S1', 200), to('P2', 'S2', 100), to('P3', 'S2', 70), to('P5', 'N1', 130)],
};
const classesByGrade = { S1: { G1: 2, G2: 2 }, S2: { G1: 1, G2: 1 }, S3: { G1: 3 } };
const areas = [
  { id: 'A', grades: { G1: 60, G2: 40 }, points: ['P1', 'P2'] },
  { id: 'B', grades: { G1: 50, G2: 50 }, points: ['P3', 'P5'] },
];

describe('projected class sizes after a plan', () => {
  it('places added classes where the classes are fullest', () => {
    expect(placeClasses(['G1', 'G2'], { G1: 120, G2: 90 }, { G1: 2, G2: 2 }, 1)).toEqual({ G1: 3, G2: 2 });
    expect(placeClasses(['G1', 'G2', 'G3'], { G1: 65, G2: 65 }, {}, 3)).toEqual({ G1: 2, G2: 1, G3: 0 });
  });

  it('counts the classes of 56+ and 66+ pupils as computed by hand', () => {
    expect(planClassSizes({ stage: 'primary', plan, classesByGrade, areas })).toEqual({
      classes: 10,
      large: 4,
      superLarge: 1,
      largeShare: 0.4,
      superLargeShare: 0.1,
    });
  });

  it('teaches a school’s pupils in the grades it has classes for (a 教学点 of grade 1)', () => {
    expect(taughtGrades(['G1', 'G2'], { G1: 72, G2: 48 }, { G1: 2 })).toEqual({ G1: 120, G2: 0 });
    // S4 has 2 classes of G1 only; P1 (area A, 0.6 / 0.4) sends 120: all 120 in G1, 60 a class — both large.
    const small: PresentedPlan = {
      ...plan,
      schools: [school('S4', 'keep', 120)],
      sites: [],
      assignments: [to('P1', 'S4', 120)],
    };
    expect(
      planClassSizes({ stage: 'primary', plan: small, classesByGrade: { S4: { G1: 2 } }, areas }),
    ).toEqual({
      classes: 2,
      large: 2,
      superLarge: 0,
      largeShare: 1,
      superLargeShare: 0,
    });
  });

  it('gives a scenario its shares from the kept per-grade figures, and the mean for old scenarios', () => {
    const result = { status: 'optimal', plan } as Parameters<typeof largeClassShares>[0]['result'];
    const classes = { S1: 4, S2: 2, S3: 3 };
    const params = { options: {}, forecastRun: { id: 1, name: 'x', fingerprint: '' }, skipped: [], classes };
    expect(
      largeClassShares({ stage: 'primary', result, parameters: { ...params, classesByGrade, areas } }),
    ).toEqual({ largeClassShare: 0.4, superLargeClassShare: 0.1 });
    // Means: S1 200 / 4 = 50, S2 170 / 3 ≈ 56.7 (3 large), N1 130 / 3 ≈ 43.3: 3 of 10.
    expect(largeClassShares({ stage: 'primary', result, parameters: params })).toEqual({
      largeClassShare: 0.3,
      superLargeClassShare: 0,
    });
    expect(
      largeClassShares({ stage: 'primary', result: { ...result, plan: null }, parameters: params }),
    ).toEqual({ largeClassShare: null, superLargeClassShare: null });
  });
});
