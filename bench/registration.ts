/**
 * Benchmark: registration day on PostgreSQL — sustained application submissions per second through the
 * parent portal's API (POST /api/admissions/my/applications), p50/p99, and afterwards a count straight
 * from the database proving that every acknowledged submission (201 or 200) is stored exactly once.
 * Then the same with the server killed (SIGKILL, its whole process group) in the middle of the load:
 * restarted, every acknowledged submission is there once, and a retry of every unacknowledged one with
 * the same client key makes exactly one application. Writes "## Registration day" in bench/README.md.
 *
 *   EDUATLAS_TEST_PG=postgres://postgres:postgres@127.0.0.1:5432/postgres npx tsx bench/registration.ts \
 *     [--duration 20] [--runs 3] [--clients 64] [--workers N]
 *
 * Target (issue 6): ≥ 1,000 submissions/s with p99 ≤ 200 ms on 2 cores.
 * A fresh database (the small demo city, its 2026 round open) is made for the run and dropped after.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { registerParent } from '../src/admissions/parents.ts';
import { signIn } from '../src/auth/sessions.ts';
import { makeIdNumber } from '../src/domain/id-number.ts';
import { openStore } from '../src/store/db.ts';
import { freshDatabase, option, writeSection } from './support.ts';

const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/eduatlas');
const args = process.argv.slice(2);
const duration = Number(option(args, '--duration', '20'));
const runs = Number(option(args, '--runs', '3'));
const clients = Number(option(args, '--clients', '64'));
const workers = option(args, '--workers', '');
const keep = args.includes('--keep');
/** `--pg-socket /var/run/postgresql`: the server reaches PostgreSQL through its Unix socket, not TCP. */
const pgSocket = option(args, '--pg-socket', '');

/** The server's DATABASE_URL: the bench database, over the Unix socket when asked. */
function serverUrl(url: string): string {
  if (!pgSocket) return url;
  const u = new URL(url);
  u.hostname = 'localhost';
  u.searchParams.set('host', pgSocket);
  return u.toString();
}
const PASSWORD = 'bench2026family';

// ---------------------------------------------------------------------------------------------
// The server: `bin/eduatlas start` as a child in its own process group, so that kill -9 takes all of it.

interface Server {
  child: ChildProcess;
  port: number;
}

