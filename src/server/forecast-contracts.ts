import { z } from 'zod';
import { STAGES } from '../domain/stages.ts';
import { AREA_LEVELS } from '../forecast/areas.ts';
import { housingYieldSchema } from '../forecast/housing.ts';
import { PROJECT_STATUSES } from '../forecast/supply.ts';

/**
 * The forecast API's shapes: saved runs, a run's seat balance with flags, one area's series, exports.
 * The web app imports the inferred types through web/src/api/types.ts.
 */

const Text = z.object({ zh: z.string(), en: z.string() });
const Stage = z.enum(STAGES);
const regionCode = z
  .string()
  .regex(/^\d{6}(\d{3})?$/)
  .describe('GB/T 2260 code of a city, county or township');

export const RunView = z.object({
  id: z.number().nullable(),
  name: z.string().nullable(),
  regionCode: z.string(),
  countyCode: z.string().nullable(),
  areaLevel: z.enum(AREA_LEVELS),
  baseYear: z.number(),
  horizon: z.number(),
  window: z.number(),
  cutoffMonth: z.number(),
  intervalLevel: z.number().nullable(),
  fingerprint: z.string().describe('SHA-256 of the canonical engine input'),
  createdBy: z.string().nullable(),
  createdAt: z.string().nullable(),
  excluded: z.array(z.object({ area: z.string(), grade: z.string(), reason: Text })),
  housing: housingYieldSchema.extend({ projects: z.number(), unplaced: z.array(z.string()) }).nullable(),
});
export type RunView = z.infer<typeof RunView>;

export const RunSummaryView = z.object({
  id: z.number(),
  name: z.string(),
  regionCode: z.string(),
  regionName: z.string(),
  countyCode: z.string().nullable(),
  areaLevel: z.enum(AREA_LEVELS),
  baseYear: z.number(),
  horizon: z.number(),
  window: z.number(),
  fingerprint: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const RunListQuery = z.object({ region: regionCode.optional() });
export const RunList = z.object({ runs: z.array(RunSummaryView) });
export type RunList = z.infer<typeof RunList>;

export const CreateRunBody = z.object({
  name: z.string().trim().min(1).max(100),
  region: regionCode,
  horizon: z.number().int().min(1).max(30),
  window: z.number().int().min(1).max(10).optional(),
  areas: z.enum(AREA_LEVELS).optional().describe('default: a city by county, a county by township'),
  baseYear: z.number().int().min(1990).max(2100).optional(),
  intervals: z
    .number()
    .gt(0)
    .lt(1)
    .nullable()
    .optional()
    .describe('share of outcomes the intervals hold (default 0.8); null: none'),
  housing: housingYieldSchema.optional().describe('a pupils-per-unit yield: adds the housing pipeline'),
});

export const RunParams = z.object({ id: z.coerce.number().int().positive() });
export const AreaParams = RunParams.extend({ area: z.string().min(1).max(40) });

const supplyQuery = {
  count: z
    .string()
    .regex(/^[a-z_,]*$/)
    .optional()
    .describe(
      `project statuses whose seats count, comma-separated (${PROJECT_STATUSES.join(', ')}); default approved,under_construction`,
    ),
  classSize: z.enum(['stored', 'standard']).default('stored'),
};

export const BalanceQuery = z.object({
  area: z.string().max(40).optional(),
  stage: Stage.optional(),
  year: z.coerce.number().int().min(1990).max(2100).optional().describe('rows of one year (the map)'),
  flagged: z.enum(['0', '1']).default('0').describe('1: only area × stage pairs with a flag'),
  ...supplyQuery,
});
export const SeriesQuery = z.object(supplyQuery);
export const BalanceExportQuery = z.object({ lang: z.enum(['zh', 'en']).default('zh'), ...supplyQuery });

const Flags = z.object({
  area: z.string(),
  name: z.string(),
  stage: Stage,
  severity: z.number(),
  level: z.enum(['high', 'medium', 'low', 'none']),
  shortfall: z
    .object({ firstYear: z.number(), seats: z.number(), worstYear: z.number(), worstSeats: z.number() })
    .nullable(),
  largeClass: z.object({ firstYear: z.number(), share: z.number(), worstShare: z.number() }).nullable(),
  surplus: z
    .object({ from: z.number(), to: z.number(), emptyShare: z.number(), emptySeats: z.number() })
    .nullable(),
  peak: z.object({ year: z.number(), pupils: z.number() }),
});

export const BalanceView = z.object({
  run: RunView,
  supply: z.object({
    classSize: z.enum(['stored', 'standard']),
    countStatuses: z.array(z.enum(PROJECT_STATUSES)),
  }),
  areas: z.array(z.object({ id: z.string(), name: z.string() })),
  rows: z.array(
    z.object({
      area: z.string(),
      stage: Stage,
      year: z.number(),
      observed: z.boolean(),
      pupils: z.number(),
      seats: z.number(),
      projectSeats: z.number(),
      gap: z.number().describe('seats − pupils: positive a surplus, negative a shortfall'),
      classes: z.number(),
      averageClassSize: z.number().nullable(),
      overStandardShare: z.number().nullable(),
      largeClassShare: z.number().nullable(),
    }),
  ),
  flags: z.array(Flags).describe('most severe first'),
  unplacedProjects: z.array(z.string()),
});
export type BalanceView = z.infer<typeof BalanceView>;

export const SeriesView = z.object({
  run: RunView,
  area: z.object({ id: z.string(), name: z.string() }),
  stages: z.array(
    z.object({
      stage: Stage,
      points: z.array(
        z.object({
          year: z.number(),
          observed: z.number().nullable(),
          projected: z.number().nullable(),
          low: z.number().nullable(),
          high: z.number().nullable(),
          seats: z.number().nullable(),
          projectSeats: z.number().nullable(),
        }),
      ),
      deliveries: z.array(
        z.object({
          code: z.string(),
          name: z.string(),
          deliveryYear: z.number(),
          seats: z.number(),
          status: z.enum(PROJECT_STATUSES),
          counts: z.boolean(),
        }),
      ),
    }),
  ),
});
export type SeriesView = z.infer<typeof SeriesView>;
