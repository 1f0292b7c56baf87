/**
 * Benchmark: the planning engine on generated counties (issue 7). 2,000 demand points × 300 schools and
 * sites solved exactly to ≤ 1 % gap, and 10,000 × 1,000 by the heuristic with its gap to the Lagrangian
 * bound; each run in its own child process, so its peak RSS (HiGHS's WebAssembly heap included) is its own.
 * Target: ≤ 60 s each. Writes "## Planning engine" in bench/README.md.
 *
 *   npx tsx bench/planning.ts [--runs 1] [--only exact-split|exact-whole|heuristic-split]
 */
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import { Rng } from '../src/demo/prng.ts';
import { type PlanningInput, parsePlanningInput } from '../src/engines/planning/contract.ts';
import { solvePlanning } from '../src/engines/planning/index.ts';
import { haversineKm } from '../src/engines/planning/network.ts';
import { median, option, writeSection } from './support.ts';

interface Config {
  name: string;
  method: 'exact' | 'heuristic';
  /** Demand points may be split across schools. */
  split: boolean;
  demand: number;
  facilities: number;
  /** Side of the square county, km. */
  sideKm: number;
}

const CONFIGS: Config[] = [
  { name: 'exact-split', method: 'exact', split: true, demand: 2000, facilities: 300, sideKm: 60 },
  { name: 'exact-whole', method: 'exact', split: false, demand: 2000, facilities: 300, sideKm: 60 },
  {
    name: 'heuristic-split',
    method: 'heuristic',
    split: true,
    demand: 10_000,
    facilities: 1000,
    sideKm: 120,
  },
];

const KM_PER_DEG_LAT = 111.2;
const DETOUR = 1.3;
const URBAN_KM = 3;
const RURAL_KM = 10;

/**
 * A county: towns where a third of the pupils live in urban communities and schools cluster, rural
 * villages spread over the rest; 60 % of the facilities are existing schools (a third must stay, the rest
 * may close with a saving, most may add classes), 40 % candidate sites with 6-, 12-, 24- and 36-class options.
 */
export function generateCounty(c: Config, seed = 1): PlanningInput {
  const rng = new Rng(seed);
  const lat0 = 33.6;
  const lng0 = 114.6;
  const kmPerDegLng = KM_PER_DEG_LAT * Math.cos((lat0 * Math.PI) / 180);
  const at = (x: number, y: number) => ({
    lng: Math.round((lng0 + x / kmPerDegLng) * 1e6) / 1e6,
    lat: Math.round((lat0 + y / KM_PER_DEG_LAT) * 1e6) / 1e6,
  });
  const towns = Array.from({ length: Math.max(3, Math.round(c.facilities / 50)) }, () => ({
    x: rng.next() * c.sideKm,
    y: rng.next() * c.sideKm,
  }));
  const gauss = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const nearTown = (sigma: number) => {
    const t = towns[rng.int(0, towns.length - 1)];
    return at(t.x + sigma * gauss(), t.y + sigma * gauss());
  };
  const anywhere = () => at(rng.next() * c.sideKm, rng.next() * c.sideKm);
  // Pupils per point scaled so that every size has the same pupils per school (150 facilities per 1,000 points).
  const scale = c.facilities / c.demand / 0.15;
  const demand_points = Array.from({ length: c.demand }, (_, i) => {
    const urban = rng.next() < 0.3;
    return {
      id: `D${i}`,
      pupils: Math.round(scale * (urban ? rng.int(50, 400) : rng.int(10, 120))),
      ...(urban ? nearTown(1.5) : anywhere()),
      area: urban ? ('urban' as const) : ('rural' as const),
    };
  });
  const nSchools = Math.round(c.facilities * 0.6);
  const schools = Array.from({ length: nSchools }, (_, j) => {
    const urban = rng.next() < 0.4;
    return {
      id: `S${j}`,
      capacity: urban ? rng.int(1500, 3000) : rng.int(240, 900),
      ...(urban ? nearTown(1.5) : anywhere()),
      must_keep: rng.next() < 0.33,
      closure_saving_fen: rng.int(5, 30) * 10_000_000,
      ...(rng.next() < 0.7
        ? { expansion: { class_size: 45, max_extra_classes: rng.int(2, 8), cost_per_class_fen: 300_000_000 } }
        : {}),
    };
  });
  const places = Array.from({ length: c.facilities - nSchools }, () =>
    rng.next() < 0.4 ? nearTown(2) : anywhere(),
  );
  // A village out of every school's and site's reach gets a site of its own instead of a random one.
  const reach = (d: (typeof demand_points)[number], p: { lng: number; lat: number }) =>
    haversineKm(d.lng, d.lat, p.lng, p.lat) * DETOUR <= (d.area === 'urban' ? URBAN_KM : RURAL_KM);
  let replaced = 0;
  for (const d of demand_points)
    if (![...schools, ...places].some((p) => reach(d, p)) && replaced < places.length)
      places[places.length - 1 - replaced++] = { lng: d.lng, lat: d.lat };
  const sites = places.map((p, k) => ({
    id: `N${k}`,
    ...p,
    options: [6, 12, 24, 36].map((classes) => ({
      capacity: classes * 45,
      cost_fen: classes * 45 * 6_000_000,
    })),
  }));
  return {
    stage: 'primary',
    demand_points,
    schools,
    sites,
    distance: { method: 'haversine', detour_factor: DETOUR },
    service_radius_km: { urban: URBAN_KM, rural: RURAL_KM },
    cost_weight: 1e-5,
    method: c.method,
    allow_split: c.split,
    time_limit_s: 60,
    gap_tolerance: 0.01,
  };
}

