/**
 * Document photos (证明材料): JPEG or PNG, recognised by their first bytes rather than by the name the
 * phone gave them, no larger than the round allows. Kept in the database, or — when
 * EDUATLAS_DOCUMENTS_DIR names a directory every server process shares — as files there. Deleted
 * when the round's retention period (days after the appeals close) ends: `admissions purge-documents`.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Kysely, PostgresAdapter, type Transaction } from 'kysely';
import { type AuditActor, writeAudit } from '../audit/audit-log.ts';
import { AppError } from '../domain/errors.ts';
import { nowIso, todayInShanghai } from '../domain/time.ts';
import type { Database } from '../store/schema.ts';
import type { ApplicationRow } from './applications.ts';
import { type Round, requireAccepting, roundWhile } from './rounds.ts';
import { DOC_TYPES, type DocType, parseRoundRules } from './rules.ts';

/** Where photos live: null for the database. */
export interface DocumentStorage {
  dir: string | null;
}

export function documentStorageFromEnv(env: NodeJS.ProcessEnv = process.env): DocumentStorage {
  const dir = env.EDUATLAS_DOCUMENTS_DIR?.trim();
  return { dir: dir ? path.resolve(dir) : null };
}

/** Photos per application, so that one family cannot fill the store. */
export const MAX_DOCUMENTS = 20;

const SIGNATURES: { mime: string; ext: string; bytes: number[] }[] = [
  { mime: 'image/jpeg', ext: 'jpg', bytes: [0xff, 0xd8, 0xff] },
  { mime: 'image/png', ext: 'png', bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a] },
];

export const photoTooLarge = (max: number) =>
  new AppError(
    'admissions.doc_size',
    `照片须小于 ${(max / 1024 / 1024).toFixed(1)} MB`,
    `The photo must be under ${(max / 1024 / 1024).toFixed(1)} MB`,
    'file',
  );

/** The image type a file's first bytes show, or null. */
export function sniffImage(content: Buffer): { mime: string; ext: string } | null {
  const hit = SIGNATURES.find((s) => s.bytes.every((b, i) => content[i] === b));
  return hit ? { mime: hit.mime, ext: hit.ext } : null;
}

/**
 * The round's status checked again by the database inside the photo's own transaction (as a
 * family's edit is, `roundWhile`): on PostgreSQL the round row stays share-locked until the
 * transaction commits, so the bureau's close either commits first — and the photo is refused — or
 * waits for it. The deadline is frozen with the rules once the round is open; `requireAccepting`
 * checks it before.
 */
async function requireStillOpen(trx: Transaction<Database>, round: Round, what: 'add' | 'delete') {
  const open = await roundWhile(trx, round.id, ['open']).executeTakeFirst();
  if (!open)
    throw new AppError(
      'admissions.round_not_open',
      what === 'add' ? '该批次已停止报名，照片未保存' : '该批次已停止报名，照片未删除',
      what === 'add'
        ? 'The round stopped taking applications meanwhile: the photo was not saved'
        : 'The round stopped taking applications meanwhile: the photo was not deleted',
      'round',
    );
}

export async function addDocument(
  db: Kysely<Database>,
  storage: DocumentStorage,
  actor: AuditActor,
  round: Round,
  app: ApplicationRow,
  docType: string,
  content: Buffer,
  now?: Date,
) {
  requireAccepting(round, now);
  if (!DOC_TYPES.includes(docType as DocType))
    throw new AppError(
      'admissions.bad_doc_type',
      `未知材料类型 ${docType}`,
      `Unknown document type ${docType}`,
      'docType',
    );
  const max = round.parsedRules.documents.maxBytes;
  if (content.length === 0 || content.length > max) throw photoTooLarge(max);
  const image = sniffImage(content);
  if (!image)
    throw new AppError(
      'admissions.doc_type',
      '只接受 JPEG 或 PNG 照片',
      'Only JPEG or PNG photos are accepted',
      'file',
    );
  const storedName = storage.dir ? `${randomUUID()}.${image.ext}` : null;
  if (storedName) {
    fs.mkdirSync(storage.dir!, { recursive: true });
    fs.writeFileSync(path.join(storage.dir!, storedName), content, { flag: 'wx' });
  }
  try {
    return await db.transaction().execute(async (trx) => {
      await requireStillOpen(trx, round, 'add');
      // Counted under a lock on the application, so two uploads at once cannot both take the last place.
      const lock = trx.selectFrom('admission_applications').select('id').where('id', '=', app.id);
      await (trx.getExecutor().adapter instanceof PostgresAdapter ? lock.forUpdate() : lock).execute();
      const count = await trx
        .selectFrom('admission_documents')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('application_id', '=', app.id)
        .executeTakeFirstOrThrow();
      if (Number(count.n) >= MAX_DOCUMENTS)
        throw new AppError(
          'admissions.doc_count',
          `每份报名最多 ${MAX_DOCUMENTS} 张照片`,
          `At most ${MAX_DOCUMENTS} photos per application`,
          'file',
        );
      const row = await trx
        .insertInto('admission_documents')
        .values({
          application_id: app.id,
          county_code: app.county_code,
          doc_type: docType,
          mime: image.mime,
          size: content.length,
          sha256: createHash('sha256').update(content).digest('hex'),
          content: storedName ? null : content,
          stored_name: storedName,
          uploaded_at: nowIso(),
        })
        .returning(['id', 'doc_type', 'mime', 'size', 'uploaded_at'])
        .executeTakeFirstOrThrow();
      await writeAudit(trx, actor, {
        action: 'admissions.document_add',
        resourceType: 'admission_application',
        resourceId: app.id,
        countyCode: app.county_code,
        context: { document: row.id, docType, size: row.size },
      });
      return row;
    });
  } catch (e) {
    if (storedName) fs.rmSync(path.join(storage.dir!, storedName), { force: true });
    throw e;
  }
}

