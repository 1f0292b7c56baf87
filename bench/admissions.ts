/**
 * Benchmark: the admissions engine on 1,000,000 applicants × 2,000 schools × up to 5 choices
 * (issue 6; target ≤ 3 s and ≤ 1.5 GB on parsed input), single and multiple tie-breaking; then end
 * to end from the JSON file, as `admissions solve FILE --out FILE` does it, with the hashing of the
 * lottery keys timed beside the rest. Every run is its own child process (peak RSS is the child's).
 * Writes "## Admissions engine" in bench/README.md.
 *
 *   npx tsx bench/admissions.ts [--applicants 1000000] [--schools 2000] [--runs 3]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AdmissionsInput, Applicant, TieBreaking } from '../src/engines/admissions/contract.ts';
import { median, option, writeSection } from './support.ts';

const args = process.argv.slice(2);
const applicants = Number(option(args, '--applicants', '1000000'));
const schools = Number(option(args, '--schools', '2000'));
const runs = Number(option(args, '--runs', '3'));
const OUT = path.join(import.meta.dirname, 'out');
const FILE = path.join(OUT, `admissions-${applicants}.json`);
/** The old-space limit each child runs with (Node 20's default would also do on this machine). */
const HEAP_MB = 4096;

/** mulberry32: a small seeded generator, so every run solves the same city. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A synthetic county-year: seats for 102 % of the applicants, schools' popularity skewed (the
 * first tenth draws a third of the choices), 1–5 choices each, tiers 1–4, one choice in 12 without
 * a tier; locations on a 60 km square, 70 % of schools public, 5,000 communities.
 */
function generate(n: number, m: number, tieBreaking: TieBreaking): AdmissionsInput {
  const rnd = random(20260801);
  const pad = (i: number, w: number) => String(i).padStart(w, '0');
  const seats = Math.round((n * 1.02) / m);
  const schoolList = Array.from({ length: m }, (_, i) => ({
    id: `S${pad(i + 1, 4)}`,
    capacity: Math.max(1, Math.round(seats * (0.5 + rnd()))),
  }));
  const list: Applicant[] = [];
  const homes: Record<string, string> = {};
  const communities = Array.from({ length: 5000 }, (_, i) => ({
    id: `C${pad(i + 1, 4)}`,
    x: Math.round(rnd() * 60000),
    y: Math.round(rnd() * 60000),
  }));
  for (let i = 0; i < n; i++) {
    const id = `A${pad(i + 1, 7)}`;
    const k = 1 + Math.floor(rnd() * 5);
    const choices: string[] = [];
    const tiers: Record<string, number> = {};
    while (choices.length < k) {
      const s = schoolList[Math.floor(m * rnd() ** 2)].id;
      if (choices.includes(s)) continue;
      choices.push(s);
      if (rnd() >= 1 / 12) tiers[s] = 1 + Math.floor(rnd() * 4);
    }
    list.push({ id, choices, tiers });
    homes[id] = communities[Math.floor(rnd() * communities.length)].id;
  }
  return {
    seed: 'c0ffee'.repeat(10).slice(0, 64),
    tieBreaking,
    schools: schoolList,
    applicants: list,
    overflow: {
      schools: schoolList.map((s) => ({
        id: s.id,
        ownership: rnd() < 0.7 ? ('public' as const) : ('private' as const),
        x: Math.round(rnd() * 60000),
        y: Math.round(rnd() * 60000),
      })),
      communities,
      applicants: homes,
    },
  };
}

const now = () => performance.now();
const rssMb = () => process.resourceUsage().maxRSS / 1024;

