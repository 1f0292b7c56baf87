import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listAppeals, presentMyAppeal } from '../../src/admissions/appeal-views.ts';
import {
  appealsCloseAt,
  decideAppeal,
  findAppeal,
  submitAppeal,
  withdrawAppeal,
} from '../../src/admissions/appeals.ts';
import { findApplication } from '../../src/admissions/applications.ts';
import { publishResults, seatsLeftBySchool } from '../../src/admissions/results.ts';
import type { Round } from '../../src/admissions/rounds.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { type AppealWorld, buildPublishedRound, clerk, unplacedApplications } from './fixture.ts';

const app = async (t: TestDatabase, id: number) => (await findApplication(t.store.db, id))!;

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`appeals on ${dialect}`, () => {
    let t: TestDatabase;
    let world: AppealWorld;
    let round: Round;
    let unplaced: number[];
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      world = await buildPublishedRound(t.store.db, { publish: false });
      round = world.round;
    });
    afterAll(async () => t?.drop());

    it('opens only once the results are published', async () => {
      await expect(
        submitAppeal(t.store.db, world.family, round, await app(t, world.apps[0]), { reason: '太远' }),
      ).rejects.toMatchObject({ code: 'admissions.appeal_not_open', field: 'round' });
      await publishResults(t.store.db, clerk, round);
      unplaced = await unplacedApplications(t.store.db, round);
      expect(unplaced).toHaveLength(2);
      const seats = await seatsLeftBySchool(t.store.db, round);
      expect(seats.get(world.w.publicId)).toMatchObject({ planned: 3, placed: 2, left: 1 });
      expect(seats.get(world.w.otherPublicId)?.left).toBe(0);
      expect(seats.get(world.w.privateId)?.left).toBe(0);
    });

    it('closes at the end of appealsClose in Asia/Shanghai', async () => {
      // appealsClose 2099-08-20: the window ends at 2099-08-20 24:00 Shanghai = 16:00 UTC.
      expect(appealsCloseAt(round)).toBe('2099-08-20T16:00:00.000Z');
      const a = await app(t, unplaced[0]);
      await expect(
        submitAppeal(
          t.store.db,
          world.family,
          round,
          a,
          { reason: '晚了' },
          new Date('2099-08-20T16:00:00Z'),
        ),
      ).rejects.toMatchObject({ code: 'admissions.appeal_window_closed', field: 'round' });
      const mine = await presentMyAppeal(t.store.db, round, a, new Date('2099-08-20T15:59:59Z'));
      expect(mine).toMatchObject({ canAppeal: true, appeal: null, window: { open: true } });
    });

    it('names the field of a bad reason or school', async () => {
      const a = await app(t, unplaced[0]);
      await expect(submitAppeal(t.store.db, world.family, round, a, { reason: '  ' })).rejects.toMatchObject({
        code: 'admissions.reason_required',
        field: 'reason',
      });
      const outside = world.w.publicId + 1000;
      await expect(
        submitAppeal(t.store.db, world.family, round, a, { reason: '近', desiredSchoolId: outside }),
      ).rejects.toMatchObject({ code: 'admissions.appeal_school', field: 'desiredSchoolId' });
    });

    it('keeps one live appeal per application, in the database too', async () => {
      const a = await app(t, unplaced[0]);
      const first = await submitAppeal(t.store.db, world.family, round, a, {
        reason: '家离第一实验小学 300 米',
        desiredSchoolId: world.w.publicId,
      });
      expect(first).toMatchObject({ status: 'submitted', desired_school_id: world.w.publicId });
      await expect(
        submitAppeal(t.store.db, world.family, round, a, { reason: '再次申诉' }),
      ).rejects.toMatchObject({ code: 'admissions.appeal_exists' });
      // The partial unique index itself refuses a second live row.
      await expect(
        t.store.db
          .insertInto('admission_appeals')
          .values({
            application_id: a.id,
            round_id: round.id,
            county_code: round.county_code,
            reason: 'x',
            status: 'refused',
            submitted_at: 'x',
            updated_at: 'x',
          })
          .execute(),
      ).rejects.toThrow();
      // Withdrawn, it frees the application for a new appeal.
      await withdrawAppeal(t.store.db, world.family, first);
      await expect(withdrawAppeal(t.store.db, world.family, first)).rejects.toMatchObject({
        code: 'admissions.appeal_decided',
      });
      const again = await submitAppeal(t.store.db, world.family, round, a, {
        reason: '家离第一实验小学 300 米（补充材料）',
      });
      expect(again.status).toBe('submitted');
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'resource_id', 'detail'])
        .where('resource_type', '=', 'admission_appeal')
        .orderBy('id')
        .execute();
      expect(audit.map((r) => r.action)).toEqual([
        'admissions.appeal_submit',
        'admissions.appeal_withdraw',
        'admissions.appeal_submit',
      ]);
      expect(JSON.parse(audit[1].detail!)).toMatchObject({
        before: { status: 'submitted' },
        after: { status: 'withdrawn' },
      });
    });

    it('grants the last seat once under two concurrent grants, never exceeding it', async () => {
      const [a, b] = [await app(t, unplaced[0]), await app(t, unplaced[1])];
      const appealA = (await listAppeals(t.store.db, round, { status: 'submitted', limit: 10, offset: 0 }))
        .rows[0];
      expect(appealA.applicationId).toBe(a.id);
      const appealB = await submitAppeal(t.store.db, world.family, round, b, { reason: '同样离得近' });
      const grant = (id: number) =>
        findAppeal(t.store.db, id).then((p) =>
          decideAppeal(t.store.db, clerk, round, p!, {
            decision: 'grant',
            schoolId: world.w.publicId,
            reason: '预留学位安排',
          }),
        );
      const outcomes = await Promise.allSettled([grant(appealA.id), grant(appealB.id)]);
      const won = outcomes.filter((o) => o.status === 'fulfilled');
      const lost = outcomes.filter((o) => o.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect((lost[0] as PromiseRejectedResult).reason).toMatchObject({
        code: 'admissions.no_seats_left',
        field: 'schoolId',
        zh: expect.stringContaining('梁园区第一实验小学'),
      });
      const seats = await seatsLeftBySchool(t.store.db, round);
      expect(seats.get(world.w.publicId)).toMatchObject({ planned: 3, placed: 3, left: 0 });
      const placed = await t.store.db
        .selectFrom('admission_applications')
        .select(['id', 'result_school_id', 'result_by'])
        .where('id', 'in', unplaced)
        .orderBy('id')
        .execute();
      expect(
        placed.filter((p) => p.result_by === 'appeal' && p.result_school_id === world.w.publicId),
      ).toHaveLength(1);
      // The loser's appeal is still waiting, untouched by the failed transaction.
      const loserId = won[0] === outcomes[0] ? appealB.id : appealA.id;
      expect((await findAppeal(t.store.db, loserId))!.status).toBe('submitted');
    });

    it('moves nobody: the other children keep their results', async () => {
      const others = await t.store.db
        .selectFrom('admission_applications')
        .select(['result_by'])
        .where('round_id', '=', round.id)
        .where('id', 'not in', unplaced)
        .execute();
      // The private school's two lottery losers keep their catchment fallback; the rest their
      // choice or 统筹 (as the draw's lottery fell), none of them an appeal.
      const by = others.map((o) => o.result_by);
      expect(by).toHaveLength(5);
      expect(by.filter((b) => b === 'fallback')).toHaveLength(2);
      for (const b of by) expect(['choice', 'fallback', 'overflow']).toContain(b);
    });

    it('refuses with a reason the family sees, once', async () => {
      const waiting = (await listAppeals(t.store.db, round, { status: 'submitted', limit: 10, offset: 0 }))
        .rows;
      expect(waiting).toHaveLength(1);
      const p = (await findAppeal(t.store.db, waiting[0].id))!;
      await expect(
        decideAppeal(t.store.db, clerk, round, p, { decision: 'refuse', reason: ' ' }),
      ).rejects.toMatchObject({ code: 'admissions.reason_required', field: 'reason' });
      const refused = await decideAppeal(t.store.db, clerk, round, p, {
        decision: 'refuse',
        reason: '第一实验小学预留学位已满，维持原结果',
      });
      expect(refused).toMatchObject({ status: 'refused', decided_by: 'clerk', placed_school_id: null });
      await expect(
        decideAppeal(t.store.db, clerk, round, p, { decision: 'refuse', reason: '再次' }),
      ).rejects.toMatchObject({ code: 'admissions.appeal_decided', field: 'status' });
      const mine = await presentMyAppeal(t.store.db, round, await app(t, p.application_id));
      expect(mine).toMatchObject({
        canAppeal: false,
        appeal: {
          status: 'refused',
          decisionReason: '第一实验小学预留学位已满，维持原结果',
          placedSchool: null,
        },
      });
      const audit = await t.store.db
        .selectFrom('audit_log')
        .select(['action', 'detail'])
        .where('action', 'in', ['admissions.appeal_grant', 'admissions.appeal_refuse'])
        .orderBy('id')
        .execute();
      expect(audit.map((r) => r.action)).toEqual(['admissions.appeal_grant', 'admissions.appeal_refuse']);
      expect(JSON.parse(audit[0].detail!)).toMatchObject({
        before: { status: 'submitted', resultSchoolId: null, resultBy: null },
        after: { status: 'granted', resultSchoolId: world.w.publicId, resultBy: 'appeal' },
      });
      expect(JSON.parse(audit[1].detail!)).toMatchObject({
        before: { status: 'submitted' },
        after: { status: 'refused', resultBy: null },
      });
    });

    it('lists by status and school, masked', async () => {
      const all = await listAppeals(t.store.db, round, { limit: 10, offset: 0 });
      expect(all.byStatus).toEqual({ submitted: 0, granted: 1, refused: 1, withdrawn: 1 });
      expect(all.total).toBe(3);
      for (const r of all.rows) {
        expect(r.childName).toMatch(/^李\*+$/);
        expect(r.idNumber).toMatch(/\*{8}/);
      }
      const atFirst = await listAppeals(t.store.db, round, {
        schoolId: world.w.publicId,
        limit: 10,
        offset: 0,
      });
      expect(atFirst.rows.map((r) => r.status).sort()).toEqual(['granted', 'withdrawn']);
    });
  });
}
