import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  editApplication,
  submitApplication,
  withdrawApplication,
} from '../../src/admissions/applications.ts';
import { addDocument } from '../../src/admissions/documents.ts';
import { registerParent } from '../../src/admissions/parents.ts';
import { createRound, getRound, openRound, type Round, updateRound } from '../../src/admissions/rounds.ts';
import { decideApplication, findConflicts, loadQueue } from '../../src/admissions/verification.ts';
import { seedRegions } from '../../src/store/regions.ts';
import {
  type AdmissionsWorld,
  buildApplication,
  buildRules,
  childId,
  JPEG,
  seedAdmissionsWorld,
} from '../support/admissions.ts';
import { HOME_COUNTY } from '../support/api.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';

const clerk = { userId: null, username: 'clerk', role: 'county_staff', ip: '127.0.0.1' };

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`admissions store on ${dialect}`, () => {
    let t: TestDatabase;
    let w: AdmissionsWorld;
    let round: Round;
    let parents: number[];
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      w = await seedAdmissionsWorld(t.store.db);
      const draft = await createRound(t.store.db, clerk, {
        countyCode: HOME_COUNTY,
        year: 2026,
        stage: 'primary',
        name: '2026 年梁园区小学一年级招生',
        rules: buildRules(),
      });
      round = await openRound(t.store.db, clerk, draft);
      parents = [];
      for (const phone of ['13800000001', '13800000002', '13800000003'])
        parents.push((await registerParent(t.store.db, null, { phone, password: 'parent2026pw' })).id);
    });
    afterAll(async () => t?.drop());

    const actor = (i: number) => ({ userId: parents[i], username: `p${i}`, role: 'parent', ip: null });

    it('freezes the rules when registration opens', async () => {
      expect(round.status).toBe('open');
      expect(round.rules_digest).toMatch(/^[0-9a-f]{64}$/);
      await expect(updateRound(t.store.db, clerk, round, { rules: buildRules() })).rejects.toMatchObject({
        code: 'admissions.rules_frozen',
      });
      const again = await createRound(t.store.db, clerk, {
        countyCode: HOME_COUNTY,
        year: 2026,
        stage: 'junior',
        name: 'junior without catchments',
        rules: buildRules(),
      });
      await expect(openRound(t.store.db, clerk, again)).rejects.toMatchObject({
        code: 'admissions.round_incomplete',
        field: 'catchments',
      });
    });

    it('enforces one application per child per round in the database itself', async () => {
      const { application } = await submitApplication(
        t.store.db,
        actor(0),
        round,
        'key-a',
        buildApplication(w),
      );
      const { id: _id, ...copy } = application;
      await expect(
        t.store.db
          .insertInto('admission_applications')
          .values({ ...copy, parent_id: parents[1], client_key: 'other' })
          .execute(),
      ).rejects.toThrow();
      await expect(
        t.store.db
          .insertInto('admission_applications')
          .values({ ...copy, child_id_number: childId(99) })
          .execute(),
      ).rejects.toThrow();
      // Through the service: another family applying for the same child is told so, on the ID field.
      await expect(
        submitApplication(t.store.db, actor(1), round, 'key-b', buildApplication(w)),
      ).rejects.toMatchObject({ code: 'admissions.application_exists', field: 'child.idNumber' });
      // The same submission again returns the first.
      const again = await submitApplication(t.store.db, actor(0), round, 'key-a', buildApplication(w));
      expect(again).toMatchObject({ created: false, application: { id: application.id } });
    });

    it('checks the ID number, the age window, the catchment and the choice limit, naming the field', async () => {
      const cases: [Record<string, unknown>, string, string][] = [
        [
          { child: { idNumber: `${childId(2).slice(0, 17)}0`, name: '李' } },
          'admissions.bad_id_number',
          'child.idNumber',
        ],
        [
          { child: { idNumber: childId(3, '2020-09-01'), name: '李' } },
          'admissions.outside_age_window',
          'child.idNumber',
        ],
        [{ communityCode: '411402001002' }, 'admissions.outside_catchment', 'choices[0]'],
        [{ choices: [w.publicId, w.privateId] }, 'admissions.choice_count', 'choices'],
        [{ category: 'hukou_only' }, 'admissions.category_mismatch', 'category'],
        [{ consent: false }, 'admissions.consent_required', 'consent'],
      ];
      for (const [over, code, field] of cases)
        await expect(
          submitApplication(
            t.store.db,
            actor(1),
            round,
            `bad-${code}`,
            buildApplication(w, { child: { idNumber: childId(4), name: '李四' }, ...over }),
          ),
          code,
        ).rejects.toMatchObject({ code, field });
      const count = await t.store.db
        .selectFrom('admission_applications')
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(count.n)).toBe(1);
    });

    it('refuses a submission after the Asia/Shanghai deadline', async () => {
      const after = new Date(Date.parse(round.deadline_at) + 1000);
      await expect(
        submitApplication(
          t.store.db,
          actor(1),
          round,
          'late',
          buildApplication(w, { child: { idNumber: childId(5), name: '王五' } }),
          { now: after },
        ),
      ).rejects.toMatchObject({ code: 'admissions.deadline_passed' });
    });

    it('approves only with every proof, returns with a reason, and audits each decision', async () => {
      const [app] = (await loadQueue(t.store.db, round, { limit: 10, offset: 0 })).rows;
      expect(app.childName).toBe('张**');
      expect(app.idNumber).toMatch(/^411402\*{8}\d{3}[\dX]$/);
      expect(app.missingProofs).toBe(3);
      const row = await t.store.db
        .selectFrom('admission_applications')
        .selectAll()
        .where('id', '=', app.id)
        .executeTakeFirstOrThrow();
      await expect(
        decideApplication(t.store.db, clerk, round, row, { decision: 'approve', category: 'hukou_property' }),
      ).rejects.toMatchObject({
        code: 'admissions.proofs_missing',
        field: 'documents',
      });
      const returned = await decideApplication(t.store.db, clerk, round, row, {
        decision: 'return',
        reason: '请上传户口簿首页',
      });
      expect(returned).toMatchObject({ status: 'returned', return_reason: '请上传户口簿首页' });
      for (const d of ['hukou_book', 'property_deed', 'birth_certificate'])
        await addDocument(t.store.db, { dir: null }, actor(0), round, returned, d, JPEG);
      const resubmitted = await t.store.db
        .updateTable('admission_applications')
        .set({ status: 'submitted' })
        .where('id', '=', app.id)
        .returningAll()
        .executeTakeFirstOrThrow();
      const approved = await decideApplication(t.store.db, clerk, round, resubmitted, {
        decision: 'approve',
        category: 'hukou_property',
      });
      expect(approved).toMatchObject({ status: 'approved', approved_category: 'hukou_property' });
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('resource_type', '=', 'admission_application')
        .where('action', 'in', ['admissions.approve', 'admissions.return'])
        .orderBy('id')
        .execute();
      expect(audit.map((a) => a.action)).toEqual(['admissions.return', 'admissions.approve']);
      expect(JSON.parse(audit[1].detail!)).toMatchObject({
        before: { status: 'submitted' },
        after: { status: 'approved' },
      });
      const decisions = await t.store.db
        .selectFrom('admission_decisions')
        .selectAll()
        .where('application_id', '=', app.id)
        .execute();
      expect(decisions.map((d) => d.decision)).toEqual(['return', 'approve']);
    });

    it('flags a property used by more families than the round allows, and a child applying twice in a year', async () => {
      const second = await submitApplication(
        t.store.db,
        actor(2),
        round,
        'same-house',
        buildApplication(w, { child: { idNumber: childId(6), name: '赵六' } }),
      );
      const flags = await findConflicts(t.store.db, round);
      expect(flags.get(second.application.id)).toEqual(['property_overuse']);
      const rules = buildRules();
      const other = await createRound(t.store.db, clerk, {
        countyCode: '411403',
        year: 2026,
        stage: 'primary',
        name: '睢阳区',
        rules,
      });
      // A second county's round holding the same child (inserted directly: no catchments there).
      const { id: _i, ...copy } = second.application;
      await t.store.db
        .insertInto('admission_applications')
        .values({ ...copy, round_id: other.id, county_code: '411403', client_key: 'elsewhere' })
        .execute();
      const again = await findConflicts(t.store.db, await getRound(t.store.db, round.id));
      expect(again.get(second.application.id)).toEqual(['duplicate_child', 'property_overuse']);
      // The queue narrows to the flagged, to a category, to a school.
      const live = await getRound(t.store.db, round.id);
      const flagged = await loadQueue(t.store.db, live, { conflict: true, limit: 50, offset: 0 });
      expect(flagged.rows.map((r) => r.conflicts.length > 0)).toEqual(flagged.rows.map(() => true));
      expect(flagged.total).toBe(2);
      const migrants = await loadQueue(t.store.db, live, { category: 'migrant_rent', limit: 50, offset: 0 });
      expect(migrants.total).toBe(0);
      const atOther = await loadQueue(t.store.db, live, { schoolId: w.otherPublicId, limit: 50, offset: 0 });
      expect(atOther.total).toBe(0);
    });

    // Last: it moves the round on. The round object is the one read before the close (or the freeze)
    // committed: the database's own status decides, and nothing changes.
    it('lands no edit, withdrawal or approval once the round has moved on under a stale read', async () => {
      const { application: app } = await submitApplication(
        t.store.db,
        actor(2),
        round,
        'stale-read',
        buildApplication(w, { child: { idNumber: childId(7), name: '钱七' } }),
      );
      for (const d of ['hukou_book', 'property_deed', 'birth_certificate'])
        await addDocument(t.store.db, { dir: null }, actor(2), round, app, d, JPEG);
      const stale = await getRound(t.store.db, round.id);
      expect(stale.status).toBe('open');
      const read = () =>
        t.store.db
          .selectFrom('admission_applications')
          .selectAll()
          .where('id', '=', app.id)
          .executeTakeFirstOrThrow();
      await t.store.db
        .updateTable('admission_rounds')
        .set({ status: 'closed' })
        .where('id', '=', round.id)
        .execute();
      const input = buildApplication(w, { child: { idNumber: childId(7), name: '钱小七' } });
      await expect(editApplication(t.store.db, actor(2), stale, app, input)).rejects.toMatchObject({
        code: 'admissions.round_not_open',
        field: 'round',
      });
      await expect(withdrawApplication(t.store.db, actor(2), stale, app)).rejects.toMatchObject({
        code: 'admissions.round_not_open',
      });
      expect(await read()).toEqual(app);
      const closed = await getRound(t.store.db, round.id);
      await t.store.db
        .updateTable('admission_rounds')
        .set({ status: 'frozen' })
        .where('id', '=', round.id)
        .execute();
      await expect(
        decideApplication(t.store.db, clerk, closed, app, {
          decision: 'approve',
          category: 'hukou_property',
        }),
      ).rejects.toMatchObject({ code: 'admissions.decision_conflict' });
      expect((await read()).status).toBe('submitted');
    });
  });
}
