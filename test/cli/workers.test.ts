import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createTestDatabase, dialectEnabled } from '../support/databases.ts';

const BIN = path.resolve(import.meta.dirname, '../../bin/eduatlas');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-workers-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function start(env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, 'start'], {
    cwd: dir,
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d) => {
    err += d;
  });
  const ready = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`start exited ${code}: ${out} ${err}`)));
  });
  return { child, ready, output: () => out, errors: () => err };
}

/** The worker processes of the primary `pid`: its children running bin/eduatlas (Linux /proc). */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const parent = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (parent === pid && fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('eduatlas'))
        out.push(Number(d));
    } catch {}
  }
  return out.sort();
}

/** A port free right now (the workers must come back on the same one after a restart). */
function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = http.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** GET /api/health on a fresh connection (none kept: a killed worker's connection would be reused). */
function health(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get(`${url}/api/health`, { agent: false }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}

async function until<T>(what: () => T | undefined | Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe.skipIf(process.platform !== 'linux')('eduatlas start with EDUATLAS_WORKERS', () => {
  // Several processes need PostgreSQL (a SQLite file has one writer).
  it.skipIf(!dialectEnabled('postgres'))(
    'serves from N processes on one port, replaces a worker that dies, and stops them all on SIGTERM',
    async () => {
      const db = await createTestDatabase('postgres', false);
      await db.store.close();
      const port = await freePort();
      const s = start({ DATABASE_URL: db.url, EDUATLAS_WORKERS: '2', PORT: String(port) });
      const url = await s.ready;
      expect(url).toBe(`http://127.0.0.1:${port}`);
      expect(s.output()).toContain('2 个服务进程');
      const workers = await until(() => {
        const c = childrenOf(s.child.pid!);
        return c.length === 2 ? c : undefined;
      });
      for (let i = 0; i < 6; i++) expect(await health(url)).toBe(200);
      // A worker killed outright is replaced, and the port keeps answering.
      process.kill(workers[0], 'SIGKILL');
      const replaced = await until(() => {
        const c = childrenOf(s.child.pid!);
        return c.length === 2 && !c.includes(workers[0]) ? c : undefined;
      });
      expect(replaced).toContain(workers[1]);
      // The replacement listens on the same port (give it the time to start on a loaded machine).
      await until(async () => ((await health(url).catch(() => 0)) === 200 ? true : undefined));
      for (let i = 0; i < 6; i++) expect(await health(url)).toBe(200);
      await until(() => (s.errors().includes('restarting') ? true : undefined));
      const exited = new Promise<number | null>((r) => s.child.on('exit', r));
      s.child.kill('SIGTERM');
      expect(await exited).toBe(0);
      await until(() => (replaced.every((p) => !fs.existsSync(`/proc/${p}`)) ? true : undefined));
      await db.drop();
    },
  );

  it('refuses several processes on a SQLite database, naming EDUATLAS_WORKERS', async () => {
    const s = start({ DATABASE_URL: 'sqlite:workers.sqlite', EDUATLAS_WORKERS: '2' });
    s.ready.catch(() => {});
    const code = await new Promise<number | null>((r) => s.child.on('exit', r));
    expect(code).toBe(1);
    expect(s.errors()).toContain('EDUATLAS_WORKERS');
    expect(s.errors()).toContain('PostgreSQL');
  });

  it('refuses an EDUATLAS_WORKERS that is not a count, naming it', async () => {
    const s = start({ DATABASE_URL: 'sqlite:bad-workers.sqlite', EDUATLAS_WORKERS: 'many' });
    s.ready.catch(() => {});
    const code = await new Promise<number | null>((r) => s.child.on('exit', r));
    expect(code).toBe(1);
    expect(s.errors()).toContain('EDUATLAS_WORKERS');
  });
});
