import type { Writable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { type ApplicationRow, findApplication } from '../../admissions/applications.ts';
import { type DocumentStorage, findDocument, readDocumentContent } from '../../admissions/documents.ts';
import { auditRoundExport } from '../../admissions/exports.ts';
import type { SmsSender } from '../../admissions/parents.ts';
import { findRound, type Round } from '../../admissions/rounds.ts';
import type { Action } from '../../auth/roles.ts';
import type { Database } from '../../store/schema.ts';
import { sendDownload } from '../download.ts';
import { notFound } from '../errors.ts';
import { actorOf, requireAccess } from '../session.ts';

/** What the admissions routes are given: the side effects they use. */
export interface AdmissionsDeps {
  /** The SMS provider for phone codes; none is configured in this build (docs/admissions.md). */
  sms: SmsSender | null;
  documents: DocumentStorage;
}

export const ADMISSIONS_TAGS = ['admissions'];

/** The round, once the user may act on it: another county's (or none) is "not found". */
export async function roundFor(
  db: Kysely<Database>,
  req: FastifyRequest,
  id: number,
  action: Action,
): Promise<Round> {
  requireAccess(req, action);
  const round = await findRound(db, id);
  if (!round) throw notFound('招生批次', 'admission round');
  requireAccess(req, action, { countyCode: round.county_code });
  return round;
}

/**
 * A round a family may see: any that has opened (drafts are the bureau's). `find` is how it is read:
 * the submit route passes findRoundForSubmission (an open round kept a few seconds).
 */
export async function publishedRound(
  db: Kysely<Database>,
  req: FastifyRequest,
  id: number,
  find: (db: Kysely<Database>, id: number) => Promise<Round | undefined> = findRound,
): Promise<Round> {
  requireAccess(req, 'admissions.apply');
  const round = await find(db, id);
  if (!round || round.status === 'draft') throw notFound('招生批次', 'admission round');
  return round;
}

/** The application with its round, once the user may reach it: the family's own, or the clerk's county. */
export async function applicationFor(
  db: Kysely<Database>,
  req: FastifyRequest,
  id: number,
  action: 'admissions.apply' | 'admissions.verify',
): Promise<{ app: ApplicationRow; round: Round }> {
  requireAccess(req, action);
  const a = await findApplication(db, id);
  if (!a) throw notFound('报名', 'application');
  requireAccess(req, action, { countyCode: a.county_code, ownerId: a.parent_id });
  const round = await findRound(db, a.round_id);
  if (!round) throw notFound('招生批次', 'admission round');
  return { app: a, round };
}

/** A document with its application and round, once the user may reach the application (else 404). */
export async function documentFor(
  db: Kysely<Database>,
  req: FastifyRequest,
  id: number,
  action: 'admissions.apply' | 'admissions.verify',
) {
  const doc = await findDocument(db, id);
  // No application has id 0, so a missing document is "not found" after the same access checks.
  const { app, round } = await applicationFor(db, req, doc?.application_id ?? 0, action);
  return { doc: doc!, app, round };
}

/** A document photo as the reply: private and never cached. */
export function sendDocument(
  reply: FastifyReply,
  storage: DocumentStorage,
  doc: { mime: string; content: Buffer | null; stored_name: string | null },
) {
  return reply
    .type(doc.mime)
    .header('cache-control', 'private, no-store')
    .send(readDocumentContent(storage, doc));
}

/**
 * An office XLSX export of a round: needs export.run in the round's county, is audited before the
 * download starts (one entry, `action` with `context`), then streams what `write` produces.
 */
export async function sendRoundExport(
  db: Kysely<Database>,
  req: FastifyRequest,
  reply: FastifyReply,
  round: Round,
  e: {
    action: string;
    context: Record<string, unknown>;
    filename: string;
    write: (out: Writable) => Promise<unknown>;
  },
) {
  requireAccess(req, 'export.run', { countyCode: round.county_code });
  await auditRoundExport(db, actorOf(req), round, e.action, e.context);
  return sendDownload(reply, e.filename, 'xlsx', e.write);
}
