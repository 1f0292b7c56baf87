/**
 * A round's rules as data (DOMAIN.md §1): its schedule, the age window, the applicant categories in
 * priority order with the facts and proofs each needs, how many schools a family may choose, the
 * seats kept back for appeals, document limits and retention. Validated with zod when saved; every
 * problem names its JSON path (`rules.categories[2].proofs[0]`).
 */
import { z } from 'zod';
import { issueText, safeParseContract } from '../domain/contract.ts';
import { AppError } from '../domain/errors.ts';
import { jsonPath } from '../domain/json-path.ts';
import { TIE_BREAKINGS } from '../engines/admissions/contract.ts';

/** The documents a family can photograph (证明材料). */
export const DOC_TYPES = [
  'hukou_book',
  'birth_certificate',
  'property_deed',
  'purchase_contract',
  'residence_permit',
  'lease',
  'labour_contract',
  'business_licence',
  'guardian_id',
] as const;
export type DocType = (typeof DOC_TYPES)[number];

export const DOC_TYPE_LABELS: Record<DocType, { zh: string; en: string }> = {
  hukou_book: { zh: '户口簿', en: 'Household register (hukou book)' },
  birth_certificate: { zh: '出生医学证明', en: 'Birth medical certificate' },
  property_deed: { zh: '不动产权证书（房产证）', en: 'Property deed' },
  purchase_contract: { zh: '网签购房合同', en: 'Registered purchase contract' },
  residence_permit: { zh: '居住证', en: 'Residence permit' },
  lease: { zh: '房屋租赁合同', en: 'Lease' },
  labour_contract: { zh: '劳动合同', en: 'Labour contract' },
  business_licence: { zh: '营业执照', en: 'Business licence' },
  guardian_id: { zh: '监护人身份证', en: "Guardian's ID card" },
};

/** What a family states about its situation; a category requires some of these to hold. */
export const FACTS = ['localHukou', 'hukouAtProperty', 'hasProperty', 'residencePermit'] as const;
export type Fact = (typeof FACTS)[number];
export type Facts = Record<Fact, boolean>;

const localDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date YYYY-MM-DD' })
  .refine((d) => new Date(`${d}T00:00:00Z`).toISOString().startsWith(d), {
    error: 'is not a calendar date',
    params: { zh: '不是日历上的日期' },
  });
/** Wall-clock time in Asia/Shanghai: the deadlines families read. */
const localDateTime = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: 'must be a time YYYY-MM-DDTHH:mm (Asia/Shanghai)' })
  .refine((d) => !Number.isNaN(Date.parse(`${d}:00+08:00`)), {
    error: 'is not a valid time',
    params: { zh: '不是有效的时间' },
  });
const label = z.strictObject({ zh: z.string().trim().min(1), en: z.string().trim().min(1) });
const docType = z.enum(DOC_TYPES);

/** A proof: one document type, or a list of which any one will do (房产证 or 网签合同). */
const proofSchema = z.union([docType, z.array(docType).min(2)]);
export type Proof = z.output<typeof proofSchema>;

const categorySchema = z.strictObject({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/, { error: 'must be 2–32 lowercase letters, digits or _' }),
  label,
  /** Facts that must hold (true) or must not (false); an unnamed fact does not matter. */
  requires: z.strictObject(
    Object.fromEntries(FACTS.map((f) => [f, z.boolean().optional()])) as {
      [K in Fact]: z.ZodOptional<z.ZodBoolean>;
    },
  ),
  proofs: z.array(proofSchema).min(1),
});
export type Category = z.output<typeof categorySchema>;

const seats = z.number().int().min(0);

