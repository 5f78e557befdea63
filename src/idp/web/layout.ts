import { html, type Html } from '../../kernel/web/html.ts';
import { t } from './messages.ts';

export interface Page {
  lang: 'th' | 'en';
  title: string;
  body: Html;
  /** path of this page, used for the language switch link */
  path?: string;
  /** scripts served from /static (the CSP allows no inline script) */
  scripts?: string[];
  /** another service's own name and link texts (the Authen Code service shares this layout) */
  brand?: { name: string; href: string; otherLang: string };
  /** after the language link in the top bar (who is logged in) */
  account?: Html;
  /** between the top bar and the page (a service's menu) */
  nav?: Html;
}

export function layout(p: Page): string {
  const other = p.lang === 'th' ? 'en' : 'th';
  const name = p.brand?.name ?? t(p.lang, 'appName');
  return `<!DOCTYPE html>${html`<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${name}</title>
<link rel="stylesheet" href="/static/app.css">
${(p.scripts ?? []).map((src) => html`<script src="/static/${src}" defer></script>
`)}</head>
<body>
<header class="top">${p.brand ? html`<a class="brand" href="${p.brand.href}">${name}</a>` : html`<span class="brand">${name}</span>`}
${p.path ? html`<a class="lang" href="${p.path}?lang=${other}" lang="${other}">${p.brand?.otherLang ?? t(p.lang, 'otherLang')}</a>` : ''}
${p.account ?? ''}</header>
${p.nav ?? ''}<main>
<h1>${p.title}</h1>
${p.body}
</main>
</body>
</html>`.value}`;
}
