// The four journeys of issue 13 in Chromium, each in Thai at 375 px and in English at 1280 px: a citizen
// registers on the way to a relying party (openid-client on the other end), a member of staff confirms a
// visit on the Authen Code service, a verifier uses the console (search, photo queue, unit page), an
// administrator uses /admin. Every page on the way passes checkPage (no sideways scrolling, no serious or
// critical axe-core violation, the Thai font on Thai pages, no raw identifier, no CSP violation), and
// each walk asserts what a person reads there: headings, words, times in Bangkok time (a time known in
// UTC shown 7 hours later) and Buddhist-era years on Thai pages.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { openPglite } from '../../src/kernel/db/index.ts';
import { messages } from '../../src/idp/web/messages.ts';
import { acMessages } from '../../src/authencode/web/messages.ts';
import { addVirtualAuthenticator, catchRedirect, launchBrowser, smsCode } from '../helpers/browser.ts';
import { checkPage, watchPage, type Watched } from '../helpers/page_checks.ts';
import { seedJourneys, type Journeys } from '../helpers/journeys.ts';

type Lang = 'th' | 'en';
const WALKS = [{ lang: 'th', width: 375 }, { lang: 'en', width: 1280 }] as const;
const REDIRECT = 'https://rp.example.test/cb';

/** HH:MM in Bangkok (UTC+7, no daylight saving) for every minute from `from` to `to`, worked out by hand. */
function bangkokMinutes(from: number, to: number): string[] {
  const out: string[] = [];
  for (let at = from - 60_000; at <= to + 60_000; at += 60_000) out.push(new Date(at + 7 * 3600_000).toISOString().slice(11, 16));
  return out;
}
/** The year a person reads: Buddhist era (+543) on Thai pages, of the day in Bangkok. */
const yearShown = (at: number, lang: Lang) => String(new Date(at + 7 * 3600_000).getUTCFullYear() + (lang === 'th' ? 543 : 0));

function assertBangkokTime(text: string, from: number, to: number, what: string) {
  const times = bangkokMinutes(from, to);
  assert.ok(times.some((hm) => text.includes(hm)), `${what}: a Bangkok time (${times.join(' or ')}) in ${JSON.stringify(text.slice(0, 600))}`);
}

