import { z } from 'zod';

/** The draw API's shapes (docs/admissions.md "The draw 摇号"). */

export const DrawView = z.object({
  roundId: z.number(),
  status: z.enum(['frozen', 'drawn']),
  applicants: z.number().describe('verified applications in the frozen list'),
  digest: z.string().describe('SHA-256 of the RFC 8785 canonical applicant list, published at the freeze'),
  commitment: z.string().describe('SHA-256(secret), published at the freeze'),
  frozenAt: z.string(),
  frozenBy: z.string(),
  secret: z.string().nullable().describe('null until the draw reveals it'),
  publicValue: z.string().nullable(),
  seed: z.string().nullable().describe('SHA-256(secret:publicValue)'),
  drawnAt: z.string().nullable(),
  drawnBy: z.string().nullable(),
  publishedAt: z.string().nullable().describe('when the results were published to the families'),
  publishedBy: z.string().nullable(),
});

export const DrawBody = z.object({
  publicValue: z
    .string()
    .min(1)
    .describe('the public value announced beforehand, e.g. an official lottery draw'),
});

/** The published draw file, exactly what `admissions verify` reads (docs/admissions-engine.md). */
export const DrawFileView = z.record(z.string(), z.unknown());

export type DrawView = z.infer<typeof DrawView>;
