import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitApplication } from '../../src/admissions/applications.ts';
import { addDocument, readDocumentContent, retentionEnds } from '../../src/admissions/documents.ts';
import { registerParent } from '../../src/admissions/parents.ts';
import { createRound, openRound, type Round } from '../../src/admissions/rounds.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { buildApplication, buildRules, JPEG, seedAdmissionsWorld } from '../support/admissions.ts';
import { HOME_COUNTY } from '../support/api.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';

const actor = { userId: null, username: 'clerk', role: 'county_staff', ip: null };

describe('document photos: checks, storage and retention', () => {
  let t: TestDatabase;
  let round: Round;
  let dir: string;
  let app: Awaited<ReturnType<typeof submitApplication>>['application'];
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
    const w = await seedAdmissionsWorld(t.store.db);
    const rules = buildRules();
    rules.schedule.appealsClose =
      rules.schedule.noticeOn =
      rules.schedule.drawOn =
      rules.schedule.verificationEnds =
        rules.schedule.registrationCloses.slice(0, 10);
    rules.documents.retentionDays = 1;
    round = await openRound(
      t.store.db,
      actor,
      await createRound(t.store.db, actor, {
        countyCode: HOME_COUNTY,
        year: 2026,
        stage: 'primary',
        name: 'r',
        rules,
      }),
    );
    const parent = await registerParent(t.store.db, null, { phone: '13800000009', password: 'parent2026pw' });
    app = (
      await submitApplication(
        t.store.db,
        { ...actor, userId: parent.id },
        round,
        'docs-key',
        buildApplication(w),
      )
    ).application;
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-docs-'));
  });
  afterAll(async () => {
    await t?.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('accepts JPEG and PNG by their bytes, refuses other files and oversized ones, naming the field', async () => {
    await expect(
      addDocument(t.store.db, { dir: null }, actor, round, app, 'hukou_book', Buffer.from('GIF89a....')),
    ).rejects.toMatchObject({
      code: 'admissions.doc_type',
      field: 'file',
    });
    const big = Buffer.concat([JPEG, Buffer.alloc(round.parsedRules.documents.maxBytes)]);
    await expect(
      addDocument(t.store.db, { dir: null }, actor, round, app, 'hukou_book', big),
    ).rejects.toMatchObject({
      code: 'admissions.doc_size',
      field: 'file',
    });
    await expect(
      addDocument(t.store.db, { dir: null }, actor, round, app, 'passport', JPEG),
    ).rejects.toMatchObject({
      field: 'docType',
    });
  });

  it('keeps a photo in the database or in the configured directory', async () => {
    const inDb = await addDocument(t.store.db, { dir: null }, actor, round, app, 'hukou_book', JPEG);
    const inDir = await addDocument(t.store.db, { dir }, actor, round, app, 'birth_certificate', JPEG);
    const rows = await t.store.db.selectFrom('admission_documents').selectAll().orderBy('id').execute();
    expect(rows.map((r) => r.id)).toEqual([inDb.id, inDir.id]);
    expect(rows[0].content?.length).toBe(JPEG.length);
    expect(rows[1]).toMatchObject({ content: null, stored_name: expect.stringMatching(/\.jpg$/) });
    expect(fs.readdirSync(dir)).toEqual([rows[1].stored_name]);
    expect(readDocumentContent({ dir }, rows[1]).equals(JPEG)).toBe(true);
  });

  it('deletes the photos once the retention period after the appeals has ended (the CLI verb)', async () => {
    const ends = retentionEnds(round.parsedRules);
    const env = { DATABASE_URL: t.url, EDUATLAS_DOCUMENTS_DIR: dir };
    // Still inside the period: nothing to delete (the period ends at the earliest tomorrow).
    const early = runCli(['admissions', 'purge-documents'], env);
    expect(early.status, early.stderr).toBe(0);
    expect(early.stdout).toContain('no photos past their retention period');
    // Past it: the store function with a later clock, as the nightly job will see it.
    const { purgeExpiredDocuments } = await import('../../src/admissions/documents.ts');
    const later = new Date(Date.parse(`${ends}T00:00:00+08:00`) + 2 * 86400_000);
    const dry = await purgeExpiredDocuments(t.store.db, { dir }, actor, { now: later, dryRun: true });
    expect(dry).toEqual([{ roundId: round.id, name: 'r', retentionEnds: ends, deleted: 2 }]);
    expect(await t.store.db.selectFrom('admission_documents').select('id').execute()).toHaveLength(2);
    await purgeExpiredDocuments(t.store.db, { dir }, actor, { now: later });
    expect(await t.store.db.selectFrom('admission_documents').select('id').execute()).toEqual([]);
    expect(fs.readdirSync(dir)).toEqual([]);
    const audit = await t.store.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'admissions.documents_purge')
      .execute();
    expect(audit).toHaveLength(1);
  });
});
