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

  test('forms: after a failed submit the error summary has the focus and its links move it to the field; passwords can be shown', async () => {
    const { context, page, watched } = await open(375);
    try {
      await page.goto(`${zone.idp.url}/register?lang=en`);
      await page.locator('form[action="/register"] button[type="submit"]').click();
      await page.waitForURL(`${zone.idp.url}/register`);
      const summary = page.locator('.error-summary');
      assert.ok(await summary.evaluate((el) => el === document.activeElement), 'the summary has the focus');
      assert.equal(await summary.getAttribute('role'), 'alert');
      await summary.getByRole('link').first().click();
      const first = (await summary.getByRole('link').first().getAttribute('href'))!.slice(1);
      assert.equal(await page.evaluate(() => document.activeElement?.id), first, 'the link moved the focus to its field');

      const password = page.locator('#password');
      await password.fill('correct horse battery');
      const toggle = page.locator('button.password-toggle[aria-controls="password"]');
      assert.equal(await toggle.innerText(), 'Show password');
      await toggle.click();
      assert.equal(await password.getAttribute('type'), 'text');
      assert.equal(await toggle.innerText(), 'Hide password');
      assert.equal(await password.inputValue(), 'correct horse battery');
      await toggle.click();
      assert.equal(await password.getAttribute('type'), 'password');
      await checkPage(page, { lang: 'en', watched });
    } finally {
      await context.close();
    }
  });

  test('without JavaScript the password field is a plain password field and the page still works', async () => {
    const context = await browser.newContext({ viewport: { width: 320, height: 800 }, javaScriptEnabled: false });
    try {
      const page = await context.newPage();
      await page.goto(`${zone.idp.url}/register?lang=th`);
      assert.equal(await page.locator('#password').getAttribute('type'), 'password');
      assert.equal(await page.locator('button.password-toggle').count(), 0);
      assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth), 'fits 320 px');
    } finally {
      await context.close();
    }
  });

  test('at 320 px a wide table scrolls inside its wrapper, never the page', async () => {
    const { context, page } = await open(320);
    try {
      await page.goto(`${zone.idp.url}/help?lang=th`);
      await page.locator('main').evaluate((main) => {
        const cells = Array.from({ length: 12 }, (_, i) => `<td>คอลัมน์ที่ ${i + 1} ข้อมูลยาว</td>`).join('');
        main.insertAdjacentHTML('beforeend', `<div class="table-wrap" role="region" aria-label="ตาราง" tabindex="0"><table><tr>${cells}</tr></table></div>`);
      });
      const sizes = await page.evaluate(() => {
        const wrap = document.querySelector('.table-wrap')!;
        return { page: document.documentElement.scrollWidth, window: innerWidth, inside: wrap.scrollWidth, wrap: wrap.clientWidth };
      });
      assert.ok(sizes.inside > sizes.wrap, `the table is wider than its wrapper (${sizes.inside} > ${sizes.wrap})`);
      assert.ok(sizes.page <= sizes.window, `the page does not scroll sideways (${sizes.page} <= ${sizes.window})`);
    } finally {
      await context.close();
    }
  });

  test('over HTTP: fonts and fingerprinted files cached a year, font-src self, the 404 page for browsers only, protocol errors unchanged', async () => {
    for (const s of services()) {
      const home = await fetch(`${s.url}/?lang=th`, { headers: { accept: 'text/html' } });
      assert.equal(home.status, 200, s.name);
      assert.match(home.headers.get('content-security-policy')!, /default-src 'self'; script-src 'self'; style-src 'self'; font-src 'self';/);
      const html = await home.text();
      const css = html.match(/href="(\/static\/app\.css\?v=[0-9a-f]+)"/)![1]!;
      const sheet = await fetch(`${s.url}${css}`);
      assert.equal(sheet.headers.get('cache-control'), 'public, max-age=31536000, immutable', `${s.name}: app.css`);
      const font = (await sheet.text()).match(/url\("(\/static\/fonts\/sarabun-thai-400-normal\.woff2\?v=[0-9a-f]+)"\)/)![1]!;
      const woff2 = await fetch(`${s.url}${font}`);
      assert.equal(woff2.headers.get('content-type'), 'font/woff2', s.name);
      assert.equal(woff2.headers.get('cache-control'), 'public, max-age=31536000, immutable', `${s.name}: font`);
      const logo = await fetch(`${s.url}/static/logo.svg`);
      assert.equal(logo.headers.get('content-type'), 'image/svg+xml');

      const missing = await fetch(`${s.url}/nope?lang=en`, { headers: { accept: 'text/html,application/xhtml+xml' } });
      assert.equal(missing.status, 404);
      assert.match(missing.headers.get('content-type')!, /^text\/html/);
      assert.match(await missing.text(), /<h1>Page not found<\/h1>/);
    }
    // the IdP: a client that does not ask for HTML keeps the plain 404, the protocol its JSON errors
    const plain = await fetch(`${zone.idp.url}/nope`);
    assert.equal(plain.status, 404);
    assert.equal(await plain.text(), 'Not Found');
    const token = await fetch(`${zone.idp.url}/token`, { method: 'POST', headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' }, body: 'grant_type=authorization_code' });
    assert.equal(token.status, 400);
    assert.equal(((await token.json()) as { error: string }).error, 'invalid_request');
    // the Authen Code API answers in its own JSON shape, unknown paths included
    const api = await fetch(`${zone.ac.url}/api/nope`, { headers: { accept: 'text/html' } });
    assert.equal(api.status, 404);
    assert.match(api.headers.get('content-type')!, /json/);
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
