import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-cli-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bin/eduatlas', () => {
  it('explains itself in Chinese and English', () => {
    const r = runCli(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('基础教育扩优提质平台');
    expect(r.stdout).toContain('basic-education planning');
    for (const cmd of ['start', 'db', 'backup', 'restore', 'demo', 'import', 'export', 'template']) {
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    }
  });

  it('refuses an unknown DATABASE_URL with one line naming it', () => {
    const r = runCli(['db', 'status'], { DATABASE_URL: 'mysql://root@localhost/edu' });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain('DATABASE_URL');
  });

  it('migrates a new SQLite file given as sqlite:PATH relative to the current directory', () => {
    const r = runCli(['db', 'migrate'], { DATABASE_URL: 'sqlite:sub/x.sqlite' }, dir);
    expect(r.status).toBe(0);
    expect(fs.existsSync(path.join(dir, 'sub/x.sqlite'))).toBe(true);
    const s = runCli(['db', 'status'], { DATABASE_URL: 'sqlite:sub/x.sqlite' }, dir);
    expect(s.stdout).toMatch(/001-registry\s+已执行/);
  });

  it('backs up and restores through the command line', () => {
    const env = { DATABASE_URL: `sqlite:${path.join(dir, 'b.sqlite')}` };
    expect(runCli(['db', 'migrate'], env).status).toBe(0);
    const file = path.join(dir, 'b.backup');
    expect(runCli(['backup', file], env).status).toBe(0);
    const r = runCli(['restore', file], env);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('restored');
    const bad = runCli(['restore', path.join(dir, 'missing.backup')], env);
    expect(bad.status).toBe(1);
    expect(bad.stderr).toContain('not found');
  }, 180_000);
});

describe('bin/eduatlas user', () => {
  it('creates the first administrator with the password from standard input', async () => {
    const { spawnSync } = await import('node:child_process');
    const env = { ...process.env, DATABASE_URL: `sqlite:${path.join(dir, 'u.sqlite')}` };
    const bin = path.resolve(import.meta.dirname, '../../bin/eduatlas');
    const create = (password: string, extra: string[] = []) =>
      spawnSync(
        process.execPath,
        [
          bin,
          'user',
          'create',
          '--role',
          'city_admin',
          '--username',
          'admin',
          '--region',
          '411400',
          ...extra,
        ],
        {
          env,
          input: `${password}\n`,
          encoding: 'utf8',
        },
      );
    const weak = create('short');
    expect(weak.status).toBe(1);
    expect(weak.stderr).toContain('password');
    const ok = create('Henan-edu-2026');
    expect(ok.status).toBe(0);
    expect(ok.stdout).toContain('admin');
    const list = spawnSync(process.execPath, [bin, 'user', 'list'], { env, encoding: 'utf8' });
    expect(list.stdout).toMatch(/^admin\tcity_admin\t411400/m);
    expect(create('Henan-edu-2026').stderr).toContain('taken');
  });
});
