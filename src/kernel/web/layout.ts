// The page frame both services share: a top bar with the service's name, the language switch and who
// is logged in, an optional menu, then the page's title and body. Scripts come only from /static (the
// CSP allows no inline script).
import { html, type Html } from './html.ts';
import type { Lang } from './i18n.ts';

export interface Page {
  lang: Lang;
  title: string;
  body: Html;
  /** path of this page, used for the language switch link */
  path?: string;
  /** scripts served from /static */
  scripts?: string[];
  /** the service's name (a link home when `href` is given) and the language switch's text */
  brand: { name: string; href?: string; otherLang: string };
  /** after the language link in the top bar (who is logged in) */
  account?: Html;
  /** between the top bar and the page (a service's menu) */
  nav?: Html;
}

export function pageLayout(p: Page): string {
  const other = p.lang === 'th' ? 'en' : 'th';
  const { name, href } = p.brand;
  return `<!DOCTYPE html>${html`<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${name}</title>
<link rel="stylesheet" href="/static/app.css">
${(p.scripts ?? []).map((src) => html`<script src="/static/${src}" defer></script>
`)}</head>
<body>
<header class="top">${href ? html`<a class="brand" href="${href}">${name}</a>` : html`<span class="brand">${name}</span>`}
${p.path ? html`<a class="lang" href="${p.path}?lang=${other}" lang="${other}">${p.brand.otherLang}</a>` : ''}
${p.account ?? ''}</header>
${p.nav ?? ''}<main>
<h1>${p.title}</h1>
${p.body}
</main>
</body>
</html>`.value}`;
}
