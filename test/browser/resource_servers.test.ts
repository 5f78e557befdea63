// The console's resource servers in Chromium, in Thai at 375 px and English at 1280 px: an administrator
// reaches them from the menu, a refused registration puts the focus on the error summary with the refusal
// beside its field, a registered one is disabled with a reason and enabled again. Every page passes
// checkPage (no sideways scrolling with long identifiers, axe-core, the Thai font, no CSP violation).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleAdmins, startConsoleInBrowser } from '../helpers/admin_console.ts';
import type { Browser, Page } from 'playwright-core';
import { messages } from '../../src/idp/web/messages.ts';
import { logInToAdmin } from '../helpers/browser.ts';
import { checkPage, watchPage, type Watched } from '../helpers/page_checks.ts';
import type { RunningServer } from '../../src/idp/server.ts';

const ADMINS = consoleAdmins('3');
const WALKS = [{ lang: 'th', width: 375 }, { lang: 'en', width: 1280 }] as const;

describe('the resource servers pages in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  let stop: () => Promise<void>;

  before(async () => {
    ({ server, browser, stop } = await startConsoleInBrowser(ADMINS));
  });
  after(() => stop?.());

  const logIn = (page: Page, lang: 'th' | 'en') => logInToAdmin(page, server.url, ADMINS[lang], lang);

  for (const { lang, width } of WALKS) {
    test(`register, refuse, disable and enable (${lang}, ${width} px)`, async () => {
      const w = messages[lang];
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      const watched: Watched = watchPage(page);
      const identifier = `https://laboratory-results-${lang}.moph.example.go.th/api/v1/observations`;
      const look = async (heading: string) => {
        await page.waitForLoadState('load');
        assert.equal((await page.locator('main h1').innerText()).trim(), heading);
        await checkPage(page, { lang, watched, allowIdentifiers: ['lab.read', 'lab.write'] });
        return page.locator('main').innerText();
      };
      try {
        await logIn(page, lang);
        await page.getByRole('link', { name: w.rsNav }).click();
        const list = await look(w.rsTitle);
        assert.ok(list.includes(`${server.url}/admin/api`) && list.includes(w.rsBuiltIn), 'the built-in ones listed');

        await page.getByLabel(w.rsIdentifier, { exact: true }).fill('lab results');
        await page.getByLabel(w.rsScope, { exact: true }).fill('lab.read lab.write');
        await page.getByRole('button', { name: w.rsRegister }).click();
        await page.locator('#form-error').waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'form-error', 'focus on the error summary');
        assert.equal(await page.locator('#identifier-error').innerText(), w.rsErr_identifier);
        await look(w.rsTitle);

        await page.getByLabel(w.rsIdentifier, { exact: true }).fill(identifier);
        await page.getByRole('button', { name: w.rsRegister }).click();
        await page.getByRole('status').filter({ hasText: w.rsRegistered }).waitFor();
        await look(w.rsEditTitle);

        await page.getByLabel(w.rsReason, { exact: true }).fill('retired');
        await page.getByRole('button', { name: w.rsDisable }).click();
        await page.getByRole('status').filter({ hasText: w.rsDisabledDone }).waitFor();
        const off = await look(w.rsEditTitle);
        assert.ok(off.includes(w.rsDisabled));
        await page.getByLabel(w.rsReason, { exact: true }).fill('back');
        await page.getByRole('button', { name: w.rsEnable }).click();
        await page.getByRole('status').filter({ hasText: w.rsEnabledDone }).waitFor();
        await look(w.rsEditTitle);

        await page.getByRole('link', { name: w.rsBackToList }).click();
        const after = await look(w.rsTitle);
        assert.ok(after.includes(identifier));
      } finally {
        await context.close();
      }
    });
  }
});