/** One child run: the engine on an input generated in memory (already parsed), phase by phase. */
async function childEngine(tieBreaking: TieBreaking): Promise<Record<string, number>> {
  const { computeLotteryKeys, deferredAcceptance, indexInstance } = await import(
    '../src/engines/admissions/deferred-acceptance.ts'
  );
  const { solveIndexed } = await import('../src/engines/admissions/solve.ts');
  const { placeOverflow } = await import('../src/engines/admissions/overflow.ts');
  const withOverflow = generate(applicants, schools, tieBreaking);
  const { overflow, ...input } = withOverflow;
  const inputRss = rssMb();
  // The generator's garbage is not the engine's: collect it before the clock starts.
  globalThis.gc?.();
  const t0 = now();
  const c0 = process.cpuUsage();
  const inst = indexInstance(input);
  const t1 = now();
  const c1 = process.cpuUsage(c0);
  const ch = process.cpuUsage();
  const keys = computeLotteryKeys(input, inst);
  const t2 = now();
  const hashingCpu = process.cpuUsage(ch);
  const c2 = process.cpuUsage();
  const result = solveIndexed(input, inst, keys);
  const t3 = now();
  const c3 = process.cpuUsage(c2);
  const cpu = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
  const matching = deferredAcceptance(inst, keys);
  const t4 = now();
  placeOverflow(withOverflow, overflow!, inst, keys, matching);
  const t5 = now();
  const unplaced = Object.values(result.assignments).filter((s) => s === null).length;
  return {
    index: t1 - t0,
    hashing: t2 - t1,
    solve: t3 - t2,
    engine: t3 - t2 + (t1 - t0),
    engineCpu: cpu(c1) + cpu(c3),
    hashingCpu: cpu(hashingCpu),
    load: os.loadavg()[0],
    overflow: t5 - t4,
    pairs: inst.pairSchool.length,
    unplaced,
    inputRss,
    peakRss: rssMb(),
  };
}

/** One child run end to end: what `admissions solve FILE --out FILE` does, phase by phase. */
async function childEndToEnd(): Promise<Record<string, number>> {
  const { parseAdmissionsInput } = await import('../src/engines/admissions/contract.ts');
  const { computeLotteryKeys, indexInstance } = await import(
    '../src/engines/admissions/deferred-acceptance.ts'
  );
  const { solveIndexed } = await import('../src/engines/admissions/solve.ts');
  globalThis.gc?.();
  const t0 = now();
  const json = JSON.parse(fs.readFileSync(FILE, 'utf8'));
  const t1 = now();
  const input = parseAdmissionsInput(json);
  const t2 = now();
  const inst = indexInstance(input);
  const keys = computeLotteryKeys(input, inst);
  const t3 = now();
  const result = solveIndexed(input, inst, keys);
  const t4 = now();
  fs.writeFileSync(path.join(OUT, 'admissions-result.json'), JSON.stringify(result, null, 2));
  const t5 = now();
  return {
    read: t1 - t0,
    validate: t2 - t1,
    hashing: t3 - t2,
    solve: t4 - t3,
    write: t5 - t4,
    total: t5 - t0,
    peakRss: rssMb(),
  };
}

