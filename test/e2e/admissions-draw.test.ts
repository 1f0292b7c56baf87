import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeIdNumber } from '../../src/domain/id-number.ts';
import {
  chromiumAvailable,
  type E2eWorld,
  hasText,
  openE2eWorld,
  screenshot,
  seen,
  settled,
  shown,
} from './support.ts';

const PARENT_PHONE = '13800138000';
const PUBLIC_VALUE = '2026-08-08 福彩3D 第2026210期 3 1 9';
// A 1×1 PNG: the photos the family "takes".
const PHOTO = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

/** An API session with JSON bodies: for the set-up the office page does not cover. */
async function session(url: string, username: string, password: string) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
  const { csrfToken } = (await res.json()) as { csrfToken: string };
  const cookie = (res.headers.getSetCookie?.() ?? []).map((c) => c.split(';')[0]).join('; ');
  const call = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const r = await fetch(`${url}${path}`, {
      method,
      headers: {
        cookie,
        'x-csrf-token': csrfToken,
        ...(body instanceof FormData || body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body instanceof FormData ? body : body === undefined ? undefined : JSON.stringify(body),
    });
    if (!r.ok) throw new Error(`${method} ${path}: ${r.status} ${await r.text()}`);
    return (await r.json()) as T;
  };
  return { call };
}

/**
 * Confirms the open dialog. The click waits until the dialog has zoomed in (on a loaded machine a
 * click during it can be lost); the dialog closes once the server has answered, which for a freeze
 * or a draw of the demo round can take a while there. A refusal shows on the page: this fails with it.
 */
async function confirmModal(page: Page) {
  const modal = page.locator('.ant-modal-confirm');
  const ok = modal.locator('.ant-btn-primary');
  await shown(ok);
  await settled(modal);
  await ok.click();
  const wait = { timeout: 120_000 };
  const outcome = await Promise.race([
    modal.waitFor({ state: 'detached', ...wait }).then(
      () => 'closed',
      () => 'still open',
    ),
    page
      .locator('.ant-alert-error')
      .first()
      .waitFor({ state: 'visible', ...wait })
      .then(
        () => 'refused',
        () => 'still open',
      ),
  ]);
  if (outcome === 'refused') throw new Error(`refused: ${await seen(page.locator('.ant-alert-error'))}`);
  if (outcome !== 'closed') throw new Error('the confirmation dialog is still open after 120 s');
}

/**
 * The draw half of 阳光招生 in real Chromium: the demo family applies (through the API) and is
 * verified; the office closes the demo round on the draw page, freezes it, enters the public value,
 * draws and publishes; the family reads its result and why on a phone, and opens the notice.
 */
