// The authenticator app's pages: its section of the security page, the setup page (QR code, setup key,
// first code) and its form on the second-factor page.
import { html, Html } from '../../../kernel/web/html.ts';
import { codeInput } from '../../../kernel/web/form.ts';
import { t } from '../../web/messages.ts';
import { accountPage, hidden, postButton } from '../../account/pages/views.ts';
import { codeField, csrfInput } from '../../login/views/second_factor.ts';

export function totpSection(p: { lang: 'th' | 'en'; csrf: string; enrolled: boolean }): Html {
  const { lang, csrf } = p;
  return html`
<h2>${t(lang, 'totpHeading')}</h2>
<p>${p.enrolled ? t(lang, 'totpOn') : t(lang, 'totpOff')}</p>
${p.enrolled ? postButton('/account/totp/remove', csrf, t(lang, 'totpRemove')) : html`<p><a class="button" href="/account/totp">${t(lang, 'totpSetUp')}</a></p>`}
`;
}

export function totpEnrolPage(p: { lang: 'th' | 'en'; csrf: string; qrSvg: string; setupKey: string; error?: string }): string {
  const { lang } = p;
  // the QR code is SVG that we generate from the otpauth URI: trusted markup
  return accountPage({
    lang,
    title: t(lang, 'totpEnrolTitle'),
    path: '/account/totp',
    flash: { error: p.error },
    body: html`<p>${t(lang, 'totpEnrolSteps')}</p>
<figure class="qr" role="img" aria-label="${t(lang, 'totpQrAlt')}">${new Html(p.qrSvg)}</figure>
<p><span id="setup-key-label">${t(lang, 'setupKey')}</span>: <code class="setup-key" aria-labelledby="setup-key-label">${p.setupKey}</code></p>
<form method="post" action="/account/totp" novalidate>${hidden(p.csrf)}
  ${codeInput({ label: t(lang, 'totpFirstCode'), error: p.error })}
  <button type="submit">${t(lang, 'confirm')}</button>
</form>`,
  });
}

export function totpLoginForm(p: { lang: 'th' | 'en'; uid: string; csrf: string; error?: string }): Html {
  const { lang, uid, error } = p;
  return html`<form method="post" action="/interaction/${uid}/totp" novalidate>${csrfInput(p.csrf)}
  ${codeField('totp-code', t(lang, 'totpLabel'), error)}
  <button type="submit">${t(lang, 'verify')}</button>
</form>`;
}
