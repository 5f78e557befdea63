import { html, type Html } from '../html.ts';
import { at } from './messages.ts';

export interface AcPage {
  lang: 'th' | 'en';
  title: string;
  body: Html;
  /** path of this page, for the language switch */
  path?: string;
  scripts?: string[];
  /** logged in: shows the name, the staff menu and the log-out button */
  user?: { name: string; csrf: string; staff: boolean };
}

export function acLayout(p: AcPage): string {
  const other = p.lang === 'th' ? 'en' : 'th';
  return `<!DOCTYPE html>${html`<html lang="${p.lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${p.title} · ${at(p.lang, 'appName')}</title>
<link rel="stylesheet" href="/static/app.css">
${(p.scripts ?? []).map((src) => html`<script src="/static/${src}" defer></script>
`)}</head>
<body>
<header class="top"><a class="brand" href="/">${at(p.lang, 'appName')}</a>
${p.path ? html`<a class="lang" href="${p.path}?lang=${other}" lang="${other}">${at(p.lang, 'otherLang')}</a>` : ''}
${p.user ? html`<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${p.user.csrf}"><span>${at(p.lang, 'loggedInAs', { name: p.user.name })}</span> <button type="submit" class="link">${at(p.lang, 'logout')}</button></form>` : ''}
</header>
${p.user?.staff ? html`<nav class="staff-nav" aria-label="${at(p.lang, 'staffTitle')}"><a href="/staff">${at(p.lang, 'navPatient')}</a> <a href="/staff/visits">${at(p.lang, 'navSearch')}</a> <a href="/staff/qr">${at(p.lang, 'navQr')}</a> <a href="/staff/reports">${at(p.lang, 'navReports')}</a></nav>` : ''}
<main>
<h1>${p.title}</h1>
${p.body}
</main>
</body>
</html>`.value}`;
}

export function acMessagePage(p: { lang: 'th' | 'en'; title: string; message: string; extra?: Html; user?: AcPage['user'] }): string {
  return acLayout({ lang: p.lang, title: p.title, user: p.user, body: html`<p role="status">${p.message}</p>${p.extra ?? ''}` });
}
