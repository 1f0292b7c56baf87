/**
 * The planning options' defaults (docs/planning.md), in a module of its own with no imports so that the
 * web app's form shows the same defaults the store's input builder uses.
 */

export const PLANNING_STAGES = ['primary', 'junior'] as const;
export type PlanningStage = (typeof PLANNING_STAGES)[number];

/**
 * Default service radii, km of road: practice in county layout plans (configurable, not a standard).
 * GB 50180-2018 asks 500 m (primary) and 1,000 m (junior) of new urban residential districts, which
 * existing counties rarely meet; rural junior highs with boarding serve a whole township.
 */
export const DEFAULT_RADIUS_KM: Record<
  PlanningStage,
  { urban: number; rural: number; rural_boarding?: number }
> = {
  primary: { urban: 2, rural: 5 },
  junior: { urban: 3, rural: 10, rural_boarding: 20 },
};

/** How the engine solves (docs/planning-engine.md): auto is exact up to 150,000 demand–school pairs. */
export const PLANNING_METHODS = ['auto', 'exact', 'heuristic'] as const;
export type PlanningMethod = (typeof PLANNING_METHODS)[number];

export const DEFAULT_PLANNING_OPTIONS = {
  maxExtraClasses: 6,
  expansionCostPerClassFen: 100_000_000,
  closureSavingFen: 0,
  costWeight: 1e-6,
  allowSplit: false,
  detourFactor: 1.3,
  timeLimitS: 60,
  method: 'auto' as PlanningMethod,
  /** Relative gap at which the exact solve stops: 0.01 = 1 %. */
  gapTolerance: 0.01,
  /** Keep only the k nearest schools and sites of each demand point; null: all within the radius. */
  nearestK: null as number | null,
} as const;