async function child(name: string) {
  const c = CONFIGS.find((x) => x.name === name)!;
  const input = parsePlanningInput(generateCounty(c));
  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  const r = await solvePlanning(input);
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  console.log(
    JSON.stringify({
      seconds,
      cpuSeconds: (cpu.user + cpu.system) / 1e6,
      status: r.status,
      objective: r.objective,
      lower_bound: r.lower_bound,
      gap: r.gap,
      pairs: r.model.pairs,
      pupils: r.plan?.summary.pupils ?? 0,
      new_schools: r.plan?.summary.new_schools ?? 0,
      schools_closed: r.plan?.summary.schools_closed ?? 0,
      note: r.note,
      peakMB: process.resourceUsage().maxRSS / 1024,
    }),
  );
}

async function main() {
  const args = process.argv.slice(2);
  if (args[0] === '--child') return child(args[1]);
  const runs = Number(option(args, '--runs', '1'));
  const only = option(args, '--only', '');
  const load = os.loadavg()[0].toFixed(1);
  const rows: string[] = [];
  const printed: string[] = [];
  for (const c of CONFIGS) {
    if (only && c.name !== only) continue;
    const results = [];
    for (let run = 1; run <= runs; run++) {
      const p = spawnSync(process.execPath, ['--import', 'tsx', import.meta.filename, '--child', c.name], {
        encoding: 'utf8',
        maxBuffer: 1 << 26,
      });
      if (p.status !== 0) throw new Error(p.stderr);
      const r = JSON.parse(p.stdout.trim().split('\n').at(-1)!);
      results.push(r);
      const line = `${c.name} ${c.demand} × ${c.facilities} run ${run}/${runs}: ${r.seconds.toFixed(1)} s (CPU ${r.cpuSeconds.toFixed(1)} s), ${r.status}, gap ${(100 * r.gap).toFixed(2)} %, ${r.pairs} pairs, peak RSS ${Math.round(r.peakMB)} MB${r.note ? ` (${r.note})` : ''}`;
      console.log(line);
      printed.push(line);
    }
    const r = results[0];
    rows.push(
      `| ${c.demand.toLocaleString('en-US')} × ${c.facilities.toLocaleString('en-US')} | ${c.method === 'exact' ? 'exact (HiGHS)' : 'heuristic + neighbourhoods re-solved + Lagrangian bound'} | ${c.split ? 'split' : 'whole'} | ${r.pairs.toLocaleString('en-US')} | ${runs} | **${median(results.map((x) => x.seconds)).toFixed(1)} s** | ${median(results.map((x) => x.cpuSeconds)).toFixed(1)} s | ${r.status} | ${(100 * r.gap).toFixed(2)} % | ${r.new_schools} / ${r.schools_closed} | ${Math.round(median(results.map((x) => x.peakMB)))} MB | ≤ 60 s${c.method === 'exact' ? ', ≤ 1 %' : ''} ${median(results.map((x) => x.seconds)) <= 60 && (c.method !== 'exact' || r.gap <= 0.01) ? '✓' : '✗'} |`,
    );
  }
  if (only) return;
  writeSection(
    '## Planning engine',
    `\`npx tsx bench/planning.ts\` — \`solvePlanning\` on generated counties (bench/planning.ts \`generateCounty\`, seed 1):
towns holding 30 % of the demand points as urban communities (50–400 pupils, 3 km radius), rural villages
(10–120 pupils, 10 km radius) spread over a square county (60 km, 120 km for the large one, whose pupils per
point are scaled to keep 150 schools and sites per 1,000 points); 60 % of the facilities existing schools
(urban 1,500–3,000 seats, rural 240–900; a third must stay, the rest may close with a saving, 70 % may add
2–8 classes of 45 at 3 M yuan a class), 40 % candidate sites with 6-, 12-, 24- and 36-class options at
60,000 yuan a seat; about 96 % as many seats today as pupils; straight-line km × 1.3; cost weight 1e-5
pupil-km per fen. The time is the whole \`solvePlanning\` call (network, infeasibility checks, heuristic start,
then HiGHS in its worker, or the Lagrangian bound); each run in its own child process, peak RSS its maximum
(the worker's WebAssembly heap included). Machine: 2 cores (AMD EPYC), Node ${process.version}; measured
${new Date().toISOString().slice(0, 10)}; 1-minute load average when the runs began ${load} (the machine is shared).

| demand points × schools and sites | method | demand points | pairs in the model | runs | median wall time | CPU time (all threads) | status | gap to the bound | new schools / closed | peak RSS | target |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${rows.join('\n')}

The heuristic's gap is mostly its plan, not its bound: on the 2,000 × 300 county with splitting, run by
the heuristic, its plan is 2.48 M (11 % above the exact optimum of 2.23 M) and its Lagrangian bound 2.13 M
(4.3 % below the optimum) — see docs/planning-engine.md. With whole demand points the LP relaxation, the
single-sourcing search and then the MIP give a bound at the split optimum, which whole points exceed by
about 1.7 %, and a plan about 5 % above that (docs/planning-engine.md, "Why 1 % is out of reach").

Runs as printed:

\`\`\`
${printed.join('\n')}
\`\`\`
`,
  );
}

if (process.argv[1] === import.meta.filename) await main();
