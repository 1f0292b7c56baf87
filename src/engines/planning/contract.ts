/**
 * The JSON contract of `eduatlas planning solve FILE` (教育设施布局规划): one stage, one target year.
 * Money is in fen (分, integers); distances in kilometres. docs/planning-engine.md documents it.
 */
import { z } from 'zod';
import { parseContract } from '../../domain/contract.ts';

const count = z.number().int().nonnegative();
const fen = z.number().int().nonnegative();
const lng = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);
const km = z.number().positive();

export const demandPointSchema = z.object({
  /** A community, village or township. */
  id: z.string().min(1),
  /** Pupils of the stage in the target year (from the forecast). */
  pupils: count,
  lng,
  lat,
  area: z.enum(['urban', 'rural']),
});

export const schoolSchema = z.object({
  id: z.string().min(1),
  /** Seats of the stage today. */
  capacity: count,
  lng,
  lat,
  /** A school that may not be closed or merged. */
  must_keep: z.boolean().default(false),
  /** Yearly or one-off saving when the school is closed and its pupils merged elsewhere. */
  closure_saving_fen: fen.default(0),
  /** Expansion by whole classes (扩建); absent: the school cannot be expanded. */
  expansion: z
    .object({
      class_size: z.number().int().positive(),
      max_extra_classes: count,
      cost_per_class_fen: fen,
    })
    .optional(),
  /** Offers boarding (寄宿), which lifts the rural radius at junior-high stage. */
  boarding: z.boolean().default(false),
});

export const siteSchema = z.object({
  id: z.string().min(1),
  lng,
  lat,
  /** Build at most one of these (e.g. 18, 24 or 36 classes). */
  options: z.array(z.object({ capacity: z.number().int().positive(), cost_fen: fen })).min(1),
  boarding: z.boolean().default(false),
});

const distanceSchema = z.discriminatedUnion('method', [
  z.object({
    method: z.literal('haversine'),
    /** Road distance over straight-line distance (路网系数). */
    detour_factor: z.number().min(1).default(1.3),
  }),
  z.object({
    method: z.literal('matrix'),
    /** Sparse: a pair not listed is unreachable. */
    pairs: z.array(z.object({ demand: z.string(), facility: z.string(), km: z.number().nonnegative() })),
  }),
]);

export const planningInputSchema = z
  .object({
    stage: z.enum(['primary', 'junior']),
    demand_points: z.array(demandPointSchema),
    schools: z.array(schoolSchema).default([]),
    sites: z.array(siteSchema).default([]),
    distance: distanceSchema.default({ method: 'haversine', detour_factor: 1.3 }),
    /** 服务半径 of the stage; `rural_boarding` applies to rural demand at a boarding junior high. */
    service_radius_km: z.object({ urban: km, rural: km, rural_boarding: km.optional() }),
    /** Keep only the k nearest facilities within the radius of each demand point (model size). */
    nearest_k: z.number().int().positive().optional(),
    /** Spending on expansions and new schools; savings from closures do not fund it. */
    budget_fen: fen.optional(),
    max_new_schools: count.optional(),
    /** Pupil-kilometres one fen is worth: objective = pupil-km + cost_weight × cost in fen. */
    cost_weight: z.number().nonnegative(),
    /** A demand point may be split across several schools. */
    allow_split: z.boolean().default(false),
    method: z.enum(['auto', 'exact', 'heuristic']).default('auto'),
    /** Wall-clock limit of the exact solve, seconds. */
    time_limit_s: z.number().positive().default(60),
    /** Relative gap at which the exact solve stops. */
    gap_tolerance: z.number().nonnegative().default(0.01),
  })
  .superRefine((input, ctx) => {
    const unique = (ids: string[], key: string, seen = new Set<string>()) => {
      ids.forEach((id, i) => {
        if (seen.has(id))
          ctx.addIssue({
            code: 'custom',
            path: [key, i, 'id'],
            message: `duplicate id ${id}`,
            params: { zh: `编号 ${id} 重复` },
          });
        seen.add(id);
      });
      return seen;
    };
    const demand = unique(
      input.demand_points.map((d) => d.id),
      'demand_points',
    );
    const facilities = unique(
      input.sites.map((s) => s.id),
      'sites',
      unique(
        input.schools.map((s) => s.id),
        'schools',
      ),
    );
    if (input.distance.method === 'matrix')
      input.distance.pairs.forEach((p, i) => {
        if (!demand.has(p.demand))
          ctx.addIssue({
            code: 'custom',
            path: ['distance', 'pairs', i, 'demand'],
            message: `unknown demand point ${p.demand}`,
            params: { zh: `没有编号为 ${p.demand} 的需求点` },
          });
        if (!facilities.has(p.facility))
          ctx.addIssue({
            code: 'custom',
            path: ['distance', 'pairs', i, 'facility'],
            message: `unknown school or site ${p.facility}`,
            params: { zh: `没有编号为 ${p.facility} 的学校或选址` },
          });
      });
  });

export type PlanningInput = z.input<typeof planningInputSchema>;
export type ParsedPlanningInput = z.output<typeof planningInputSchema>;

/** Validates a planning JSON; the error names the JSON path of the first problem (e.g. `sites[2].options`). */
export function parsePlanningInput(json: unknown): ParsedPlanningInput {
  return parseContract(planningInputSchema, json, { code: 'planning.invalid_input' });
}