describe.skipIf(!chromiumAvailable())('admissions: the draw, publication and the notice in Chromium', () => {
  let w: E2eWorld;
  let roundId: number;
  let applicationId: number;
  let applicationNo: string;

  beforeAll(async () => {
    w = await openE2eWorld({ role: 'city_admissions' });
    const family = await session(w.url, PARENT_PHONE, w.password);
    const { rounds } = await family.call<{ rounds: { id: number; accepting: boolean }[] }>(
      'GET',
      '/api/admissions/my/rounds',
    );
    roundId = rounds.find((r) => r.accepting)!.id;
    const options = await family.call<{
      communities: { code: string; schoolIds: number[] }[];
      ageWindow: { bornFrom: string };
    }>('GET', `/api/admissions/my/rounds/${roundId}`);
    const community = options.communities.find((c) => c.schoolIds.length > 0)!;
    const app = await family.call<{ id: number; applicationNo: string }>(
      'POST',
      '/api/admissions/my/applications',
      {
        roundId,
        clientKey: 'e2e-draw-family-1',
        child: { idNumber: makeIdNumber('411490', options.ageWindow.bornFrom, 977), name: '李小禾' },
        communityCode: community.code,
        facts: { localHukou: true, hukouAtProperty: true, hasProperty: true, residencePermit: false },
        propertyNo: '豫(2023)商丘市不动产权第0077777号',
        guardian: { name: '李大川', relation: 'mother' },
        consent: true,
        category: 'hukou_property',
        choices: [community.schoolIds[0]],
      },
    );
    applicationId = app.id;
    applicationNo = app.applicationNo;
    for (const docType of ['hukou_book', 'property_deed', 'birth_certificate']) {
      const form = new FormData();
      form.append('file', new Blob([PHOTO], { type: 'image/png' }), 'photo.png');
      await family.call(
        'POST',
        `/api/admissions/my/applications/${app.id}/documents?docType=${docType}`,
        form,
      );
    }
    const office = await session(w.url, w.account('city_admissions').username, w.password);
    await office.call('POST', `/api/admissions/applications/${app.id}/decision`, {
      decision: 'approve',
      category: 'hukou_property',
    });
  }, 180_000);

  afterAll(async () => {
    await w?.close();
  });

  it('the office closes, freezes, draws with the public value and publishes on the draw page', async () => {
    const page = w.page;
    await page.goto(`${w.url}/admissions/draw?round=${roundId}`);
    await page.getByTestId('close-round').click();
    await confirmModal(page);
    await page.getByTestId('freeze').click();
    await confirmModal(page);
    await hasText(page.getByTestId('draw-digest'), /^[0-9a-f]{64}$/);
    await hasText(page.getByTestId('draw-commitment'), /^[0-9a-f]{64}$/);
    const applicants = Number(await seen(page.getByTestId('draw-applicants')));
    expect(applicants).toBeGreaterThan(1);

    // An empty public value is refused on the page, naming the field.
    await page.getByTestId('run-draw').click();
    await shown(page.getByText('请填写公开值'));
    await page.getByTestId('public-value').fill(PUBLIC_VALUE);
    await page.getByTestId('run-draw').click();
    await confirmModal(page);
    await hasText(page.getByTestId('draw-public-value'), PUBLIC_VALUE);
    await hasText(page.getByTestId('draw-seed'), /^[0-9a-f]{64}$/);
    await hasText(page.getByTestId('draw-secret'), /^[0-9a-f]{64}$/);
    await shown(page.getByTestId('download-draw-file'));
    await page.getByTestId('publish-results').click();
    await confirmModal(page);
    await hasText(page.getByTestId('published'), '已公布');
    await screenshot(page, 'admissions-draw-published');

    await page.getByTestId('results-tab').click();
    await hasText(page.getByTestId('results-applicants'), String(applicants));
    const row = page.locator('[data-testid="results-schools"] .ant-table-row').first();
    await shown(row);
    await row.locator('.ant-table-row-expand-icon').first().click();
    await shown(page.getByTestId('admitted-list'));
    // The admitted list masks names: a family name and stars.
    const names = await page
      .locator('[data-testid="admitted-list"] .ant-table-row td:nth-child(2)')
      .allInnerTexts();
    expect(names.length).toBeGreaterThan(0);
    for (const n of names) expect(n).toMatch(/^\S\*+$/);
    await screenshot(page, 'admissions-draw-results');
    expect(w.problems).toEqual([]);
  }, 300_000);

  it('the family reads its result and why on a phone, and opens the printable notice', async () => {
    // What the published file says of this child, read through the office's API.
    const office = await session(w.url, w.account('city_admissions').username, w.password);
    const file = await office.call<{
      result: { placements: Record<string, { school: string | null; by: string | null }> };
    }>('GET', `/api/admissions/rounds/${roundId}/draw/file`);
    const placement = file.result.placements[applicationNo];
    expect(placement).toBeDefined();

    const phone = await w.phone();
    const p = phone.page;
    await p.goto(`${w.url}/parent`);
    await p.getByTestId('parent-phone').fill(PARENT_PHONE);
    await p.getByTestId('parent-password').fill(w.password);
    await p.getByTestId('parent-sign-in').click();
    await p.waitForURL(`${w.url}/parent/home`, { timeout: 60_000 });
    await p.goto(`${w.url}/parent/applications/${applicationId}`);
    // The lottery's public numbers on the family's page, the same as the office published.
    const draw = await office.call<{ digest: string; commitment: string; secret: string; seed: string }>(
      'GET',
      `/api/admissions/rounds/${roundId}/draw`,
    );
    await shown(p.getByTestId('parent-draw'));
    await hasText(p.getByTestId('parent-draw-digest'), draw.digest);
    await hasText(p.getByTestId('parent-draw-commitment'), draw.commitment);
    await hasText(p.getByTestId('parent-draw-secret'), draw.secret);
    await hasText(p.getByTestId('parent-draw-seed'), draw.seed);
    await hasText(p.getByTestId('parent-draw-public-value'), PUBLIC_VALUE);
    await shown(p.getByTestId('parent-draw-file'));
    if (placement.school === null) {
      await shown(p.getByTestId('result-unplaced'));
      await phone.close();
      return;
    }
    await shown(p.getByTestId('result-card'));
    const by = { choice: '第一志愿录取', fallback: '后续志愿录取', overflow: '统筹安排' }[
      placement.by as 'choice' | 'fallback' | 'overflow'
    ];
    await hasText(p.getByTestId('result-by'), by);
    const key = (await seen(p.getByTestId('result-key'))).trim();
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const school = (await seen(p.getByTestId('result-school'))).trim();
    expect(school.length).toBeGreaterThan(0);
    expect(await p.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await screenshot(p, 'admissions-parent-result');

    await p.getByTestId('open-notice').click();
    await p.waitForURL(/\/notice$/);
    await hasText(p.getByTestId('notice-body'), '李小禾');
    await hasText(p.getByTestId('notice-body'), school);
    await shown(p.getByTestId('print'));
    // Printed, the buttons are left out and the notice remains.
    await p.emulateMedia({ media: 'print' });
    expect(await p.getByTestId('print').isVisible()).toBe(false);
    expect(await p.getByTestId('notice').isVisible()).toBe(true);
    await p.emulateMedia({ media: 'screen' });
    await screenshot(p, 'admissions-parent-notice');
    expect(phone.problems).toEqual([]);
    await phone.close();
  }, 90_000);
});
