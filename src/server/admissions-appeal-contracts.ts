import { z } from 'zod';
import { APPEAL_REASON_MAX, APPEAL_STATUSES } from '../admissions/appeals.ts';

/** The appeals API's shapes (docs/admissions.md "Appeals 申诉"). */

const RESULT_BY = ['choice', 'fallback', 'overflow', 'appeal'] as const;
const id = z.coerce.number().int().positive();

const SchoolRef = z.object({ id: z.number(), name: z.string() }).nullable();

export const AppealWindowView = z.object({
  publishedAt: z.string().nullable().describe('when the results were published: the window opens then'),
  closesAt: z.string().describe('UTC instant: the end of rules.schedule.appealsClose, Asia/Shanghai'),
  closesOn: z.string().describe('rules.schedule.appealsClose (Asia/Shanghai date)'),
  open: z.boolean(),
});

/** What the family sees of its appeal. */
export const FamilyAppealView = z.object({
  id: z.number(),
  applicationId: z.number(),
  status: z.enum(APPEAL_STATUSES),
  reason: z.string(),
  desiredSchool: SchoolRef,
  submittedAt: z.string(),
  decisionReason: z.string().nullable().describe('the clerk’s reason, shown to the family'),
  decidedAt: z.string().nullable(),
  placedSchool: SchoolRef.describe('where a granted appeal placed the child'),
});
export type FamilyAppealView = z.infer<typeof FamilyAppealView>;

export const MyAppeal = z.object({
  window: AppealWindowView,
  appeal: FamilyAppealView.nullable(),
  inDraw: z
    .boolean()
    .describe(
      'the application took part in the published draw (verified, placed or not); only such may appeal',
    ),
  /** Whether the family may appeal now: the window is open, the application was in the draw, and no live appeal exists. */
  canAppeal: z.boolean(),
  /** The schools of the round, for the optional wished-for school. */
  schools: z.array(z.object({ id: z.number(), name: z.string(), ownership: z.string() })),
});
export type MyAppeal = z.infer<typeof MyAppeal>;

export const AppealBody = z.object({
  reason: z.string().max(APPEAL_REASON_MAX).describe('the family’s reason'),
  desiredSchoolId: z.number().int().positive().nullable().optional(),
});
export type AppealBody = z.infer<typeof AppealBody>;

export const AppealDecisionBody = z.discriminatedUnion('decision', [
  z.object({
    decision: z.literal('grant'),
    schoolId: z.number().int().positive().describe('a school of the round with seats left'),
    reason: z.string().max(APPEAL_REASON_MAX),
  }),
  z.object({ decision: z.literal('refuse'), reason: z.string().max(APPEAL_REASON_MAX) }),
]);
export type AppealDecisionBody = z.infer<typeof AppealDecisionBody>;

export const AppealQuery = z.object({
  status: z.enum(APPEAL_STATUSES).optional(),
  school: id.optional().describe('desired, placed or current result school'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const AppealExportQuery = AppealQuery.omit({ page: true, pageSize: true }).extend({
  lang: z.enum(['zh', 'en']).default('zh'),
});

const Result = z.object({
  school: SchoolRef,
  by: z.enum(RESULT_BY).nullable(),
});

/** A row of the clerks' list: names and ID numbers masked. */
export const AppealRowView = z.object({
  id: z.number(),
  applicationId: z.number(),
  applicationNo: z.string(),
  childName: z.string().describe('masked'),
  idNumber: z.string().describe('masked'),
  status: z.enum(APPEAL_STATUSES),
  submittedAt: z.string(),
  desiredSchool: SchoolRef,
  result: Result,
  placedSchool: SchoolRef,
  decidedAt: z.string().nullable(),
  decidedBy: z.string().nullable(),
});
export const AppealList = z.object({
  total: z.number(),
  byStatus: z.record(z.enum(APPEAL_STATUSES), z.number()),
  rows: z.array(AppealRowView),
});
export type AppealList = z.infer<typeof AppealList>;

export const SeatsView = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  ownership: z.string(),
  planned: z.number(),
  placed: z.number(),
  left: z.number(),
});

/** One appeal for the clerk (audited read): the child in full, the result, the schools' seats left. */
export const AppealView = AppealRowView.extend({
  roundId: z.number(),
  childName: z.string(),
  idNumber: z.string(),
  communityName: z.string(),
  approvedCategory: z.string().nullable(),
  applicationStatus: z.string(),
  choices: z.array(z.object({ id: z.number(), name: z.string() })),
  reason: z.string(),
  decisionReason: z.string().nullable(),
  seats: z.array(SeatsView),
});
export type AppealView = z.infer<typeof AppealView>;

export const AppealIdParams = z.object({ id });
