import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { id, readWorkbook, SCHOOLS, tempDir, writeCsv } from './support.ts';

const dir = tempDir();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const env = { DATABASE_URL: `sqlite:${path.join(dir, 'cli.sqlite')}` };

const HEADER = ['学校标识码', '学籍号', '身份证号', '姓名', '学年', '年级'];
const ids = [id('411402', '2018-10-02', 301), id('411402', '2018-10-02', 302)];
const good = [
  HEADER,
  ['4114020001', `G${ids[0]}`, ids[0], '欧阳娜娜', 2025, '一年级'],
  ['4114020001', `G${ids[1]}`, ids[1], '司马光明', 2025, '一年级'],
];

describe('bin/eduatlas template, import, export', () => {
  it('writes a template', async () => {
    const out = path.join(dir, 'students-template.xlsx');
    const r = runCli(['template', 'students', '--out', out], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(out);
    expect((await readWorkbook(out)).worksheets.map((w) => w.name)).toEqual(['学生', '说明']);
    const list = runCli(['template', '--list'], env);
    expect(list.stdout).toMatch(/^students\s+学生 \/ Students/m);
  });

  it('rejects a bad file with exit 1, the problems by row and column, and the report’s path; no child’s data shown', () => {
    expect(runCli(['import', 'schools', writeCsv(path.join(dir, 'schools.csv'), SCHOOLS)], env).status).toBe(
      0,
    );
    const bad = good.map((r) => [...r]);
    bad[2][2] = `${ids[1].slice(0, 17)}${ids[1][17] === '0' ? '1' : '0'}`;
    const file = writeCsv(path.join(dir, 'bad.csv'), bad);
    const r = runCli(['import', 'students', file], env);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('第 3 行「身份证号」');
    expect(r.stderr).toContain('row 3 column id_number');
    const report = path.join(dir, 'bad-错误报告.xlsx');
    expect(r.stderr).toContain(report);
    expect(fs.existsSync(report)).toBe(true);
    const out = r.stdout + r.stderr;
    for (const secret of ['欧阳娜娜', '司马光明', ids[0], ids[1], bad[2][2]])
      expect(out).not.toContain(secret);
  });

  it('a dry run writes nothing; the import writes; the export masks unless --unmasked', () => {
    const file = writeCsv(path.join(dir, 'good.csv'), good);
    const dry = runCli(['import', 'students', file, '--dry-run'], env);
    expect(dry.status).toBe(0);
    expect(dry.stdout).toContain('新增 2 / inserted');
    expect(dry.stdout).toContain('dry run');
    const masked = path.join(dir, 'students.csv');
    expect(runCli(['export', 'students', '--out', masked], env).stdout).toContain('已导出 0 行');

    const real = runCli(['import', 'students', file], env);
    expect(real.status).toBe(0);
    expect(real.stdout).toContain('已写入数据库 / written');
    expect(real.stdout + real.stderr).not.toContain('欧阳娜娜');
    expect(runCli(['import', 'students', file], env).stdout).toContain('未变 2 / unchanged');

    expect(runCli(['export', 'students', '--out', masked], env).stdout).toContain('脱敏');
    const m = fs.readFileSync(masked, 'utf8');
    expect(m).toContain('欧**');
    expect(m).not.toContain('欧阳娜娜');
    expect(m).not.toContain(ids[0]);
    const clear = path.join(dir, 'students-clear.csv');
    expect(runCli(['export', 'students', '--out', clear, '--unmasked'], env).status).toBe(0);
    expect(fs.readFileSync(clear, 'utf8')).toContain(`${ids[0]},欧阳娜娜`);

    // The writes and the exports are in the audit log, the unmasked one marked so.
    const audit = new Database(path.join(dir, 'cli.sqlite'), { readonly: true });
    const rows = audit.prepare('select action, username, detail from audit_log order by id').all() as {
      action: string;
      username: string;
      detail: string;
    }[];
    audit.close();
    // The schools the suite loaded first, then this test's: the re-import changed nothing, so wrote nothing.
    expect(rows.map((r) => r.action)).toEqual([
      'import.schools',
      'export.students',
      'import.students',
      'export.students',
      'export.students',
    ]);
    expect(rows[1].username).toMatch(/^cli:/);
    expect(JSON.parse(rows[4].detail).masked).toBe(false);
    expect(rows.map((r) => r.detail).join()).not.toContain('欧阳娜娜');
  }, 180_000);

  it('refuses an unknown kind or table in one line', () => {
    const r = runCli(['import', 'pupils', 'x.csv'], env);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('students');
    expect(runCli(['export', 'users'], env).status).toBe(1);
  });
});
