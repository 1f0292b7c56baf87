import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applicationNo, findApplication } from '../../src/admissions/applications.ts';
import { freezeDraw, runDraw } from '../../src/admissions/draw.ts';
import { writeQueueWorkbook, writeResultsWorkbook } from '../../src/admissions/exports.ts';
import { PLACED_BY } from '../../src/admissions/labels.ts';
import {
  drawFileOf,
  loadAdmitted,
  loadFamilyResult,
  loadResults,
  publishResults,
  RESULT_BYS,
  seatsLeftBySchool,
} from '../../src/admissions/results.ts';
import { closeRound, entryGrade, type Round, roundSchools } from '../../src/admissions/rounds.ts';
import { loadQueue } from '../../src/admissions/verification.ts';
import { lotteryKey } from '../../src/engines/admissions/keys.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, DIALECTS, dialectEnabled, type TestDatabase } from '../support/databases.ts';
import { buildDrawRound, clerk, PUBLIC_VALUE } from './fixture.ts';

async function cellsOf(file: string, sheet: number): Promise<string[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const rows: string[][] = [];
  book.worksheets[sheet].eachRow((r) => {
    rows.push((r.values as unknown[]).slice(1).map((v) => (v === null || v === undefined ? '' : String(v))));
  });
  return rows;
}

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`publication of results on ${dialect}`, () => {
    let t: TestDatabase;
    let round: Round;
    let dir: string;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      ({ round } = await buildDrawRound(t));
      round = await closeRound(t.store.db, clerk, round);
      dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-results-'));
    });
    afterAll(async () => {
      await t?.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    });

    it('refuses to publish before the draw, and shows families nothing yet', async () => {
      await expect(publishResults(t.store.db, clerk, round)).rejects.toMatchObject({
        code: 'admissions.draw_not_drawn',
      });
      await freezeDraw(t.store.db, clerk, round);
      await expect(publishResults(t.store.db, clerk, round)).rejects.toMatchObject({
        code: 'admissions.draw_not_drawn',
      });
      await runDraw(t.store.db, clerk, round, PUBLIC_VALUE);
      await expect(loadResults(t.store.db, round)).rejects.toMatchObject({
        code: 'admissions.results_not_published',
      });
      const any = await t.store.db.selectFrom('admission_applications').selectAll().executeTakeFirstOrThrow();
      expect(await loadFamilyResult(t.store.db, round, any)).toMatchObject({
        published: false,
        next: 'pending',
        drawStatus: 'drawn',
      });
    });

    it('refuses a stored draw file that no longer verifies', async () => {
      const draw = await t.store.db.selectFrom('admission_draws').selectAll().executeTakeFirstOrThrow();
      const file = JSON.parse(draw.published!);
      const [id, p] = Object.entries(file.result.placements).find(
        ([, p]) => (p as { school: string | null }).school !== null,
      )! as [string, { school: string; by: string }];
      file.result.placements[id] = { ...p, school: p.school === '4114020101' ? '4114020102' : '4114020101' };
      await t.store.db
        .updateTable('admission_draws')
        .set({ published: JSON.stringify(file) })
        .where('id', '=', draw.id)
        .execute();
      await expect(publishResults(t.store.db, clerk, round)).rejects.toMatchObject({
        code: 'admissions.draw_mismatch',
        field: `result.placements.${id}.school`,
      });
      await t.store.db
        .updateTable('admission_draws')
        .set({ published: draw.published })
        .where('id', '=', draw.id)
        .execute();
      const untouched = await t.store.db
        .selectFrom('admission_applications')
        .select('id')
        .where('result_key', 'is not', null)
        .execute();
      expect(untouched).toHaveLength(0);
    });

    it('publishes once — two at once make one publication — with the draw file’s placements on the applications', async () => {
      const outcomes = await Promise.allSettled([
        publishResults(t.store.db, clerk, round),
        publishResults(t.store.db, clerk, round),
      ]);
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const refused = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect(refused.reason).toMatchObject({ code: 'admissions.results_published' });
      await expect(publishResults(t.store.db, clerk, round)).rejects.toMatchObject({
        code: 'admissions.results_published',
      });
      const audits = await t.store.db
        .selectFrom('audit_log')
        .select('detail')
        .where('action', '=', 'admissions.results_publish')
        .execute();
      expect(audits).toHaveLength(1);

      const file = await drawFileOf(t.store.db, round, 'drawn');
      const codeOf = new Map(
        (await t.store.db.selectFrom('schools').select(['id', 'code']).execute()).map((s) => [s.id, s.code]),
      );
      const apps = await t.store.db
        .selectFrom('admission_applications')
        .selectAll()
        .where('round_id', '=', round.id)
        .orderBy('id')
        .execute();
      let inDraw = 0;
      for (const a of apps) {
        const p = file.result.placements![applicationNo(a.id)];
        if (!p) {
          // The application the clerk never verified is not in the draw and has no result.
          expect(a.status).toBe('submitted');
          expect([a.result_school_id, a.result_by, a.result_key, a.result_tier]).toEqual([
            null,
            null,
            null,
            null,
          ]);
          continue;
        }
        inDraw++;
        expect(a.result_school_id === null ? null : codeOf.get(a.result_school_id)).toBe(p.school);
        expect(a.result_by).toBe(p.by);
        // Independent of the engine: SHA-256 of `seed:A000000n`.
        expect(a.result_key).toBe(lotteryKey(file.seed, applicationNo(a.id)));
        expect(a.result_tier).toBe(a.approved_category === 'hukou_property' ? 1 : 2);
      }
      expect(inDraw).toBe(7);
      expect(apps.filter((a) => a.result_school_id !== null)).toHaveLength(5);
      // The private school's two lottery losers fall back to their catchment schools; 统筹 takes
      // what is left of the other public school (none or one seat, as the lottery fell).
      expect(apps.filter((a) => a.result_by === 'fallback')).toHaveLength(2);
      expect(apps.filter((a) => a.result_by === 'overflow').length).toBeLessThanOrEqual(1);
    });

    it('counts seats left per school from the applications: planned − placed', async () => {
      const seats = await seatsLeftBySchool(t.store.db, round);
      const schools = await roundSchools(t.store.db, round, round.parsedRules);
      expect(seats.size).toBe(schools.length);
      for (const s of schools) {
        const placed = await t.store.db
          .selectFrom('admission_applications')
          .select('id')
          .where('result_school_id', '=', s.id)
          .execute();
        expect(seats.get(s.id)).toMatchObject({
          planned: s.planned,
          reserved: s.reserved,
          drawSeats: s.capacity,
          placed: placed.length,
          left: s.planned - placed.length,
        });
      }
      // Every seat of the fixture's three schools (2 + 2 + 1) is taken.
      expect([...seats.values()].map((s) => s.left)).toEqual([0, 0, 0]);
      // A child placed later (as an appeal does) is counted at once.
      const extra = await t.store.db
        .selectFrom('admission_applications')
        .select('id')
        .where('result_school_id', 'is', null)
        .where('result_key', 'is not', null)
        .executeTakeFirstOrThrow();
      await t.store.db
        .updateTable('admission_applications')
        .set({ result_school_id: schools[0].id, result_by: 'appeal' })
        .where('id', '=', extra.id)
        .execute();
      expect((await seatsLeftBySchool(t.store.db, round)).get(schools[0].id)).toMatchObject({ left: -1 });
      const results = await loadResults(t.store.db, round);
      expect(results.schools.find((s) => s.id === schools[0].id)).toMatchObject({ appeal: 1, left: -1 });
      expect(results.totals).toMatchObject({ applicants: 7, placed: 6, appeal: 1, unplaced: 1 });
      await t.store.db
        .updateTable('admission_applications')
        .set({ result_school_id: null, result_by: null })
        .where('id', '=', extra.id)
        .execute();
    });

    it('takes the seats the draw used: a change of the registry after the draw changes no seats left', async () => {
      const before = await seatsLeftBySchool(t.store.db, round);
      const results = await loadResults(t.store.db, round);
      const file = await drawFileOf(t.store.db, round, 'drawn');
      const [first] = await roundSchools(t.store.db, round, round.parsedRules);
      const grade = entryGrade(round.stage);
      const cap = () =>
        t.store.db
          .selectFrom('school_capacity')
          .selectAll()
          .where('school_id', '=', first.id)
          .where('grade', '=', grade);
      const old = await cap().executeTakeFirstOrThrow();
      await t.store.db
        .updateTable('school_capacity')
        .set({ planned_classes: old.planned_classes + 10 })
        .where('school_id', '=', first.id)
        .where('grade', '=', grade)
        .execute();
      try {
        // The live registry now offers more seats …
        const [now] = await roundSchools(t.store.db, round, round.parsedRules);
        expect(now.planned).toBeGreaterThan(first.planned);
        // … but the seats left are still the draw's: its capacity plus the rules' reserve.
        const after = await seatsLeftBySchool(t.store.db, round);
        expect(after).toEqual(before);
        const drawn = file.schools.find((s) => s.id === first.code)!;
        expect(after.get(first.id)).toMatchObject({
          drawSeats: drawn.capacity,
          planned: drawn.capacity + first.reserved,
        });
        expect(await loadResults(t.store.db, round)).toEqual(results);
      } finally {
        await t.store.db
          .updateTable('school_capacity')
          .set({ planned_classes: old.planned_classes })
          .where('school_id', '=', first.id)
          .where('grade', '=', grade)
          .execute();
      }
    });

    it('results per school and category, and the masked admitted lists in school order', async () => {
      const r = await loadResults(t.store.db, round);
      const file = await drawFileOf(t.store.db, round, 'drawn');
      expect(r.totals).toMatchObject({ applicants: 7, placed: 5, unplaced: 2, left: 0 });
      expect(r.totals.overflow).toBe(
        Object.values(file.result.placements!).filter((p) => p.by === 'overflow').length,
      );
      for (const s of r.schools) expect(s.cutoff).toEqual(file.result.schools[s.code].cutoff);
      const byCode = Object.fromEntries(r.categories.map((c) => [c.code, c]));
      expect(byCode.hukou_property.applicants + byCode.property_only.applicants).toBe(7);
      expect(byCode.property_only).toMatchObject({ tier: 2, applicants: 1 });

      const popular = r.schools.find((s) => s.code === '4114020101')!;
      const list = await loadAdmitted(t.store.db, round, popular.id);
      expect(list).toHaveLength(popular.placed);
      for (const row of list) {
        expect(row.childName).toMatch(/^张\*+$/);
        expect(row.idNumber).toMatch(/^\d{6}\*+\d{3}[\dX]$/);
      }
      const keys = list.map((x) => `${x.tier}:${x.key}`);
      expect([...keys].sort()).toEqual(keys);
    });

    it('tells a family its school, how, its key and tier, the cutoff, and why not its earlier choices', async () => {
      const file = await drawFileOf(t.store.db, round, 'drawn');
      const apps = await t.store.db.selectFrom('admission_applications').selectAll().orderBy('id').execute();
      // A child placed past its full first choice: by 统筹, or (always there) by fallback after losing
      // the private school's lottery.
      const overflowed =
        apps.find((a) => a.result_by === 'overflow') ?? apps.find((a) => a.result_by === 'fallback')!;
      const r = await loadFamilyResult(t.store.db, round, overflowed);
      expect(r).toMatchObject({
        published: true,
        placed: true,
        by: overflowed.result_by,
        key: lotteryKey(file.seed, applicationNo(overflowed.id)),
        next: 'notice',
        seed: file.seed,
        publicValue: PUBLIC_VALUE,
      });
      if (!r.published) throw new Error('published');
      // Its first choice was full: that school's cutoff ranks before the child.
      const [choice] = r.choices;
      expect(choice.admitted).toBe(false);
      expect(choice.cutoff).not.toBeNull();
      expect(`${choice.cutoff!.tier}:${choice.cutoff!.key}` < `${choice.tier}:${choice.key}`).toBe(true);
      expect(r.notice?.childName).toBe(overflowed.child_name);

      const unplaced = apps.find((a) => a.result_key !== null && a.result_school_id === null)!;
      expect(await loadFamilyResult(t.store.db, round, unplaced)).toMatchObject({
        placed: false,
        school: null,
        next: 'unplaced',
        notice: null,
      });
      const outside = (await findApplication(t.store.db, apps.find((a) => a.status === 'submitted')!.id))!;
      expect(await loadFamilyResult(t.store.db, round, outside)).toMatchObject({
        published: true,
        inDraw: false,
        next: 'not_in_draw',
      });
    });

    it('pages the queue for export by id: a family editing mid-export neither skips nor repeats a row', async () => {
      const db = t.store.db;
      const all = (await db.selectFrom('admission_applications').select(['id', 'updated_at']).execute()).sort(
        (a, b) => a.id - b.id,
      );
      // Between two pages a family edits the application just read: its updated_at becomes the latest.
      const touch = (id: number, i: number) =>
        db
          .updateTable('admission_applications')
          .set({ updated_at: `2999-01-01T00:00:0${i}.000Z` })
          .where('id', '=', id)
          .execute();
      const page = 3;
      try {
        const byOffset: number[] = [];
        for (let offset = 0, i = 0; ; offset += page, i++) {
          const { rows } = await loadQueue(db, round, { limit: page, offset });
          byOffset.push(...rows.map((r) => r.id));
          if (rows.length < page) break;
          await touch(rows[0].id, i);
        }
        // Offset paging over updated_at (the clerks' page order) repeats and skips rows here …
        expect(new Set(byOffset).size).toBeLessThan(all.length);
        const byId: number[] = [];
        for (let afterId = 0, i = 0; ; i++) {
          const { rows } = await loadQueue(db, round, { limit: page, offset: 0, afterId });
          byId.push(...rows.map((r) => r.id));
          if (rows.length < page) break;
          afterId = rows.at(-1)!.id;
          await touch(rows[0].id, i);
        }
        // … key-set paging by id, what the export uses, reads every application exactly once.
        expect(byId).toEqual(all.map((a) => a.id));
      } finally {
        for (const a of all)
          await db
            .updateTable('admission_applications')
            .set({ updated_at: a.updated_at })
            .where('id', '=', a.id)
            .execute();
      }
    });

    it('exports the queue and the results masked, in either language', async () => {
      const names = (
        await t.store.db.selectFrom('admission_applications').select('child_name').execute()
      ).map((a) => a.child_name);
      const q = path.join(dir, 'queue.xlsx');
      expect(await writeQueueWorkbook(t.store.db, round, q, 'zh')).toBe(8);
      const queue = await cellsOf(q, 0);
      expect(queue[0][0]).toBe('报名号');
      expect(queue).toHaveLength(9);
      const out = path.join(dir, 'results.xlsx');
      expect(await writeResultsWorkbook(t.store.db, round, out, 'en')).toBe(5);
      const summary = await cellsOf(out, 0);
      expect(summary[0]).toContain('Seats left');
      expect(summary).toHaveLength(4);
      const admitted = await cellsOf(out, 1);
      expect(admitted).toHaveLength(6);
      expect(admitted[0]).toContain('Lottery key');
      // How placed: the one label map's words, in the summary's headings and the list's cells.
      const byCol = admitted[0].indexOf('Placed by');
      expect(admitted.slice(1).map((r) => r[byCol])).toEqual(
        admitted
          .slice(1)
          .map((r) => r[byCol])
          .filter((v) => Object.values(PLACED_BY).some((l) => l.en === v)),
      );
      expect(new Set(admitted.slice(1).map((r) => r[byCol]))).toContain(PLACED_BY.choice.en);
      for (const by of RESULT_BYS) expect(summary[0]).toContain(PLACED_BY[by].en);
      const text = JSON.stringify([queue, summary, admitted]);
      for (const n of names) expect(text).not.toContain(n);
      expect(text).toContain('张**');
    });
  });
}

