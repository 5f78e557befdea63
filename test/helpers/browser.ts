// Debian's Chromium driven by playwright-core (never a downloaded browser), plus what browser tests
// need around it: the relying party's redirect caught in the browser, the test-zone SMS outbox, and a
// virtual WebAuthn authenticator.
import { writeFileSync } from 'node:fs';
import sharp from 'sharp';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export function launchBrowser(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    // without the background-networking flags Chromium keeps calling out of this closed network
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', ...extraArgs],
  });
}

/** A Y4M video file that shows one still image (white around it): Chromium's fake camera plays it. */
export async function stillVideo(png: Buffer, file: string, width = 640, height = 480): Promise<void> {
  const side = Math.min(width, height) - 80;
  const luma = await sharp({ create: { width, height, channels: 3, background: '#ffffff' } })
    .composite([{ input: await sharp(png).resize(side, side, { kernel: 'nearest' }).toBuffer(), gravity: 'centre' }])
    .greyscale().raw().toColourspace('b-w').toBuffer();
  const chroma = Buffer.alloc((width / 2) * (height / 2) * 2, 128);
  const frame = Buffer.concat([Buffer.from('FRAME\n'), luma, chroma]);
  writeFileSync(file, Buffer.concat([Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`), frame, frame]));
}

/** Resolves with the full callback URL when the browser is sent to the relying party's redirect URI. */
export async function catchRedirect(context: BrowserContext, redirectUri: string): Promise<() => Promise<string>> {
  let resolve!: (url: string) => void;
  let promise = new Promise<string>((r) => (resolve = r));
  await context.route(`${redirectUri}**`, async (route) => {
    resolve(route.request().url());
    await route.fulfill({ status: 200, contentType: 'text/html', body: '<!doctype html><title>RP</title><p>back at the relying party</p>' });
  });
  return async () => {
    const url = await promise;
    promise = new Promise<string>((r) => (resolve = r));
    return url;
  };
}

export async function smsCode(serverUrl: string, e164: string): Promise<string> {
  const list = (await (await fetch(`${serverUrl}/test-zone/sms?to=${encodeURIComponent(e164)}`)).json()) as Array<{ text: string }>;
  return list[0]!.text.match(/\b(\d{6})\b/)![1]!;
}

/** A CTAP2 platform authenticator with user verification, attached to the page. */
export async function addVirtualAuthenticator(page: Page): Promise<void> {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: { protocol: 'ctap2', transport: 'internal', hasResidentKey: true, hasUserVerification: true, isUserVerified: true, automaticPresenceSimulation: true },
  });
}

/** Fills the Thai login form (the pages' default language). */
export async function logInThai(page: Page, pid: string, password: string): Promise<void> {
  await page.getByLabel('เลขประจำตัวประชาชน').fill(pid);
  await page.getByLabel('รหัสผ่าน').fill(password);
  await page.getByRole('button', { name: 'เข้าสู่ระบบ', exact: true }).click();
}

/** Logs in at /admin in the browser: password, then the test zone's SMS code (AAL 2.1). */
export async function logInToAdmin(page: Page, serverUrl: string, who: { pid: string; password: string; phone_number: string }, lang: 'th' | 'en'): Promise<void> {
  await page.goto(`${serverUrl}/admin?lang=${lang}`);
  await page.locator('input[name="pid"]').fill(who.pid);
  await page.locator('input[name="password"]').fill(who.password);
  await page.locator('form[action*="/login"] button[type="submit"]').first().click();
  await page.locator('form[action*="/sms/send"] button[type="submit"]').click();
  await page.locator('input[name="code"]').fill(await smsCode(serverUrl, `+66${who.phone_number.slice(1)}`));
  await page.locator('form[action$="/sms"] button[type="submit"]').click();
}
