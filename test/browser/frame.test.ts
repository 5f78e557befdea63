// The shared frame in Chromium, on a machine with no Thai font installed, at 375 px and 1280 px: both
// services load the self-hosted Sarabun face and draw Thai with it, the skip link is the first stop and
// lands on <main>, unknown addresses are the branded not-found page in both languages, the home pages
// and the not-found pages never scroll sideways, and axe-core finds nothing serious (checkPage).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { launchBrowser } from '../helpers/browser.ts';
import { startZone, type Zone } from '../helpers/authencode.ts';
import { checkPage, thaiFontLoaded, watchPage } from '../helpers/page_checks.ts';

const WIDTHS = [375, 1280];

describe('the shared frame in the browser', () => {
  let zone: Zone;
  let browser: Browser;
  const services = () => [
    { name: 'IdP', url: zone.idp.url, th: 'หมอพร้อม ดิจิทัลไอดี', en: 'Mor Prom Digital ID' },
    { name: 'Authen Code', url: zone.ac.url, th: 'ยืนยันการเข้ารับบริการ (Authen Code)', en: 'Visit confirmation (Authen Code)' },
  ];

  before(async () => {
    zone = await startZone(await openPglite());
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await zone?.close();
    await zone?.idp.db.close();
  });

  async function open(width: number): Promise<{ context: BrowserContext; page: Page; watched: ReturnType<typeof watchPage> }> {
    const context = await browser.newContext({ viewport: { width, height: 800 } });
    const page = await context.newPage();
    return { context, page, watched: watchPage(page) };
  }

  for (const width of WIDTHS) {
    test(`home pages at ${width} px: Thai drawn with the self-hosted font, a skip link to main, no sideways scrolling, no CSP violation`, async () => {
      for (const s of services()) {
        const { context, page, watched } = await open(width);
        try {
          await page.goto(`${s.url}/?lang=th`);
          assert.equal(await page.locator('.brand').innerText(), s.th, `${s.name}: the service's name in the top bar`);
          await checkPage(page, { lang: 'th', watched });

          // the first Tab reaches the skip link, which moves focus to <main id="main">
          await page.keyboard.press('Tab');
          const skip = page.getByRole('link', { name: 'ข้ามไปยังเนื้อหาหลัก' });
          assert.ok(await skip.evaluate((a) => a === document.activeElement), `${s.name}: the skip link is the first stop`);
          assert.ok(await skip.isVisible(), `${s.name}: the focused skip link shows`);
          assert.equal(await skip.getAttribute('href'), '#main');
          await page.keyboard.press('Enter');
          assert.equal(await page.evaluate(() => document.activeElement?.id), 'main', `${s.name}: focus is on main`);

          for (const link of ['ช่วยเหลือ', 'ข้อกำหนดการใช้งาน', 'นโยบายความเป็นส่วนตัว', 'การเข้าถึงได้'])
            assert.equal(await page.locator('footer').getByRole('link', { name: link, exact: true }).count(), 1, `${s.name}: footer link ${link}`);
          assert.equal(await page.locator('link[rel="icon"]').getAttribute('type'), 'image/svg+xml');

          await page.getByRole('link', { name: 'English', exact: true }).click();
          assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
          assert.equal(await page.locator('.brand').innerText(), s.en);
          await page.keyboard.press('Tab');
          assert.ok(await page.getByRole('link', { name: 'Skip to main content' }).evaluate((a) => a === document.activeElement));
          await checkPage(page, { lang: 'en', watched });
        } finally {
          await context.close();
        }
      }
    });

    test(`unknown addresses at ${width} px: the branded not-found page, Thai then English, with a way home`, async () => {
      for (const s of services()) {
        const { context, page, watched } = await open(width);
        try {
          const res = await page.goto(`${s.url}/no/such/page?lang=th`);
          assert.equal(res?.status(), 404, s.name);
          assert.equal(await page.locator('h1').innerText(), 'ไม่พบหน้าที่ต้องการ', `${s.name}: Thai heading`);
          assert.equal(await page.locator('.brand').innerText(), s.th, `${s.name}: branded`);
          assert.equal(await page.getByRole('link', { name: 'ไปหน้าแรก' }).count(), 1, `${s.name}: a way home`);
          await checkPage(page, { lang: 'th', watched });

          await page.getByRole('link', { name: 'English', exact: true }).click();
          assert.equal(new URL(page.url()).pathname, '/no/such/page', `${s.name}: the switch stays at the address`);
          assert.equal(await page.locator('h1').innerText(), 'Page not found', `${s.name}: English heading`);
          assert.equal(await page.locator('.brand').innerText(), s.en);
          await checkPage(page, { lang: 'en', watched });
          await page.getByRole('link', { name: 'Go to the home page' }).click();
          assert.equal(new URL(page.url()).pathname, '/', `${s.name}: home`);
          assert.equal(await page.evaluate(() => document.documentElement.lang), 'en', `${s.name}: still in English`);
        } finally {
          await context.close();
        }
      }
    });
  }

  test('the IdP home page leads to logging in, creating an account and help; the information pages pass the checks', async () => {
    const { context, page, watched } = await open(375);
    try {
      await page.goto(`${zone.idp.url}/?lang=en`);
      assert.equal(await page.getByRole('link', { name: 'Log in to your account' }).getAttribute('href'), '/account?lang=en');
      assert.equal(await page.getByRole('link', { name: 'Create an account' }).getAttribute('href'), '/register?lang=en');
      for (const [link, title, lang] of [['Help', 'Help', 'en'], ['Terms of use', 'Terms of use', 'en'], ['Accessibility', 'Accessibility', 'en']] as const) {
        await page.locator('footer').getByRole('link', { name: link, exact: true }).click();
        assert.equal(await page.locator('h1').innerText(), title);
        await checkPage(page, { lang, watched });
      }
      await page.goto(`${zone.idp.url}/help?lang=th`);
      assert.equal(await page.locator('h1').innerText(), 'ช่วยเหลือ');
      await checkPage(page, { lang: 'th', watched });
    } finally {
      await context.close();
    }
  });

  test("the Authen Code service's footer leads to the IdP's pages in the page's language", async () => {
    const { context, page } = await open(1280);
    try {
      await page.goto(`${zone.ac.url}/?lang=en`);
      await page.locator('footer').getByRole('link', { name: 'Accessibility', exact: true }).click();
      assert.equal(page.url(), `${zone.idp.url}/accessibility?lang=en`);
      assert.equal(await page.locator('h1').innerText(), 'Accessibility');
    } finally {
      await context.close();
    }
  });

  test('an English page loads the font too (its Thai language link is drawn with it)', async () => {
    const { context, page } = await open(375);
    try {
      await page.goto(`${zone.ac.url}/?lang=en`);
      assert.deepEqual(await thaiFontLoaded(page), { check: true, loaded: true });
    } finally {
      await context.close();
    }
  });
});
