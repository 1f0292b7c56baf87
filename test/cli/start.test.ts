import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = path.resolve(import.meta.dirname, '../../bin/eduatlas');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-start-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Starts `eduatlas start`, waits for the line with the address, and returns it with the process. */
function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`start exited ${code}: ${out}`)));
  });
  return { child, ready, output: () => out };
}

describe('eduatlas start', () => {
  it('migrates, builds the demo city into an empty database, serves, and stops cleanly on SIGTERM', async () => {
    const s = start({ DATABASE_URL: 'sqlite:demo.sqlite', DEMO_SCALE: 'small' });
    const url = await s.ready;
    const health = await fetch(`${url}/api/health`);
    expect(await health.json()).toEqual({ status: 'ok' });
    const status = await (await fetch(`${url}/api/status`)).json();
    expect(status.demo.scale).toBe('small');
    expect(status.schoolsByType.length).toBeGreaterThan(3);
    const demo = await (await fetch(`${url}/api/auth/demo-accounts`)).json();
    expect(demo.demo).toBe(true);
    expect(demo.accounts.map((a: { role: string }) => a.role)).toContain('county_staff');
    expect(s.output()).toContain(demo.password);
    const signIn = await fetch(`${url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo-county', password: demo.password }),
    });
    expect((await signIn.json()).regionCode).toBe('411402');
    const exited = new Promise<number | null>((r) => s.child.on('exit', r));
    s.child.kill('SIGTERM');
    expect(await exited).toBe(0);
  });

  it('leaves an empty non-default database empty unless DEMO_SCALE asks', async () => {
    const s = start({ DATABASE_URL: 'sqlite:empty.sqlite' });
    const url = await s.ready;
    const status = await (await fetch(`${url}/api/status`)).json();
    expect(status.demo).toBeNull();
    expect(status.schoolsByType).toEqual([]);
    expect((await (await fetch(`${url}/api/auth/demo-accounts`)).json()).accounts).toEqual([]);
    expect(s.output()).toContain('DEMO_SCALE');
    const exited = new Promise<number | null>((r) => s.child.on('exit', r));
    s.child.kill('SIGINT');
    expect(await exited).toBe(0);
  });

  it('refuses a DEMO_SCALE it does not know, naming it', async () => {
    const s = start({ DATABASE_URL: 'sqlite:bad.sqlite', DEMO_SCALE: 'huge' });
    let err = '';
    s.child.stderr.on('data', (d) => {
      err += d;
    });
    const code = await new Promise<number | null>((r) => s.child.on('exit', r));
    s.ready.catch(() => {});
    expect(code).toBe(1);
    expect(err).toContain('DEMO_SCALE');
  });
});
