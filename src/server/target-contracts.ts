import { z } from 'zod';
import { STAGES } from '../domain/stages.ts';
import { TARGET_COMPARATORS } from '../engines/indicators/targets.ts';

/**
 * The targets API's shapes. Field names follow the engine's `IndicatorTarget` (snake_case), so the
 * error `field` of a rejected edit is the body key itself (`threshold`, `close_margin`, …).
 */

const Comparator = z.enum(TARGET_COMPARATORS);
const Stage = z.enum(STAGES).nullable();
const YearOrEvery = z
  .number()
  .int()
  .nullable()
  .describe('the year the target is for; null: every year without its own target');

export const TargetsQuery = z.object({
  region: z
    .string()
    .regex(/^\d{6}(\d{3})?$/)
    .describe('region code (province, city, county or township)'),
  year: z.coerce.number().int().min(1990).max(2100),
});

const Preloaded = z.object({
  comparator: Comparator,
  threshold: z.number(),
  close_margin: z.number(),
  source: z.string(),
});

export const TargetView = Preloaded.extend({
  indicator_id: z.string(),
  stage: Stage,
  origin: z.enum(['preloaded', 'edited']),
  year: z.number().nullable().describe('year of an edited target; null for every year or preloaded'),
  note: z.string().nullable(),
  updated_by: z.string().nullable(),
  updated_at: z.string().nullable(),
  preloaded: Preloaded.nullable().describe('what restoring gives; null when nothing is preloaded'),
});
export type TargetView = z.infer<typeof TargetView>;

export const EffectiveTargets = z.object({
  region: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  year: z.number(),
  targets: z.array(TargetView),
  /** The indicators a target may be set for, with their stages (empty: whole-system). */
  indicators: z.array(
    z.object({
      id: z.string(),
      zh: z.string(),
      en: z.string(),
      unit: z.enum(['percent', 'ratio', 'count']),
      stages: z.array(z.enum(STAGES)),
    }),
  ),
});
export type EffectiveTargets = z.infer<typeof EffectiveTargets>;

const Key = z.object({
  region_code: z.string().regex(/^\d{6}(\d{3})?$/),
  year: YearOrEvery,
  indicator_id: z.string().min(1).max(64),
  stage: Stage,
});

export const SetTargetBody = Key.extend({
  comparator: Comparator,
  threshold: z.number(),
  close_margin: z.number().optional().describe("absent: the preloaded target's margin or the unit's default"),
  note: z.string().max(500).nullable().optional(),
});
export type SetTargetBody = z.infer<typeof SetTargetBody>;

export const ClearTargetQuery = Key.extend({
  year: z
    .union([z.literal(''), z.coerce.number().int()])
    .optional()
    .transform((y) => (y === '' || y === undefined ? null : y))
    .describe('empty or absent: the every-year target'),
  stage: z
    .union([z.literal(''), z.enum(STAGES)])
    .optional()
    .transform((s) => (s === '' || s === undefined ? null : s)),
});
