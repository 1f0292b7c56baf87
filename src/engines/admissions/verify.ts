/**
 * The published draw (公开可验证的电脑派位) and its check: anyone holding the draw file recomputes the
 * digest of the applicant list, the commitment, the seed, deferred acceptance and the overflow step,
 * and learns whether every published placement matches. Format: docs/admissions-engine.md.
 */
import { z } from 'zod';
import {
  type AdmissionsInput,
  type AdmissionsResult,
  admissionsBodySchema,
  checkReferences,
  parseWith,
} from './contract.ts';
import { applicantListDigest, commitmentOf, drawSeed } from './keys.ts';
import { solveAdmissions } from './solve.ts';

const hex = z.string().regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits' });

const resultSchema = z.strictObject({
  assignments: z.record(z.string(), z.string().nullable()),
  schools: z.record(
    z.string(),
    z.strictObject({
      admitted: z.number().int(),
      cutoff: z.strictObject({ tier: z.number().int(), key: z.string() }).nullable(),
    }),
  ),
  placements: z
    .record(
      z.string(),
      z.strictObject({
        school: z.string().nullable(),
        by: z.enum(['choice', 'fallback', 'overflow']).nullable(),
      }),
    )
    .optional(),
  seatsLeft: z.record(z.string(), z.number().int()).optional(),
});

export const drawFileSchema = admissionsBodySchema.extend({
  /** Published before the draw: SHA-256 of the canonical applicant list. */
  digest: hex,
  /** Published before the draw: SHA-256(secret). */
  commitment: hex,
  /** Revealed at the draw. */
  secret: z.string().min(1),
  /** Entered at the draw, e.g. an official lottery's numbers on a named date. */
  publicValue: z.string().min(1),
  /** SHA-256(`secret:publicValue`), as published. */
  seed: hex,
  /** The published outcome: exactly what `admissions solve` prints. */
  result: resultSchema,
});

export type DrawFile = z.output<typeof drawFileSchema>;

/** The file the office publishes after the draw: its inputs, the draw's numbers and the result. */
export function publishDraw(
  body: Omit<AdmissionsInput, 'seed'>,
  secret: string,
  publicValue: string,
): DrawFile {
  const seed = drawSeed(secret, publicValue);
  return {
    ...body,
    digest: applicantListDigest(body.applicants),
    commitment: commitmentOf(secret),
    secret,
    publicValue,
    seed,
    result: solveAdmissions({ ...body, seed }),
  };
}

export interface Mismatch {
  /** JSON path in the draw file, e.g. `result.assignments.A0003`. */
  field: string;
  /** Absent where the file lacks the entry. */
  published?: unknown;
  /** Absent where the recomputation has no such entry. */
  recomputed?: unknown;
}

interface Check {
  published: string;
  recomputed: string;
  ok: boolean;
}

export interface DrawVerification {
  ok: boolean;
  digest: Check;
  commitment: Check;
  seed: Check;
  result: { ok: boolean; mismatches: number; first: Mismatch[] };
}

/** How many mismatches a verification lists. */
export const FIRST_MISMATCHES = 20;

const check = (published: string, recomputed: string): Check => ({
  published,
  recomputed,
  ok: published === recomputed,
});

/** Compares two JSON values leaf by leaf, counting every difference and keeping the first ones. */
function diff(
  published: unknown,
  recomputed: unknown,
  path: string,
  out: { count: number; first: Mismatch[] },
) {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
  if (isObject(published) && isObject(recomputed)) {
    for (const k in recomputed) diff(published[k], recomputed[k], `${path}.${k}`, out);
    for (const k in published)
      if (!Object.hasOwn(recomputed, k)) diff(published[k], undefined, `${path}.${k}`, out);
    return;
  }
  if (published === recomputed) return;
  out.count++;
  if (out.first.length < FIRST_MISMATCHES) {
    const m: Mismatch = { field: path };
    if (published !== undefined) m.published = published;
    if (recomputed !== undefined) m.recomputed = recomputed;
    out.first.push(m);
  }
}

/**
 * Verifies a published draw file: `{ ok: true, … }` when the digest, the commitment, the seed and
 * every placement match; otherwise the first mismatches, e.g. `{ field: 'result.assignments.A0003',
 * published: 'P01', recomputed: 'P02' }`. A malformed file is an AppError naming the JSON path.
 */
export function verifyDraw(json: unknown): DrawVerification {
  const file = parseWith(drawFileSchema, json);
  checkReferences(file);
  const { digest, commitment, secret, publicValue, seed, result, ...body } = file;
  const recomputedSeed = drawSeed(secret, publicValue);
  const recomputed: AdmissionsResult = solveAdmissions({ ...body, seed: recomputedSeed });
  const out = { count: 0, first: [] as Mismatch[] };
  diff(result, recomputed, 'result', out);
  const checks = {
    digest: check(digest, applicantListDigest(body.applicants)),
    commitment: check(commitment, commitmentOf(secret)),
    seed: check(seed, recomputedSeed),
  };
  return {
    ok: checks.digest.ok && checks.commitment.ok && checks.seed.ok && out.count === 0,
    ...checks,
    result: { ok: out.count === 0, mismatches: out.count, first: out.first },
  };
}
