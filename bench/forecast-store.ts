/**
 * Benchmark: the forecast over the store on the city demo (SQLite) — a run built from the census and
 * births (by county, and by township with its pooled-backtest intervals), and the balance of a saved
 * run (capacity and projects read, every area × stage × year with flags). Writes "## Forecast over
 * the store" in bench/README.md. Target (issue 5): the balance for the city demo from the store ≤ 2 s.
 *
 *   npx tsx bench/forecast-store.ts [--runs 5]
 *
 * Works on a copy of bench/out/api-city.sqlite (bench/api.ts builds it), so that file stays as it is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadRunBalance } from '../src/forecast/balance.ts';
import { makeRun, saveRun } from '../src/forecast/runs.ts';
import { migrateToLatest, openStore } from '../src/store/db.ts';
import { median, option, writeSection } from './support.ts';

const SOURCE = path.join(import.meta.dirname, 'out', 'api-city.sqlite');
const runs = Math.max(3, Number(option(process.argv.slice(2), '--runs', '5')));
const ACTOR = { userId: null, username: 'bench', role: 'cli', ip: null };

if (!fs.existsSync(SOURCE)) throw new Error(`${SOURCE} is missing: run bench/api.ts first`);
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-bench-forecast-'));
const file = path.join(dir, 'city.sqlite');
fs.copyFileSync(SOURCE, file);
const store = openStore({ dialect: 'sqlite', location: file });
await migrateToLatest(store.db);

async function timed(f: () => Promise<unknown>): Promise<{ median: number; all: number[] }> {
  const all: number[] = [];
  for (let k = 0; k <= runs; k++) {
    const t0 = process.hrtime.bigint();
    await f();
    if (k > 0) all.push(Number(process.hrtime.bigint() - t0) / 1e6);
  }
  return { median: median(all), all };
}

const rows: string[] = [];
for (const areas of ['county', 'township'] as const) {
  const make = await timed(() => makeRun(store.db, { region: '411400', horizon: 10, areas }));
  const run = await saveRun(
    store.db,
    await makeRun(store.db, { region: '411400', horizon: 10, areas }),
    `bench-${areas}`,
    ACTOR,
  );
  let size = 0;
  const balance = await timed(async () => {
    size = (await loadRunBalance(store.db, run)).balance.rows.length;
  });
  const fmt = (t: { median: number; all: number[] }) =>
    `**${Math.round(t.median)} ms** (${t.all.map((x) => Math.round(x)).join(', ')})`;
  rows.push(
    `| ${areas} | ${run.input.areas.length} | ${fmt(make)} | ${fmt(balance)} | ${size.toLocaleString('en-US')} | ≤ 2 s ${balance.median <= 2000 ? '✓' : '✗'} |`,
  );
  console.log(rows[rows.length - 1]);
}
const peak = Math.round(process.resourceUsage().maxRSS / 1024);
await store.close();
fs.rmSync(dir, { recursive: true, force: true });

writeSection(
  '## Forecast over the store',
  `\`npx tsx bench/forecast-store.ts\` — on a copy of the city demo (\`bench/out/api-city.sqlite\`, SQLite, seed 1): \`makeRun\`
(read the census and births of 1,501 schools, build the engine input for the city's areas, forecast 10 years; intervals from
the pooled backtests) and \`loadRunBalance\` of the saved run (area set, capacity and projects read, the balance of every
area × stage × year and its flags), ${runs} timed rounds after a warm-up, medians. Machine: 2 cores, 24 GiB,
Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average ${os.loadavg()[0]!.toFixed(1)}
(shared machine). Peak RSS of the whole run ${peak} MB.

| areas | areas forecast | run (input + solve + intervals) | balance from the store | balance rows | target |
| --- | ---: | --- | --- | ---: | --- |
${rows.join('\n')}
`,
);
