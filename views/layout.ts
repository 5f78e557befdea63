import { html, type Html } from './html.ts';
import { t } from './messages.ts';

export interface Page {
  lang: 'th' | 'en';
  title: string;
  body: Html;
  /** path of this page, used for the language switch link */
  path?: string;
  /** scripts served from /static (the CSP allows no inline script) */
  scripts?: string[];
}

export function layout(p: Page): string {
  const other = p.lang === 'th' ? 'en' : 'th';
  return `<!DOCTYPE html>${html`<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${t(p.lang, 'appName')}</title>
<link rel="stylesheet" href="/static/app.css">
${(p.scripts ?? []).map((src) => html`<script src="/static/${src}" defer></script>
`)}</head>
<body>
<header class="top"><span class="brand">${t(p.lang, 'appName')}</span>
${p.path ? html`<a class="lang" href="${p.path}?lang=${other}" lang="${other}">${t(p.lang, 'otherLang')}</a>` : ''}
</header>
<main>
<h1>${p.title}</h1>
${p.body}
</main>
</body>
</html>`.value}`;
}