function child(mode: string): Record<string, number> {
  const r = spawnSync(
    process.execPath,
    [
      `--max-old-space-size=${HEAP_MB}`,
      '--expose-gc',
      '--import',
      'tsx',
      import.meta.filename,
      '--child',
      mode,
      ...args,
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!);
}

const mode = option(args, '--child', '');
if (mode) {
  const out = mode === 'e2e' ? await childEndToEnd() : await childEngine(mode as TieBreaking);
  console.log(JSON.stringify(out));
} else {
  const s = (x: number) => `${(x / 1000).toFixed(2)} s`;
  const mb = (x: number) => `${Math.round(x)} MB`;
  const lines: string[] = [];
  const rows: string[] = [];
  const load = os.loadavg()[0].toFixed(1);
  for (const tie of ['single', 'multiple'] as const) {
    const all = Array.from({ length: runs }, (_, i) => {
      const r = child(tie);
      lines.push(
        `${tie} run ${i + 1}/${runs}: index ${s(r.index)}, hashing ${s(r.hashing)}, DA + result ${s(r.solve)}, ` +
          `overflow ${s(r.overflow)}; CPU (all threads) engine ${s(r.engineCpu)}, hashing ${s(r.hashingCpu)}; ${r.pairs} eligible choices, ${r.unplaced} unplaced by DA; input ${mb(r.inputRss)}, peak RSS ${mb(r.peakRss)}; load average ${r.load.toFixed(1)} at the end`,
      );
      console.log(lines.at(-1));
      return r;
    });
    const med = (k: string) => median(all.map((r) => r[k]));
    const ok = med('engine') <= 3000 && med('peakRss') <= 1536;
    rows.push(
      `| ${tie} | ${runs} | **${s(med('engine'))}** | ${s(med('index'))} | ${s(med('solve'))} | ${s(med('hashing'))} | ${s(med('engine') + med('hashing'))} | ${s(med('overflow'))} | ${s(med('engineCpu'))} | ${s(med('hashingCpu'))} | ${mb(med('inputRss'))} | **${mb(med('peakRss'))}** | ${ok ? '✓' : '✗'} |`,
    );
  }
  fs.mkdirSync(OUT, { recursive: true });
  const t0 = now();
  const { overflow: _o, ...plain } = generate(applicants, schools, 'single');
  fs.writeFileSync(FILE, JSON.stringify(plain));
  const size = fs.statSync(FILE).size;
  console.log(`wrote ${FILE} (${(size / 1e6).toFixed(0)} MB) in ${s(now() - t0)}`);
  const e2e = Array.from({ length: runs }, (_, i) => {
    const r = child('e2e');
    lines.push(
      `end to end run ${i + 1}/${runs}: read + JSON.parse ${s(r.read)}, validate ${s(r.validate)}, ` +
        `index + hashing ${s(r.hashing)}, DA + result ${s(r.solve)}, write ${s(r.write)}; total ${s(r.total)}, peak RSS ${mb(r.peakRss)}`,
    );
    console.log(lines.at(-1));
    return r;
  });
  const med = (k: string) => median(e2e.map((r) => r[k]));
  fs.rmSync(FILE);
  fs.rmSync(path.join(OUT, 'admissions-result.json'));
  writeSection(
    '## Admissions engine',
    `\`npx tsx bench/admissions.ts\` — a generated county-year of ${applicants.toLocaleString('en-US')} applicants × ` +
      `${schools.toLocaleString('en-US')} schools × 1–5 choices (seats for 102 % of the applicants, popularity skewed, tiers 1–4, one ` +
      `choice in 12 without a tier), each run in its own child process with \`--max-old-space-size=${HEAP_MB} --expose-gc\` and a full collection ` +
      "before the clock starts (the generator's garbage is not the engine's). " +
      '"Engine" is the work on parsed input (indexing, the sorts, deferred acceptance and the result object) without ' +
      'the SHA-256 hashing of the keys, which is timed beside it; "overflow" places the unplaced on 5,000 communities ' +
      'and 70 % public schools. Peak RSS is the child\'s maximum, the generated input included ("input" is the RSS ' +
      `before the engine starts). Machine: ${os.cpus().length} cores (${os.cpus()[0].model.trim()}), ` +
      `${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)}; ` +
      `1-minute load average when the runs began ${load} (the machine is shared, hence medians).\n\n` +
      '| tie-breaking | runs | median engine | index | DA + result | hashing | engine + hashing | overflow | engine CPU | hashing CPU | input RSS | median peak RSS | target ≤ 3 s, ≤ 1.5 GB |\n' +
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |\n' +
      `${rows.join('\n')}\n\n` +
      `End to end from the JSON file (${(size / 1e6).toFixed(0)} MB, single tie-breaking), as \`admissions solve FILE --out FILE\` ` +
      `does it, median of ${runs}: read + JSON.parse ${s(med('read'))}, zod validation and references ${s(med('validate'))}, ` +
      `**indexing and hashing ${s(med('hashing'))}**, DA + result ${s(med('solve'))}, writing the result ${s(med('write'))}; ` +
      `**total ${s(med('total'))}**, peak RSS **${mb(med('peakRss'))}**.\n\n` +
      `Runs as printed:\n\n\`\`\`\n${lines.join('\n')}\n\`\`\`\n`,
  );
}
