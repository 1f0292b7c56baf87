/**
 * Benchmark: the school list API and the school page API on the city-scale demo, under 50 concurrent
 * clients (autocannon, on loopback only), on SQLite and on PostgreSQL. Writes "## API" in bench/README.md.
 *
 *   EDUATLAS_TEST_PG=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/api.ts [--duration 10] [--runs 3] [--dialects sqlite,postgres]
 *
 * Targets (issue "Web platform"): ≥ 1,000 req/s with p99 ≤ 100 ms on PostgreSQL.
 * The city database is built once into bench/out/ (SQLite) or eduatlas_bench_api (PostgreSQL) and reused.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import autocannon from 'autocannon';
import { cityDemoDatabase, dialectsOption, option, writeSection } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/eduatlas');
const args = process.argv.slice(2);
const duration = Number(option(args, '--duration', '10'));
const runs = Number(option(args, '--runs', '3'));
const dialects = dialectsOption(args);

async function startServer(url: string): Promise<{ child: ChildProcess; base: string }> {
  const child = spawn(process.execPath, [BIN, 'start'], {
    env: { ...process.env, DATABASE_URL: url, PORT: '0', LOG_LEVEL: 'warn' },
  });
  const base = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, base };
}

async function signIn(base: string): Promise<string> {
  const accounts = await (await fetch(`${base}/api/auth/demo-accounts`)).json();
  const r = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'demo-admin', password: accounts.password }),
  });
  return String(r.headers.get('set-cookie')).split(';')[0];
}

interface Measured {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** `runs` rounds of autocannon; the median round by req/s is reported (the machine is shared). */
async function load(base: string, cookie: string, paths: string[]): Promise<Measured> {
  const rounds: Measured[] = [];
  for (let k = 0; k < runs; k++) rounds.push(await loadOnce(base, cookie, paths));
  const byRps = [...rounds].sort((a, b) => a.rps - b.rps);
  return byRps[Math.floor(byRps.length / 2)];
}

async function loadOnce(base: string, cookie: string, paths: string[]): Promise<Measured> {
  let i = 0;
  const r = await autocannon({
    url: base,
    connections: 50,
    duration,
    headers: { cookie },
    requests: [{ setupRequest: (req) => ({ ...req, path: paths[i++ % paths.length] }) }],
  });
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    errors: r.errors,
    non2xx: r.non2xx,
  };
}

const rows: string[] = [];
for (const dialect of dialects) {
  const url = await cityDemoDatabase(dialect);
  const { child, base } = await startServer(url);
  try {
    const cookie = await signIn(base);
    const list = await (await fetch(`${base}/api/schools?pageSize=200`, { headers: { cookie } })).json();
    const ids: number[] = list.rows.map((r: { id: number }) => r.id);
    const browse = [
      '/api/schools?page=1&pageSize=20',
      '/api/schools?page=7',
      '/api/schools?county=411402&stage=primary',
      '/api/schools?ownership=private&locale=urban',
    ];
    const heavy = ['/api/schools?sort=pupils&order=desc&page=3', '/api/schools?q=%E5%B0%8F%E5%AD%A6'];
    await load(base, cookie, browse.slice(0, 1)); // warm-up
    const a = await load(base, cookie, browse);
    const h = await load(base, cookie, heavy);
    const b = await load(
      base,
      cookie,
      ids.map((id) => `/api/schools/${id}`),
    );
    for (const [name, m] of [
      ['school list `/api/schools`: pages and filters', a],
      ['school list: sorted by pupils, or searched by name', h],
      ['school page `/api/schools/:id`', b],
    ] as const) {
      const ok = dialect === 'postgres' ? (m.rps >= 1000 && m.p99 <= 100 ? '✓' : '✗') : '—';
      rows.push(
        `| ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${name} | ${Math.round(m.rps)} | ${m.p50} | ${m.p99} | ${m.errors + m.non2xx} | ${ok} |`,
      );
      console.log(dialect, name, m);
    }
  } finally {
    child.kill('SIGTERM');
  }
}

writeSection(
  '## API',
  [
    `\`npx tsx bench/api.ts\` — the city-scale demo (1,501 schools), one server process (\`bin/eduatlas start\`), signed in as the city administrator; autocannon with 50 connections, ${runs} rounds of ${duration} s per row (the median round by req/s is shown), on loopback, in the same 2-core machine as the server (so the load generator takes one core). Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average at start ${os.loadavg()[0].toFixed(1)}.`,
    '',
    '| database | route | req/s (mean) | p50 ms | p99 ms | errors | target ≥ 1,000 req/s, p99 ≤ 100 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
