import { z } from 'zod';
import { GUARDIAN_RELATIONS } from '../admissions/applications.ts';
import { ADMISSION_STAGES } from '../admissions/rounds.ts';
import { DOC_TYPES, FACTS, roundRulesSchema } from '../admissions/rules.ts';

/**
 * The admissions API's shapes (docs/admissions.md): round setup, the parent portal, the clerks'
 * verification queue and counts. The web app imports the inferred types through web/src/api/types.ts.
 */

const Text = z.object({ zh: z.string(), en: z.string() });
const id = z.coerce.number().int().positive();
const STATUSES = ['submitted', 'returned', 'approved', 'withdrawn'] as const;
const ROUND_STATUSES = ['draft', 'open', 'closed', 'frozen'] as const;

export const IdParams = z.object({ id });

export const RulesBody = z.object({
  rules: z.unknown().describe('the round rules (RoundView.rules); every problem names its path under rules'),
});
export const CreateRoundBody = RulesBody.extend({
  countyCode: z.string().regex(/^\d{6}$/),
  year: z.number().int().min(2000).max(2100),
  stage: z.enum(ADMISSION_STAGES),
  name: z.string().trim().min(1).max(100),
});
export const UpdateRoundBody = RulesBody.extend({ name: z.string().trim().min(1).max(100).optional() });
export const TemplateQuery = z.object({ year: z.coerce.number().int().min(2000).max(2100) });

export const RuleProblems = z.object({
  problems: z.array(z.object({ field: z.string(), message: z.string() })),
});

const RoundSchool = z.object({
  id: z.number(),
  code: z.string(),
  name: z.string(),
  ownership: z.string(),
  planned: z.number(),
  reserved: z.number(),
  capacity: z.number(),
});

export const RoundSummary = z.object({
  id: z.number(),
  countyCode: z.string(),
  countyName: z.string(),
  year: z.number(),
  stage: z.enum(ADMISSION_STAGES),
  name: z.string(),
  status: z.enum(ROUND_STATUSES),
  deadlineAt: z.string().describe('UTC instant of the registration deadline'),
  deadline: z.string().describe('the deadline in Asia/Shanghai time, YYYY-MM-DD HH:mm'),
  accepting: z.boolean(),
  drawStatus: z
    .enum(['frozen', 'drawn', 'published'])
    .nullable()
    .describe(
      '派位进度：名单冻结、已派位、结果已公布；未冻结为 null / the draw: list frozen, drawn, results published',
    ),
});
export type RoundSummary = z.infer<typeof RoundSummary>;
export const RoundList = z.object({ rounds: z.array(RoundSummary) });

const DocTypeView = z.object({ code: z.enum(DOC_TYPES), label: Text });

export const RoundView = RoundSummary.extend({
  rules: roundRulesSchema,
  rulesDigest: z.string().nullable(),
  openedAt: z.string().nullable(),
  schools: z.array(RoundSchool),
  communities: z.number(),
  docTypes: z.array(DocTypeView),
  problems: RuleProblems.shape.problems,
});
export type RoundView = z.infer<typeof RoundView>;

/** What a family's form needs: the round as the family sees it. */
export const RoundOptions = RoundSummary.extend({
  ageWindow: z.object({ bornFrom: z.string(), bornTo: z.string() }),
  choices: z.object({ maxPublic: z.number(), maxPrivate: z.number(), maxTotal: z.number() }),
  categories: z.array(
    z.object({
      code: z.string(),
      label: Text,
      requires: z.record(z.string(), z.boolean()),
      /** Each entry: the document types any one of which satisfies it. */
      proofs: z.array(z.array(z.enum(DOC_TYPES))),
    }),
  ),
  docTypes: z.array(DocTypeView),
  maxBytes: z.number(),
  communities: z.array(z.object({ code: z.string(), name: z.string(), schoolIds: z.array(z.number()) })),
  schools: z.array(z.object({ id: z.number(), code: z.string(), name: z.string(), ownership: z.string() })),
  /**
   * The draw's public numbers once the list is frozen (null before): the digest and commitment with
   * the freeze time; after the draw the revealed secret, the public value and the seed.
   */
  draw: z
    .object({
      status: z.enum(['frozen', 'drawn']),
      applicants: z.number(),
      digest: z.string(),
      commitment: z.string(),
      frozenAt: z.string(),
      secret: z.string().nullable(),
      publicValue: z.string().nullable(),
      seed: z.string().nullable(),
      drawnAt: z.string().nullable(),
      /** When the results (and with them the draw file families can download) were published. */
      publishedAt: z.string().nullable(),
    })
    .nullable(),
});
export type RoundOptions = z.infer<typeof RoundOptions>;
export const OpenRounds = z.object({ rounds: z.array(RoundSummary) });

export const RegisterParentBody = z.object({
  phone: z.string().trim(),
  password: z.string().min(1).max(200),
  displayName: z.string().trim().max(30).optional(),
  smsCode: z.string().trim().max(10).optional().describe('only where an SMS provider is configured'),
});
export const PhoneBody = z.object({ phone: z.string().trim() });
export const TemporaryPassword = z.object({ temporaryPassword: z.string() });

