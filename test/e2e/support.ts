import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type Browser,
  type BrowserContext,
  type ConsoleMessage,
  chromium,
  type Locator,
  type Page,
} from 'playwright-core';
import { expect } from 'vitest';
import type { DemoAccounts, Me } from '../../src/server/contracts.ts';

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
  const me = (await res.json()) as Me;
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  return {
    /** Who signed in, as the server answered the sign-in. */
    me,
    get: async <T>(p: string): Promise<T> => {
      const r = await fetch(`${url}${p}`, { headers: { cookie } });
      if (!r.ok) throw new Error(`GET ${p}: ${r.status} ${await r.text()}`);
      return (await r.json()) as T;
    },
    /** A POST with the session's CSRF token; the response is the caller's to check. */
    post: (p: string, body?: BodyInit): Promise<Response> =>
      fetch(`${url}${p}`, { method: 'POST', headers: { cookie, 'x-csrf-token': me.csrfToken }, body }),
  };
}
export type ApiSession = Awaited<ReturnType<typeof apiSession>>;

/** Signs `page` in as `username` through the demo list of the sign-in page. */
async function signInPage(page: Page, url: string, username: string): Promise<void> {
  await page.context().clearCookies();
  await page.goto(`${url}/login`);
  await page.getByTestId(`fill-${username}`).click();
  await page.getByRole('button', { name: /登\s*录|Sign in/ }).click();
  await page.waitForURL(`${url}/`);
}

type DemoAccount = DemoAccounts['accounts'][number];

/** A browser page against a running server with the demo city, and the means to act in it. */
export interface E2eWorld {
  server: RunningServer;
  url: string;
  browser: Browser;
  context: BrowserContext;
  page: Page;
  /** What the main page did wrong so far (see watchPage). */
  problems: string[];
  demo: DemoAccounts;
  /** The password of every demo account. */
  password: string;
  account(role: string): DemoAccount;
  /** Signs the main page (or `page`) in as the demo account of `role`. */
  signIn(role: string, page?: Page): Promise<void>;
  /** An API session of the demo account of `role`. */
  api(role: string): Promise<ApiSession>;
  /** A fresh phone-sized page, watched, signed in as `role` when given. */
  phone(role?: string): Promise<{ page: Page; problems: string[]; close(): Promise<void> }>;
  close(): Promise<void>;
}

/**
 * Builds the web app, starts the server on the small demo city, opens Chromium on a desktop-sized,
 * watched page and, with `role`, signs it in as that demo account. Call `close()` in afterAll.
 */
export async function openE2eWorld(opts: { role?: string } = {}): Promise<E2eWorld> {
  await buildWebApp();
  const server = await startServer();
  const browser = await launchChromium();
  const context = await browser.newContext({
    viewport: { width: 1366, height: 900 },
    locale: 'zh-CN',
    acceptDownloads: true,
  });
  const page = await context.newPage();
  const { url } = server;
  const demo = (await (await fetch(`${url}/api/auth/demo-accounts`)).json()) as DemoAccounts;
  if (!demo.demo || !demo.password)
    throw new Error(`the server offers no demo accounts: ${JSON.stringify(demo)}`);
  const password = demo.password;
  const account = (role: string) => {
    const a = demo.accounts.find((x) => x.role === role);
    if (!a) throw new Error(`the demo offers no ${role} account`);
    return a;
  };
  const signIn = (role: string, p: Page = page) => signInPage(p, url, account(role).username);
  const world: E2eWorld = {
    server,
    url,
    browser,
    context,
    page,
    problems: watchPage(page, url),
    demo,
    password,
    account,
    signIn,
    api: (role) => apiSession(url, account(role).username, password),
    phone: async (role) => {
      const phone = await browser.newContext({
        viewport: { width: 390, height: 844 },
        locale: 'zh-CN',
        isMobile: true,
      });
      const p = await phone.newPage();
      const problems = watchPage(p, url);
      if (role) await signIn(role, p);
      return { page: p, problems, close: () => phone.close() };
    },
    close: async () => {
      await context.close();
      await browser.close();
      await server.stop();
    },
  };
  if (opts.role) await signIn(opts.role);
  return world;
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

/**
 * Chooses the option with `text` in an antd Select and waits until the select shows it. On a loaded
 * machine a click can meet the dropdown while it is still opening and be lost: then it opens it again.
 */
export async function choose(select: Locator, text: string): Promise<void> {
  const option = select
    .page()
    .locator('.ant-select-dropdown:visible .ant-select-item-option', { hasText: text });
  for (let attempt = 1; ; attempt++) {
    await select.click();
    await option.first().click();
    try {
      await expect.poll(() => seen(select), { ...WAIT, timeout: 5_000 }).toContain(text);
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

/**
 * Waits until an antd dialog or popover has finished zooming in: on a loaded machine a click on its
 * button during the animation can be lost.
 */
export async function settled(l: Locator): Promise<void> {
  await expect
    .poll(async () => (await l.first().getAttribute('class')) ?? '', WAIT)
    .not.toContain('ant-zoom');
}

/** Waits until the locator matches `n` elements. */
export async function counted(l: Locator, n: number): Promise<void> {
  await expect.poll(() => l.count(), WAIT).toBe(n);
}
