import { z } from 'zod';

/** The results API's shapes (docs/admissions.md "Publication and results 录取结果公布"). */

const Text = z.object({ zh: z.string(), en: z.string() });
const By = z.enum(['choice', 'fallback', 'overflow', 'appeal']);
const Cutoff = z
  .object({ tier: z.number(), key: z.string() })
  .nullable()
  .describe("the school's last admitted rank (tier, lottery key); null where the draw left seats");

export const SchoolParams = z.object({
  id: z.coerce.number().int().positive(),
  schoolId: z.coerce.number().int().positive(),
});

const Counts = { choice: z.number(), fallback: z.number(), overflow: z.number(), appeal: z.number() };

export const ResultsView = z.object({
  roundId: z.number(),
  publishedAt: z.string(),
  publishedBy: z.string(),
  seed: z.string(),
  digest: z.string(),
  totals: z.object({
    applicants: z.number().describe('children of the draw (and placed by appeal)'),
    placed: z.number(),
    ...Counts,
    unplaced: z.number(),
    planned: z.number(),
    left: z.number(),
  }),
  schools: z.array(
    z.object({
      id: z.number(),
      code: z.string(),
      name: z.string(),
      ownership: z.string(),
      planned: z.number().describe('planned entry-grade seats before the appeal reserve'),
      reserved: z.number(),
      drawSeats: z.number(),
      placed: z.number(),
      ...Counts,
      left: z.number().describe('planned − placed'),
      cutoff: Cutoff,
    }),
  ),
  categories: z.array(
    z.object({
      code: z.string(),
      label: Text,
      tier: z.number(),
      applicants: z.number(),
      ...Counts,
      unplaced: z.number(),
    }),
  ),
});

export const AdmittedView = z.object({
  rows: z.array(
    z.object({
      applicationNo: z.string(),
      childName: z.string().describe('masked: family name only'),
      idNumber: z.string().describe('masked: region and last four'),
      schoolId: z.number(),
      schoolCode: z.string(),
      schoolName: z.string(),
      category: Text.nullable(),
      by: By,
      tier: z.number().nullable(),
      key: z.string().nullable(),
    }),
  ),
});

/** What every family of the round reads once published: per school, and one school's masked list. */
export const PublicResultsView = z.object({
  roundId: z.number(),
  publishedAt: z.string(),
  schools: z.array(
    z.object({
      id: z.number(),
      code: z.string(),
      name: z.string(),
      ownership: z.string(),
      admitted: z.number().describe('children placed there now, appeals included'),
      left: z.number().describe('seats left: the draw’s seats plus the appeal reserve, minus the admitted'),
      cutoff: Cutoff,
    }),
  ),
});

export const PublicAdmittedView = z.object({
  rows: z.array(AdmittedView.shape.rows.element.omit({ idNumber: true })),
});

const Choice = z.object({
  rank: z.number(),
  schoolId: z.number(),
  code: z.string(),
  name: z.string(),
  ownership: z.string(),
  tier: z.number().nullable().describe('the child’s tier there; null: not eligible'),
  key: z.string().nullable().describe('the child’s lottery key there'),
  cutoff: Cutoff,
  admitted: z.boolean(),
});

export const FamilyResultView = z.object({
  roundId: z.number(),
  applicationId: z.number(),
  applicationNo: z.string(),
  noticeOn: z.string(),
  appealsClose: z.string(),
  published: z.boolean(),
  drawStatus: z.enum(['frozen', 'drawn']).nullable().optional(),
  next: z.enum(['notice', 'unplaced', 'not_in_draw', 'pending']),
  publishedAt: z.string().optional(),
  inDraw: z.boolean().optional(),
  placed: z.boolean().optional(),
  school: z
    .object({
      id: z.number(),
      code: z.string(),
      name: z.string(),
      ownership: z.string(),
      address: z.string().nullable(),
    })
    .nullable()
    .optional(),
  by: By.nullable().optional(),
  category: Text.nullable().optional(),
  tier: z.number().nullable().optional(),
  key: z.string().nullable().optional(),
  cutoff: Cutoff.optional(),
  choices: z.array(Choice).optional(),
  seed: z.string().optional(),
  publicValue: z.string().optional(),
  digest: z.string().optional(),
  commitment: z.string().optional(),
  notice: z
    .object({
      childName: z.string(),
      childSex: z.string(),
      countyName: z.string(),
      year: z.number(),
      stage: z.string(),
      roundName: z.string(),
    })
    .nullable()
    .optional(),
});

export type ResultsView = z.infer<typeof ResultsView>;
export type AdmittedView = z.infer<typeof AdmittedView>;
export type FamilyResultView = z.infer<typeof FamilyResultView>;
export type PublicResultsView = z.infer<typeof PublicResultsView>;
export type PublicAdmittedView = z.infer<typeof PublicAdmittedView>;
