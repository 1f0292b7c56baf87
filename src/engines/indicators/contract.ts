/** The JSON contract of `eduatlas indicators solve FILE`: the engine's input, validated with zod. */
import { z } from 'zod';
import { parseContract } from '../../domain/contract.ts';
import { GRADES, OWNERSHIPS, SCHOOL_TYPES } from '../../domain/stages.ts';

const count = z.number().int().nonnegative();

export const schoolSchema = z.object({
  id: z.number().int(),
  county_code: z.string().optional(),
  school_type: z.enum(SCHOOL_TYPES),
  ownership: z.enum(OWNERSHIPS),
  /** 普惠性 private kindergarten; public schools count as inclusive whatever this says. */
  inclusive: z.boolean().default(false),
  /** Leads or belongs to an education group as of the indicator year. */
  in_group: z.boolean().default(false),
});

export const censusRowSchema = z.object({
  school_id: z.number().int(),
  year: z.number().int(),
  grade: z.enum(GRADES),
  pupils: count.default(0),
  migrant: count.default(0),
  migrant_purchased: count.default(0),
  after_school: count.default(0),
  entrants: count.default(0),
  transfers_in: count.default(0),
  transfers_out: count.default(0),
  graduates: count.default(0),
});

export const indicatorInputSchema = z.object({
  year: z.number().int(),
  schools: z.array(schoolSchema),
  /** Census rows of year Y (all grades) and of the cohort years Y−9…Y−1 (G1–G9) for retention. */
  census: z.array(censusRowSchema),
  /** Full-time teachers per school in year Y. */
  teachers: z.array(z.object({ school_id: z.number().int(), full_time_teachers: z.number().nonnegative() })),
  /** Class sizes of year Y. */
  classes: z.array(z.object({ school_id: z.number().int(), grade: z.enum(GRADES), size: count })),
  /** Persons by single age in year Y; null or absent when the region has no population figures. */
  population: z
    .array(
      z.object({
        /** The area the row counts (a county or township); each area must give every age a figure needs. */
        region_code: z.string().optional(),
        age: z.number().int().nonnegative(),
        persons: count,
      }),
    )
    .nullable()
    .optional(),
  /** The areas (region_code of the population rows) the region is made of; each must have its figures. */
  population_areas: z.array(z.string()).optional(),
  /** Disabled-children register of year Y, counted by placement; null or absent when there is no register. */
  disabled_register: z
    .array(
      z.object({
        placement: z.enum([
          'regular_class',
          'special_class',
          'special_school',
          'home_teaching',
          'not_enrolled',
        ]),
        children: count,
      }),
    )
    .nullable()
    .optional(),
});

export type IndicatorInput = z.input<typeof indicatorInputSchema>;
export type ParsedIndicatorInput = z.output<typeof indicatorInputSchema>;

/** Validates a census JSON; the error names the JSON path of the first problem (e.g. `census[3].grade`). */
export function parseIndicatorInput(json: unknown): ParsedIndicatorInput {
  return parseContract(indicatorInputSchema, json, { code: 'indicators.invalid_input' });
}