export async function findDocument(db: Kysely<Database>, id: number) {
  return db.selectFrom('admission_documents').selectAll().where('id', '=', id).executeTakeFirst();
}

export function readDocumentContent(
  storage: DocumentStorage,
  doc: { content: Buffer | null; stored_name: string | null },
): Buffer {
  if (doc.content) return Buffer.from(doc.content);
  if (!storage.dir || !doc.stored_name)
    throw new AppError(
      'admissions.doc_missing',
      '照片文件不可用',
      'The photo file is not available',
      'document',
    );
  return fs.readFileSync(path.join(storage.dir, path.basename(doc.stored_name)));
}

export async function deleteDocument(
  db: Kysely<Database>,
  storage: DocumentStorage,
  actor: AuditActor,
  round: Round,
  doc: { id: number; application_id: number; county_code: string; stored_name: string | null },
  now?: Date,
): Promise<void> {
  requireAccepting(round, now);
  await db.transaction().execute(async (trx) => {
    await requireStillOpen(trx, round, 'delete');
    await trx.deleteFrom('admission_documents').where('id', '=', doc.id).execute();
    await writeAudit(trx, actor, {
      action: 'admissions.document_delete',
      resourceType: 'admission_application',
      resourceId: doc.application_id,
      countyCode: doc.county_code,
      context: { document: doc.id },
    });
  });
  if (storage.dir && doc.stored_name) fs.rmSync(path.join(storage.dir, doc.stored_name), { force: true });
}

/** The day (Asia/Shanghai) after which a round's photos are deleted. */
export function retentionEnds(rules: {
  schedule: { appealsClose: string };
  documents: { retentionDays: number };
}) {
  const d = new Date(`${rules.schedule.appealsClose}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + rules.documents.retentionDays);
  return d.toISOString().slice(0, 10);
}

/** Deletes the photos of every round whose retention period has ended; one audit entry per round. */
export async function purgeExpiredDocuments(
  db: Kysely<Database>,
  storage: DocumentStorage,
  actor: AuditActor,
  opts: { now?: Date; dryRun?: boolean } = {},
): Promise<{ roundId: number; name: string; retentionEnds: string; deleted: number }[]> {
  const today = todayInShanghai(opts.now);
  const rounds = await db
    .selectFrom('admission_rounds')
    .select(['id', 'name', 'county_code', 'rules'])
    .execute();
  const out = [];
  for (const r of rounds) {
    const ends = retentionEnds(parseRoundRules(JSON.parse(r.rules)));
    if (today <= ends) continue;
    const docs = await db
      .selectFrom('admission_documents')
      .innerJoin('admission_applications', 'admission_applications.id', 'admission_documents.application_id')
      .select(['admission_documents.id', 'admission_documents.stored_name'])
      .where('admission_applications.round_id', '=', r.id)
      .execute();
    if (docs.length === 0) continue;
    out.push({ roundId: r.id, name: r.name, retentionEnds: ends, deleted: docs.length });
    if (opts.dryRun) continue;
    await db.transaction().execute(async (trx) => {
      for (let i = 0; i < docs.length; i += 500)
        await trx
          .deleteFrom('admission_documents')
          .where(
            'id',
            'in',
            docs.slice(i, i + 500).map((d) => d.id),
          )
          .execute();
      await writeAudit(trx, actor, {
        action: 'admissions.documents_purge',
        resourceType: 'admission_round',
        resourceId: r.id,
        countyCode: r.county_code,
        context: { deleted: docs.length, retentionEnds: ends },
      });
    });
    for (const d of docs)
      if (storage.dir && d.stored_name) fs.rmSync(path.join(storage.dir, d.stored_name), { force: true });
  }
  return out;
}
