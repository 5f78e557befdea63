// The page frame both services share: a skip link, a top bar with the logo and the service's name, the
// language switch and who is logged in, an optional menu, the page's title and body in <main id="main">,
// and a footer (help, terms, privacy, accessibility). Scripts come only from /static (the CSP allows no
// inline script); frame.js is on every page (focus to the error summary, show-password toggles).
import { html, type Html } from './html.ts';
import type { Lang } from './i18n.ts';
import { assetUrl, FONT_FILES } from './assets.ts';
import { frameText } from './messages.ts';

export interface Page {
  lang: Lang;
  title: string;
  body: Html;
  /** path of this page, used for the language switch link */
  path?: string;
  /** the language switch's link when it is not `path?lang=…` (e.g. `?lang=en`, the same address) */
  langHref?: string;
  /** scripts served from /static */
  scripts?: string[];
  /** the service's name (a link home when `href` is given) and the language switch's text */
  brand: { name: string; href?: string; otherLang: string };
  /** after the language link in the top bar (who is logged in) */
  account?: Html;
  /** between the top bar and the page (a service's menu) */
  nav?: Html;
  /** staff and administrator pages: a wider main column (tables, consoles); citizen pages stay narrow */
  wide?: boolean;
  /** where the footer's help, terms, privacy and accessibility links go (the service's own paths by default) */
  footer?: { help: string; terms: string; privacy: string; accessibility: string };
}

const FOOTER = { help: '/help', terms: '/terms', privacy: '/privacy', accessibility: '/accessibility' };

const withLang = (href: string, lang: Lang) => `${href}${href.includes('?') ? '&' : '?'}lang=${lang}`;

export function pageLayout(p: Page): string {
  const other = p.lang === 'th' ? 'en' : 'th';
  const f = (key: Parameters<typeof frameText>[1]) => frameText(p.lang, key);
  const { name, href } = p.brand;
  const brand = html`<img src="${assetUrl('logo.svg')}" alt="" width="32" height="32"><span>${name}</span>`;
  const langHref = p.langHref ?? (p.path ? `${p.path}?lang=${other}` : undefined);
  const footer = p.footer ?? FOOTER;
  const font = assetUrl(FONT_FILES.find((n) => n.includes(p.lang === 'th' ? '-thai-400-' : '-latin-400-'))!);
  return `<!DOCTYPE html>${html`<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${name}</title>
<link rel="icon" type="image/svg+xml" href="${assetUrl('favicon.svg')}">
<link rel="preload" href="${font}" as="font" type="font/woff2" crossorigin>
<link rel="stylesheet" href="${assetUrl('app.css')}">
<script src="${assetUrl('frame.js')}" defer></script>
${(p.scripts ?? []).map((src) => html`<script src="${assetUrl(src)}" defer></script>
`)}</head>
<body${p.wide ? html` class="wide"` : ''} data-show-password="${f('showPassword')}" data-hide-password="${f('hidePassword')}" data-password-shown="${f('passwordShown')}" data-password-hidden="${f('passwordHidden')}">
<a class="skip-link" href="#main">${f('skipLink')}</a>
<header class="top">${href ? html`<a class="brand" href="${href}">${brand}</a>` : html`<span class="brand">${brand}</span>`}
<div class="top-end">${langHref ? html`<a class="lang" href="${langHref}" lang="${other}" hreflang="${other}">${p.brand.otherLang}</a>` : ''}
${p.account ?? ''}</div></header>
${p.nav ?? ''}<main id="main" tabindex="-1">
<h1>${p.title}</h1>
${p.body}
</main>
<footer class="site-footer">
<nav aria-label="${f('footerLabel')}"><ul>
<li><a href="${withLang(footer.help, p.lang)}">${f('help')}</a></li>
<li><a href="${withLang(footer.terms, p.lang)}">${f('terms')}</a></li>
<li><a href="${withLang(footer.privacy, p.lang)}">${f('privacy')}</a></li>
<li><a href="${withLang(footer.accessibility, p.lang)}">${f('accessibility')}</a></li>
</ul></nav>
<p>${name} · ${f('footerOperator')}</p>
</footer>
</body>
</html>`.value}`;
}

/** A wide table that scrolls inside itself, never the page: a labelled, focusable (keyboard-scrollable) region. */
export function tableWrap(label: string, table: Html): Html {
  return html`<div class="table-wrap" role="region" aria-label="${label}" tabindex="0">${table}</div>`;
}

/** A table that narrow screens read as one card per row, every cell saying what it is (`table.stack`), inside tableWrap. */
export function stackTable(label: string, cols: string[], rows: Array<Array<Html | string>>): Html {
  return tableWrap(label, html`<table class="stack"><thead><tr>${cols.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead><tbody>
${rows.map((r) => html`<tr>${r.map((cell, i) => html`<td data-label="${cols[i]!}">${cell}</td>`)}</tr>
`)}</tbody></table>`);
}

/** The page for an address that does not exist: what happened and a way forward, in the page's language. */
export function notFoundBody(lang: Lang, o: { home: string; help?: string } = { home: '/' }): Html {
  return html`<p>${frameText(lang, 'notFoundBody')}</p>
${errorNextSteps(lang, o)}`;
}

/** The way forward under an error message: home and help. */
export function errorNextSteps(lang: Lang, o: { home: string; help?: string } = { home: '/' }): Html {
  return html`<ul class="next-steps">
<li><a href="${withLang(o.home, lang)}">${frameText(lang, 'goHome')}</a></li>
<li><a href="${withLang(o.help ?? '/help', lang)}">${frameText(lang, 'getHelp')}</a></li>
</ul>`;
}
