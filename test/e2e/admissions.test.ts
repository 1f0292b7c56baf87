import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import type { DemoAccounts } from '../../src/server/contracts.ts';
import {
  buildWebApp,
  choose,
  chromiumAvailable,
  hasText,
  launchChromium,
  type RunningServer,
  screenshot,
  seen,
  shown,
  startServer,
  watchPage,
} from './support.ts';

// A 1×1 PNG: the photos the family "takes".
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/**
 * The registration half of 阳光招生 in real Chromium: a family registers and applies on a
 * phone-sized screen, the county clerk returns the application with a reason, the family reads it,
 * adds the missing photos and resubmits, and the clerk approves. (The draw and results come later.)
 */
describe.skipIf(!chromiumAvailable())('admissions: apply, return, correct, approve in Chromium', () => {
  let server: RunningServer;
  let browser: Browser;
  let phone: BrowserContext;
  let desk: BrowserContext;
  let parent: Page;
  let clerk: Page;
  let problems: string[];
  let clerkProblems: string[];
  let demo: DemoAccounts;
  let applicationNo: string;

  beforeAll(async () => {
    await buildWebApp();
    server = await startServer();
    browser = await launchChromium();
    phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      locale: 'zh-CN',
      isMobile: true,
      hasTouch: true,
    });
    desk = await browser.newContext({ viewport: { width: 1366, height: 900 }, locale: 'zh-CN' });
    parent = await phone.newPage();
    clerk = await desk.newPage();
    problems = watchPage(parent, server.url);
    clerkProblems = watchPage(clerk, server.url);
    demo = (await (await fetch(`${server.url}/api/auth/demo-accounts`)).json()) as DemoAccounts;
  }, 180_000);

  afterAll(async () => {
    await phone?.close();
    await desk?.close();
    await browser?.close();
    await server?.stop();
  });

  async function uploadPhoto(docLabel: string) {
    await choose(parent.getByTestId('doc-type'), docLabel);
    // The upload takes a file only once the chosen type has enabled it (a re-render that a loaded
    // machine can delay): until then the file would be ignored.
    await expect.poll(() => parent.getByTestId('upload-photo').isEnabled(), { timeout: 15_000 }).toBe(true);
    await parent
      .locator('input[type=file]')
      .setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: PHOTO });
    await shown(parent.getByRole('link', { name: docLabel }));
  }

  async function clerkOpens() {
    await clerk.goto(`${server.url}/admissions/queue?no=${applicationNo}`);
    await clerk.getByTestId(`open-${applicationNo}`).click();
    await shown(clerk.getByTestId('return-reason-input'));
  }

  it('a family registers and applies on a phone', async () => {
    await parent.goto(`${server.url}/parent`);
    await parent.getByRole('link', { name: '还没有账号？注册' }).click();
    // The sign-in page has a phone field too and stays on screen while the register page's code
    // loads: fill in only once the register page is there.
    await shown(parent.getByTestId('parent-register'));
    await parent.getByTestId('parent-phone').fill('13700000001');
    await parent.getByTestId('parent-password').fill('family2026pw');
    await parent.getByTestId('parent-register').click();
    // Registering hashes the password twice (register, then sign in): on a loaded CI machine that
    // can take longer than one ordinary wait, so wait for the home page or the error the page shows.
    const error = parent.locator('.ant-alert-error, .ant-form-item-explain-error');
    const outcome = await Promise.race([
      parent.waitForURL(`${server.url}/parent/home`, { timeout: 90_000 }).then(() => 'home'),
      error
        .first()
        .waitFor({ state: 'visible', timeout: 90_000 })
        .then(() => 'error'),
    ]);
    if (outcome === 'error') throw new Error(`registration refused: ${await seen(error)}`);
    await shown(parent.locator('[data-testid^="apply-"]'));
    await parent.locator('[data-testid^="apply-"]').first().click();

    await parent.getByTestId('child-name').fill('王小雨');
    await parent.getByTestId('child-id').fill(makeIdNumber('411490', '2019-12-01', 901));
    await parent.getByTestId('community').click();
    await parent.locator('.ant-select-item-option').first().click();
    for (const f of ['localHukou', 'hasProperty', 'hukouAtProperty'])
      await parent.getByTestId(`fact-${f}`).click();
    await parent.getByTestId('property-no').fill('豫(2023)商丘市不动产权第0099999号');
    await parent.getByTestId('category-hukou_property').click();
    await parent.locator('[data-testid^="choice-"]').first().click();
    await parent.getByTestId('guardian-name').fill('王大山');
    await parent.getByTestId('consent').click();
    // The page fits the phone: nothing wider than the screen.
    expect(await parent.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(parent, 'admissions-parent-form');
    await parent.getByTestId('submit-application').click();

    await parent.waitForURL(/\/parent\/applications\/\d+$/);
    applicationNo = (await seen(parent.getByTestId('application-no'))).trim();
    expect(applicationNo).toMatch(/^A\d{7}$/);
    await hasText(parent.getByTestId('application-status'), '待审核');
    await uploadPhoto('户口簿');
    await hasText(parent.getByTestId('missing-proofs'), '出生医学证明');
    await screenshot(parent, 'admissions-parent-applied');
  }, 180_000);

  it('the clerk returns it with a reason the family then reads', async () => {
    const county = demo.accounts.find((a) => a.role === 'county_staff')!;
    await clerk.goto(`${server.url}/login`);
    await clerk.getByTestId(`fill-${county.username}`).click();
    await clerk.getByRole('button', { name: /登\s*录/ }).click();
    await clerk.waitForURL(`${server.url}/`);
    await clerkOpens();
    // Approving with photos missing is refused, naming what is missing.
    await clerk.getByTestId('approve').click();
    await hasText(clerk.getByTestId('decision-error'), '缺少材料');
    await clerk.getByTestId('return-reason-input').fill('请上传不动产权证书和出生医学证明');
    await clerk.getByTestId('return').click();
    await shown(clerk.locator('.ant-table-row', { hasText: '已退回' }));

    await parent.reload();
    await hasText(parent.getByTestId('application-status'), '已退回');
    await hasText(parent.getByTestId('return-reason'), '请上传不动产权证书和出生医学证明');
  });

  it('the family corrects it and the clerk approves', async () => {
    await uploadPhoto('不动产权证书');
    await uploadPhoto('出生医学证明');
    await parent.getByTestId('edit-application').click();
    await parent.waitForURL(/\/edit$/);
    await parent.getByTestId('consent').click();
    await parent.getByTestId('submit-application').click();
    await parent.waitForURL(/\/parent\/applications\/\d+$/);
    await hasText(parent.getByTestId('application-status'), '待审核');

    await clerkOpens();
    await clerk.getByTestId('approve').click();
    await shown(clerk.locator('.ant-table-row', { hasText: '审核通过' }));
    await parent.reload();
    await hasText(parent.getByTestId('application-status'), '审核通过');
    await screenshot(parent, 'admissions-parent-approved');
    expect(problems).toEqual([]);
    // The one refusal the clerk met (approving with photos missing) is the only failed request.
    expect(clerkProblems).toEqual([expect.stringContaining('status of 400')]);
  });
});
