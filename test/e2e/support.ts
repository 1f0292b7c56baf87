import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Browser, type ConsoleMessage, chromium, type Locator, type Page } from 'playwright-core';
import { expect } from 'vitest';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = path.resolve(import.meta.dirname, 'artifacts');
const REPO = path.resolve(import.meta.dirname, '../..');
const BIN = path.join(REPO, 'bin', 'eduatlas');

/**
 * Whether the end-to-end suite can run here. Without Debian's Chromium it is skipped with a
 * message, except under CI=true, where a missing browser is a failure of the machine's setup.
 */
export function chromiumAvailable(): boolean {
  const present = fs.existsSync(CHROMIUM);
  if (!present && process.env.CI === 'true')
    throw new Error(
      `${CHROMIUM} is missing: CI must install it (apt-get install -y chromium fonts-wqy-microhei)`,
    );
  if (!present)
    console.warn(
      `e2e skipped: ${CHROMIUM} not found (apt-get install -y chromium fonts-wqy-microhei to run it)`,
    );
  return present;
}

/** Builds web/dist when it is missing or older than web/src (the same step `npm start` takes). */
export async function buildWebApp(): Promise<void> {
  const { buildWeb } = (await import(path.join(REPO, 'scripts', 'build-web.mjs'))) as {
    buildWeb(opts: { quiet?: boolean }): Promise<boolean>;
  };
  await buildWeb({ quiet: true });
}

export interface RunningServer {
  url: string;
  dir: string;
  stop(): Promise<void>;
}

/** `eduatlas start` on a fresh SQLite file with the small demo city; resolves when it prints its address. */
export async function startServer(): Promise<RunningServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'eduatlas-e2e-'));
  // For working on the pages: E2E_BASE_URL runs the suite against a server you started yourself.
  const given = process.env.E2E_BASE_URL;
  if (given)
    return {
      url: given.replace(/\/$/, ''),
      dir,
      stop: async () => fs.rmSync(dir, { recursive: true, force: true }),
    };
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [BIN, 'start'], {
    cwd: dir,
    env: {
      ...process.env,
      DATABASE_URL: `sqlite:${path.join(dir, 'e2e.sqlite')}`,
      DEMO_SCALE: 'small',
      PORT: '0',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    },
  });
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d;
      const m = out.match(/(http:\/\/127\.0\.0\.1:\d+)/);
      if (m) resolve(m[1]);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (d) => {
      out += d;
    });
    child.on('exit', (code) => reject(new Error(`eduatlas start exited ${code}:\n${out}`)));
  });
  return {
    url,
    dir,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.on('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/**
 * Collects what a page should never do: uncaught errors, console errors and warnings (React and
 * antd report misuse there), and requests to any origin but the server's own.
 */
export function watchPage(page: Page, origin: string) {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() !== 'error' && m.type() !== 'warning') return;
    const text = m.text();
    // The browser logs every 4xx resource load; expected ones: 401 before sign-in, 404 out of scope.
    if (/Failed to load resource: the server responded with a status of (401|404)/.test(text)) return;
    problems.push(`console.${m.type()}: ${text}`);
  });
  page.on('request', (r) => {
    const u = r.url();
    if (!u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'))
      problems.push(`external request: ${u}`);
  });
  return problems;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const file = path.join(ARTIFACTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** Signs in through the API (for set-up and cross-checks), returning a cookie-carrying fetch. */
export async function apiSession(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username} failed: ${res.status} ${await res.text()}`);
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  return {
    get: async <T>(p: string): Promise<T> => {
      const r = await fetch(`${url}${p}`, { headers: { cookie } });
      if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
  };
}

// playwright-core has no test runner, so no web-first assertions: these wait like them.
const WAIT = { timeout: 15_000, interval: 100 };

/** Waits until the (first) element is visible. */
export async function shown(l: Locator): Promise<void> {
  await l.first().waitFor({ state: 'visible', timeout: WAIT.timeout });
}

/** The text a user sees in the (first) element: Playwright's innerText, not the DOM property. */
export function seen(l: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Locator.innerText is the rendered text, on purpose
  return l.first().innerText({ timeout: WAIT.timeout });
}

/** Waits until the element's text contains `text` (or matches it). */
export async function hasText(l: Locator, text: string | RegExp): Promise<void> {
  const read = () => seen(l);
  if (typeof text === 'string') await expect.poll(read, WAIT).toContain(text);
  else await expect.poll(read, WAIT).toMatch(text);
}

/** Waits until the locator matches `n` elements. */
export async function counted(l: Locator, n: number): Promise<void> {
  await expect.poll(() => l.count(), WAIT).toBe(n);
}
