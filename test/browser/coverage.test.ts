// The coverage pages in Chromium: a province officer in Thai at 375 px (their province, a district),
// a ministry officer (an administrator) in English at 1280 px (the country, with the ranking chart).
// Every page passes checkPage: no sideways scrolling, axe-core, the Thai font, no raw identifier, no
// CSP violation (the server-drawn SVG charts carry no inline style).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { launchBrowser, smsCode } from '../helpers/browser.ts';
import { checkPage, watchPage } from '../helpers/page_checks.ts';
import { pidWithCheckDigit, startTestServer, TEST_PERSON } from '../helpers/server.ts';
import type { RunningServer } from '../../src/idp/server.ts';

const ADMIN = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000001'), phone_number: '0867770001', phone_verified: true };
const OFFICER = { ...TEST_PERSON, pid: pidWithCheckDigit('310070000002'), phone_number: '0867770002', phone_verified: true };

describe('the coverage pages in the browser', () => {
  let server: RunningServer;
  let browser: Browser;

  before(async () => {
    server = await startTestServer(await openPglite());
    const { coverage, accounts, units } = server.app();
    await coverage.seedSyntheticCountry(mkdtempSync(path.join(os.tmpdir(), 'mpid-coverage-browser-')));
    await accounts.create(ADMIN);
    const { sub: admin } = await units.bootstrapAdmin({ pid: ADMIN.pid, operator: 'somchai', reason: 'first admin' });
    const officer = (await accounts.create(OFFICER)).sub;
    await units.grant({ sub: officer, role: 'province_officer', province: '27', by: admin, reason: 'Sa Kaeo provincial health office' });
    await coverage.reports.snapshot('2026-10-15');
    await coverage.reports.snapshot('2026-11-15');
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await server?.db.close();
  });

  async function logIn(page: Page, who: typeof ADMIN, e164: string, start: string) {
    await page.goto(`${server.url}${start}`);
    await page.locator('input[name="pid"]').fill(who.pid);
    await page.locator('input[name="password"]').fill(who.password);
    await page.locator('form[action*="/login"] button[type="submit"]').first().click();
    await page.locator('form[action*="/sms/send"] button[type="submit"]').click();
    await page.locator('input[name="code"]').fill(await smsCode(server.url, e164));
    await page.locator('form[action$="/sms"] button[type="submit"]').click();
  }

  test('a province officer in Thai at 375 px', async () => {
    const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
    const page = await context.newPage();
    const watched = watchPage(page);
    await logIn(page, OFFICER, '+66867770002', '/coverage?lang=th');
    await page.waitForURL(/\/coverage\/area\/27/);
    assert.match(await page.locator('h1').innerText(), /สระแก้ว/);
    assert.ok(await page.locator('td', { hasText: '537,792' }).count(), 'the province total as the seed gives it');
    assert.ok(await page.locator('.kpi-unmet', { hasText: 'ต่ำกว่าเป้า' }).count(), 'below target, in words');
    assert.ok(await page.locator('figure.chart svg[role="img"]').count() >= 1, 'the charts');
    await checkPage(page, { lang: 'th', watched });
    await page.getByRole('link', { name: 'เมืองสระแก้ว' }).first().click();
    await page.waitForURL(/\/coverage\/area\/2701/);
    assert.ok(await page.locator('td', { hasText: '115,793' }).count());
    await checkPage(page, { lang: 'th', watched });
    await context.close();
  });

  test('a ministry officer in English at 1280 px', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const watched = watchPage(page);
    await logIn(page, ADMIN, '+66867770001', '/coverage?lang=en');
    await page.waitForURL(/\/coverage(\?|$)/);
    assert.equal(await page.locator('tbody tr').count(), 78, '77 provinces and the total');
    assert.ok(await page.getByRole('heading', { name: /Ranking/ }).count());
    await checkPage(page, { lang: 'en', watched });
    await page.getByRole('link', { name: 'Sa Kaeo' }).first().click();
    await page.waitForURL(/\/coverage\/area\/27/);
    assert.ok(await page.locator('td', { hasText: '3,346' }).count(), 'personnel as the seed gives them');
    await checkPage(page, { lang: 'en', watched });
    await context.close();
  });
});
