import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ApplicationRow, submitApplication } from '../../src/admissions/applications.ts';
import { addDocument, deleteDocument, MAX_DOCUMENTS } from '../../src/admissions/documents.ts';
import { registerParent } from '../../src/admissions/parents.ts';
import { createRound, getRound, openRound, type Round } from '../../src/admissions/rounds.ts';
import type { AuditActor } from '../../src/audit/audit-log.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { buildApplication, buildRules, JPEG, seedAdmissionsWorld } from '../support/admissions.ts';
import { HOME_COUNTY } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const clerk: AuditActor = { userId: null, username: 'clerk', role: 'county_staff', ip: null };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`document photos after the round closed on ${dialect}`, () => {
    let t: TestDatabase;
    let round: Round;
    let app: ApplicationRow;
    let family: AuditActor & { userId: number };
    let dir: string;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      const w = await seedAdmissionsWorld(t.store.db);
      round = await openRound(
        t.store.db,
        clerk,
        await createRound(t.store.db, clerk, {
          countyCode: HOME_COUNTY,
          year: 2026,
          stage: 'primary',
          name: 'r',
          rules: buildRules(),
        }),
      );
      const parent = await registerParent(t.store.db, null, {
        phone: '13800000029',
        password: 'parent2026pw',
      });
      family = { ...clerk, userId: parent.id, username: '13800000029', role: 'parent' };
      app = (await submitApplication(t.store.db, family, round, 'docs-round', buildApplication(w)))
        .application;
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-docs-round-'));
    });
    afterAll(async () => {
      await t?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    const documents = () =>
      t.store.db.selectFrom('admission_documents').select(['id', 'stored_name']).orderBy('id').execute();
    const audits = (action: string) =>
      t.store.db.selectFrom('audit_log').select('id').where('action', '=', action).execute();

    it('takes no more than the limit of photos when the last uploads arrive at once', async () => {
      for (let k = 1; k < MAX_DOCUMENTS; k++)
        await addDocument(t.store.db, { dir: null }, family, round, app, 'hukou_book', JPEG);
      const racing = await Promise.allSettled(
        [1, 2, 3].map(() => addDocument(t.store.db, { dir }, family, round, app, 'property_deed', JPEG)),
      );
      expect(racing.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      for (const r of racing.filter((x) => x.status === 'rejected'))
        expect((r as PromiseRejectedResult).reason).toMatchObject({
          code: 'admissions.doc_count',
          field: 'file',
        });
      const stored = await documents();
      expect(stored).toHaveLength(MAX_DOCUMENTS);
      // The refused uploads leave no file behind.
      expect(fs.readdirSync(dir)).toEqual(stored.flatMap((d) => (d.stored_name ? [d.stored_name] : [])));
      // Back to no photos for the next test (its own checks count from none).
      await t.store.db.deleteFrom('admission_documents').execute();
      for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f));
    });

    it('refuses an upload or a deletion under a read taken before the close, and stores nothing', async () => {
      // While the round is open, the same calls succeed (in the database and in the directory).
      const kept = await addDocument(t.store.db, { dir: null }, family, round, app, 'hukou_book', JPEG);
      const inDir = await addDocument(t.store.db, { dir }, family, round, app, 'property_deed', JPEG);
      const [, inDirRow] = await documents();
      expect(fs.readdirSync(dir)).toEqual([inDirRow.stored_name]);
      const docOf = (id: number, storedName: string | null) => ({
        id,
        application_id: app.id,
        county_code: app.county_code,
        stored_name: storedName,
      });
      await deleteDocument(t.store.db, { dir }, family, round, docOf(inDir.id, inDirRow.stored_name));
      expect((await documents()).map((d) => d.id)).toEqual([kept.id]);
      expect(fs.readdirSync(dir)).toEqual([]);

      // The round object still says open and before the deadline: only the database knows better.
      const stale = await getRound(t.store.db, round.id);
      expect(stale.status).toBe('open');
      await t.store.db
        .updateTable('admission_rounds')
        .set({ status: 'closed' })
        .where('id', '=', round.id)
        .execute();
      const addsBefore = (await audits('admissions.document_add')).length;
      for (const storage of [{ dir: null }, { dir }])
        await expect(
          addDocument(t.store.db, storage, family, stale, app, 'birth_certificate', JPEG),
        ).rejects.toMatchObject({
          code: 'admissions.round_not_open',
          field: 'round',
          zh: '该批次已停止报名，照片未保存',
          en: 'The round stopped taking applications meanwhile: the photo was not saved',
        });
      expect((await documents()).map((d) => d.id)).toEqual([kept.id]);
      expect(fs.readdirSync(dir)).toEqual([]);
      expect(await audits('admissions.document_add')).toHaveLength(addsBefore);

      const deletesBefore = (await audits('admissions.document_delete')).length;
      await expect(
        deleteDocument(t.store.db, { dir: null }, family, stale, docOf(kept.id, null)),
      ).rejects.toMatchObject({ code: 'admissions.round_not_open', field: 'round' });
      expect((await documents()).map((d) => d.id)).toEqual([kept.id]);
      expect(await audits('admissions.document_delete')).toHaveLength(deletesBefore);
    });
  });
}