describe('publication with multiple tie-breaking', () => {
  let t: TestDatabase;
  let round: Round;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
    ({ round } = await buildDrawRound(t, { tieBreaking: 'multiple' }));
    round = await closeRound(t.store.db, clerk, round);
    await freezeDraw(t.store.db, clerk, round);
    await runDraw(t.store.db, clerk, round, PUBLIC_VALUE);
  });
  afterAll(async () => t?.drop());

  it('keeps each child’s key at the school that placed it (overflow: the single key it was ordered by)', async () => {
    await publishResults(t.store.db, clerk, round);
    const file = await drawFileOf(t.store.db, round, 'drawn');
    expect(file.tieBreaking).toBe('multiple');
    const apps = await t.store.db
      .selectFrom('admission_applications as a')
      .leftJoin('schools as s', 's.id', 'a.result_school_id')
      .select(['a.id', 'a.result_by', 'a.result_key', 's.code'])
      .where('a.result_key', 'is not', null)
      .execute();
    expect(apps).toHaveLength(7);
    for (const a of apps) {
      const no = applicationNo(a.id);
      const want =
        a.result_by === 'choice' || a.result_by === 'fallback'
          ? lotteryKey(file.seed, no, a.code!)
          : lotteryKey(file.seed, no);
      expect(a.result_key, no).toBe(want);
    }
    // The family's "why" compares, at each listed school, that school's cutoff with its key there.
    const placed =
      apps.find((a) => a.result_by === 'overflow') ?? apps.find((a) => a.result_by === 'fallback')!;
    const row = (await findApplication(t.store.db, placed.id))!;
    const r = await loadFamilyResult(t.store.db, round, row);
    if (!r.published) throw new Error('published');
    for (const c of r.choices) expect(c.key).toBe(lotteryKey(file.seed, applicationNo(placed.id), c.code));
  });

  it('bin/eduatlas admissions publish is refused once published', () => {
    const again = runCli(['admissions', 'publish', '--round', String(round.id)], { DATABASE_URL: t.url });
    expect(again.status).toBe(1);
    expect(again.stderr).toContain('already been published');
  });
});

