// What every page a person sees must be, checked in Chromium by any browser test: no horizontal
// scrolling, no serious or critical axe-core violation, the Thai web font loaded on a Thai page, no
// raw identifier (snake_case, dotted event names, unfilled {placeholders}) in the main text, and no
// Content-Security-Policy violation or script error. `watchPage` before the first navigation.
import assert from 'node:assert/strict';
import { AxeBuilder } from '@axe-core/playwright';
import type { Page } from 'playwright-core';

export const FONT_FAMILY = 'Sarabun';

/** Whether the Sarabun face with the Thai range has loaded and can draw Thai text at 16px. */
export async function thaiFontLoaded(page: Page): Promise<{ check: boolean; loaded: boolean }> {
  return page.evaluate(async (family) => {
    const loaded = () =>
      [...document.fonts].some((f) => f.family.replace(/["']/g, '') === family && f.status === 'loaded' && /U\+E01-E5B|U\+0E01-0E5B/i.test(f.unicodeRange));
    // Chromium starts a face's download at the first layout that needs it, and fonts.ready says nothing
    // of a face not yet asked for: on a busy machine this could run before that layout. So wait, frame
    // by frame and up to 5 s, for the page itself to load the face.
    const until = performance.now() + 5000;
    while (!loaded() && performance.now() < until) await new Promise((frame) => requestAnimationFrame(frame));
    await document.fonts.ready;
    return { check: document.fonts.check(`16px ${family}`, 'ทดสอบ'), loaded: loaded() };
  }, FONT_FAMILY);
}

/** Lower-case identifiers a person should never read: foo_bar, consent.granted, {name}. */
const IDENTIFIER = /(?<![\w@/.-])[a-z][a-z0-9]*(?:[._][a-z0-9]+)+(?![\w@/-])|\{\w+\}/g;
/** Endings that make a dotted word a host name or a file, not an identifier. */
const NOT_IDENTIFIER = /\.(?:com|org|net|go\.th|or\.th|th|test|local|localhost|json|csv|js|css|svg|png|jpg|jpeg|pdf)$/;

/** The raw identifiers in a text (URLs and e-mail addresses left out). */
export function rawIdentifiers(text: string, allow: string[] = []): string[] {
  const plain = text.replace(/\bhttps?:\/\/\S+/g, ' ').replace(/\S+@\S+/g, ' ');
  return [...plain.matchAll(IDENTIFIER)].map((m) => m[0]).filter((w) => !NOT_IDENTIFIER.test(w) && !['e.g', 'i.e'].includes(w) && !allow.includes(w));
}

export interface Watched {
  /** console errors about the Content-Security-Policy, and uncaught script errors */
  problems: string[];
}

/** Collects CSP violations and script errors from now on (call before the first navigation). */
export function watchPage(page: Page): Watched {
  const watched: Watched = { problems: [] };
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy|Refused to/i.test(m.text())) watched.problems.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => watched.problems.push(`pageerror: ${e.message}`));
  return watched;
}

export interface CheckOptions {
  /** the page's language; a Thai page must have the Thai font loaded */
  lang?: 'th' | 'en';
  /** words the main text may hold that look like identifiers (a client's ID, an HN shown on purpose) */
  allowIdentifiers?: string[];
  /** axe rules to leave out, each with the reason in the caller */
  disableRules?: string[];
  /** from watchPage: asserted empty */
  watched?: Watched;
}

/** Asserts everything above about the page as it is now. */
export async function checkPage(page: Page, o: CheckOptions = {}): Promise<void> {
  const where = `${page.url()} at ${page.viewportSize()?.width ?? '?'} px`;
  if (o.lang) assert.equal(await page.evaluate(() => document.documentElement.lang), o.lang, `${where}: <html lang>`);

  const { scrollWidth, innerWidth, sticking } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    innerWidth: window.innerWidth,
    // the innermost elements that reach past the window's right edge, to say what to fix
    sticking: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 1 && ![...e.children].some((c) => c.getBoundingClientRect().right > window.innerWidth + 1))
      .slice(0, 5)
      .map((e) => `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ''}${e.className && typeof e.className === 'string' ? `.${e.className.trim().replace(/\s+/g, '.')}` : ''} (to ${Math.round(e.getBoundingClientRect().right)} px)`),
  }));
  assert.ok(scrollWidth <= innerWidth, `${where}: scrolls sideways (${scrollWidth} px wide in a ${innerWidth} px window): ${sticking.join(', ')}`);

  if (o.lang === 'th') {
    const font = await thaiFontLoaded(page);
    assert.deepEqual(font, { check: true, loaded: true }, `${where}: the Thai web font (${FONT_FAMILY}) is not loaded`);
  }

  const main = await page.locator('main').innerText();
  assert.deepEqual(rawIdentifiers(main, o.allowIdentifiers), [], `${where}: raw identifiers in the page's text`);

  const axe = await new AxeBuilder({ page }).disableRules(o.disableRules ?? []).analyze();
  const bad = axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  assert.deepEqual(
    bad.map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`),
    [],
    `${where}: axe-core found serious or critical violations`,
  );

  if (o.watched) assert.deepEqual(o.watched.problems, [], `${where}: CSP violations or script errors`);
}
