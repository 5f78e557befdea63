import { html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { t } from '../../web/messages.ts';

/** A factor the person may use (the login's Factor: passkeys synced `swk` or device-bound `hwk`). */
type Factor = 'pwd' | 'sms' | 'otp' | 'recovery' | 'swk' | 'hwk';
/** A unit where identity is verified in person. */
interface ServicePoint {
  hcode: string;
  nameTh: string;
  province: string;
  district: string;
}

export interface SecondFactorView {
  lang: 'th' | 'en';
  uid: string;
  csrf: string;
  clientName: string;
  level: string;
  options: Factor[];
  /** masked phone number, when an SMS code can be sent */
  phone?: string;
  smsSent: boolean;
  error?: string;
}

const codeField = (id: string, label: string, error: string | undefined, pattern = '[0-9 ]*') => html`
  <label for="${id}">${label}</label>
  <input id="${id}" name="code" inputmode="numeric" pattern="${pattern}" autocomplete="one-time-code" required maxlength="12"${error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}>`;

export function secondFactorPage(p: SecondFactorView): string {
  const { lang, uid, csrf, error } = p;
  const has = (f: Factor) => p.options.includes(f);
  const hidden = html`<input type="hidden" name="csrf" value="${csrf}">`;
  return layout({
    lang,
    title: t(lang, 'secondFactorTitle'),
    path: `/interaction/${uid}`,
    scripts: has('swk') || has('hwk') ? ['passkey.js'] : [],
    body: html`
<p>${t(lang, 'secondFactorIntro', { client: p.clientName, level: p.level })}</p>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
${has('swk') || has('hwk')
  ? html`<section>
  <button type="button" data-passkey="login" data-options-url="/interaction/${uid}/passkey/options" data-verify-url="/interaction/${uid}/passkey" data-csrf="${csrf}">${t(lang, 'passkeyUse')}</button>
  <p class="error" role="alert" data-passkey-error></p>
</section>`
  : ''}
${has('otp')
  ? html`<form method="post" action="/interaction/${uid}/totp" novalidate>${hidden}
  ${codeField('totp-code', t(lang, 'totpLabel'), error)}
  <button type="submit">${t(lang, 'verify')}</button>
</form>`
  : ''}
${has('sms')
  ? html`<section>
  ${p.smsSent
    ? html`<p role="status">${t(lang, 'smsSent', { phone: p.phone ?? '' })}</p>
<form method="post" action="/interaction/${uid}/sms" novalidate>${hidden}
  ${codeField('sms-code', t(lang, 'smsLabel'), error)}
  <button type="submit">${t(lang, 'verify')}</button>
</form>`
    : ''}
  <form method="post" action="/interaction/${uid}/sms/send">${hidden}
    <button type="submit" class="${p.smsSent ? 'secondary' : ''}">${p.smsSent ? t(lang, 'smsSendAgain') : t(lang, 'smsSend', { phone: p.phone ?? '' })}</button>
  </form>
</section>`
  : ''}
${has('recovery')
  ? html`<details>
  <summary>${t(lang, 'useRecovery')}</summary>
  <form method="post" action="/interaction/${uid}/recovery" novalidate>${hidden}
    <label for="recovery-code">${t(lang, 'recoveryLabel')}</label>
    <input id="recovery-code" name="code" autocomplete="off" required maxlength="32">
    <button type="submit">${t(lang, 'verify')}</button>
  </form>
</details>`
  : ''}`,
  });
}

/** The level asked for cannot be reached (AAL) or the account is not verified enough (IAL). */
export function unmetPage(p: {
  lang: 'th' | 'en';
  uid: string;
  csrf: string;
  clientName: string;
  kind: 'aal' | 'ial';
  needed: string | null;
  has?: string;
  servicePoints?: ServicePoint[];
}): string {
  const { lang } = p;
  const body =
    p.kind === 'aal'
      ? html`<p role="alert">${p.needed ? t(lang, 'aalUnmetBody', { client: p.clientName, level: p.needed }) : t(lang, 'levelUnknown')}</p>
<p>${p.needed === 'AAL 3' ? t(lang, 'aal3How') : t(lang, 'aalUnmetHow')}</p>
<p><a href="/account/security">${t(lang, 'goToSecurity')}</a></p>`
      : html`<p role="alert">${p.needed ? t(lang, 'ialUnmetBody', { client: p.clientName, needed: p.needed, has: p.has ?? '' }) : t(lang, 'levelUnknown')}</p>
<p>${t(lang, 'ialUnmetHow')}</p>
${p.servicePoints?.length
  ? html`<h2>${t(lang, 'servicePointsHeading')}</h2>
<ul>${p.servicePoints.map((u) => html`<li>${u.nameTh} (${u.hcode}) · ${u.district}, ${u.province}</li>`)}</ul>`
  : ''}
<p><a href="/account/verify">${t(lang, 'verifyOnline')}</a></p>`;
  return layout({
    lang,
    title: p.kind === 'aal' ? t(lang, 'aalUnmetTitle') : t(lang, 'ialUnmetTitle'),
    path: `/interaction/${p.uid}`,
    body: html`${body}
<form method="post" action="/interaction/${p.uid}/unmet">
  <input type="hidden" name="csrf" value="${p.csrf}">
  <button type="submit">${t(lang, 'returnToClient', { client: p.clientName })}</button>
</form>`,
  });
}
