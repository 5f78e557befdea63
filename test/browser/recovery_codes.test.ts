// Recovery codes in Chromium, at 375 px: a new set is shown with Copy (the clipboard holds the codes),
// Download (a real .txt download with the codes) and Print (the print dialog; in print only the codes
// and the warning remain); "Continue" without the box ticked keeps the person on the codes with the
// error summary focused, ticked it goes on to the security page. Without JavaScript the codes are
// there as text and the script's buttons are not. Thai and English; checkPage on each page.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { startTestServer, TEST_PERSON } from '../helpers/server.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { checkPage, watchPage } from '../helpers/page_checks.ts';
import type { RunningServer } from '../../src/idp/server.ts';

const T = {
  th: { make: 'สร้างรหัสกู้คืนชุดใหม่', copy: 'คัดลอกรหัส', copied: 'คัดลอกรหัสแล้ว', download: 'ดาวน์โหลด (.txt)', print: 'พิมพ์', saved: 'ฉันบันทึกรหัสกู้คืนไว้ในที่ปลอดภัยแล้ว', go: 'ไปต่อ', done: 'บันทึกรหัสกู้คืนแล้ว', heading: 'รหัสกู้คืน หมอพร้อม ดิจิทัลไอดี' },
  en: { make: 'Make a new set of recovery codes', copy: 'Copy the codes', copied: 'The codes are copied', download: 'Download (.txt)', print: 'Print', saved: 'I have saved my recovery codes somewhere safe', go: 'Continue', done: 'Your recovery codes are saved', heading: 'Mor Prom ID recovery codes' },
};

describe('recovery codes in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer(await openPglite());
    browser = await launchBrowser();
    await server.app().accounts.create({ ...TEST_PERSON, phone_verified: true });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await server?.db.close();
  });

  async function logIn(page: Page, lang: 'th' | 'en') {
    await page.goto(`${server.url}/account/security?lang=${lang}`);
    await page.locator('input[name="pid"]').fill(TEST_PERSON.pid);
    await page.locator('input[name="password"]').fill(TEST_PERSON.password);
    await page.locator('form[action$="/login"] button[type="submit"]').click();
    await page.waitForURL(/\/account\/security/);
    await page.goto(`${server.url}/account/security?lang=${lang}`);
  }
  const codesOn = (page: Page) => page.locator('#recovery-codes code').allInnerTexts();

  for (const lang of ['th', 'en'] as const) {
    test(`${lang}: copy, download, print, then "I have saved them" before going on`, async () => {
      const t = T[lang];
      const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
      await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
      const page = await context.newPage();
      const watched = watchPage(page);
      try {
        await logIn(page, lang);
        await page.getByRole('button', { name: t.make }).click();
        await page.locator('#recovery-codes').waitFor();
        const codes = await codesOn(page);
        assert.equal(codes.length, 10);
        await checkPage(page, { lang, watched });

        await page.getByRole('button', { name: t.copy }).click();
        await page.getByRole('status').filter({ hasText: t.copied }).waitFor();
        assert.equal(await page.evaluate(() => navigator.clipboard.readText()), codes.join('\n'), 'the clipboard holds the ten codes');

        const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: t.download }).click()]);
        assert.equal(download.suggestedFilename(), 'mor-prom-id-recovery-codes.txt');
        const file = readFileSync((await download.path())!, 'utf8');
        assert.ok(file.startsWith(t.heading), file.slice(0, 80));
        assert.deepEqual(file.trim().split(/\r\n/).slice(2), codes, 'the file holds the ten codes, one a line');

        await page.evaluate(() => {
          window.print = () => document.body.setAttribute('data-printed', 'yes');
        });
        await page.getByRole('button', { name: t.print }).click();
        assert.equal(await page.locator('body').getAttribute('data-printed'), 'yes', 'Print opens the print dialog');
        await page.emulateMedia({ media: 'print' });
        assert.ok(await page.locator('#recovery-codes').isVisible(), 'the codes print');
        for (const hidden of ['header.top', '#recovery-tools', 'form[action="/account/recovery-codes/saved"]', 'footer']) assert.equal(await page.locator(hidden).isVisible(), false, `${hidden} does not print`);
        await page.emulateMedia({ media: 'screen' });

        // not ticked: still the codes, the error summary has the focus
        await page.getByRole('button', { name: t.go, exact: true }).click();
        await page.locator('.error-summary').waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'form-error');
        assert.deepEqual(await codesOn(page), codes, 'the same codes are still shown');
        await checkPage(page, { lang, watched });

        await page.getByLabel(t.saved).check();
        await page.getByRole('button', { name: t.go, exact: true }).click();
        await page.waitForURL(/\/account\/security$/);
        await page.getByRole('status').filter({ hasText: t.done }).waitFor();
        await checkPage(page, { lang, watched });
      } finally {
        await context.close();
      }
    });
  }

  test('without JavaScript the codes are there as selectable text, and the script’s buttons are not', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    try {
      await logIn(page, 'th');
      await page.getByRole('button', { name: T.th.make }).click();
      await page.locator('#recovery-codes').waitFor();
      const codes = await codesOn(page);
      assert.equal(codes.length, 10);
      assert.ok(codes.every((c) => /^[a-z2-9]{5}-[a-z2-9]{5}$/.test(c)));
      assert.equal(await page.locator('#recovery-codes').evaluate((el) => getComputedStyle(el).userSelect), 'auto');
      assert.equal(await page.getByRole('button', { name: T.th.copy }).isVisible(), false);
      assert.equal(await page.getByRole('link', { name: T.th.download }).isVisible(), false);
      await page.getByLabel(T.th.saved).check();
      await page.getByRole('button', { name: T.th.go, exact: true }).click();
      await page.waitForURL(/\/account\/security$/);
    } finally {
      await context.close();
    }
  });
});
