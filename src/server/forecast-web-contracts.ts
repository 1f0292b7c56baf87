import { z } from 'zod';
import { STAGES } from '../domain/stages.ts';
import { RunView } from './forecast-contracts.ts';

/**
 * The shapes the forecast pages need beyond src/server/forecast-contracts.ts: the map's outlines of
 * a run's areas, and several runs' balances side by side (the scenario comparison and its export).
 */

export const OutlinesView = z.object({
  schematic: z.boolean().describe('true: outlines drawn around the schools, not real boundaries'),
  geojson: z.object({
    type: z.literal('FeatureCollection'),
    features: z.array(
      z.object({
        type: z.literal('Feature'),
        properties: z.object({ code: z.string().describe('the area id'), name: z.string() }),
        geometry: z.object({ type: z.string(), coordinates: z.unknown() }),
      }),
    ),
  }),
});
export type OutlinesView = z.infer<typeof OutlinesView>;

export const MAX_COMPARED_RUNS = 6;

export const CompareQuery = z.object({
  runs: z
    .string()
    .regex(new RegExp(`^\\d+(,\\d+){0,${MAX_COMPARED_RUNS - 1}}$`))
    .describe(`run ids, comma-separated (1–${MAX_COMPARED_RUNS})`),
  area: z.string().max(40).optional(),
  stage: z.enum(STAGES).optional(),
  year: z.coerce.number().int().min(1990).max(2100).optional(),
});
export const CompareExportQuery = CompareQuery.extend({ lang: z.enum(['zh', 'en']).default('zh') });

const Cell = z
  .object({ observed: z.boolean(), pupils: z.number(), seats: z.number(), gap: z.number() })
  .nullable()
  .describe('null: the run has no such area, stage or year');

export const CompareView = z.object({
  runs: z.array(RunView),
  areas: z.array(z.object({ id: z.string(), name: z.string() })).describe('every area of any run'),
  rows: z.array(
    z.object({
      area: z.string(),
      stage: z.enum(STAGES),
      year: z.number(),
      cells: z.array(Cell).describe('one per run, in the order asked'),
    }),
  ),
});
export type CompareView = z.infer<typeof CompareView>;
