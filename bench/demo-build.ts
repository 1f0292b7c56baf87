/**
 * Benchmark: build the demo city into a fresh SQLite file and a fresh PostgreSQL database, several
 * times each, every run in its own child process; report the median wall time and peak memory and
 * write them into bench/README.md under "## Demo city".
 *
 *   EDUATLAS_TEST_PG=postgres://postgres@127.0.0.1:5432/postgres npx tsx bench/demo-build.ts [--runs 3] [--scale city] [--dialects sqlite,postgres] [--no-write]
 *
 * Targets (issue "Foundation"): city into SQLite ≤ 60 s, into PostgreSQL ≤ 120 s.
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { BENCH_README, freshDatabase, median, option, writeSection } from './support.ts';

const SECTION = '## Demo city';
const LOAD_AT_START = os.loadavg()[0];

interface RunResult {
  /** Wall time of the child process: start, migrate, seed regions, build, close. */
  wall: number;
  /** Time inside buildDemoCity (generate + load + analyse + indicator check). */
  build: number;
  /** Peak resident set size of the child, MB. */
  rssMb: number;
  students: number;
  schools: number;
  indicators: Record<string, number>;
}

async function child(dialect: string, location: string, scale: string): Promise<void> {
  const { buildDemoCity } = await import('../src/demo/index.ts');
  const { migrateToLatest, openStore } = await import('../src/store/db.ts');
  const { seedRegions } = await import('../src/store/regions.ts');
  const store = openStore({ dialect: dialect as 'sqlite' | 'postgres', location });
  await migrateToLatest(store.db);
  await seedRegions(store.db);
  const s = await buildDemoCity(store, { scale: scale as 'city', seed: 1 });
  await store.close();
  const out = {
    build: s.seconds,
    rssMb: process.resourceUsage().maxRSS / 1024,
    students: s.students,
    schools: s.schools,
    indicators: Object.fromEntries(Object.entries(s.indicators2023).map(([k, v]) => [k, v.rate])),
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

async function runOnce(dialect: 'sqlite' | 'postgres', scale: string, i: number): Promise<RunResult> {
  const { location, cleanup } = await freshDatabase(dialect, `demo_${i}`);
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', dialect, location, scale],
      {
        encoding: 'utf8',
        maxBuffer: 1 << 24,
      },
    );
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (r.status !== 0 || !line) throw new Error(`child failed (${r.status}): ${r.stderr}`);
    return { wall, ...JSON.parse(line.slice(7)) };
  } finally {
    await cleanup();
  }
}

function table(scale: string, results: Record<string, RunResult[]>): string {
  const rows = Object.entries(results).map(([dialect, rs]) => {
    const target = dialect === 'sqlite' ? 60 : 120;
    const wall = median(rs.map((r) => r.wall));
    return `| ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${rs.length} | **${wall.toFixed(1)} s** | ${median(rs.map((r) => r.build)).toFixed(1)} s | ${rs.map((r) => r.wall.toFixed(1)).join(', ')} | ${Math.round(median(rs.map((r) => r.rssMb)))} MB | ≤ ${target} s ${scale === 'city' ? (wall <= target ? '✓' : '✗') : ''} |`;
  });
  const any = Object.values(results)[0]?.[0];
  const ind = any
    ? Object.entries(any.indicators)
        .map(([k, v]) => `${k} ${v.toFixed(2)}%`)
        .join(', ')
    : '';
  return [
    `\`npx tsx bench/demo-build.ts\` — \`buildDemoCity\` at scale **${scale}**, seed 1, into a fresh database, each run in its own`,
    'child process (start, migrations, regions, build, close). Wall time is the whole child process; "build" is the time',
    "inside `buildDemoCity` (generate, load in one transaction, ANALYZE, indicator check). Peak memory is the child's",
    `maximum RSS. Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)};`,
    `1-minute load average when the runs began ${LOAD_AT_START.toFixed(1)} (the machine is shared, hence medians).`,
    '',
    '| database | runs | median wall | median build | all runs (wall) | median peak RSS | target |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
    any
      ? `Each run wrote ${any.schools.toLocaleString('en-US')} schools and ${any.students.toLocaleString('en-US')} pupil records; 2023 indicators: ${ind}.`
      : '',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2], args[3]);
  const opt = (name: string, def: string) => option(args, name, def);
  const runs = Number(opt('--runs', '3'));
  const scale = opt('--scale', 'city');
  const dialects = opt('--dialects', process.env.EDUATLAS_TEST_PG ? 'sqlite,postgres' : 'sqlite').split(
    ',',
  ) as ('sqlite' | 'postgres')[];
  const results: Record<string, RunResult[]> = {};
  for (const d of dialects) {
    results[d] = [];
    for (let i = 0; i < runs; i++) {
      const r = await runOnce(d, scale, i);
      console.log(
        `${d} run ${i + 1}/${runs}: wall ${r.wall.toFixed(1)} s, build ${r.build.toFixed(1)} s, peak RSS ${Math.round(r.rssMb)} MB`,
      );
      results[d].push(r);
    }
  }
  const body = table(scale, results);
  console.log(`\n${body}`);
  if (!args.includes('--no-write')) {
    writeSection(SECTION, body);
    console.log(`written to ${path.relative(process.cwd(), BENCH_README)} (${SECTION})`);
  }
}

await main();
