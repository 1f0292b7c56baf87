import { GRADES, type Grade } from '../../src/domain/stages.ts';
import type { ForecastInput } from '../../src/engines/forecast/index.ts';

type Area = ForecastInput['areas'][number];

export interface TrueRatios {
  /** Entry ratio of K1 and G1 over the blended births. */
  K1: number;
  G1: number;
  /** Progression ratio into each later grade (same for every grade when a number). */
  progression: number | Partial<Record<Grade, number>>;
}

/**
 * A synthetic population whose ratios are constant and known: births by `birthsOf`, every grade of
 * every year from its true ratios. `truth(year, grade)` gives any year, observed or future.
 */
export function syntheticArea(
  o: {
    id?: string;
    ratios?: TrueRatios;
    birthsOf?: (year: number) => number;
    cutoffMonth?: number;
    firstYear?: number;
    baseYear?: number;
    birthsUntil?: number;
    grades?: readonly Grade[];
  } = {},
): { area: Area; truth: (year: number, grade: Grade) => number } {
  const ratios = o.ratios ?? { K1: 0.82, G1: 0.97, progression: 0.985 };
  const birthsOf = o.birthsOf ?? ((y: number) => 12_000 - 250 * (y - 2010));
  const c = o.cutoffMonth ?? 8;
  const blend = (t: number, lag: number) => (c * birthsOf(t - lag) + (12 - c) * birthsOf(t - lag - 1)) / 12;
  const progression = (g: Grade) =>
    typeof ratios.progression === 'number' ? ratios.progression : ratios.progression[g]!;
  const truth = (y: number, g: Grade): number => {
    if (g === 'K1') return ratios.K1 * blend(y, 3);
    if (g === 'G1') return ratios.G1 * blend(y, 6);
    const below = GRADES[GRADES.indexOf(g) - 1];
    return progression(g) * truth(y - 1, below);
  };
  const grades = o.grades ?? GRADES;
  const firstYear = o.firstYear ?? 2018;
  const baseYear = o.baseYear ?? 2025;
  const births: Record<string, number> = {};
  for (let y = 1995; y <= (o.birthsUntil ?? 2045); y++) births[y] = birthsOf(y);
  const enrollment: Area['enrollment'] = {};
  for (let y = firstYear; y <= baseYear; y++)
    enrollment[y] = Object.fromEntries(grades.map((g) => [g, truth(y, g)]));
  return { area: { id: o.id ?? '411402', births, enrollment }, truth };
}

/** An input over the given areas with the contract's usual settings. */
export function forecastInput(areas: Area[], o: Partial<ForecastInput> = {}): ForecastInput {
  return { baseYear: 2025, horizon: 10, window: 3, cutoffMonth: 8, areas, ...o };
}

/** A deep copy, for breaking one field of a valid input. */
export const clone = <T>(x: T): T => structuredClone(x);
