// The Authen Code service's pages in the shared frame: its name linking home, who is logged in, the
// staff menu; staff pages take the wide column (tables) unless a page asks otherwise.
import { html, type Html } from '../../kernel/web/html.ts';
import { errorNextSteps, notFoundBody, pageLayout, type Page as FramePage } from '../../kernel/web/layout.ts';
import { frameText } from '../../kernel/web/messages.ts';
import { at } from './messages.ts';

/** a page of the service: the shared frame's page without the parts the service fills in itself */
export type AcPage = Omit<FramePage, 'brand' | 'account' | 'nav' | 'footer'> & {
  /** logged in: shows the name, the staff menu and the log-out button */
  user?: { name: string; csrf: string; staff: boolean };
  /** the wide column; by default for staff, narrow for citizens */
  wide?: boolean;
};

export function acLayout(p: AcPage): string {
  return pageLayout({
    ...p,
    wide: p.wide ?? p.user?.staff ?? false,
    brand: { name: at(p.lang, 'appName'), href: '/', otherLang: at(p.lang, 'otherLang') },
    account: p.user
      ? html`<form method="post" action="/logout" class="inline"><input type="hidden" name="csrf" value="${p.user.csrf}"><span>${at(p.lang, 'loggedInAs', { name: p.user.name })}</span> <button type="submit" class="link">${at(p.lang, 'logout')}</button></form>`
      : undefined,
    nav: p.user?.staff
      ? html`<nav class="staff-nav" aria-label="${at(p.lang, 'staffTitle')}"><a href="/staff">${at(p.lang, 'navPatient')}</a> <a href="/staff/visits">${at(p.lang, 'navSearch')}</a> <a href="/staff/qr">${at(p.lang, 'navQr')}</a> <a href="/staff/reports">${at(p.lang, 'navReports')}</a></nav>\n`
      : undefined,
  });
}

export function acMessagePage(p: { lang: 'th' | 'en'; title: string; message: string; extra?: Html; user?: AcPage['user'] }): string {
  return acLayout({ lang: p.lang, title: p.title, user: p.user, body: html`<p role="status">${p.message}</p>${p.extra ?? ''}` });
}

/** An address that does not exist: the language switch points at the same address. */
export function acNotFoundPage(lang: 'th' | 'en'): string {
  return acLayout({ lang, title: frameText(lang, 'notFoundTitle'), langHref: `?lang=${lang === 'th' ? 'en' : 'th'}`, body: notFoundBody(lang) });
}

/** A refusal or a failure: what happened, in words, and a way forward. */
export function acErrorPage(lang: 'th' | 'en', message: string): string {
  return acLayout({ lang, title: at(lang, 'errorTitle'), body: html`<p role="alert">${message}</p>
${errorNextSteps(lang)}` });
}
