/**
 * The JSON contract of `eduatlas forecast solve FILE` (DESIGN.md, "forecast solve"): the input and
 * its options validated with zod, and the output types.
 */
import { z } from 'zod';
import { parseContract } from '../../domain/contract.ts';
import { GRADES, type Grade } from '../../domain/stages.ts';
import { forecastError, issueWords, placeOfPath } from './errors.ts';

/** A calendar year (births) or a school year named by the year it starts in. */
const yearKey = z.string().regex(/^\d{4}$/);
const year = z.number().int().min(1900).max(2999);
const count = z.number().nonnegative();
const grade = z.enum(GRADES);
/** Grade → count; a key that is not one of K1–K3, G1–G12 is refused. An object rather than a
 *  record: zod compiles its checks, which halves the validation of a province's counts. */
const gradeCounts = z.strictObject(
  Object.fromEntries(GRADES.map((g) => [g, count.optional()])) as Record<Grade, z.ZodOptional<typeof count>>,
);

export const forecastAreaSchema = z.object({
  /** County, township or catchment code; unique in the input. */
  id: z.string().min(1),
  /** Births of each calendar year. */
  births: z.record(yearKey, count),
  /** Pupils on the roll: school year → grade → count. */
  enrollment: z.record(yearKey, gradeCounts),
});

/**
 * Births beyond the last given year, instead of holding the last value. `years`: how many of the
 * last given birth years the method is fitted on.
 */
export const birthsOptionSchema = z.discriminatedUnion('method', [
  /** Least-squares line through the last `years` given births, never below 0. */
  z.object({ method: z.literal('trend'), years: z.number().int().min(2).default(5) }),
  /** Women aged 15–49 × the general fertility rate (births per 1,000 such women). */
  z.object({
    method: z.literal('fertility'),
    /** Area id → calendar year → women aged 15–49; held after the last given year. */
    women: z.record(z.string(), z.record(yearKey, count)),
    /** Calendar year → births per 1,000 women aged 15–49, for every area; held after the last given
     *  year. Absent: each area's own rate, the mean of births ÷ women over its last `years` birth years. */
    rate: z.record(yearKey, count).optional(),
    years: z.number().int().min(1).default(5),
  }),
]);

/** New housing: pupils per unit by grade, phased in from the delivery year. */
export const housingOptionSchema = z.object({
  area: z.string(),
  deliveryYear: year,
  units: count,
  /** Pupils per new unit, by grade, once fully occupied. */
  yield: gradeCounts,
  /** Share of the full yield in school years deliveryYear, deliveryYear + 1, …; the last is held. */
  phasing: z.array(count).min(1).default([1]),
});

/** Net migration into an area's grades each school year, beyond what the fitted ratios carry. */
export const migrationOptionSchema = z
  .object({
    area: z.string(),
    grades: z.array(grade).min(1),
    from: year.optional(),
    to: year.optional(),
    /** Net pupils arriving (negative: leaving) in each of the grades each year. */
    count: z.number().optional(),
    /** Net arrivals as a share of the default forecast of the grade that year (−0.02: 2 % leave). */
    rate: z.number().min(-1).optional(),
  })
  .refine((m) => (m.count === undefined) !== (m.rate === undefined), {
    message: 'give exactly one of count and rate',
    params: { zh: 'count 与 rate 须且只须给出一个' },
  });

/** A policy scenario: the given grades multiplied from a year on (e.g. a changed migrant-children share). */
export const policyOptionSchema = z.object({
  /** The areas it applies to; absent: every area that has the grades. */
  areas: z.array(z.string()).optional(),
  grades: z.array(grade).min(1),
  from: year,
  to: year.optional(),
  multiplier: count,
});

/** Every option is off when absent; the default method is never changed by one. */
export const forecastOptionsSchema = z.object({
  births: birthsOptionSchema.optional(),
  housing: z.array(housingOptionSchema).optional(),
  migration: z.array(migrationOptionSchema).optional(),
  policy: z.array(policyOptionSchema).optional(),
});

/**
 * Intervals from an empirical error distribution (e.g. `backtestForecast(...).errors`): relative
 * errors (forecast − observed) ÷ observed by horizon in years; the bounds hold `level` of them.
 */
export const intervalsRequestSchema = z.object({
  level: z.number().gt(0).lt(1).default(0.8),
  errors: z.record(z.string().regex(/^[1-9]\d*$/), z.array(z.number().gt(-1)).min(1)),
});

