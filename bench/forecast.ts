/**
 * Benchmark: the pure forecast engine (`forecastEnrollment`) on generated inputs — a city
 * (200 areas), the province's counties (160), a province of 3,000 townships and 5,000 catchments —
 * 15 grades, 10 observed years, horizon 15, window 3. Each size runs in its own child process so its
 * peak memory is its own. Writes "## Forecast engine" in bench/README.md. Target (issue 5): ≤ 1 s.
 *
 *   npx tsx bench/forecast.ts [--runs 5]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { GRADES } from '../src/domain/stages.ts';
import {
  backtestForecast,
  type ForecastInput,
  forecastEnrollment,
  parseForecastInput,
} from '../src/engines/forecast/index.ts';
import { median, option, writeSection } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const args = process.argv.slice(2);
const runs = Math.max(5, Number(option(args, '--runs', '5')));
const BASE = 2025;

/** A seeded input: births falling about 5 % a year with noise, pupils following them with drift. */
function generatedInput(areas: number, pupilsPerGrade: number, seed = 1): ForecastInput {
  let s = seed;
  const rand = () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
  const out: ForecastInput['areas'] = [];
  for (let a = 0; a < areas; a++) {
    const size = pupilsPerGrade * (0.3 + 1.4 * rand());
    const births: Record<string, number> = {};
    for (let y = 1995; y <= BASE; y++)
      births[y] = Math.round(size * 1.1 * 0.95 ** Math.max(0, y - 2014) * (0.95 + 0.1 * rand()));
    const enrollment: ForecastInput['areas'][number]['enrollment'] = {};
    for (let y = BASE - 9; y <= BASE; y++) {
      const row: Record<string, number> = {};
      GRADES.forEach((g, i) => {
        row[g] = Math.round(births[y - 3 - i] * (0.85 + 0.1 * rand()));
      });
      enrollment[y] = row;
    }
    out.push({ id: String(411_402_000 + a), births, enrollment });
  }
  return { baseYear: BASE, horizon: 15, window: 3, cutoffMonth: 8, areas: out };
}

const ms = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e6;

interface Measured {
  areas: number;
  parse: number;
  solve: number;
  stringify: number;
  /** Peak RSS after the solve rounds, and after the intervals and backtest rounds too. */
  solvePeakMb: number;
  intervals: number;
  backtest: number;
  peakMb: number;
}

/** `runs` timed rounds of `f` after one warm-up; the median in ms. */
function timed(f: () => void): number {
  const t: number[] = [];
  for (let k = 0; k <= runs; k++) {
    const t0 = process.hrtime.bigint();
    f();
    if (k > 0) t.push(ms(t0));
  }
  return median(t);
}

/** Child: one size. */
function measure(areas: number, pupils: number): Measured {
  const input = generatedInput(areas, pupils);
  const parse = timed(() => parseForecastInput(input));
  const solve = timed(() => forecastEnrollment(input));
  const result = forecastEnrollment(input);
  const stringify = timed(() => JSON.stringify(result, null, 2));
  const solvePeakMb = process.resourceUsage().maxRSS / 1024;
  const errors = backtestForecast(input, { holdout: 5 }).errors;
  const withIntervals = { ...input, intervals: { level: 0.8, errors } };
  const intervals = timed(() => forecastEnrollment(withIntervals));
  const backtest = timed(() => backtestForecast(input, { holdout: 5 }));
  return {
    areas,
    parse,
    solve,
    stringify,
    solvePeakMb,
    intervals,
    backtest,
    peakMb: process.resourceUsage().maxRSS / 1024,
  };
}

const SIZES: { name: string; areas: number; pupils: number }[] = [
  { name: 'city: 200 townships', areas: 200, pupils: 400 },
  { name: 'province: 160 counties', areas: 160, pupils: 8_000 },
  { name: 'province: 3,000 townships', areas: 3_000, pupils: 400 },
  { name: 'province: 5,000 catchments', areas: 5_000, pupils: 250 },
];

const child = option(args, '--child', '');
if (child) {
  const size = SIZES[Number(child)];
  process.stdout.write(JSON.stringify(measure(size.areas, size.pupils)));
} else {
  const f1 = (x: number) => x.toFixed(1);
  const rows: string[] = [];
  for (let i = 0; i < SIZES.length; i++) {
    const r = spawnSync(
      process.execPath,
      ['--import', 'tsx', import.meta.filename, '--child', String(i), '--runs', String(runs)],
      {
        cwd: ROOT,
        encoding: 'utf8',
      },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    const m = JSON.parse(r.stdout) as Measured;
    console.log(SIZES[i].name, m);
    rows.push(
      `| ${SIZES[i].name} | ${m.areas * GRADES.length * 15} | ${f1(m.parse)} | ${f1(m.solve)} | ${f1(m.stringify)} | ${m.solvePeakMb.toFixed(0)} | ${f1(m.intervals)} | ${f1(m.backtest)} | ${m.peakMb.toFixed(0)} | ${m.solve <= 1000 ? '✓' : '✗'} |`,
    );
  }
  // The command a planner runs, end to end (Node start, tsx, read, solve, write), on 3,000 areas.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-bench-forecast-'));
  const file = path.join(dir, 'input.json');
  fs.writeFileSync(file, JSON.stringify(generatedInput(3_000, 400)));
  const cli: number[] = [];
  for (let k = 0; k < runs; k++) {
    const t0 = process.hrtime.bigint();
    const r = spawnSync(
      process.execPath,
      [path.join(ROOT, 'bin/eduatlas'), 'forecast', 'solve', file, '--out', path.join(dir, 'out.json')],
      { encoding: 'utf8' },
    );
    if (r.status !== 0) throw new Error(r.stderr);
    cli.push(ms(t0));
  }
  const inputMb = fs.statSync(file).size / 1e6;
  fs.rmSync(dir, { recursive: true, force: true });
  console.log('cli', median(cli));
  writeSection(
    '## Forecast engine',
    [
      `\`npx tsx bench/forecast.ts\` — the pure engine (\`forecastEnrollment\`, validation included) on generated inputs: 15 grades K1–G12, 10 observed years, births from 1995, horizon 15, window 3. Each size runs in its own process (peak RSS is that process's, Node, tsx, the generated input and uncollected garbage of the earlier rounds included); median of ${runs} runs after one warm-up. "with intervals" asks for bounds from a 5-year backtest's errors; "backtest" is \`backtestForecast\` with holdout 5. Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average at start ${os.loadavg()[0].toFixed(1)} (a 2-core machine shared with other work).`,
      '',
      '| input | cells projected | validate ms | solve ms (median, validation included) | JSON out ms | peak RSS MB after solving | with intervals ms | backtest ms | peak RSS MB after all | solve ≤ 1 s |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      `\`bin/eduatlas forecast solve\` end to end on the 3,000-area input (${inputMb.toFixed(1)} MB of JSON, written with \`--out\`): ${f1(median(cli))} ms median of ${runs}, Node and tsx start-up included.`,
      '',
    ].join('\n'),
  );
}
