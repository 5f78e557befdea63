// The first login page: ID number and password (each missing field named), a passkey, and the ways to
// register or recover, which keep the page's language.
import { html, type Html } from '../../../kernel/web/html.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';
import { layout } from '../../web/layout.ts';
import { t } from '../../web/messages.ts';
import { passkeyTexts } from '../../authenticators/passkey/views.ts';

export interface LoginView {
  lang: Lang;
  uid: string;
  csrf: string;
  clientName: string;
  pid?: string;
  error?: string;
  notice?: string;
  /** fields left empty: each is marked, and the error names them */
  missing?: Array<'pid' | 'password'>;
  /** other methods' buttons that begin a login by themselves (an upstream identity provider) */
  alternatives?: Html[];
}

export function loginPage(p: LoginView): string {
  const { lang } = p;
  const missing = new Set(p.missing ?? []);
  // a wrong ID number or password is not told apart: both fields carry the one error
  const bad = (f: 'pid' | 'password') => (missing.size ? missing.has(f) : Boolean(p.error));
  const described = (f: 'pid' | 'password', hint = '') => [hint, missing.has(f) ? `${f}-error` : '', !missing.size && p.error ? 'form-error' : ''].filter(Boolean).join(' ');
  const fieldError = (f: 'pid' | 'password') => (missing.has(f) ? html`<span class="field-error" id="${f}-error">${t(lang, f === 'pid' ? 'pidMissing' : 'passwordMissing')}</span>` : '');
  const back = encodeURIComponent(`/interaction/${p.uid}`);
  return layout({
    lang,
    title: t(lang, 'loginTitle'),
    path: `/interaction/${p.uid}`,
    scripts: ['passkey.js'],
    body: html`
<p>${t(lang, 'loginFor')} <strong>${p.clientName}</strong></p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${p.error ? html`<div class="error" role="alert" id="form-error" tabindex="-1"><p>${p.error}</p>${missing.size ? html`<ul>${[...missing].map((f) => html`<li><a href="#${f}">${t(lang, f === 'pid' ? 'pidMissing' : 'passwordMissing')}</a></li>`)}</ul>` : ''}</div>` : ''}
<form method="post" action="/interaction/${p.uid}/login" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  <div class="field">
  <label for="pid">${t(lang, 'pid')}</label>
  <small id="pid-hint">${t(lang, 'pidHint')}</small>
  <input id="pid" name="pid" inputmode="numeric" autocomplete="username webauthn" required maxlength="17"
    aria-describedby="${described('pid', 'pid-hint')}" value="${p.pid ?? ''}"${bad('pid') ? html` aria-invalid="true"` : ''}>
  ${fieldError('pid')}
  </div>
  <div class="field">
  <label for="password">${t(lang, 'password')}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256" data-password-toggle${described('password') ? html` aria-describedby="${described('password')}"` : ''}${bad('password') ? html` aria-invalid="true"` : ''}>
  ${fieldError('password')}
  </div>
  <button type="submit">${t(lang, 'logIn')}</button>
</form>
<section class="alternatives">
  <p>${t(lang, 'or')}</p>
  <button type="button" class="secondary" data-passkey="login" data-options-url="/interaction/${p.uid}/passkey/options" data-verify-url="/interaction/${p.uid}/passkey" data-csrf="${p.csrf}">${t(lang, 'passkeyLogin')}</button>
  <p class="error" role="alert" data-passkey-error></p>
  ${passkeyTexts(lang)}
  ${p.alternatives ?? []}
  <p><a href="/register?return=${back}&amp;lang=${lang}">${t(lang, 'createAccount')}</a> · <a href="/recover?return=${back}&amp;lang=${lang}">${t(lang, 'forgotPassword')}</a></p>
</section>`,
  });
}