describe('bin/eduatlas admissions publish', () => {
  let t: TestDatabase;
  let round: Round;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
    ({ round } = await buildDrawRound(t));
    round = await closeRound(t.store.db, clerk, round);
    await freezeDraw(t.store.db, clerk, round);
  });
  afterAll(async () => t?.drop());

  it('refuses before the draw, then publishes and prints the counts', async () => {
    const env = { DATABASE_URL: t.url };
    const early = runCli(['admissions', 'publish', '--round', String(round.id)], env);
    expect(early.status).toBe(1);
    expect(early.stderr).toContain('not been drawn');
    await runDraw(t.store.db, clerk, round, PUBLIC_VALUE);
    const done = runCli(['admissions', 'publish', '--round', String(round.id)], env);
    expect(done.stderr).toBe('');
    expect(done.status).toBe(0);
    expect(done.stdout).toContain('published: 7 children, 5 placed');
    const audit = await t.store.db
      .selectFrom('audit_log')
      .select(['username', 'detail'])
      .where('action', '=', 'admissions.results_publish')
      .executeTakeFirstOrThrow();
    expect(JSON.parse(audit.detail!)).toMatchObject({ applicants: 7, fallback: 2, unplaced: 2 });
  }, 60_000);
});

for (const dialect of DIALECTS) {
  describe.skipIf(!dialectEnabled(dialect))(`publication is all or nothing on ${dialect}`, () => {
    let t: TestDatabase;
    let round: Round;
    beforeAll(async () => {
      t = await createTestDatabase(dialect);
      await seedRegions(t.store.db);
      ({ round } = await buildDrawRound(t));
      round = await closeRound(t.store.db, clerk, round);
      await freezeDraw(t.store.db, clerk, round);
      await runDraw(t.store.db, clerk, round, PUBLIC_VALUE);
    });
    afterAll(async () => t?.drop());

    it('an application of the file gone from the round rolls the whole publication back', async () => {
      const file = await drawFileOf(t.store.db, round, 'drawn');
      const last = file.applicants.at(-1)!.id;
      await t.store.db
        .deleteFrom('admission_applications')
        .where('id', '=', Number(last.slice(1)))
        .execute();
      await expect(publishResults(t.store.db, clerk, round)).rejects.toMatchObject({
        code: 'admissions.draw_applicant',
        field: `applicants.${last}`,
      });
      const draw = await t.store.db.selectFrom('admission_draws').selectAll().executeTakeFirstOrThrow();
      expect(draw.published_at).toBeNull();
      const written = await t.store.db
        .selectFrom('admission_applications')
        .select('id')
        .where('result_key', 'is not', null)
        .execute();
      expect(written).toHaveLength(0);
      const audits = await t.store.db
        .selectFrom('audit_log')
        .select('id')
        .where('action', '=', 'admissions.results_publish')
        .execute();
      expect(audits).toHaveLength(0);
    });
  });
}
