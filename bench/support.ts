/** Shared pieces of the benchmarks: medians, command-line options, and the results table in README.md. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const BENCH_README = path.join(import.meta.dirname, 'README.md');

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** `--name value` from the command line, or the default. */
export function option(args: readonly string[], name: string, def: string): string {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : def;
}

/** Replaces (or appends) the section headed `heading` in bench/README.md with `body`. */
export function writeSection(heading: string, body: string): void {
  const text = fs.existsSync(BENCH_README) ? fs.readFileSync(BENCH_README, 'utf8') : '# Benchmarks\n\n';
  const start = text.indexOf(`${heading}\n`);
  let next: string;
  if (start < 0) next = `${text.trimEnd()}\n\n${heading}\n\n${body}`;
  else {
    const after = text.indexOf('\n## ', start + heading.length);
    const end = after < 0 ? text.length : after + 1;
    next = `${text.slice(0, start)}${heading}\n\n${body}${after < 0 ? '' : '\n'}${text.slice(end)}`;
  }
  fs.writeFileSync(BENCH_README, next);
}

/** A fresh, empty database for one run: a SQLite file in a temporary folder, or a PostgreSQL database
 *  made through the admin URL in EDUATLAS_TEST_PG. `cleanup` removes it. */
export async function freshDatabase(
  dialect: 'sqlite' | 'postgres',
  name: string,
): Promise<{ location: string; cleanup: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-bench-'));
    return {
      location: path.join(dir, `${name}.sqlite`),
      cleanup: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  }
  const admin = process.env.EDUATLAS_TEST_PG;
  if (!admin) throw new Error('EDUATLAS_TEST_PG (admin URL) is needed for the PostgreSQL runs');
  const db = `eduatlas_bench_${name}_${process.pid}`;
  const run = async (statement: string) => {
    const c = new pg.Client({ connectionString: admin });
    await c.connect();
    await c.query(statement);
    await c.end();
  };
  await run(`DROP DATABASE IF EXISTS ${db}`);
  await run(`CREATE DATABASE ${db}`);
  const url = new URL(admin);
  url.pathname = `/${db}`;
  return { location: url.toString(), cleanup: () => run(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`) };
}

/** `--dialects sqlite,postgres`; by default SQLite, and PostgreSQL too when EDUATLAS_TEST_PG is set. */
export function dialectsOption(args: readonly string[]): ('sqlite' | 'postgres')[] {
  return option(args, '--dialects', process.env.EDUATLAS_TEST_PG ? 'sqlite,postgres' : 'sqlite').split(
    ',',
  ) as ('sqlite' | 'postgres')[];
}

const OUT = path.join(import.meta.dirname, 'out');

/**
 * The city-scale demo that the read-only benchmarks share (bench/out/api-city.sqlite, or the
 * database eduatlas_bench_api beside EDUATLAS_TEST_PG), built on first use and kept: building it
 * takes minutes, and the runs only read it.
 */
export async function cityDemoDatabase(dialect: string): Promise<string> {
  const url = await cityDemoUrl(dialect);
  fs.mkdirSync(OUT, { recursive: true });
  const r = spawnSync(
    process.execPath,
    [path.join(import.meta.dirname, '..', 'bin/eduatlas'), 'demo', '--scale', 'city'],
    {
      env: { ...process.env, DATABASE_URL: url },
      encoding: 'utf8',
    },
  );
  // A database that already holds the demo is refused with a hint to --replace: it is reused.
  if (r.status !== 0 && !r.stderr.includes('--replace')) throw new Error(r.stderr);
  return url;
}

async function cityDemoUrl(dialect: string): Promise<string> {
  if (dialect === 'sqlite') return `sqlite:${path.join(OUT, 'api-city.sqlite')}`;
  const admin = process.env.EDUATLAS_TEST_PG;
  if (!admin) throw new Error('EDUATLAS_TEST_PG is needed for the PostgreSQL run');
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const exists = await c.query("SELECT 1 FROM pg_database WHERE datname = 'eduatlas_bench_api'");
  if (exists.rowCount === 0) await c.query('CREATE DATABASE eduatlas_bench_api');
  await c.end();
  const u = new URL(admin);
  u.pathname = '/eduatlas_bench_api';
  return u.toString();
}
