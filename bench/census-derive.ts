/**
 * Benchmark: the census derived from the city demo's 1,465,879 pupil records (and 101,986 teacher
 * records), on SQLite and PostgreSQL, each run in its own child process; medians and peak memory go
 * into bench/README.md under "## Census derivation".
 *
 *   EDUATLAS_TEST_PG=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/census-derive.ts [--runs 3] [--dialects sqlite,postgres] [--no-write]
 *
 * Target (issue 4): the derivation from 1.5 million pupil records ≤ 20 s.
 * The city database is built once (bin/eduatlas demo --scale city) into bench/out/census-city.sqlite or
 * eduatlas_bench_census and reused. Not the API bench's api-city.sqlite: the runs write (replace) the
 * 2025 census, and a database built before migration 004 has no placements for its disabled pupils.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { BENCH_README, dialectsOption, median, option, writeSection } from './support.ts';

const SECTION = '## Census derivation';
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/eduatlas');
const OUT = path.join(import.meta.dirname, 'out');
const LOAD_AT_START = os.loadavg()[0];
const TARGET_S = 20;

interface RunResult {
  /** deriveStoredCensus: the GROUP BY queries, the engine. */
  derive: number;
  /** writeDerivedCensus with replace: one transaction over census, census_teachers, classes 2025. */
  write: number;
  rssMb: number;
  records: number;
  census: number;
  classes: number;
}

async function child(dialect: string, location: string, write: boolean): Promise<void> {
  const { deriveStoredCensus, resolveCensusRegion, writeDerivedCensus } = await import(
    '../src/census/derive.ts'
  );
  const { migrateToLatest, openStore } = await import('../src/store/db.ts');
  const store = openStore({ dialect: dialect as 'sqlite' | 'postgres', location });
  await migrateToLatest(store.db);
  const t0 = process.hrtime.bigint();
  const d = await deriveStoredCensus(store.db, 2025, await resolveCensusRegion(store.db, undefined));
  const t1 = process.hrtime.bigint();
  if (write) await writeDerivedCensus(store.db, d, { replace: true, actor: benchActor });
  const t2 = process.hrtime.bigint();
  await store.close();
  const out: RunResult = {
    derive: Number(t1 - t0) / 1e9,
    write: Number(t2 - t1) / 1e9,
    rssMb: process.resourceUsage().maxRSS / 1024,
    records: d.derived.pupil_records,
    census: d.derived.census.length,
    classes: d.derived.classes?.length ?? 0,
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

const benchActor = { userId: null, username: 'bench', role: 'cli', ip: null };

/** A database with the city demo of today's generator (disabled pupils carry their placement). */
async function current(dialect: 'sqlite' | 'postgres', location: string): Promise<boolean> {
  const { migrateToLatest, openStore } = await import('../src/store/db.ts');
  if (dialect === 'sqlite' && !fs.existsSync(location)) return false;
  const store = openStore({ dialect, location });
  try {
    await migrateToLatest(store.db);
    const r = await store.db
      .selectFrom('students')
      .select((eb) => [
        eb.fn.countAll<number>().as('n'),
        eb.fn
          .sum<number>(eb.case().when('disabled_placement', 'is not', null).then(1).else(0).end())
          .as('placed'),
      ])
      .executeTakeFirstOrThrow();
    return Number(r.n) > 1_000_000 && Number(r.placed) > 0;
  } catch {
    return false;
  } finally {
    await store.close();
  }
}

async function pgDatabase(name: string): Promise<string> {
  const admin = process.env.EDUATLAS_TEST_PG;
  if (!admin) throw new Error('EDUATLAS_TEST_PG (admin URL) is needed for the PostgreSQL runs');
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  const exists = await c.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
  if (exists.rowCount === 0) await c.query(`CREATE DATABASE ${name}`);
  await c.end();
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/** The city database to derive from, built when absent or made by an older generator. */
async function cityDatabase(dialect: 'sqlite' | 'postgres'): Promise<string> {
  fs.mkdirSync(OUT, { recursive: true });
  const own =
    dialect === 'sqlite' ? path.join(OUT, 'census-city.sqlite') : await pgDatabase('eduatlas_bench_census');
  if (await current(dialect, own)) return own;
  console.log(`building the city demo into ${dialect === 'sqlite' ? own : 'eduatlas_bench_census'} …`);
  const url = dialect === 'sqlite' ? `sqlite:${own}` : own;
  const r = spawnSync(process.execPath, [BIN, 'demo', '--scale', 'city', '--replace'], {
    env: { ...process.env, DATABASE_URL: url },
    encoding: 'utf8',
    maxBuffer: 1 << 24,
  });
  if (r.status !== 0) throw new Error(`demo build failed: ${r.stderr}`);
  return own;
}

function runOnce(dialect: string, location: string, write: boolean): RunResult {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--child', dialect, location, write ? 'write' : 'read'],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (r.status !== 0 || !line) throw new Error(`child failed (${r.status}): ${r.stderr}`);
  return JSON.parse(line.slice(7));
}

function table(results: Record<string, RunResult[]>, printed: string[]): string {
  const rows = Object.entries(results).map(([dialect, rs]) => {
    const derive = median(rs.map((r) => r.derive));
    return `| ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${rs.length} | **${derive.toFixed(1)} s** | ${rs.map((r) => r.derive.toFixed(1)).join(', ')} | ${median(rs.map((r) => r.write)).toFixed(1)} s | ${Math.round(median(rs.map((r) => r.rssMb)))} MB | ≤ ${TARGET_S} s ${derive <= TARGET_S ? '✓' : '✗'} |`;
  });
  const any = Object.values(results)[0]?.[0];
  return [
    '`npx tsx bench/census-derive.ts` — `deriveStoredCensus` for 2025 over every school of the **city** demo (seed 1),',
    'each run in its own child process: the pupil register collapsed by `GROUP BY` over its columns (school, grade, class,',
    'sex and the flags), the teacher register by school and subject, then the pure engine. "Write" is',
    '`writeDerivedCensus` with replace (census, census_teachers and classes of 2025 in one transaction, audited).',
    "Peak memory is the child's maximum RSS.",
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)};`,
    `1-minute load average when the runs began ${LOAD_AT_START.toFixed(1)} (the machine is shared, hence medians).`,
    '',
    '| database | runs | median derivation | all runs | median write | median peak RSS | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    any
      ? `Each run derived ${any.census.toLocaleString('en-US')} census rows and ${any.classes.toLocaleString('en-US')} classes from ${any.records.toLocaleString('en-US')} pupil records.`
      : '',
    '',
    'Runs as printed:',
    '',
    '```',
    ...printed,
    '```',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2], args[3] === 'write');
  const runs = Number(option(args, '--runs', '3'));
  const dialects = dialectsOption(args);
  const write = !args.includes('--no-census-write');
  const results: Record<string, RunResult[]> = {};
  const printed: string[] = [];
  for (const d of dialects) {
    const location = await cityDatabase(d);
    results[d] = [];
    for (let i = 0; i < runs; i++) {
      const r = runOnce(d, location, write);
      const line = `${d} run ${i + 1}/${runs}: derivation ${r.derive.toFixed(1)} s, write ${r.write.toFixed(1)} s, peak RSS ${Math.round(r.rssMb)} MB`;
      console.log(line);
      printed.push(line);
      results[d].push(r);
    }
  }
  const body = table(results, printed);
  console.log(`\n${body}`);
  if (!args.includes('--no-write')) {
    writeSection(SECTION, body);
    console.log(`written to ${path.relative(process.cwd(), BENCH_README)} (${SECTION})`);
  }
}

await main();