describe('the journeys in the browser, in Thai at 375 px and English at 1280 px', { concurrency: true }, () => {
  let j: Journeys;
  let browser: Browser;
  let rp: oidc.Configuration;
  /** the doctor's browser for each language: the verifier walk logs in, the staff walk goes on in it */
  const doctorWalks: Partial<Record<Lang, Walk>> = {};

  before(async () => {
    j = await seedJourneys(await openPglite());
    browser = await launchBrowser();
    rp = await oidc.discovery(new URL(j.zone.idp.url), j.client.client_id, j.client.client_secret, undefined, { execute: [oidc.allowInsecureRequests] });
  });
  after(async () => {
    for (const x of Object.values(doctorWalks)) await x.context.close();
    await browser?.close();
    await j?.zone.close();
    await j?.zone.idp.db.close();
  });

  interface Walk { page: Page; context: BrowserContext; watched: Watched; lang: Lang; look(heading?: string, o?: { wide?: boolean }): Promise<string> }
  async function walk(lang: Lang, width: number): Promise<Walk> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    const watched = watchPage(page);
    return {
      page, context, watched, lang,
      /** checkPage on the page as it is now; returns the main text */
      async look(heading?: string, o: { wide?: boolean } = {}) {
        await page.waitForLoadState('load');
        if (heading !== undefined) assert.equal((await page.locator('main h1').innerText()).trim(), heading, `${page.url()}: the heading`);
        // a console page takes the wide column (72rem) on a wide screen; the narrow one is 34rem
        if (o.wide && width >= 1280) assert.ok((await page.locator('main').evaluate((m) => m.getBoundingClientRect().width)) > 1000, `${page.url()}: the wide column`);
        await checkPage(page, { lang, watched });
        return page.locator('main').innerText();
      },
    };
  }
  const w = (lang: Lang) => messages[lang];
  const ac = (lang: Lang) => acMessages[lang];
  const upTo = (text: string) => text.split('{')[0]!.trim();

  /** The IdP's login at AAL 2.1: password, then the SMS code; every page checked. */
  async function logInWithSms(x: Walk, who: { pid: string; password: string; e164: string }) {
    const { page, lang } = x;
    await x.look(w(lang).loginTitle);
    await page.getByLabel(w(lang).pid, { exact: true }).fill(who.pid);
    await page.getByLabel(w(lang).password, { exact: true }).fill(who.password);
    await page.getByRole('button', { name: w(lang).logIn, exact: true }).click();
    const send = page.getByRole('button', { name: upTo(w(lang).smsSend) });
    await send.waitFor();
    await x.look();
    await send.click();
    await page.getByLabel(w(lang).smsLabel).fill(await smsCode(j.zone.idp.url, who.e164));
    await x.look();
    await page.locator('form[action$="/sms"] button[type="submit"]').click();
  }

  // the two languages walk side by side (their people differ); each language's four walks in order
  for (const { lang, width } of WALKS) describe(`in ${lang === 'th' ? 'Thai' : 'English'} at ${width} px`, { concurrency: 1 }, () => {
    test(`a citizen registers on the way to a relying party and arrives logged in (${lang}, ${width} px)`, async () => {
      const x = await walk(lang, width);
      const { page } = x;
      const callback = await catchRedirect(x.context, REDIRECT);
      try {
        const who = j.newcomer(lang);
        await page.goto(oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid profile', state: 'st', ui_locales: lang }).toString());
        await x.look(w(lang).loginTitle);
        await page.getByRole('link', { name: w(lang).createAccount }).click();

        await x.look(w(lang).registerTitle);
        await page.getByLabel(w(lang).pid, { exact: true }).fill(who.pid);
        await page.getByLabel(w(lang).givenNameTh).fill('กมล');
        await page.getByLabel(w(lang).familyNameTh).fill('ใจดี');
        await page.getByLabel(w(lang).birthDay, { exact: true }).fill('9');
        await page.getByLabel(w(lang).birthMonth, { exact: true }).selectOption('8');
        await page.getByLabel(w(lang).birthYear, { exact: true }).fill('2535');
        await page.getByLabel(w(lang).phone, { exact: true }).fill(who.phone);
        await page.getByLabel(w(lang).newPassword).fill(who.password);
        await page.getByLabel(w(lang).confirmPassword).fill(who.password);
        await page.getByLabel(w(lang).privacyAccept).check();
        await x.look();
        await page.getByRole('button', { name: w(lang).registerSubmit }).click();

        await page.getByLabel(w(lang).otpCode).waitFor();
        assert.ok((await x.look(w(lang).verifyTitle)).includes(lang === 'th' ? 'รหัส 6 หลัก' : '6-digit code'));
        await page.getByLabel(w(lang).otpCode).fill(await smsCode(j.zone.idp.url, who.e164));
        await page.getByLabel(w(lang).otpCode).press('Enter');

        // registered and logged in: the consent, in words, with no password asked again
        await page.getByRole('status').filter({ hasText: w(lang).registeredBody }).waitFor();
        const consent = await x.look(w(lang).consentTitle);
        assert.ok(consent.includes(w(lang).scope_profile), 'the consent list in words');
        assert.equal(await page.getByLabel(w(lang).password, { exact: true }).count(), 0);
        const registeredAt = Date.now();
        await page.getByRole('button', { name: w(lang).allow, exact: true }).click();
        const tokens = await oidc.authorizationCodeGrant(rp, new URL(await callback()), { expectedState: 'st', idTokenExpected: true });
        assert.equal(tokens.claims()!.acr, 'urn:th:etda:aal:1');
        assert.equal(tokens.claims()!.sub, (await j.zone.idp.app().accounts.findByPid(who.pid))!.sub);
        await page.waitForURL(`${REDIRECT}**`);

        // their account: the activity in words, in Bangkok time, the Buddhist era on the Thai page
        await page.goto(`${j.zone.idp.url}/account/privacy`);
        const privacy = await x.look();
        assertBangkokTime(privacy, registeredAt - 120_000, Date.now(), 'the activity list');
        assert.ok(privacy.includes(yearShown(registeredAt, lang)), `the year as ${yearShown(registeredAt, lang)}`);
        assert.ok(privacy.includes(lang === 'th' ? 'เข้าสู่ระบบ' : 'Logged in'), 'the login in words');

        // a passkey, then the same device again: the browser's refusal in the page's words (#passkey-texts)
        await addVirtualAuthenticator(page);
        await page.goto(`${j.zone.idp.url}/account/security`);
        await x.look();
        await page.getByLabel(w(lang).passkeyNewName).fill(lang === 'th' ? 'โทรศัพท์ของฉัน' : 'My phone');
        await page.getByRole('button', { name: w(lang).passkeyAdd }).click();
        await page.getByRole('status').filter({ hasText: w(lang).passkeyAdded }).waitFor();
        await page.getByRole('button', { name: w(lang).passkeyAdd }).click();
        await page.locator('[data-passkey-error]').filter({ hasText: w(lang).passkeyAlreadyHere }).waitFor();
        await x.look();
      } finally {
        await x.context.close();
      }
    });

    test(`a verifier uses the console: search, photo queue, unit page (${lang}, ${width} px)`, async () => {
      const x = await walk(lang, width);
      doctorWalks[lang] = x;
      const { page } = x; // left open for the staff walk
      await page.goto(`${j.zone.idp.url}/verifier?lang=${lang}`);
      await logInWithSms(x, j.doctors[lang]); // the login page in the language asked for
      await page.getByLabel(w(lang).verifierSearchReason).waitFor();
      await x.look(w(lang).verifierTitle, { wide: true });
      const nav = page.getByRole('navigation', { name: w(lang).verifierTitle });
      for (const link of [w(lang).verifierNavSearch, w(lang).verifierNavQueue, w(lang).verifierNavUnit]) assert.equal(await nav.getByRole('link', { name: link }).count(), 1, link);

      await page.getByLabel(w(lang).pid, { exact: true }).fill(j.citizen.pid);
      await page.getByLabel(w(lang).verifierSearchReason).fill(lang === 'th' ? 'ยืนยันตัวตนที่เคาน์เตอร์' : 'At the counter');
      await page.getByRole('button', { name: w(lang).verifierSearch, exact: true }).click();
      await page.getByRole('heading', { name: w(lang).verifierPersonHeading, exact: true }).waitFor();
      const found = await x.look();
      assert.ok(found.includes(`${j.citizen.given_name} ${j.citizen.family_name}`), 'the person found');
      assert.ok(found.includes(w(lang).verifierCurrentLevel), 'their level');

      await nav.getByRole('link', { name: w(lang).verifierNavQueue }).click();
      const queue = await x.look(w(lang).queueTitle, { wide: true });
      assert.ok(queue.includes(`${j.photoPerson.given_name} ${j.photoPerson.family_name}`), 'the submission waiting');
      assert.ok(queue.includes(w(lang).verifierCurrentLevel), 'the applicant’s current level');
      assertBangkokTime(queue, j.photoAt - 5_000, j.photoAt + 5_000, 'the submission time');
      assert.ok(queue.includes(yearShown(j.photoAt, lang)), `the year as ${yearShown(j.photoAt, lang)}`);

      await page.getByRole('navigation', { name: w(lang).verifierTitle }).getByRole('link', { name: w(lang).verifierNavUnit }).click();
      const unit = await x.look(w(lang).unitAdminTitle, { wide: true });
      assert.ok(unit.includes(j.doctors.th.name) && unit.includes(j.doctors.en.name), 'the unit’s verifier listed');
      assert.ok(unit.includes(j.agentName), 'the card reader agent listed');
      assert.ok(unit.includes(yearShown(Date.now(), lang)), 'dates in the page’s era');

      // appointing someone who is not health personnel: refused, in the page's language
      await page.locator('#pid').fill(j.citizen.pid);
      await page.locator('#reason').fill(lang === 'th' ? 'ช่วยงานเคาน์เตอร์' : 'Counter help');
      await page.getByRole('button', { name: w(lang).unitAdminAppoint }).click();
      const refused = await x.look(w(lang).unitAdminTitle);
      assert.ok(refused.includes(w(lang).roleWhy_verifierNotPersonnel), `the refusal in words: ${refused.slice(0, 400)}`);

      const askedAt = Date.now();
      await page.getByRole('button', { name: w(lang).agentPairingCreate }).click();
      await page.locator('#pairing-code').waitFor();
      const pairing = await x.look();
      assert.match((await page.locator('#pairing-code').innerText()).trim(), /^[A-Z0-9]{4}-[A-Z0-9]{4}$/);
      assertBangkokTime(pairing, askedAt + 10 * 60_000, Date.now() + 10 * 60_000, 'the pairing code’s expiry');
    });

    test(`a member of staff confirms a visit on the Authen Code service (${lang}, ${width} px)`, async () => {
      // logged out, the language asked for goes with the person to the IdP's login
      const toLogin = await fetch(`${j.zone.ac.url}/staff?lang=${lang}`, { redirect: 'manual' });
      assert.match(toLogin.headers.get('location') ?? '', new RegExp(`[?&]lang=${lang}\\b`));
      // the doctor's browser from the verifier walk: logged in at the IdP at AAL 2.1 already
      const x = doctorWalks[lang] ?? (await walk(lang, width));
      const { page } = x;
      try {
        await page.goto(`${j.zone.ac.url}/staff?lang=${lang}`);
        if (!doctorWalks[lang]) await logInWithSms(x, j.doctors[lang]);
        const allow = page.getByRole('button', { name: w(lang).allow, exact: true });
        const chooser = page.getByLabel(ac(lang).staffChooseUnit);
        const patient = page.getByLabel(ac(lang).staffPatientPid);
        const first = () => Promise.race([allow.waitFor().then(() => 'allow'), chooser.waitFor().then(() => 'chooser'), patient.waitFor().then(() => 'patient')]);
        let at = await first();
        if (at === 'allow') {
          await x.look(w(lang).consentTitle);
          await allow.click();
          at = await first();
        }
        if (at === 'chooser') {
          await x.look(ac(lang).staffChooseUnit);
          await chooser.selectOption('10699');
          await page.getByRole('button', { name: ac(lang).staffChoose, exact: true }).click();
        }
        await patient.waitFor();
        await x.look(ac(lang).staffTitle, { wide: true });
        await page.getByLabel(ac(lang).staffPatientPid).fill(j.patients[lang]);
        await page.getByRole('button', { name: ac(lang).staffCheck }).click();

        await page.getByLabel(ac(lang).methodCert).check();
        await x.look();
        await page.getByLabel(ac(lang).certifierPid).fill(j.certifierPid);
        await page.getByLabel(ac(lang).certifierName).fill('มานี ใจดี');
        await page.getByLabel(ac(lang).certifierRelationship).selectOption('guardian');
        await page.getByLabel(ac(lang).certReason).fill(lang === 'th' ? 'ผู้ป่วยเด็ก ไม่มีบัตร' : 'A child without a card');
        await page.getByLabel(/^PG0060001 /).check();
        await page.getByLabel(ac(lang).visitMobile).fill('0812223333');
        const confirmedFrom = j.zone.now();
        await page.getByRole('button', { name: ac(lang).confirmNow }).click();

        const code = (await page.locator('.authen-code').first().innerText()).trim();
        assert.match(code, /^PP\d{10}$/);
        await x.look();
        await page.getByRole('link', { name: ac(lang).visitDetail }).first().click();
        const detail = await x.look();
        assert.ok(detail.includes(code), 'the visit shows its code');
        assertBangkokTime(detail, confirmedFrom, j.zone.now(), 'the visit time');
        assert.ok(detail.includes(yearShown(confirmedFrom, lang)), `the year as ${yearShown(confirmedFrom, lang)}`);
        assert.ok(detail.includes(lang === 'th' ? 'ผู้รับรองยืนยันตัวตนให้' : 'certifier'), 'the method in words');

        await page.goto(`${j.zone.ac.url}/staff/visits`);
        await x.look(ac(lang).searchTitle);
        await page.locator('form.search-filters button[type="submit"]').click(); // every filter at "all"
        await page.waitForURL(/\/staff\/visits\?/);
        assert.ok((await x.look(ac(lang).searchTitle)).includes(code), 'the visit in the list');
      } finally {
        await x.context.close();
        delete doctorWalks[lang];
      }
    });

    test(`an administrator uses /admin: evidence, units, the audit log (${lang}, ${width} px)`, async () => {
      const x = await walk(lang, width);
      const { page } = x;
      try {
        await page.goto(`${j.zone.idp.url}/admin?lang=${lang}`);
        await logInWithSms(x, j.admins[lang]);
        await page.getByRole('heading', { name: w(lang).adminAuditHeading }).waitFor();
        const home = await x.look(w(lang).adminTitle, { wide: true });
        for (const h of [w(lang).adminEvidenceHeading, w(lang).adminUnitsHeading, w(lang).adminAuditHeading]) assert.ok(await page.getByRole('heading', { name: h, exact: true }).isVisible(), h);
        // the operator's grant made before the walks, in words, in Bangkok time
        assert.ok(home.includes(w(lang).audit_role_granted), 'the audit actions in words');
        assertBangkokTime(home, j.seededAt - 60_000, j.seededAt + 60_000, 'the audit log');
        assert.ok(home.includes(yearShown(j.seededAt, lang)), `the year as ${yearShown(j.seededAt, lang)}`);

        await page.locator('#evidence_pid').fill(j.citizen.pid);
        await page.locator('#evidence_reason').fill(lang === 'th' ? 'ตรวจสอบเรื่องร้องเรียน' : 'A complaint');
        await page.getByRole('button', { name: w(lang).adminEvidenceLookup }).click();
        await page.getByRole('button', { name: w(lang).adminRevoke }).first().waitFor();
        const evidence = await x.look(w(lang).adminTitle);
        assert.ok(evidence.includes(lang === 'th' ? 'ทะเบียนราษฎร' : 'civil register'), 'the method in words');

        await page.locator('#ua_pid').fill(j.citizen.pid);
        await page.locator('#ua_hcode').fill('99999');
        await page.locator('#ua_reason').fill(lang === 'th' ? 'ผู้อำนวยการ' : 'Director');
        await page.getByRole('button', { name: w(lang).adminAppointUnitAdmin }).click();
        const refusal = page.locator('#form-error');
        await refusal.waitFor();
        assert.equal(await refusal.innerText(), w(lang).adminRefused.replace('{why}', w(lang).roleWhy_unknownUnit.replace('{unit}', '99999')));
        await x.look(w(lang).adminTitle);

        await page.locator('#sp_hcode').fill('10699');
        await page.getByRole('button', { name: w(lang).adminServicePointOn }).click();
        await page.getByRole('status').filter({ hasText: w(lang).adminDone }).waitFor();
        await x.look(w(lang).adminTitle);

        // a relying party registered in the console, and a login through it (openid-client checks the tokens)
        await page.getByRole('link', { name: w(lang).rpNav }).click();
        await x.look(w(lang).rpListTitle, { wide: true });
        await page.getByRole('link', { name: w(lang).rpNew }).click();
        await x.look(w(lang).rpFormTitleNew, { wide: true });
        const clinic = lang === 'th' ? 'คลินิกชุมชนสระแก้ว' : 'Sa Kaeo community clinic';
        await page.getByLabel(w(lang).rpName, { exact: true }).fill(clinic);
        await page.getByLabel(w(lang).rpRedirectUris, { exact: true }).fill('not a URL');
        await page.getByRole('button', { name: w(lang).rpRegister }).click();
        await page.locator('#form-error').waitFor();
        assert.equal(await page.evaluate(() => document.activeElement?.id), 'form-error', 'focus on the error summary');
        assert.ok(await page.locator('#redirect_uris-error').isVisible(), 'the refusal beside its field');
        await x.look(w(lang).rpFormTitleNew);
        await page.getByLabel(w(lang).rpRedirectUris, { exact: true }).fill(REDIRECT);
        await page.getByRole('button', { name: w(lang).rpRegister }).click();
        await page.locator('#client-secret').waitFor();
        await x.look(w(lang).rpRegistered, { wide: true });
        const clientId = (await page.locator('#client-id').innerText()).trim();
        const secret = (await page.locator('#client-secret').innerText()).trim();
        const clinicRp = await oidc.discovery(new URL(j.zone.idp.url), clientId, secret, undefined, { execute: [oidc.allowInsecureRequests] });
        const back = await catchRedirect(x.context, REDIRECT);
        await page.goto(oidc.buildAuthorizationUrl(clinicRp, { redirect_uri: REDIRECT, scope: 'openid profile', state: 'rp', ui_locales: lang }).toString());
        const consent = await x.look(w(lang).consentTitle);
        assert.ok(consent.includes(clinic), 'the consent names the clinic');
        await page.getByRole('button', { name: w(lang).allow, exact: true }).click();
        const callback = new URL(await back());
        // the browser is still arriving at the relying party; a new navigation now would race it
        await page.waitForURL(`${REDIRECT}**`);
        const tokens = await oidc.authorizationCodeGrant(clinicRp, callback, { expectedState: 'rp', idTokenExpected: true });
        assert.equal(tokens.claims()!.aud, clientId);
        await page.goto(`${j.zone.idp.url}/admin/relying-parties?lang=${lang}`);
        const list = await x.look(w(lang).rpListTitle);
        assert.ok(list.includes(clinic) && list.includes(w(lang).rpPeopleCount.replace('{count}', '1')), 'listed, with the one person who granted it access');
      } finally {
        await x.context.close();
      }
    });
  });
});
