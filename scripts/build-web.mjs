#!/usr/bin/env node
// Builds the web app (web/ → web/dist) when web/dist is missing or older than its sources.
// `npm start` runs it first; tests call it before starting the server. `--force` always builds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const repo = path.resolve(import.meta.dirname, '..');
// Written last, after the bundle and its compressed copies: while a build runs (vite empties web/dist
// first) it is missing, so another process waits for the lock instead of serving a half-written app.
const builtStamp = path.join(repo, 'web', 'dist', '.built');
// Sources of the bundle: the app, its page, the build config, and the shared domain modules it imports.
const sources = [
  path.join(repo, 'web', 'src'),
  path.join(repo, 'web', 'index.html'),
  path.join(repo, 'vite.config.ts'),
  path.join(repo, 'src', 'domain', 'stages.ts'),
  path.join(repo, 'src', 'domain', 'subjects.ts'),
  path.join(repo, 'src', 'auth', 'roles.ts'),
  path.join(repo, 'src', 'server', 'contracts.ts'),
];

function newestMtime(p) {
  let stat;
  try {
    stat = fs.statSync(p);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of fs.readdirSync(p)) newest = Math.max(newest, newestMtime(path.join(p, entry)));
  return newest;
}

/**
 * Writes `.br` and `.gz` next to every text asset, so the server can send them as they are
 * (@fastify/static `preCompressed: true`) instead of compressing on every request.
 */
function precompress(dir) {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) precompress(file);
    else if (/\.(js|css|html|svg|json)$/.test(entry.name) && fs.statSync(file).size > 1024) {
      const body = fs.readFileSync(file);
      fs.writeFileSync(`${file}.gz`, zlib.gzipSync(body, { level: 9 }));
      fs.writeFileSync(
        `${file}.br`,
        zlib.brotliCompressSync(body, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11 } }),
      );
    }
  }
}

export function webBuildNeeded() {
  let built;
  try {
    built = fs.statSync(builtStamp).mtimeMs;
  } catch {
    return true;
  }
  return sources.some((s) => newestMtime(s) > built);
}

/** Held while one process builds: test workers start at once, and two vite builds into one dist clash. */
const lockDir = path.join(repo, 'web', '.build-lock');
const STALE_LOCK_MS = 10 * 60_000;

export async function buildWeb({ force = false, quiet = false } = {}) {
  if (!force && !webBuildNeeded()) return false;
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      break;
    } catch (e) {
      if (e.code !== 'EEXIST') throw e;
      // A lock left by a killed build is taken over once it is older than any build takes.
      if (Date.now() - fs.statSync(lockDir, { throwIfNoEntry: false })?.mtimeMs > STALE_LOCK_MS)
        fs.rmSync(lockDir, { recursive: true, force: true });
      else await new Promise((r) => setTimeout(r, 500));
    }
  }
  try {
    // Another process may have built it while this one waited.
    if (!force && !webBuildNeeded()) return false;
    return build(quiet);
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function build(quiet) {
  const viteBin = path.join(repo, 'node_modules', 'vite', 'bin', 'vite.js');
  if (!fs.existsSync(viteBin)) {
    throw new Error(
      '网页端尚未构建，且未安装 vite（开发依赖）：请运行 npm ci 后重试 / the web app is not built and vite (a dev dependency) is missing: run npm ci',
    );
  }
  if (!quiet) console.log('正在构建网页端 / building the web app …');
  const started = Date.now();
  // A child process with NODE_ENV=production: a caller such as vitest (NODE_ENV=test) must not get
  // React's development build.
  const run = spawnSync(
    process.execPath,
    [viteBin, 'build', '--config', path.join(repo, 'vite.config.ts'), '--logLevel', quiet ? 'warn' : 'info'],
    {
      cwd: repo,
      stdio: quiet ? ['ignore', 'ignore', 'inherit'] : 'inherit',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  if (run.status !== 0) throw new Error(`vite build failed (exit ${run.status ?? run.signal})`);
  precompress(path.join(repo, 'web', 'dist'));
  // Newer than every source, whatever the clock said while it ran.
  fs.writeFileSync(builtStamp, `${new Date().toISOString()}\n`);
  if (!quiet) console.log(`网页端已构建 / web app built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return true;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildWeb({ force: process.argv.includes('--force'), quiet: process.argv.includes('--quiet') }).catch(
    (e) => {
      console.error(e.message ?? e);
      process.exit(1);
    },
  );
}
