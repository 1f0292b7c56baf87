/**
 * Benchmark: all indicators for all regions of the city demo (the city, its 9 counties and their
 * townships) for one year, from the census, on SQLite and PostgreSQL; the read of the store and the
 * engine's sums timed apart; and the API's one-region view (`GET /api/indicators`) for the city.
 * Writes "## Indicators" in bench/README.md. Target (issue 4): ≤ 300 ms.
 *
 *   EDUATLAS_TEST_PG=postgres://postgres:postgres@127.0.0.1:5432/postgres npx tsx bench/indicators.ts [--runs 7] [--year 2023]
 *
 * Reuses the city databases of bench/api.ts (bench/out/api-city.sqlite, eduatlas_bench_api) and
 * builds them with `bin/eduatlas demo --scale city` when they are missing.
 */
import os from 'node:os';
import { computeIndicators } from '../src/engines/indicators/engine.ts';
import { inputFor } from '../src/indicators/load.ts';
import { computeRegions, readRegions } from '../src/indicators/regions.ts';
import { buildApp } from '../src/server/app.ts';
import { migrateToLatest, openStore, parseDatabaseUrl } from '../src/store/db.ts';
import { cityDemoDatabase, dialectsOption, median, option, writeSection } from './support.ts';

const CITY = '411400';
const args = process.argv.slice(2);
const runs = Math.max(5, Number(option(args, '--runs', '7')));
const year = Number(option(args, '--year', '2023'));
const dialects = dialectsOption(args);

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;
const f1 = (x: number) => x.toFixed(1);
const rows: string[] = [];
let regionsCounted = 0;

for (const dialect of dialects) {
  const url = await cityDemoDatabase(dialect);
  const store = openStore(parseDatabaseUrl(url));
  await migrateToLatest(store.db);
  const load: number[] = [];
  const compute: number[] = [];
  const total: number[] = [];
  const validating: number[] = [];
  for (let k = 0; k <= runs; k++) {
    const t0 = process.hrtime.bigint();
    const read = await readRegions(store.db, CITY, year);
    const loaded = ms(t0);
    const t1 = process.hrtime.bigint();
    const all = computeRegions(read);
    const computed = ms(t1);
    if (k === 0) {
      regionsCounted = all.length; // the first round warms caches and the JIT; it is not counted
      continue;
    }
    load.push(loaded);
    compute.push(computed);
    total.push(loaded + computed);
    // The same sums through computeIndicators, which re-validates each input with zod (as `solve` does).
    const t2 = process.hrtime.bigint();
    for (const n of read.nodes) computeIndicators(inputFor(read.index, n.set, year));
    validating.push(ms(t2));
  }
  // The API's region view for the city, in-process (no network), as the city administrator.
  const app = await buildApp(store, { logger: false, webDir: '/nonexistent' });
  const accounts = (await app.inject('/api/auth/demo-accounts')).json();
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'demo-admin', password: accounts.password },
  });
  const cookie = String(login.headers['set-cookie']).split(';')[0];
  const api: number[] = [];
  for (let k = 0; k <= runs; k++) {
    const t0 = process.hrtime.bigint();
    const r = await app.inject({ url: `/api/indicators?region=${CITY}&year=${year}`, headers: { cookie } });
    if (r.statusCode !== 200) throw new Error(`GET /api/indicators: ${r.statusCode} ${r.body}`);
    if (k > 0) api.push(ms(t0));
  }
  await app.close();
  await store.close();
  const name = dialect === 'sqlite' ? 'SQLite' : 'PostgreSQL';
  const ok = (x: number) => (x <= 300 ? '✓' : '✗');
  rows.push(
    `| ${name} | all regions (${regionsCounted}) | ${f1(median(load))} | ${f1(median(compute))} | ${f1(median(total))} | ${f1(Math.max(...total))} | ${ok(median(total))} |`,
    `| ${name} | the same sums re-validating each input with zod (\`computeIndicators\`) | — | ${f1(median(validating))} | ${f1(median(load) + median(validating))} | — | ${ok(median(load) + median(validating))} |`,
    `| ${name} | \`GET /api/indicators\` for the city | — | — | ${f1(median(api))} | ${f1(Math.max(...api))} | ${ok(median(api))} |`,
  );
  console.log(dialect, {
    load: median(load),
    compute: median(compute),
    validating: median(validating),
    total: median(total),
    api: median(api),
  });
}

writeSection(
  '## Indicators',
  [
    `\`npx tsx bench/indicators.ts\` — every indicator (21 results) for the city, its 9 counties and their townships, census year ${year}, on the city-scale demo (1,501 schools): one read of the store (\`readRegions\`: seven queries), then the rows split by region in memory and the engine run once per region (\`computeRegions\`). Median of ${runs} runs after one warm-up; the API row is \`GET /api/indicators?region=411400\` (one region with definitions and targets) through \`app.inject\`, so without network. Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average at start ${os.loadavg()[0].toFixed(1)} (a 2-core machine shared with other work).`,
    '',
    '| database | what | read ms | compute ms | total ms (median) | slowest ms | target ≤ 300 ms |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n'),
);
