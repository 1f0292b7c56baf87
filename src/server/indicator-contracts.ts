import { z } from 'zod';

/**
 * The indicator API's shapes (dashboard, trend, drill-down, records behind a figure, exports).
 * The web app imports the inferred types through web/src/api/types.ts.
 */

const Text = z.object({ zh: z.string(), en: z.string() });

export const IndicatorDefinitionView = z.object({
  id: z.string(),
  zh: z.string(),
  en: z.string(),
  formula: z.string(),
  numerator: z.string(),
  denominator: z.string(),
  unit: z.enum(['percent', 'ratio', 'count']),
  stages: z.array(z.string()),
  source: z.string(),
});
export type IndicatorDefinitionView = z.infer<typeof IndicatorDefinitionView>;

export const IndicatorTargetView = z.object({
  comparator: z.enum(['at_least', 'at_most']),
  threshold: z.number(),
  closeMargin: z.number(),
  source: z.string(),
});

export const IndicatorFigure = z.object({
  id: z.string(),
  stage: z.string().nullable().describe('kindergarten|primary|junior|senior, or null for whole-system'),
  value: z.number().nullable().describe('null when not available (see reason)'),
  numerator: z.number(),
  denominator: z.number().nullable(),
  unit: z.enum(['percent', 'ratio', 'count']),
  reason: Text.nullable(),
  target: IndicatorTargetView.nullable(),
  status: z.enum(['met', 'close', 'not_met']).nullable(),
});
export type IndicatorFigure = z.infer<typeof IndicatorFigure>;

export const IndicatorRegionRef = z.object({
  code: z.string().describe('GB/T 2260 code, or the school code for a school'),
  name: z.string(),
  level: z.enum(['province', 'city', 'county', 'township', 'school']),
  countyCode: z.string().nullable(),
  schoolId: z.number().nullable(),
});
export type IndicatorRegionRef = z.infer<typeof IndicatorRegionRef>;

const regionParam = z
  .string()
  .regex(/^[0-9A-Za-z-]{1,32}$/)
  .optional()
  .describe('region (city, county, township) or school code; default: the user’s own region or school');
const yearParam = z.coerce
  .number()
  .int()
  .min(1990)
  .max(2100)
  .optional()
  .describe('census year; default: the latest year with data');

export const IndicatorRegionQuery = z.object({ region: regionParam, year: yearParam });

const Base = {
  region: IndicatorRegionRef,
  /** From the top of the user's scope down to the region's parent (the drill-down breadcrumb). */
  path: z.array(IndicatorRegionRef),
  year: z.number().nullable(),
  /** Census years with data for the region (the year picker). */
  years: z.array(z.number()),
};

export const IndicatorRegionView = z.object({
  ...Base,
  figures: z.array(IndicatorFigure.extend({ definition: IndicatorDefinitionView })),
});
export type IndicatorRegionView = z.infer<typeof IndicatorRegionView>;

export const IndicatorTrendView = z.object({
  region: IndicatorRegionRef,
  points: z.array(z.object({ year: z.number(), figures: z.array(IndicatorFigure) })),
});
export type IndicatorTrendView = z.infer<typeof IndicatorTrendView>;

export const IndicatorChildrenView = z.object({
  ...Base,
  /** The level of the rows: counties of a city, townships of a county, schools of a township. */
  childLevel: z.enum(['county', 'township', 'school']).nullable(),
  definitions: z.array(IndicatorDefinitionView),
  /** The region's own figures (the total row). */
  total: z.array(IndicatorFigure),
  children: z.array(z.object({ region: IndicatorRegionRef, figures: z.array(IndicatorFigure) })),
});
export type IndicatorChildrenView = z.infer<typeof IndicatorChildrenView>;

const recordsParams = {
  indicator: z.string().min(1).max(64),
  stage: z.enum(['kindergarten', 'primary', 'junior', 'senior']).optional(),
  source: z
    .enum(['figure', 'register'])
    .default('figure')
    .describe('figure: the census rows, classes or schools counted; register: the pupils of one school'),
};

export const IndicatorRecordsQuery = z.object({
  region: regionParam,
  year: yearParam,
  ...recordsParams,
  page: z.coerce.number().int().positive().default(1),
  pageSize: z.coerce.number().int().positive().max(500).default(50),
});

export const IndicatorRecordsView = z.object({
  region: IndicatorRegionRef,
  year: z.number(),
  indicator: z.string(),
  stage: z.string().nullable(),
  source: z.enum(['figure', 'register']),
  kind: z.enum(['census', 'classes', 'schools', 'disabled', 'pupils']),
  /** Names and ID numbers masked (always in exports). */
  masked: z.boolean(),
  figure: IndicatorFigure,
  columns: z.array(z.object({ key: z.string(), label: z.string(), numeric: z.boolean() })),
  rows: z.array(z.array(z.union([z.string(), z.number(), z.null()]))),
  total: z.number(),
});
export type IndicatorRecordsView = z.infer<typeof IndicatorRecordsView>;

export const IndicatorExportQuery = z.object({
  view: z.enum(['region', 'trend', 'children', 'records']),
  region: regionParam,
  year: yearParam,
  indicator: recordsParams.indicator.optional().describe('records: required; children: one indicator only'),
  stage: recordsParams.stage,
  source: recordsParams.source,
});