const Facts = z.object(
  Object.fromEntries(FACTS.map((f) => [f, z.boolean()])) as Record<(typeof FACTS)[number], z.ZodBoolean>,
);

export const ApplicationInputBody = z.object({
  child: z.object({ idNumber: z.string().trim().max(18), name: z.string().max(30) }),
  communityCode: z.string().min(1).max(40),
  facts: Facts,
  propertyNo: z.string().max(80).nullable().optional(),
  guardian: z.object({ name: z.string().max(30), relation: z.enum(GUARDIAN_RELATIONS) }),
  consent: z.boolean(),
  category: z.string().min(1).max(32),
  choices: z.array(z.number().int().positive()).max(10),
});
export type ApplicationInputBody = z.infer<typeof ApplicationInputBody>;
export const SubmitApplicationBody = ApplicationInputBody.extend({
  roundId: z.number().int().positive(),
  clientKey: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/)
    .describe('made once per form by the browser: a retried or double-clicked submit sends the same key'),
});

const DocumentView = z.object({
  id: z.number(),
  docType: z.string(),
  mime: z.string(),
  size: z.number(),
  uploadedAt: z.string(),
});

export const ApplicationView = z.object({
  id: z.number(),
  applicationNo: z.string(),
  roundId: z.number(),
  roundName: z.string(),
  status: z.enum(STATUSES),
  returnReason: z.string().nullable(),
  /** The name and ID number in full only for the family itself and the clerk's single view (audited). */
  child: z.object({ name: z.string(), idNumber: z.string(), birthDate: z.string(), sex: z.string() }),
  communityCode: z.string(),
  communityName: z.string(),
  facts: Facts,
  propertyNo: z.string().nullable(),
  guardian: z.object({ name: z.string(), relation: z.enum(GUARDIAN_RELATIONS) }),
  consentAt: z.string(),
  claimedCategory: z.string(),
  approvedCategory: z.string().nullable(),
  choices: z.array(
    z.object({ rank: z.number(), id: z.number(), code: z.string(), name: z.string(), ownership: z.string() }),
  ),
  documents: z.array(DocumentView),
  missingProofs: z.array(z.array(z.enum(DOC_TYPES))),
  decisions: z.array(
    z.object({
      decision: z.enum(['approve', 'return']),
      category: z.string().nullable(),
      reason: z.string().nullable(),
      decidedAt: z.string(),
    }),
  ),
  conflicts: z.array(z.enum(['duplicate_child', 'property_overuse'])),
  submittedAt: z.string(),
  updatedAt: z.string(),
  editable: z.boolean(),
});
export type ApplicationView = z.infer<typeof ApplicationView>;
export const MyApplications = z.object({ applications: z.array(ApplicationView) });
export const DocumentCreated = DocumentView;

export const QueueQuery = z.object({
  no: z
    .string()
    .regex(/^A\d{7}$/)
    .optional()
    .describe('an application number, as the family reads it out'),
  school: z.coerce.number().int().positive().optional(),
  category: z.string().max(32).optional(),
  status: z.enum(STATUSES).optional(),
  conflict: z.enum(['1']).optional().describe('1: only applications with a conflict flag'),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(50),
});
export const QueueView = z.object({
  total: z.number(),
  rows: z.array(
    z.object({
      id: z.number(),
      applicationNo: z.string(),
      childName: z.string().describe('masked: family name only'),
      idNumber: z.string().describe('masked: region and last four'),
      communityName: z.string(),
      schoolId: z.number(),
      schoolName: z.string(),
      claimedCategory: z.string(),
      approvedCategory: z.string().nullable(),
      status: z.enum(STATUSES),
      submittedAt: z.string(),
      updatedAt: z.string(),
      missingProofs: z.number(),
      conflicts: z.array(z.enum(['duplicate_child', 'property_overuse'])),
    }),
  ),
});
export type QueueView = z.infer<typeof QueueView>;

export const DecisionBody = z.discriminatedUnion('decision', [
  z.object({ decision: z.literal('approve'), category: z.string().min(1).max(32) }),
  z.object({ decision: z.literal('return'), reason: z.string().max(500) }),
]);
export type DecisionBody = z.infer<typeof DecisionBody>;

const StatusCounts = z.object(
  Object.fromEntries(STATUSES.map((s) => [s, z.number()])) as Record<(typeof STATUSES)[number], z.ZodNumber>,
);
export const CountsView = z.object({
  byStatus: StatusCounts,
  schools: z.array(
    StatusCounts.extend({
      id: z.number(),
      code: z.string(),
      name: z.string(),
      ownership: z.string(),
      capacity: z.number(),
      reserved: z.number(),
    }),
  ),
  categories: z.array(z.object({ code: z.string(), label: Text, applications: z.number() })),
});
export type CountsView = z.infer<typeof CountsView>;
