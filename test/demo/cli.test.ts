import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-demo-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('eduatlas demo', () => {
  const env = { DATABASE_URL: `sqlite:${path.join(dir, 'demo.sqlite')}` };

  it('builds the small demo city and prints the summary with the five 2023 indicators', () => {
    const r = runCli(['demo', '--scale', 'small', '--seed', '7'], env);
    expect(r.stderr).not.toMatch(/error/i);
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/学校 \/ schools: \d+/);
    expect(r.stdout).toMatch(/学籍记录 \/ pupil records: [\d,]+/);
    for (const label of ['毛入园率', '巩固率', '毛入学率', '课后服务参与率', '随迁子女就读公办比例']) {
      expect(r.stdout).toContain(label);
    }
    expect(r.stderr).toMatch(/演示城市 demo/); // the progress bar, drawn on stderr even without a TTY
  });

  it('refuses to build over existing data without --replace, and replaces with it', () => {
    const again = runCli(['demo', '--scale', 'small'], env);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/--replace/);
    const replaced = runCli(['demo', '--scale', 'small', '--replace'], env);
    expect(replaced.status).toBe(0);
  });

  it('rejects an unknown scale and a bad seed', () => {
    expect(runCli(['demo', '--scale', 'huge'], env).status).not.toBe(0);
    const bad = runCli(['demo', '--seed', '-3'], env);
    expect(bad.status).not.toBe(0);
  });
});
