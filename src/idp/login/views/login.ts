import { html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { t } from '../../web/messages.ts';

export function loginPage(p: { lang: 'th' | 'en'; uid: string; csrf: string; clientName: string; pid?: string; error?: string; notice?: string }): string {
  const { lang } = p;
  return layout({
    lang,
    title: t(lang, 'loginTitle'),
    path: `/interaction/${p.uid}`,
    scripts: ['passkey.js'],
    body: html`
<p>${t(lang, 'loginFor')} <strong>${p.clientName}</strong></p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${p.error ? html`<p class="error" role="alert" id="form-error">${p.error}</p>` : ''}
<form method="post" action="/interaction/${p.uid}/login" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  <label for="pid">${t(lang, 'pid')}</label>
  <input id="pid" name="pid" inputmode="numeric" autocomplete="username webauthn" required maxlength="17"
    aria-describedby="pid-hint${p.error ? ' form-error' : ''}" value="${p.pid ?? ''}"${p.error ? html` aria-invalid="true"` : ''}>
  <small id="pid-hint">${t(lang, 'pidHint')}</small>
  <label for="password">${t(lang, 'password')}</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="256"${p.error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}>
  <button type="submit">${t(lang, 'logIn')}</button>
</form>
<section class="alternatives">
  <p>${t(lang, 'or')}</p>
  <button type="button" class="secondary" data-passkey="login" data-options-url="/interaction/${p.uid}/passkey/options" data-verify-url="/interaction/${p.uid}/passkey" data-csrf="${p.csrf}">${t(lang, 'passkeyLogin')}</button>
  <p class="error" role="alert" data-passkey-error></p>
  <p><a href="/register?return=${encodeURIComponent(`/interaction/${p.uid}`)}">${t(lang, 'createAccount')}</a> · <a href="/recover?return=${encodeURIComponent(`/interaction/${p.uid}`)}">${t(lang, 'forgotPassword')}</a></p>
</section>`,
  });
}