export const forecastInputSchema = z.object({
  /** The last observed school year. */
  baseYear: year,
  /** Years projected: baseYear + 1 … baseYear + horizon. */
  horizon: z.number().int().min(1).max(50),
  /** Observed transitions (and entry years) averaged. */
  window: z.number().int().min(1).max(20),
  /** Last birth month of a school year's entrants: 8 = born September to August. */
  cutoffMonth: z.number().int().min(1).max(12).default(8),
  areas: z.array(forecastAreaSchema),
  options: forecastOptionsSchema.optional(),
  intervals: intervalsRequestSchema.optional(),
});

export type ForecastInput = z.input<typeof forecastInputSchema>;
export type ParsedForecastInput = z.output<typeof forecastInputSchema>;
export type ForecastArea = z.output<typeof forecastAreaSchema>;
export type ForecastOptions = z.output<typeof forecastOptionsSchema>;
export type IntervalsRequest = z.output<typeof intervalsRequestSchema>;

/** Year → grade → pupils, unrounded. */
export type YearGrades = Record<string, Partial<Record<Grade, number>>>;
export type Bounds = [low: number, high: number];

export interface ForecastResult {
  /** Area id → projected year → grade → pupils (the contract's output). */
  areas: Record<string, YearGrades>;
  /** Only when the input asks for intervals: area → year → grade → [low, high]. */
  intervals?: Record<string, Record<string, Partial<Record<Grade, Bounds>>>>;
}

/** Entry grades and their lag in years behind births: K1 at age 3, G1 at age 6. */
export const ENTRY_LAGS = { K1: 3, G1: 6 } as const;
export type EntryGrade = keyof typeof ENTRY_LAGS;

/** The grade each later grade is projected from (K2 from K1, …, G10 from G9). */
export const GRADE_BELOW: Partial<Record<Grade, Grade>> = Object.fromEntries(
  GRADES.slice(1).map((g, i) => [g, GRADES[i]]),
);

/** One fitted ratio and the yearly ratios it is the arithmetic mean of. */
export interface RatioFit {
  ratio: number;
  /** `year`: the school year of the numerator (the entrants' year, or the year the cohort arrived in the grade). */
  observations: { year: number; ratio: number }[];
}

/** An area's fitted ratios. */
export interface AreaFit {
  /** Grades projected: those in the base year's enrollment. */
  grades: Grade[];
  /** 入学比 K1 or G1 pupils ÷ blended births behind them. */
  entry: Partial<Record<EntryGrade, RatioFit>>;
  /** 升级比 keyed by the grade arrived in: `G2` is pupils of G2 in y + 1 ÷ pupils of G1 in y
   *  (`G10` is the transition from junior to senior high school, a progression ratio like any other). */
  progression: Partial<Record<Grade, RatioFit>>;
}

export interface ForecastFit {
  areas: Record<string, AreaFit>;
}

/** Projected pupils of one area: grade → value for baseYear + 1 … baseYear + horizon (index h − 1). */
export type Projection = Partial<Record<Grade, Float64Array>>;

/**
 * Validates a forecast input JSON and fills the defaults. A bad field gives an AppError with its
 * JSON path and, inside an area, the area, year and grade in words; an unknown grade names itself:
 * `areas[0].enrollment.2024.G13: area 411402, 2024, G13: unknown key G13 — 区域 411402 2024 年 G13：未知的项 G13`.
 */
export function parseForecastInput(json: unknown): ParsedForecastInput {
  const data = parseContract(forecastInputSchema, json, {
    error: (issue) => {
      // An unknown grade is reported on the grade itself, so the message can name it.
      const path =
        issue.code === 'unrecognized_keys' && issue.keys.length === 1
          ? [...issue.path, issue.keys[0]]
          : issue.path;
      const w = issueWords(issue, json);
      return forecastError('invalid_input', placeOfPath(json, path), path, w.zh, w.en);
    },
  });
  const seen = new Map<string, number>();
  data.areas.forEach((a, i) => {
    if (seen.has(a.id))
      throw forecastError(
        'duplicate_area',
        { area: a.id },
        ['areas', i, 'id'],
        `与 areas[${seen.get(a.id)}] 重复`,
        `repeats areas[${seen.get(a.id)}]`,
      );
    seen.set(a.id, i);
  });
  return data;
}