export const roundRulesSchema = z
  .strictObject({
    schedule: z.strictObject({
      /** 招生方案公布 */
      planPublished: localDate,
      registrationOpens: localDateTime,
      registrationCloses: localDateTime,
      /** 审核 ends: the clerks' last day. */
      verificationEnds: localDate,
      /** 派位 (the draw), when oversubscribed. */
      drawOn: localDate,
      /** 录取通知 */
      noticeOn: localDate,
      appealsClose: localDate,
    }),
    /** Children born in this range (inclusive) may apply: 6 by 31 August in Henan. */
    ageWindow: z.strictObject({ bornFrom: localDate, bornTo: localDate }),
    /** Priority order: the first is tier 1. */
    categories: z.array(categorySchema).min(1),
    /** Henan: one public or one private school (maxPublic 1, maxPrivate 1, maxTotal 1). */
    choices: z.strictObject({
      maxPublic: z.number().int().min(0).max(5),
      maxPrivate: z.number().int().min(0).max(5),
      maxTotal: z.number().int().min(1).max(5),
    }),
    /** Seats kept back from the planned capacity for appeals: every school, or a school by its code. */
    reservedSeats: z.strictObject({ default: seats, bySchool: z.record(z.string().min(1), seats) }),
    documents: z.strictObject({
      maxBytes: z
        .number()
        .int()
        .min(10_000)
        .max(10 * 1024 * 1024),
      /** Days after appealsClose that the photos are kept; `admissions purge-documents` deletes them then. */
      retentionDays: z.number().int().min(1).max(3650),
    }),
    /** More families than this on one property are flagged for the clerk (同一房产多户使用). */
    propertyFamilyLimit: z.number().int().min(1).max(20),
    /**
     * The draw's lottery keys (DESIGN.md "admissions solve"): `single`, one key per child for every
     * school; `multiple`, a fresh key per child and school. No Henan rule names either (DOMAIN.md
     * §1: [Practice], configuration). Rules stored before this field existed read as `single`.
     */
    tieBreaking: z.enum(TIE_BREAKINGS, { error: 'must be single or multiple' }).default('single'),
  })
  .superRefine((r, ctx) => {
    const s = r.schedule;
    // Compared by day: verification may end on the day registration closes.
    const order: [keyof typeof s, string][] = [
      ['planPublished', s.planPublished],
      ['registrationOpens', s.registrationOpens.slice(0, 10)],
      ['registrationCloses', s.registrationCloses.slice(0, 10)],
      ['verificationEnds', s.verificationEnds],
      ['drawOn', s.drawOn],
      ['noticeOn', s.noticeOn],
      ['appealsClose', s.appealsClose],
    ];
    for (let i = 1; i < order.length; i++) {
      if (order[i][1] < order[i - 1][1])
        ctx.addIssue({
          code: 'custom',
          path: ['schedule', order[i][0]],
          message: `must not be before ${order[i - 1][0]}`,
          params: { zh: `不得早于 ${order[i - 1][0]}` },
        });
    }
    if (r.ageWindow.bornTo < r.ageWindow.bornFrom)
      ctx.addIssue({
        code: 'custom',
        path: ['ageWindow', 'bornTo'],
        message: 'must not be before bornFrom',
        params: { zh: '不得早于 bornFrom（出生日期起）' },
      });
    const seen = new Set<string>();
    r.categories.forEach((c, i) => {
      if (seen.has(c.code))
        ctx.addIssue({
          code: 'custom',
          path: ['categories', i, 'code'],
          message: `duplicate code ${c.code}`,
          params: { zh: `类别代码 ${c.code} 重复` },
        });
      seen.add(c.code);
    });
    for (const k of ['maxPublic', 'maxPrivate'] as const)
      if (r.choices[k] > r.choices.maxTotal)
        ctx.addIssue({
          code: 'custom',
          path: ['choices', k],
          message: 'must not exceed maxTotal',
          params: { zh: '不得超过 maxTotal（志愿总数）' },
        });
  });
export type RoundRules = z.output<typeof roundRulesSchema>;

/** A problem of a round's rules: the field, and what is wrong with it in Chinese and English. */
export interface RuleProblem {
  field: string;
  zh: string;
  en: string;
}

/** Problems as the API sends them: each message in the reader's language. */
export const inLang = (problems: RuleProblem[], lang: 'zh' | 'en') =>
  problems.map((p) => ({ field: p.field, message: p[lang] }));

/** Every problem of a rules document, each naming its path under `rules`. */
export function checkRoundRules(
  raw: unknown,
): { rules: RoundRules; problems: [] } | { problems: RuleProblem[] } {
  const r = safeParseContract(roundRulesSchema, raw);
  if (r.success) return { rules: r.data, problems: [] };
  return {
    problems: r.error.issues.map((i) => {
      return { field: jsonPath(['rules', ...i.path]), ...issueText(i) };
    }),
  };
}

