import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { submitAppeal } from '../../src/admissions/appeals.ts';
import { findApplication } from '../../src/admissions/applications.ts';
import { seedRegions } from '../../src/store/regions.ts';
import { runCli } from '../support/cli.ts';
import { createTestDatabase, type TestDatabase } from '../support/databases.ts';
import { type AppealWorld, buildPublishedRound, unplacedApplications } from './fixture.ts';

describe('bin/eduatlas admissions appeals', () => {
  let t: TestDatabase;
  let world: AppealWorld;
  let dir: string;
  beforeAll(async () => {
    t = await createTestDatabase('sqlite');
    await seedRegions(t.store.db);
    world = await buildPublishedRound(t.store.db);
    for (const id of await unplacedApplications(t.store.db, world.round))
      await submitAppeal(t.store.db, world.family, world.round, (await findApplication(t.store.db, id))!, {
        reason: '离家太远',
      });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-appeals-'));
  });
  afterAll(async () => {
    await t?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const sheetRows = async (file: string) => {
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    const ws = wb.worksheets[0]!;
    const rows: string[][] = [];
    ws.eachRow((r) => {
      rows.push((r.values as unknown[]).slice(1).map((v) => String(v ?? '')));
    });
    return rows;
  };

  it('exports a round’s appeals masked, by status and in English, audited as the CLI; refuses bad options', async () => {
    const env = { DATABASE_URL: t.url };
    const all = path.join(dir, 'all.xlsx');
    const r = runCli(['admissions', 'appeals', '--round', String(world.round.id), '--out', all], env);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stderr).toContain('2 份申诉');
    const rows = await sheetRows(all);
    expect(rows[0]).toContain('报名编号');
    expect(rows).toHaveLength(3);
    for (const row of rows.slice(1)) {
      expect(row[1]).toMatch(/^李\*+$/);
      expect(row[2]).toMatch(/\*{4,}/);
      expect(row[3]).toBe('待处理');
    }

    const none = path.join(dir, 'granted.xlsx');
    const g = runCli(
      ['admissions', 'appeals', '--round', String(world.round.id), '--status', 'granted', '--out', none],
      env,
    );
    expect(g.status, g.stderr).toBe(0);
    expect(await sheetRows(none)).toHaveLength(1);

    const en = path.join(dir, 'en.xlsx');
    const e = runCli(
      ['admissions', 'appeals', '--round', String(world.round.id), '--lang', 'en', '--out', en],
      env,
    );
    expect(e.status, e.stderr).toBe(0);
    expect((await sheetRows(en))[0]).toContain('Application no.');

    const audit = await t.store.db
      .selectFrom('audit_log')
      .select(['username', 'resource_id'])
      .where('action', '=', 'export.admission_appeals')
      .execute();
    expect(audit).toHaveLength(3);
    expect(audit[0]!.username).toMatch(/^cli:/);
    expect(audit[0]!.resource_id).toBe(String(world.round.id));

    const badStatus = runCli(
      ['admissions', 'appeals', '--round', String(world.round.id), '--status', 'x'],
      env,
    );
    expect(badStatus.status).not.toBe(0);
    expect(badStatus.stderr).toContain('--status');
    const missing = runCli(
      ['admissions', 'appeals', '--round', '9999', '--out', path.join(dir, 'm.xlsx')],
      env,
    );
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('找不到该招生批次');
    expect(fs.existsSync(path.join(dir, 'm.xlsx'))).toBe(false);
  }, 180_000);
});
