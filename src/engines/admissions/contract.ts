/**
 * The JSON contract of `eduatlas admissions solve FILE` (DESIGN.md, "admissions solve"), validated
 * with zod, plus the optional `overflow` extension (统筹: placing the unplaced; docs/admissions-engine.md).
 * Every error is an AppError naming the JSON path: `applicants[3].choices[1]: unknown school P99 — …`.
 */
import { z } from 'zod';
import { parseContract } from '../../domain/contract.ts';
import { AppError } from '../../domain/errors.ts';
import { jsonPath } from '../../domain/json-path.ts';
import { OWNERSHIPS } from '../../domain/stages.ts';

const id = z.string().min(1);
/** Projected plane coordinates in metres, so that distances need only + − × (the same on every machine). */
const coordinate = z.number();

export const admissionsSchoolSchema = z.strictObject({ id, capacity: z.number().int().min(0) });

const APPLICANT_KEYS = new Set(['id', 'choices', 'tiers']);

/**
 * One applicant. For a million of them zod's strict objects and records would triple the time of
 * the validation, so unknown keys and the tiers' values are checked in `checkReferences`.
 */
export const applicantSchema = z.looseObject({
  /** The application number (never an ID number or a name: the list is published). */
  id,
  /** The family's order, best first. */
  choices: z.array(id),
  /** School → tier (an integer ≥ 1); a listed school without a tier is one the child is not eligible for. */
  tiers: z.custom<Record<string, number>>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), {
    error: 'must be an object',
    params: { zh: '应为对象' },
  }),
});

/** 统筹: where every applicant lives and where the public schools are, to place those DA leaves unplaced. */
export const overflowSchema = z.strictObject({
  /** Schools with their location; only public ones receive overflow placements. */
  schools: z.array(z.strictObject({ id, ownership: z.enum(OWNERSHIPS), x: coordinate, y: coordinate })),
  /** Residential communities (小区) with the coordinates distances are measured from. */
  communities: z.array(z.strictObject({ id, x: coordinate, y: coordinate })),
  /** Applicant id → community id, for every applicant. */
  applicants: z.record(z.string(), id),
});

export const TIE_BREAKINGS = ['single', 'multiple'] as const;
export type TieBreaking = (typeof TIE_BREAKINGS)[number];

/** Everything but the seed: what a published draw carries before the seed exists. */
export const admissionsBodySchema = z.strictObject({
  tieBreaking: z.enum(TIE_BREAKINGS),
  schools: z.array(admissionsSchoolSchema),
  applicants: z.array(applicantSchema),
  overflow: overflowSchema.optional(),
});

export const admissionsInputSchema = admissionsBodySchema.extend({
  seed: z.string().regex(/^[0-9a-fA-F]+$/, { error: 'must be a hex string' }),
});

export type AdmissionsInput = z.output<typeof admissionsInputSchema>;
export type Applicant = z.output<typeof applicantSchema>;
export type AdmissionsSchool = z.output<typeof admissionsSchoolSchema>;
export type OverflowInput = z.output<typeof overflowSchema>;

/** A school's rank of its last admitted applicant. */
export interface Cutoff {
  tier: number;
  key: string;
}

/** How a child got its seat: its first choice, a later choice, or 统筹 after DA. */
export type PlacementBy = 'choice' | 'fallback' | 'overflow';

export interface AdmissionsResult {
  /** Applicant id → school id, or null: the deferred-acceptance result (the contract). */
  assignments: Record<string, string | null>;
  /** School id → seats filled by DA and the cutoff, null where seats are left (the contract). */
  schools: Record<string, { admitted: number; cutoff: Cutoff | null }>;
  /** Only with `overflow`: each applicant's final school and how it was reached (null: no seat). */
  placements?: Record<string, { school: string | null; by: PlacementBy | null }>;
  /** Only with `overflow`: school id → seats still free after the overflow step. */
  seatsLeft?: Record<string, number>;
}

export function admissionsError(
  code: string,
  path: readonly PropertyKey[],
  zh: string,
  en: string,
): AppError {
  return new AppError(`admissions.${code}`, zh, en, jsonPath(path));
}

/** Chinese and English wording of a zod issue (zod's own messages are English only). */
function issueWords(issue: z.core.$ZodIssue, json: unknown): { zh: string; en: string } {
  const value = issue.path.reduce<unknown>(
    (v, k) => (v && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[k] : undefined),
    json,
  );
  if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'custom'))
    return { zh: '缺少此项', en: 'is missing' };
  switch (issue.code) {
    case 'invalid_type':
      if (issue.expected === 'int') return { zh: '应为整数', en: 'must be an integer' };
      return { zh: `类型应为 ${issue.expected}`, en: `must be a ${issue.expected}` };
    case 'too_small':
      if (issue.origin === 'string') return { zh: '不能为空', en: 'must not be empty' };
      return issue.minimum === 0
        ? { zh: '不能为负数', en: 'must not be negative' }
        : { zh: `不能小于 ${issue.minimum}`, en: `must be at least ${issue.minimum}` };
    case 'unrecognized_keys':
      return { zh: `未知的项 ${issue.keys.join('、')}`, en: `unknown key ${issue.keys.join(', ')}` };
    case 'invalid_value':
      return { zh: `应为 ${issue.values.join('、')} 之一`, en: `must be one of ${issue.values.join(', ')}` };
    case 'invalid_format':
      return { zh: '应为十六进制字符串', en: 'must be a hex string' };
    case 'custom':
      return { zh: String(issue.params?.zh ?? issue.message), en: issue.message };
    default:
      return { zh: `不合格式：${issue.message}`, en: issue.message };
  }
}

