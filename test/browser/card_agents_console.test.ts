// The console's card reader agents page in Chromium at 375 px, Thai and English: an administrator
// logged in at AAL 2.1 filters the agents by unit, sends a revoke form without a reason (the error
// summary is focused, the refusal beside its field), then with one (the notice; the agent is listed as
// revoked); checkPage on each page (axe, no horizontal scrolling, CSP, the Thai font, no raw identifiers).
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { consoleAdmins, startConsoleInBrowser } from '../helpers/admin_console.ts';
import type { Browser } from 'playwright-core';
import { smsCode } from '../helpers/browser.ts';
import { agentKey } from '../helpers/card_agent.ts';
import { checkPage, watchPage } from '../helpers/page_checks.ts';
import { messages } from '../../src/idp/web/messages.ts';
import type { RunningServer } from '../../src/idp/server.ts';

const ADMINS = consoleAdmins('3');
const upTo = (text: string) => text.split('{')[0]!.trim();

describe('the card reader agents page in the browser', () => {
  let server: RunningServer;
  let browser: Browser;
  const ids: string[] = [];

  let stop: () => Promise<void>;

  before(async () => {
    ({ server, browser, stop } = await startConsoleInBrowser(ADMINS, { units: true }));
    const { cardAgents } = server.app();
    for (const [hcode, name] of [['10699', 'Front desk'], ['13836', 'Ward 3'], ['13836', 'Ward 4']] as const) {
      ids.push((await cardAgents.register({ hcode, jwk: (await agentKey()).publicJwk, name, version: '1.0.0', by: 'operator:somchai' })).agentId);
    }
  });
  after(() => stop?.());

  for (const [i, lang] of (['th', 'en'] as const).entries()) {
    test(`${lang}: filter, a refused revocation with the summary focused, then revoked with a reason`, async () => {
      const w = messages[lang];
      const ADMIN = ADMINS[lang];
      const context = await browser.newContext({ viewport: { width: 375, height: 800 } });
      const page = await context.newPage();
      const watched = watchPage(page);
      const look = (o: { allow?: string[] } = {}) => checkPage(page, { lang, watched, allowIdentifiers: o.allow });
      try {
        await page.goto(`${server.url}/admin?lang=${lang}`);
        await page.getByLabel(w.pid, { exact: true }).fill(ADMIN.pid);
        await page.getByLabel(w.password, { exact: true }).fill(ADMIN.password);
        await page.getByRole('button', { name: w.logIn, exact: true }).click();
        const send = page.getByRole('button', { name: upTo(w.smsSend) });
        await send.waitFor();
        await send.click();
        await page.getByLabel(w.smsLabel).fill(await smsCode(server.url, `+66${ADMIN.phone_number.slice(1)}`));
        await page.locator('form[action$="/sms"] button[type="submit"]').click();
        await page.getByRole('link', { name: w.adminAreaCardAgents }).click();
        await page.getByRole('heading', { name: w.caListHeading, level: 2 }).waitFor();
        await look();
        assert.equal(await page.getByRole('button', { name: w.caRevoke }).count(), 3 - i, 'one form for each active agent');

        await page.getByLabel(w.caHcode).fill('13836');
        await page.getByRole('button', { name: w.caFilter }).click();
        await page.waitForURL(/hcode=13836/);
        assert.equal(await page.getByRole('button', { name: w.caRevoke }).count(), 2 - i);
        assert.ok(!(await page.content()).includes(ids[0]!), 'the other unit’s agent is not listed');

        const id = ids[1 + i]!;
        await page.locator(`form[action^="/admin/card-agents/${id}/revoke"] button`).click();
        await page.locator('#form-error').waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'form-error', 'focus on the error summary');
        assert.equal((await page.locator(`#reason-${id}-error`).innerText()).trim(), w.caReasonRequired, 'the refusal beside its field');
        await look();

        await page.locator(`#reason-${id}`).fill('PC replaced');
        await page.locator(`form[action^="/admin/card-agents/${id}/revoke"] button`).click();
        await page.getByRole('status').filter({ hasText: upTo(w.caDoneRevoked) }).waitFor();
        assert.match(await page.content(), new RegExp(upTo(w.caRevokedAt)));
        assert.ok(page.url().includes('/admin/card-agents'));
        await look();
      } finally {
        await context.close();
      }
    });
  }
});