/** The rules, or the first problem as an AppError naming its field. */
export function parseRoundRules(raw: unknown): RoundRules {
  const c = checkRoundRules(raw);
  if ('rules' in c) return c.rules;
  const p = c.problems[0];
  throw new AppError(
    'admissions.rules_invalid',
    `招生规则 ${p.field} 不正确：${p.zh}`,
    `Round rules ${p.field} is invalid: ${p.en}`,
    p.field,
  );
}

/** Whether a family's facts meet a category's requirements. */
export function categoryMatches(category: Category, facts: Facts): boolean {
  return FACTS.every((f) => category.requires[f] === undefined || category.requires[f] === facts[f]);
}

/** The category's proofs that the uploaded document types do not yet satisfy. */
export function missingProofs(category: Category, uploaded: Iterable<string>): Proof[] {
  const have = new Set(uploaded);
  return category.proofs.filter((p) => (Array.isArray(p) ? !p.some((d) => have.has(d)) : !have.has(p)));
}

/** A category's priority tier (1 is the best): its place in the round's order. */
export function categoryTier(rules: RoundRules, code: string): number | null {
  const i = rules.categories.findIndex((c) => c.code === code);
  return i < 0 ? null : i + 1;
}

export function findCategory(rules: RoundRules, code: string, field = 'category'): Category {
  const c = rules.categories.find((x) => x.code === code);
  if (!c)
    throw new AppError(
      'admissions.unknown_category',
      `本批次没有类别 ${code}`,
      `The round has no category ${code}`,
      field,
    );
  return c;
}

const TYPICAL_CATEGORIES: Category[] = [
  {
    code: 'hukou_property',
    label: { zh: '户房一致', en: 'Hukou and home at the same address' },
    requires: { localHukou: true, hasProperty: true, hukouAtProperty: true },
    proofs: ['hukou_book', ['property_deed', 'purchase_contract'], 'birth_certificate'],
  },
  {
    code: 'property_only',
    label: { zh: '有房无户', en: 'Home in the catchment, hukou elsewhere' },
    requires: { hasProperty: true, hukouAtProperty: false },
    proofs: ['hukou_book', ['property_deed', 'purchase_contract'], 'birth_certificate'],
  },
  {
    code: 'hukou_only',
    label: { zh: '有户无房', en: 'Hukou in the catchment, no home owned' },
    requires: { localHukou: true, hasProperty: false },
    proofs: ['hukou_book', 'birth_certificate'],
  },
  {
    code: 'migrant_property',
    label: { zh: '随迁子女（居住证，有房）', en: 'Migrant child with residence permit and home' },
    requires: { localHukou: false, residencePermit: true, hasProperty: true },
    proofs: ['residence_permit', ['property_deed', 'purchase_contract'], 'birth_certificate'],
  },
  {
    code: 'migrant_rent',
    label: { zh: '随迁子女（居住证，租房）', en: 'Migrant child with residence permit, renting' },
    requires: { localHukou: false, residencePermit: true, hasProperty: false },
    proofs: ['residence_permit', 'lease', ['labour_contract', 'business_licence'], 'birth_certificate'],
  },
];

/**
 * The typical Henan order (户房一致 → 有房无户 → 有户无房 → 随迁子女 with, then without, property),
 * a template a county edits: no published Shangqiu rule exists, so none is claimed. Primary entry:
 * born 1 September of year − 7 to 31 August of year − 6 (6 by 31 August).
 */
export function typicalRules(year: number): RoundRules {
  return {
    schedule: {
      planPublished: `${year}-07-01`,
      registrationOpens: `${year}-07-15T08:00`,
      registrationCloses: `${year}-07-30T18:00`,
      verificationEnds: `${year}-08-05`,
      drawOn: `${year}-08-08`,
      noticeOn: `${year}-08-12`,
      appealsClose: `${year}-08-20`,
    },
    ageWindow: { bornFrom: `${year - 7}-09-01`, bornTo: `${year - 6}-08-31` },
    categories: TYPICAL_CATEGORIES,
    choices: { maxPublic: 1, maxPrivate: 1, maxTotal: 1 },
    reservedSeats: { default: 2, bySchool: {} },
    documents: { maxBytes: 4 * 1024 * 1024, retentionDays: 180 },
    propertyFamilyLimit: 1,
    tieBreaking: 'single',
  };
}