/** Parses with a schema of this contract; the first issue becomes an AppError at its JSON path. */
export function parseWith<T extends z.ZodType>(schema: T, json: unknown): z.output<T> {
  return parseContract(schema, json, {
    error: (issue) => {
      const w = issueWords(issue, json);
      return admissionsError(
        'invalid_input',
        issue.path,
        `输入不符合约定：${w.zh}`,
        `input does not match the contract: ${w.en}`,
      );
    },
  });
}

/** Indexes ids, refusing a repeat: `schools[2].id: repeats schools[0]`. */
function indexIds(items: readonly { id: string }[], list: string): Map<string, number> {
  const seen = new Map<string, number>();
  items.forEach((item, i) => {
    const first = seen.get(item.id);
    if (first !== undefined)
      throw admissionsError(
        'duplicate_id',
        [list, i, 'id'],
        `编号 ${item.id} 与 ${list}[${first}] 重复`,
        `${item.id} repeats ${list}[${first}]`,
      );
    seen.set(item.id, i);
  });
  return seen;
}

/** The checks zod cannot make alone: unique ids and every school named being a school of the input. */
export function checkReferences(input: z.output<typeof admissionsBodySchema>): void {
  const schools = indexIds(input.schools, 'schools');
  const applicants = indexIds(input.applicants, 'applicants');
  input.applicants.forEach((a, i) => {
    for (const k in a)
      if (!APPLICANT_KEYS.has(k))
        throw admissionsError(
          'invalid_input',
          ['applicants', i],
          `输入不符合约定：未知的项 ${k}`,
          `input does not match the contract: unknown key ${k}`,
        );
    const listed = new Set<string>();
    a.choices.forEach((s, k) => {
      if (!schools.has(s))
        throw admissionsError(
          'unknown_school',
          ['applicants', i, 'choices', k],
          `未知的学校 ${s}`,
          `unknown school ${s}`,
        );
      if (listed.has(s))
        throw admissionsError(
          'repeated_choice',
          ['applicants', i, 'choices', k],
          `学校 ${s} 填报了两次`,
          `school ${s} is listed twice`,
        );
      listed.add(s);
    });
    for (const s in a.tiers) {
      const t = a.tiers[s];
      if (typeof t !== 'number' || !Number.isInteger(t) || t < 1)
        throw admissionsError(
          'invalid_input',
          ['applicants', i, 'tiers', s],
          '输入不符合约定：应为不小于 1 的整数',
          'input does not match the contract: must be an integer ≥ 1',
        );
      if (!schools.has(s))
        throw admissionsError(
          'unknown_school',
          ['applicants', i, 'tiers', s],
          `未知的学校 ${s}`,
          `unknown school ${s}`,
        );
    }
  });
  if (input.overflow) checkOverflow(input.overflow, schools, applicants, input.applicants);
}

function checkOverflow(
  o: OverflowInput,
  schools: Map<string, number>,
  applicants: Map<string, number>,
  list: readonly Applicant[],
): void {
  indexIds(o.schools, 'overflow.schools');
  o.schools.forEach((s, i) => {
    if (!schools.has(s.id))
      throw admissionsError(
        'unknown_school',
        ['overflow', 'schools', i, 'id'],
        `未知的学校 ${s.id}`,
        `unknown school ${s.id}`,
      );
  });
  const communities = indexIds(o.communities, 'overflow.communities');
  for (const a in o.applicants) {
    if (!applicants.has(a))
      throw admissionsError(
        'unknown_applicant',
        ['overflow', 'applicants', a],
        `未知的申请 ${a}`,
        `unknown applicant ${a}`,
      );
    if (!communities.has(o.applicants[a]))
      throw admissionsError(
        'unknown_community',
        ['overflow', 'applicants', a],
        `未知的小区 ${o.applicants[a]}`,
        `unknown community ${o.applicants[a]}`,
      );
  }
  for (const a of list)
    if (!Object.hasOwn(o.applicants, a.id))
      throw admissionsError(
        'missing_community',
        ['overflow', 'applicants', a.id],
        '缺少此申请的小区',
        'the applicant has no community',
      );
}

/**
 * Validates an `admissions solve` input: zod first, then unique ids and references. Example error:
 * `applicants[0].tiers.P01: input does not match the contract: must be an integer ≥ 1 — 输入不符合约定：应为不小于 1 的整数`.
 */
export function parseAdmissionsInput(json: unknown): AdmissionsInput {
  const input = parseWith(admissionsInputSchema, json);
  checkReferences(input);
  return input;
}
