/**
 * Benchmark: import a 100,000-row student XLSX into a fresh database, several times, every run in its
 * own child process; report the median wall time and peak memory and write them into bench/README.md
 * under "## Import".
 *
 *   npx tsx bench/import-students.ts [--runs 5] [--rows 100000] [--dialects sqlite,postgres] [--no-write]
 *
 * Target (issue "Foundation"): ≤ 30 s with peak memory ≤ 1 GB, streaming (the workbook never loaded whole).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { benchSchoolsCsv, writeStudentsXlsx } from './students-file.ts';
import { BENCH_README, freshDatabase, median, option, writeSection } from './support.ts';

const SECTION = '## Import';
const SCHOOLS = 50;

interface RunResult {
  /** Wall time of the child process: start, migrations, regions, schools, students, close. */
  wall: number;
  /** Time inside importFile for the student file (read, check, write in one transaction). */
  import: number;
  /** Peak resident set size of the child, MB. */
  rssMb: number;
  rows: number;
  inserted: number;
}

async function child(dialect: string, location: string, schools: string, students: string): Promise<void> {
  const { migrateToLatest, openStore } = await import('../src/store/db.ts');
  const { seedRegions } = await import('../src/store/regions.ts');
  const { importFile } = await import('../src/io/import.ts');
  const store = openStore({ dialect: dialect as 'sqlite' | 'postgres', location });
  await migrateToLatest(store.db);
  await seedRegions(store.db);
  const s = await importFile(store.db, 'schools', schools);
  if (s.errorCount > 0) throw new Error(`schools rejected: ${JSON.stringify(s.errors.slice(0, 3))}`);
  const started = process.hrtime.bigint();
  const r = await importFile(store.db, 'students', students);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (r.errorCount > 0) throw new Error(`students rejected: ${JSON.stringify(r.errors.slice(0, 3))}`);
  await store.close();
  const out = {
    import: seconds,
    rssMb: process.resourceUsage().maxRSS / 1024,
    rows: r.rows,
    inserted: r.inserted,
  };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

async function runOnce(
  dialect: 'sqlite' | 'postgres',
  files: { schools: string; students: string },
  i: number,
): Promise<RunResult> {
  const { location, cleanup } = await freshDatabase(dialect, `import_${i}`);
  try {
    const started = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', dialect, location, files.schools, files.students],
      { encoding: 'utf8', maxBuffer: 1 << 24 },
    );
    const wall = Number(process.hrtime.bigint() - started) / 1e9;
    const line = r.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (r.status !== 0 || !line) throw new Error(`child failed (${r.status}): ${r.stderr}`);
    return { wall, ...JSON.parse(line.slice(7)) };
  } finally {
    await cleanup();
  }
}

function table(rows: number, fileMb: number, results: Record<string, RunResult[]>, load: number): string {
  const lines = Object.entries(results).map(([dialect, rs]) => {
    const imp = median(rs.map((r) => r.import));
    const rss = median(rs.map((r) => r.rssMb));
    const ok = imp <= 30 && Math.max(...rs.map((r) => r.rssMb)) <= 1024;
    return `| ${dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL'} | ${rs.length} | **${imp.toFixed(1)} s** | ${median(rs.map((r) => r.wall)).toFixed(1)} s | ${rs.map((r) => r.import.toFixed(1)).join(', ')} | **${Math.round(rss)} MB** | ${Math.round(Math.max(...rs.map((r) => r.rssMb)))} MB | ≤ 30 s, ≤ 1 GB ${ok ? '✓' : '✗'} |`;
  });
  return [
    '`npx tsx bench/import-students.ts` (PostgreSQL too: `EDUATLAS_TEST_PG=… npx tsx bench/import-students.ts --dialects sqlite,postgres`) —',
    `\`importFile(db, 'students', file)\` of a generated ${rows.toLocaleString('en-US')}-row student XLSX`,
    `(${fileMb.toFixed(1)} MB; 13 columns; shared strings and the ID column as text, as Excel saves a register; ${SCHOOLS} schools`,
    'imported first) into a fresh database, each run in its own child process. "Import" is the time inside `importFile`:',
    'streamed read of the workbook, every row checked (types, codes, GB 11643 ID numbers, birth date against the ID and',
    'the grade, duplicates in the file and against the database), then one transaction of upserts. "Child wall" adds',
    "process start, migrations, regions and the schools file. Peak memory is the child's maximum RSS.",
    `Machine: ${os.cpus().length} cores (${os.cpus()[0]?.model ?? '?'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)};`,
    `1-minute load average when the runs began ${load.toFixed(1)} (the machine is shared, hence medians).`,
    '',
    '| database | runs | median import | median child wall | all runs (import) | median peak RSS | max peak RSS | target |',
    '| --- | --- | --- | --- | --- | --- | --- | --- |',
    ...lines,
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1], args[2], args[3], args[4]);
  const opt = (name: string, def: string) => option(args, name, def);
  const runs = Number(opt('--runs', '5'));
  const rows = Number(opt('--rows', '100000'));
  const dialects = opt('--dialects', 'sqlite').split(',') as ('sqlite' | 'postgres')[];

  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-bench-files-'));
  try {
    const files = { schools: path.join(dir, 'schools.csv'), students: path.join(dir, 'students.xlsx') };
    fs.writeFileSync(files.schools, benchSchoolsCsv(SCHOOLS));
    await writeStudentsXlsx(files.students, rows, SCHOOLS);
    const fileMb = fs.statSync(files.students).size / 2 ** 20;
    console.log(`generated ${rows} rows (${fileMb.toFixed(1)} MB)`);
    const load = os.loadavg()[0];
    const results: Record<string, RunResult[]> = {};
    for (const d of dialects) {
      results[d] = [];
      for (let i = 0; i < runs; i++) {
        const r = await runOnce(d, files, i);
        if (r.inserted !== rows) throw new Error(`run ${i + 1}: inserted ${r.inserted} of ${rows}`);
        console.log(
          `${d} run ${i + 1}/${runs}: import ${r.import.toFixed(1)} s, child wall ${r.wall.toFixed(1)} s, peak RSS ${Math.round(r.rssMb)} MB`,
        );
        results[d].push(r);
      }
    }
    const body = table(rows, fileMb, results, load);
    console.log(`\n${body}`);
    if (!args.includes('--no-write')) {
      writeSection(SECTION, body);
      console.log(`written to ${path.relative(process.cwd(), BENCH_README)} (${SECTION})`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
