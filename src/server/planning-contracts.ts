import { z } from 'zod';
import { siteSchema } from '../engines/planning/contract.ts';
import { PLANNING_METHODS, PLANNING_STAGES } from '../planning/input.ts';

/**
 * The planning API's shapes (docs/planning.md): saved scenarios, one scenario with what its map shows,
 * the comparison. The web app imports the inferred types through web/src/api/types.ts.
 */

const Stage = z.enum(PLANNING_STAGES);
const county = z
  .string()
  .regex(/^\d{6}$/)
  .describe('GB/T 2260 code of a county');
const n = z.number().nullable();

export const ScenarioSummaryView = z.object({
  id: z.number(),
  name: z.string(),
  countyCode: z.string(),
  stage: Stage,
  targetYear: z.number(),
  forecastRun: z.string().nullable(),
  fingerprint: z.string().describe('SHA-256 of the canonical engine input'),
  status: z.enum(['optimal', 'feasible', 'infeasible', 'no_plan_found']),
  gap: n,
  pupils: n,
  meanKm: n,
  maxKm: n,
  seatsAdded: n,
  spendFen: n,
  netCostFen: n,
  schoolsClosed: n,
  schoolsExpanded: n,
  newSchools: n,
  largeClassShare: n.describe('projected classes of 56+ pupils ÷ all classes after the plan'),
  superLargeClassShare: n.describe('projected classes of 66+ pupils ÷ all classes after the plan'),
  createdBy: z.string(),
  createdAt: z.string(),
});
export type ScenarioSummaryView = z.infer<typeof ScenarioSummaryView>;

export const ScenarioListQuery = z.object({ county: county.optional() });
export const ScenarioList = z.object({ scenarios: z.array(ScenarioSummaryView) });
export type ScenarioList = z.infer<typeof ScenarioList>;
export const ScenarioParams = z.object({ id: z.coerce.number().int().positive() });
export const CompareQuery = z.object({
  ids: z
    .string()
    .regex(/^\d+(,\d+)*$/)
    .transform((s) => s.split(',').map(Number)),
});
export const ScenarioCompare = z.object({ scenarios: z.array(ScenarioSummaryView) });
export type ScenarioCompare = z.infer<typeof ScenarioCompare>;

export const CreateScenarioBody = z.object({
  name: z.string().trim().min(1).max(100),
  county,
  stage: Stage,
  year: z.number().int().min(2000).max(2100),
  forecastRunId: z.number().int().positive(),
  sites: z.array(siteSchema).optional(),
  mustKeep: z.array(z.string()).optional(),
  maxExtraClasses: z.number().int().nonnegative().optional(),
  expansionCostPerClassFen: z.number().int().nonnegative().optional(),
  closureSavingFen: z.number().int().nonnegative().optional(),
  seatsPerClass: z.number().int().positive().optional(),
  radiusKm: z
    .object({
      urban: z.number().positive(),
      rural: z.number().positive(),
      rural_boarding: z.number().positive().optional(),
    })
    .optional(),
  budgetFen: z.number().int().nonnegative().optional(),
  maxNewSchools: z.number().int().nonnegative().optional(),
  costWeight: z.number().nonnegative().optional(),
  allowSplit: z.boolean().optional(),
  detourFactor: z.number().min(1).max(3).optional().describe('路网系数: road km ÷ straight-line km'),
  timeLimitS: z.number().positive().max(600).optional().describe('limit of the exact solve, seconds'),
  method: z.enum(PLANNING_METHODS).optional().describe('auto (default): exact up to 150,000 pairs'),
  gapTolerance: z
    .number()
    .min(0)
    .max(1)
    .optional()
    .describe('relative gap at which the exact solve stops; 0.01 = 1 % (default)'),
  nearestK: z
    .number()
    .int()
    .positive()
    .optional()
    .describe('keep only the k nearest schools and sites of each demand point (default all)'),
});

const Place = { id: z.string(), lng: z.number(), lat: z.number() };
export const ScenarioView = z.object({
  summary: ScenarioSummaryView,
  radiusKm: z.object({ urban: z.number(), rural: z.number(), rural_boarding: z.number().optional() }),
  demandPoints: z.array(z.object({ ...Place, pupils: z.number(), area: z.enum(['urban', 'rural']) })),
  /** Existing schools with the plan's action; a new site that is built is `new`. */
  facilities: z.array(
    z.object({
      ...Place,
      name: z.string(),
      action: z.enum(['keep', 'expand', 'close', 'new']),
      extraClasses: z.number(),
      seats: z.number(),
      pupils: z.number(),
      costFen: z.number(),
      savingFen: z.number(),
      mergedInto: z.string().nullable(),
    }),
  ),
  assignments: z.array(
    z.object({ demandPoint: z.string(), facility: z.string(), pupils: z.number(), km: z.number() }),
  ),
  reasons: z.array(z.object({ zh: z.string(), en: z.string() })),
});
export type ScenarioView = z.infer<typeof ScenarioView>;
