// The account pages' views: the shell with its menu, and the pages of profile, security, sessions and
// privacy. Each authenticator's section of the security page is in src/idp/authenticators/<method>/views.ts.
import { html, Html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { stackTable } from '../../../kernel/web/layout.ts';
import { t, type MessageKey } from '../../web/messages.ts';
import { codeInput, errorSummary, field, type FieldErrors } from '../../../kernel/web/form.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';
import { aalWords, auditWords, ialWords, scopeWords } from '../../login/views/words.ts';

/** "Chrome บน Windows"; a browser or system the User-Agent did not name is "unknown". */
export const deviceWords = (lang: Lang, d: { browser?: string; system?: string }) =>
  d.browser || d.system ? t(lang, 'deviceOn', { browser: d.browser ?? t(lang, 'deviceUnknownBrowser'), system: d.system ?? t(lang, 'deviceUnknownSystem') }) : t(lang, 'deviceUnknown');

export interface Flash {
  notice?: string;
  error?: string;
}

const NAV: Array<[string, MessageKey]> = [
  ['/account', 'navProfile'],
  ['/account/security', 'navSecurity'],
  ['/account/sessions', 'navSessions'],
  ['/account/privacy', 'navPrivacy'],
  ['/account/verify', 'verifyIdTitle'],
  ['/account/personnel', 'navPersonnel'],
];

export function accountPage(p: { lang: Lang; title: string; path: string; flash?: Flash; body: Html; scripts?: string[] }): string {
  const { lang } = p;
  return layout({
    lang,
    title: p.title,
    path: p.path,
    scripts: p.scripts,
    body: html`<nav class="account-nav" aria-label="${t(lang, 'accountTitle')}"><ul>
  ${NAV.map(([href, key]) => html`<li><a href="${href}"${href === p.path ? html` aria-current="page"` : ''}>${t(lang, key)}</a></li>`)}
  <li><a href="/account/logout">${t(lang, 'logOut')}</a></li>
</ul></nav>
${p.flash?.notice ? html`<p class="notice" role="status">${p.flash.notice}</p>` : ''}
${p.flash?.error ? html`<p class="error" role="alert" id="form-error">${p.flash.error}</p>` : ''}
${p.body}`,
  });
}

export const hidden = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;
export const postButton = (action: string, csrf: string, label: string, cls = 'secondary') =>
  html`<form method="post" action="${action}" class="inline">${hidden(csrf)}<button type="submit" class="${cls}">${label}</button></form>`;

export type NameFields = { title: string; given_name: string; family_name: string; given_name_en: string; family_name_en: string };

export interface ProfileView {
  lang: Lang;
  csrf: string;
  names: NameFields;
  birthdate: string;
  phone: string;
  ial: string;
  /** the attributes unrevoked evidence vouches for, each with the verifications' names: shown verified, read-only */
  verified: Record<string, string>;
  errors: FieldErrors;
  flash?: Flash;
  /** notices of logins on a new device */
  newDevices?: string[];
}

const NAME_FIELDS: Array<{ name: keyof NameFields; label: MessageKey; attrs: Html }> = [
  { name: 'title', label: 'titleField', attrs: html`maxlength="40"` },
  { name: 'given_name', label: 'givenNameTh', attrs: html`maxlength="100" required lang="th"` },
  { name: 'family_name', label: 'familyNameTh', attrs: html`maxlength="100" required lang="th"` },
  { name: 'given_name_en', label: 'givenNameEn', attrs: html`maxlength="100" lang="en"` },
  { name: 'family_name_en', label: 'familyNameEn', attrs: html`maxlength="100" lang="en"` },
];
export const nameLabels = (lang: Lang): Record<string, string> => Object.fromEntries(NAME_FIELDS.map((f) => [f.name, t(lang, f.label)]));

const verifiedMark = (lang: Lang, by: string) => html`<small class="verified">✓ ${t(lang, 'verifiedBy', { by })}</small>`;

/** The names form; `locked` fields are read-only (the profile page) or all editable (changing verified names). */
function nameFields(lang: Lang, names: NameFields, verified: Record<string, string>, errors: FieldErrors, lockVerified: boolean): Html[] {
  return NAME_FIELDS.map((f) => {
    const by = verified[f.name];
    const locked = lockVerified && by !== undefined;
    return field({
      name: f.name,
      label: t(lang, f.label),
      value: names[f.name],
      errors,
      hint: by === undefined ? undefined : t(lang, locked ? 'verifiedLockedHint' : 'verifiedBy', { by }),
      attrs: locked ? html`${f.attrs} readonly` : f.attrs,
    });
  });
}

export function profilePage(p: ProfileView): string {
  const { lang, errors, names } = p;
  const anyLocked = NAME_FIELDS.some((f) => p.verified[f.name] !== undefined);
  return accountPage({
    lang,
    title: t(lang, 'accountTitle'),
    path: '/account',
    flash: p.flash,
    body: html`
${(p.newDevices ?? []).map((n) => html`<p class="notice" role="status">${n} <a href="/account/sessions">${t(lang, 'navSessions')}</a></p>`)}
<dl>
  <dt>${t(lang, 'birthdate')}</dt><dd>${p.birthdate}${p.verified.birthdate ? html` ${verifiedMark(lang, p.verified.birthdate)}` : ''}</dd>
  <dt>${t(lang, 'identityLevel')}</dt><dd>${ialWords(lang, p.ial)} <a href="/account/verify">${t(lang, 'verifyIdTitle')}</a></dd>
</dl>
<h2>${t(lang, 'namesHeading')}</h2>
${errorSummary(t(lang, 'formErrors'), errors, nameLabels(lang))}
<form method="post" action="/account/profile" novalidate>${hidden(p.csrf)}
  ${nameFields(lang, names, p.verified, errors, true)}
  <button type="submit">${t(lang, 'saveNames')}</button>
</form>
${anyLocked ? html`<p><a href="/account/profile/verified">${t(lang, 'changeVerifiedLink')}</a></p>` : ''}
<h2>${t(lang, 'phoneHeading')}</h2>
<p>${t(lang, 'phoneCurrent', { phone: p.phone })}</p>
<form method="post" action="/account/phone" novalidate>${hidden(p.csrf)}
  ${field({ name: 'phone', label: t(lang, 'newPhone'), errors, type: 'tel', hint: t(lang, 'phoneHint'), attrs: html`autocomplete="tel-national" maxlength="16" required` })}
  <button type="submit">${t(lang, 'changePhone')}</button>
</form>`,
  });
}

/** Changing names that evidence vouches for: every field editable, and the verifications that will be dropped. */
export function changeVerifiedPage(p: { lang: Lang; csrf: string; names: NameFields; verified: Record<string, string>; verifications: string[]; errors: FieldErrors }): string {
  const { lang, errors } = p;
  return accountPage({
    lang,
    title: t(lang, 'changeVerifiedTitle'),
    path: '/account/profile/verified',
    body: html`<p>${t(lang, 'changeVerifiedIntro')}</p>
<ul>${p.verifications.map((v) => html`<li>${v}</li>`)}</ul>
${errorSummary(t(lang, 'formErrors'), errors, { ...nameLabels(lang), drop_verification: t(lang, 'dropVerificationConfirm') })}
<form method="post" action="/account/profile" novalidate>${hidden(p.csrf)}
  ${nameFields(lang, p.names, p.verified, errors, false)}
  <div class="field checkbox"><input id="drop_verification" name="drop_verification" type="checkbox" value="yes" required><label for="drop_verification">${t(lang, 'dropVerificationConfirm')}</label></div>
  <button type="submit">${t(lang, 'dropVerificationSubmit')}</button>
  <a href="/account">${t(lang, 'changeVerifiedCancel')}</a>
</form>`,
  });
}

export function codePage(p: { lang: Lang; csrf: string; title: string; intro: string; action: string; label: string; error?: string }): string {
  const { lang } = p;
  return accountPage({
    lang,
    title: p.title,
    path: p.action,
    flash: { error: p.error },
    body: html`<p>${p.intro}</p>
<form method="post" action="${p.action}" novalidate>${hidden(p.csrf)}
  ${codeInput({ label: p.label, error: p.error })}
  <button type="submit">${t(lang, 'confirm')}</button>
</form>`,
  });
}

export interface SecurityView {
  lang: Lang;
  /** each authenticator method's section, in the methods' order */
  sections: Html[];
  /** the /static scripts the sections need */
  scripts: string[];
  flash?: Flash;
}

export function securityPage(p: SecurityView): string {
  const { lang } = p;
  return accountPage({
    lang,
    title: t(lang, 'navSecurity'),
    path: '/account/security',
    flash: p.flash,
    scripts: p.scripts,
    body: html`${p.sections}`,
  });
}

export interface SessionsView {
  lang: Lang;
  csrf: string;
  /** level: the session's acr; device: the browser and system named from its User-Agent */
  sessions: Array<{ id: string; loggedInAt: string; level: string; device: { browser?: string; system?: string }; current: boolean }>;
  apps: Array<{ grantId: string; name: string; scopes: string }>;
  flash?: Flash;
}

function sessionsTable(lang: Lang, csrf: string, sessions: SessionsView['sessions']): Html {
  const cols = [t(lang, 'sessionDevice'), t(lang, 'sessionLoggedIn'), t(lang, 'sessionLevel'), t(lang, 'sessionAction')];
  return stackTable(t(lang, 'sessionsHeading'), cols, sessions.map((s) => [
    deviceWords(lang, s.device), s.loggedInAt, aalWords(lang, s.level),
    s.current ? html`<strong>${t(lang, 'sessionCurrent')}</strong>` : postButton(`/account/sessions/${encodeURIComponent(s.id)}/end`, csrf, t(lang, 'sessionEnd')),
  ]));
}

function activityTable(lang: Lang, activity: Array<{ at: string; action: string }>): Html {
  return stackTable(t(lang, 'activityHeading'), [t(lang, 'activityWhen'), t(lang, 'activityWhat')], activity.map((a) => [a.at, auditWords(lang, a.action)]));
}

export function sessionsPage(p: SessionsView): string {
  const { lang, csrf } = p;
  return accountPage({
    lang,
    title: t(lang, 'navSessions'),
    path: '/account/sessions',
    flash: p.flash,
    body: html`<h2>${t(lang, 'sessionsHeading')}</h2>
${sessionsTable(lang, csrf, p.sessions)}
${postButton('/account/sessions/end-all', csrf, t(lang, 'sessionsEndAll'))}
<h2>${t(lang, 'appsHeading')}</h2>
${p.apps.length ? '' : html`<p>${t(lang, 'appsNone')}</p>`}
<ul>${p.apps.map((a) => html`<li><strong>${a.name}</strong> · ${t(lang, 'appAccess')}: ${scopeWords(lang, a.scopes)} ${postButton(`/account/apps/${encodeURIComponent(a.grantId)}/revoke`, csrf, t(lang, 'appRevoke'))}</li>`)}</ul>`,
  });
}

export function privacyAccountPage(p: { lang: Lang; csrf: string; activity: Array<{ at: string; action: string }>; flash?: Flash }): string {
  const { lang, csrf } = p;
  return accountPage({
    lang,
    title: t(lang, 'navPrivacy'),
    path: '/account/privacy',
    flash: p.flash,
    body: html`<h2>${t(lang, 'exportHeading')}</h2>
<p><a href="/account/privacy/export" download>${t(lang, 'exportLink')}</a></p>
<h2>${t(lang, 'deleteHeading')}</h2>
<p>${t(lang, 'deleteIntro')}</p>
<form method="post" action="/account/privacy/delete" novalidate>${hidden(csrf)}
  <label for="reason">${t(lang, 'deleteReason')}</label>
  <input id="reason" name="reason" maxlength="500">
  <button type="submit" class="secondary">${t(lang, 'deleteSubmit')}</button>
</form>
<h2>${t(lang, 'activityHeading')}</h2>
${activityTable(lang, p.activity)}`,
  });
}