async function startServer(url: string): Promise<Server> {
  // BENCH_SERVER_NODE_FLAGS, e.g. "--cpu-prof --cpu-prof-dir=/tmp/prof", to profile the server.
  const flags = process.env.BENCH_SERVER_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...flags, BIN, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: serverUrl(url),
      DEMO_SCALE: 'small',
      PORT: '0',
      LOG_LEVEL: 'warn',
      ...(workers ? { EDUATLAS_WORKERS: workers } : {}),
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr!.on('data', (d) => {
    err += d;
  });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d) => {
      out += d;
      const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (m) resolve(Number(m[1]));
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${err}`)));
  });
  return { child, port };
}

function killGroup(s: Server, signal: NodeJS.Signals): Promise<void> {
  return new Promise((resolve) => {
    if (s.child.exitCode !== null || s.child.signalCode !== null) return resolve();
    s.child.once('exit', () => resolve());
    process.kill(-s.child.pid!, signal);
  });
}

// ---------------------------------------------------------------------------------------------
// Families, their signed-in sessions, and distinct valid applications.

interface Family {
  parentId: number;
  cookie: string;
  csrf: string;
}

interface RoundFacts {
  id: number;
  bornFrom: string;
  bornTo: string;
  /** community code → the public schools its catchment names */
  catchments: [string, number[]][];
}

async function readRound(url: string): Promise<RoundFacts> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query("SELECT id, rules FROM admission_rounds WHERE status = 'open' ORDER BY id LIMIT 1");
  const round = r.rows[0];
  const rules = JSON.parse(round.rules);
  const rounds = await c.query('SELECT county_code, year, stage FROM admission_rounds WHERE id = $1', [
    round.id,
  ]);
  const { county_code, year, stage } = rounds.rows[0];
  const catchments = await c.query(
    `SELECT k.community_code, k.school_id FROM catchments k JOIN schools s ON s.id = k.school_id
     WHERE k.county_code = $1 AND k.year = $2 AND k.stage = $3 AND s.ownership <> 'private'
     ORDER BY k.community_code, k.school_id`,
    [county_code, year, stage],
  );
  await c.end();
  const byCommunity = new Map<string, number[]>();
  for (const row of catchments.rows)
    byCommunity.set(row.community_code, [...(byCommunity.get(row.community_code) ?? []), row.school_id]);
  return {
    id: round.id,
    bornFrom: rules.ageWindow.bornFrom,
    bornTo: rules.ageWindow.bornTo,
    catchments: [...byCommunity],
  };
}

/** Registers the families through the store and signs them in (hashing is not the measured path). */
async function prepareFamilies(url: string, n: number): Promise<Family[]> {
  const store = openStore({ dialect: 'postgres', location: url });
  const out: Family[] = [];
  try {
    for (let i = 0; i < n; i++) {
      const phone = `1770000${String(i).padStart(4, '0')}`;
      const user = await registerParent(store.db, null, { phone, password: PASSWORD });
      const s = await signIn(store.db, phone, PASSWORD, '127.0.0.1');
      out.push({ parentId: user.id, cookie: `eduatlas_session=${s.token}`, csrf: s.csrfToken });
    }
  } finally {
    await store.close();
  }
  return out;
}

const ID_REGIONS = ['411402', '411403', '411421', '411422', '411423', '411424', '411425', '411426', '411481'];

/** The k-th distinct child of the bench: region × birth date in the window × sequence below 500. */
function makeChild(round: RoundFacts, k: number) {
  const days = Math.round((Date.parse(round.bornTo) - Date.parse(round.bornFrom)) / 86400_000) + 1;
  const seq = k % 500;
  const day = Math.floor(k / 500) % days;
  const region = ID_REGIONS[Math.floor(k / 500 / days) % ID_REGIONS.length];
  const birth = new Date(Date.parse(round.bornFrom) + day * 86400_000).toISOString().slice(0, 10);
  return makeIdNumber(region, birth, seq);
}

interface Submission {
  family: Family;
  clientKey: string;
  body: string;
  idNumber: string;
}

function makeSubmission(round: RoundFacts, family: Family, k: number, tag: string): Submission {
  const [community, schools] = round.catchments[k % round.catchments.length];
  const idNumber = makeChild(round, k);
  const clientKey = `bench-${tag}-${k}`;
  return {
    family,
    clientKey,
    idNumber,
    body: JSON.stringify({
      roundId: round.id,
      clientKey,
      child: { idNumber, name: `压测儿童${k}` },
      communityCode: community,
      facts: { localHukou: true, hukouAtProperty: true, hasProperty: true, residencePermit: false },
      propertyNo: `豫(2026)压测不动产权第${tag}${k}号`,
      guardian: { name: '压测家长', relation: 'mother' },
      consent: true,
      category: 'hukou_property',
      choices: [schools[k % schools.length]],
    }),
  };
}

// ---------------------------------------------------------------------------------------------
// The load: `clients` concurrent families, each POSTing one application after another over keep-alive.

interface Reply {
  status: number;
  id?: number;
  code?: string;
  ms: number;
}

function post(agent: http.Agent, port: number, s: Submission): Promise<Reply> {
  const started = process.hrtime.bigint();
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: 'POST',
        path: '/api/admissions/my/applications',
        agent,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(s.body),
          cookie: s.family.cookie,
          'x-csrf-token': s.family.csrf,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const text = Buffer.concat(chunks).toString('utf8');
          let json: { id?: number; code?: string } = {};
          try {
            json = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, id: json.id, code: json.code, ms });
        });
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    req.end(s.body);
  });
}

/** What the families were told: acknowledged (201/200) client keys with their application id. */
class Ledger {
  acked = new Map<string, { id: number; parentId: number; idNumber: string }>();
  /** Acknowledgements that disagree with an earlier one for the same key (must stay 0). */
  mismatches = 0;
  ack(s: Submission, id: number) {
    const before = this.acked.get(s.clientKey);
    if (before && before.id !== id) this.mismatches++;
    if (!before) this.acked.set(s.clientKey, { id, parentId: s.family.parentId, idNumber: s.idNumber });
  }
}

interface LoadResult {
  requests: number;
  seconds: number;
  latencies: number[];
  created: number;
  replayed: number;
  errors: Map<string, number>;
  /** Sent but never answered (the server died under them). */
  unanswered: Submission[];
}

let nextChild = 0;

async function runLoad(
  port: number,
  round: RoundFacts,
  families: Family[],
  ledger: Ledger,
  tag: string,
  seconds: number,
  opts: { killAfter?: number; onKill?: () => Promise<void> } = {},
): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients * 2 });
  const res: LoadResult = {
    requests: 0,
    seconds: 0,
    latencies: [],
    created: 0,
    replayed: 0,
    errors: new Map(),
    unanswered: [],
  };
  const fail = (why: string) => res.errors.set(why, (res.errors.get(why) ?? 0) + 1);
  const started = Date.now();
  const stopAt = started + seconds * 1000;
  let dead = false;
  const send = async (s: Submission): Promise<Reply | undefined> => {
    try {
      const r = await post(agent, port, s);
      res.requests++;
      res.latencies.push(r.ms);
      if ((r.status === 201 || r.status === 200) && r.id) {
        ledger.ack(s, r.id);
        if (r.status === 201) res.created++;
        else res.replayed++;
      } else fail(`${r.status} ${r.code ?? ''}`.trim());
      return r;
    } catch {
      // The connection died: the family does not know whether its application was stored.
      dead = true;
      res.unanswered.push(s);
      return undefined;
    }
  };
  const client = async (family: Family) => {
    while (!dead && Date.now() < stopAt) {
      const s = makeSubmission(round, family, nextChild++, tag);
      const k = nextChild;
      if (k % 50 === 0) {
        // A double-click: two identical submits at once (the same client key).
        await Promise.all([send(s), send(s)]);
      } else {
        const r = await send(s);
        // A retry after a slow answer: the same key again, which must return the same application.
        if (r && k % 20 === 0) await send(s);
      }
    }
  };
  const killer =
    opts.killAfter !== undefined
      ? new Promise<void>((resolve) =>
          setTimeout(() => {
            void opts.onKill!().then(resolve);
          }, opts.killAfter! * 1000),
        )
      : Promise.resolve();
  await Promise.all([...families.map(client), killer]);
  res.seconds = (Math.min(Date.now(), stopAt) - started) / 1000;
  agent.destroy();
  return res;
}

/** CPU seconds (user + system) of the given processes so far, from /proc (Linux). */
function cpuSeconds(pids: Iterable<number>): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]);
    } catch {}
  }
  return ticks / 100;
}

/** The server's processes: its process group (the cluster's workers included). */
function serverPids(s: Server): number[] {
  const out: number[] = [];
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(f[2]) === s.child.pid) out.push(Number(d));
    } catch {}
  }
  return out;
}

/** The PostgreSQL backends serving the bench database (its own processes on this machine). */
async function backendPids(url: string): Promise<number[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const r = await c.query(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  await c.end();
  return r.rows.map((x) => x.pid);
}

function percentile(xs: number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? 0;
}

// ---------------------------------------------------------------------------------------------
// The count, straight from the database.

interface Count {
  rows: number;
  ackedKeys: number;
  ackedFoundOnce: number;
  wrongId: number;
  missing: number;
  extra: number;
  withoutChoices: number;
  auditPerApp: string;
}

async function countStored(url: string, roundId: number, tag: string, expected: Ledger): Promise<Count> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  const rows = (
    await c.query(
      `SELECT a.id, a.parent_id, a.client_key, a.child_id_number,
              (SELECT count(*) FROM admission_choices ch WHERE ch.application_id = a.id) AS choices,
              (SELECT count(*) FROM audit_log l WHERE l.action = 'admissions.apply'
                 AND l.resource_id = CAST(a.id AS text)) AS audits
       FROM admission_applications a WHERE a.round_id = $1 AND a.client_key LIKE $2`,
      [roundId, `bench-${tag}-%`],
    )
  ).rows;
  await c.end();
  const byKey = new Map<string, typeof rows>();
  for (const r of rows)
    byKey.set(`${r.parent_id}|${r.client_key}`, [...(byKey.get(`${r.parent_id}|${r.client_key}`) ?? []), r]);
  let once = 0;
  let wrongId = 0;
  let missing = 0;
  for (const [key, a] of expected.acked) {
    const found = byKey.get(`${a.parentId}|${key}`) ?? [];
    if (found.length === 0) missing++;
    else if (found.length === 1 && found[0].id === a.id && found[0].child_id_number === a.idNumber) once++;
    else wrongId++;
  }
  const audits = new Map<number, number>();
  for (const r of rows) audits.set(Number(r.audits), (audits.get(Number(r.audits)) ?? 0) + 1);
  return {
    rows: rows.length,
    ackedKeys: expected.acked.size,
    ackedFoundOnce: once,
    wrongId,
    missing,
    extra: rows.length - (once + wrongId),
    withoutChoices: rows.filter((r) => Number(r.choices) !== 1).length,
    auditPerApp: [...audits].map(([n, k]) => `${k} with ${n}`).join(', '),
  };
}

// ---------------------------------------------------------------------------------------------

const load1 = os.loadavg()[0];
const db = await freshDatabase('postgres', 'registration');
const lines: string[] = [];
const log = (s: string) => {
  console.log(s);
  lines.push(s);
};
try {
  let server = await startServer(db.location);
  const round = await readRound(db.location);
  const prepStarted = Date.now();
  const families = await prepareFamilies(db.location, clients);
  console.log(
    `round ${round.id}: ${round.catchments.length} communities; ${families.length} families signed in in ${((Date.now() - prepStarted) / 1000).toFixed(1)} s`,
  );
  // Warm-up (its applications are counted too).
  const warmLedger = new Ledger();
  await runLoad(server.port, round, families, warmLedger, 'warm', 3);

  interface Row {
    rps: number;
    p50: number;
    p99: number;
    requests: number;
    errors: string;
    count: Count;
    mismatches: number;
    /** CPU per request: the server's processes, and the PostgreSQL backends of the bench database. */
    serverMs: number;
    pgMs: number;
  }
  const measured: Row[] = [];
  for (let k = 1; k <= runs; k++) {
    const tag = `r${k}`;
    const ledger = new Ledger();
    const pids = serverPids(server);
    const startBackends = new Map((await backendPids(db.location)).map((p) => [p, cpuSeconds([p])]));
    const cpu0 = cpuSeconds(pids);
    const r = await runLoad(server.port, round, families, ledger, tag, duration);
    // Backends that the pool opened during the run count whole; those it closed meanwhile are lost.
    const backends = await backendPids(db.location);
    const cpu = [
      cpuSeconds(pids) - cpu0,
      backends.reduce((sum, p) => sum + cpuSeconds([p]) - (startBackends.get(p) ?? 0), 0),
    ];
    console.log(
      `server processes' CPU s so far: ${pids.map((p) => `${p}: ${cpuSeconds([p]).toFixed(1)}`).join(', ')}`,
    );
    const count = await countStored(db.location, round.id, tag, ledger);
    const row: Row = {
      rps: r.requests / r.seconds,
      p50: percentile(r.latencies, 50),
      p99: percentile(r.latencies, 99),
      requests: r.requests,
      errors: [...r.errors].map(([w, n]) => `${n} × ${w}`).join(', ') || '0',
      count,
      mismatches: ledger.mismatches,
      serverMs: (cpu[0] * 1000) / r.requests,
      pgMs: (cpu[1] * 1000) / r.requests,
    };
    measured.push(row);
    log(
      `run ${k}/${runs}: ${r.requests} requests in ${r.seconds.toFixed(1)} s = ${row.rps.toFixed(0)}/s, p50 ${row.p50.toFixed(1)} ms, p99 ${row.p99.toFixed(1)} ms; CPU per request: server ${row.serverMs.toFixed(2)} ms (${pids.length} processes), PostgreSQL ${row.pgMs.toFixed(2)} ms (${backends.length} backends); ${r.created} created (201), ${r.replayed} same-key replays (200); errors ${row.errors}; ` +
        `stored ${count.rows} rows for ${count.ackedKeys} acknowledged keys: ${count.ackedFoundOnce} exactly once, ${count.missing} missing, ${count.wrongId} wrong, ${count.extra} extra; ${count.withoutChoices} without their choice; audit: ${count.auditPerApp}; disagreeing acknowledgements ${ledger.mismatches}`,
    );
  }

  if (args.includes('--no-kill')) {
    await killGroup(server, 'SIGTERM');
    await db.cleanup();
    process.exit(0);
  }
  // ---- kill -9 in the middle of the load ----
  const tag = 'kill';
  const ledger = new Ledger();
  const killAt = duration / 2;
  let killedAt = 0;
  const loadStarted = Date.now();
  const before = await runLoad(server.port, round, families, ledger, tag, duration, {
    killAfter: killAt,
    onKill: async () => {
      killedAt = Date.now();
      await killGroup(server, 'SIGKILL');
    },
  });
  const restartStarted = Date.now();
  server = await startServer(db.location);
  const restartSeconds = (Date.now() - restartStarted) / 1000;
  // Every family whose submit went unanswered retries it with the same client key.
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const retried = new Map<string, Submission>();
  for (const s of before.unanswered) retried.set(s.clientKey, s);
  let retry201 = 0;
  let retry200 = 0;
  const retryErrors: string[] = [];
  await Promise.all(
    [...retried.values()].map(async (s) => {
      const r = await post(agent, server.port, s);
      if ((r.status === 201 || r.status === 200) && r.id) {
        ledger.ack(s, r.id);
        if (r.status === 201) retry201++;
        else retry200++;
      } else retryErrors.push(`${r.status} ${r.code}`);
    }),
  );
  // And a sample of acknowledged ones, replayed after the restart, must return the same application.
  const sample = [...ledger.acked.entries()].filter((_, i) => i % 100 === 0);
  let sameAfterRestart = 0;
  for (const [key, a] of sample) {
    const fam = families.find((f) => f.parentId === a.parentId)!;
    const k = Number(key.split('-').at(-1));
    const r = await post(agent, server.port, makeSubmission(round, fam, k, tag));
    if (r.status === 200 && r.id === a.id) sameAfterRestart++;
  }
  agent.destroy();
  const count = await countStored(db.location, round.id, tag, ledger);
  const killRow = {
    rps: before.requests / ((killedAt - loadStarted) / 1000),
    p50: percentile(before.latencies, 50),
    p99: percentile(before.latencies, 99),
  };
  log(
    `kill -9 after ${killAt} s: ${before.requests} answered before the kill (${killRow.rps.toFixed(0)}/s, p50 ${killRow.p50.toFixed(1)} ms, p99 ${killRow.p99.toFixed(1)} ms), ${retried.size} unanswered; restart ${restartSeconds.toFixed(1)} s; ` +
      `retries with the same key: ${retry201} created (201), ${retry200} already stored (200), errors ${retryErrors.length ? retryErrors.join(', ') : 0}; ${sameAfterRestart}/${sample.length} acknowledged replays returned the same application; ` +
      `stored ${count.rows} rows for ${count.ackedKeys} acknowledged keys: ${count.ackedFoundOnce} exactly once, ${count.missing} missing, ${count.wrongId} wrong, ${count.extra} extra; ${count.withoutChoices} without their choice; audit: ${count.auditPerApp}; disagreeing acknowledgements ${ledger.mismatches}`,
  );
  await killGroup(server, 'SIGTERM');

  const mid = [...measured].sort((a, b) => a.rps - b.rps)[Math.floor(measured.length / 2)];
  const ok = (r: { rps: number; p99: number }) => (r.rps >= 1000 && r.p99 <= 200 ? '✓' : '✗');
  const exact = (c: Count) =>
    c.missing === 0 && c.wrongId === 0 && c.extra === 0 && c.withoutChoices === 0 ? '✓' : '✗';
  writeSection(
    '## Registration day',
    [
      `\`npx tsx bench/registration.ts\` — PostgreSQL, a fresh database with the small demo city and its open 2026 round; the server is \`bin/eduatlas start\`${workers ? ` with EDUATLAS_WORKERS=${workers}` : ' (one process)'} in its own process group${pgSocket ? `, connected to PostgreSQL through its Unix socket (${pgSocket})` : ', connected to PostgreSQL over TCP on loopback'}. ${clients} families registered and signed in through the store before the clock starts; then ${clients} concurrent clients (node:http keep-alive, on loopback, on the same 2-core machine, so the load generator takes part of a core) each POST distinct applications (valid ID numbers inside the age window, one catchment school, a client key each); one submit in 20 is sent again after its answer and one in 50 twice at once (same key: 200 with the same application). ${runs} rounds of ${duration} s after a 3 s warm-up, the median round by submissions/s shown. The count afterwards is read from the database: every acknowledged (201/200) client key must be stored once with the acknowledged id, no other rows, each with its choice and one audit entry. Node ${process.version}; measured ${new Date().toISOString().slice(0, 10)}; 1-minute load average at start ${load1.toFixed(1)}.`,
      '',
      '| run | submissions/s | p50 ms | p99 ms | CPU ms per submission: server / PostgreSQL | errors | acknowledged keys | stored exactly once | missing / extra | target ≥ 1,000/s, p99 ≤ 200 ms |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      `| sustained (median of ${runs}) | ${Math.round(mid.rps)} | ${mid.p50.toFixed(0)} | ${mid.p99.toFixed(0)} | ${mid.serverMs.toFixed(2)} / ${mid.pgMs.toFixed(2)} | ${mid.errors} | ${mid.count.ackedKeys} | ${mid.count.ackedFoundOnce} ${exact(mid.count)} | ${mid.count.missing} / ${mid.count.extra} | ${ok(mid)} |`,
      `| kill -9 after ${killAt} s, restart, retries | ${Math.round(killRow.rps)} before the kill | ${killRow.p50.toFixed(0)} | ${killRow.p99.toFixed(0)} | — | ${retried.size} unanswered, retried: ${retry201} created, ${retry200} already stored | ${count.ackedKeys} | ${count.ackedFoundOnce} ${exact(count)} | ${count.missing} / ${count.extra} | — |`,
      '',
      'Runs as printed:',
      '',
      '```',
      ...lines,
      '```',
      '',
    ].join('\n'),
  );
} finally {
  if (!keep) await db.cleanup();
  else console.log(`kept ${db.location}`);
}
