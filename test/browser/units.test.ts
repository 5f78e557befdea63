// The console's service units in Chromium, in Thai at 375 px and English at 1280 px: an administrator
// reaches them from the menu, searches, opens a unit, is refused without a reason (the focus on the error
// summary, the refusal beside the field), opens the service point and closes it again. Every page passes
// checkPage (no sideways scrolling, axe-core, the Thai font, no CSP violation).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleAdmins, startConsoleInBrowser } from '../helpers/admin_console.ts';
import type { Browser, Page } from 'playwright-core';
import { messages } from '../../src/idp/web/messages.ts';
import { logInToAdmin } from '../helpers/browser.ts';
import { checkPage, watchPage, type Watched } from '../helpers/page_checks.ts';
import type { RunningServer } from '../../src/idp/server.ts';

const ADMINS = consoleAdmins('4');
const WALKS = [{ lang: 'th', width: 375 }, { lang: 'en', width: 1280 }] as const;

describe('the service units pages in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  let stop: () => Promise<void>;

  before(async () => {
    ({ server, browser, stop } = await startConsoleInBrowser(ADMINS, { units: true }));
  });
  after(() => stop?.());

  const logIn = (page: Page, lang: 'th' | 'en') => logInToAdmin(page, server.url, ADMINS[lang], lang);

  for (const { lang, width } of WALKS) {
    test(`find a unit, refuse without a reason, open and close its service point (${lang}, ${width} px)`, async () => {
      const w = messages[lang];
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const watched: Watched = watchPage(page);
      const look = async (heading?: string) => {
        await page.waitForLoadState('load');
        if (heading) assert.equal((await page.locator('main h1').innerText()).trim(), heading);
        await checkPage(page, { lang, watched });
        return page.locator('main').innerText();
      };
      try {
        await logIn(page, lang);
        await page.getByRole('link', { name: w.unNav }).click();
        const list = await look(w.unTitle);
        assert.ok(list.includes('13836') && list.includes('10699'));
        await page.getByLabel(w.unSearch, { exact: true }).fill('13836');
        await page.getByRole('button', { name: w.unFind }).click();
        const found = await look(w.unTitle);
        assert.ok(found.includes('13836') && !found.includes('10699'));
        await page.getByRole('link', { name: `${w.unOpen} 13836` }).click();
        await look();
        const button = page.getByRole('button', { name: w.unOpenButton });
        await button.click();
        await page.locator('#form-error').waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'form-error', 'focus on the error summary');
        assert.equal(await page.locator('#reason-error').innerText(), w.unErr_reasonRequired);
        await look();
        await page.getByLabel(w.unReason, { exact: true }).fill('digital ID counter');
        await page.getByRole('button', { name: w.unOpenButton }).click();
        await page.getByRole('status').filter({ hasText: w.unOpened.replace('{hcode}', '13836') }).waitFor();
        await look();
        await page.getByLabel(w.unReason, { exact: true }).fill('moved');
        await page.getByRole('button', { name: w.unCloseButton }).click();
        await page.getByRole('status').filter({ hasText: w.unClosed.replace('{hcode}', '13836') }).waitFor();
        await look();
      } finally {
        await context.close();
      }
    });
  }
});
