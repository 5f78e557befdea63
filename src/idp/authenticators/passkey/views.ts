// Passkeys' markup: their section of the security page (each passkey, rename, remove, add one) and the
// button on the second-factor page. passkey.js runs the WebAuthn ceremonies the buttons name, and shows
// the browser's failures in the words of the page's <script type="application/json" id="passkey-texts">.
import { html, Html } from '../../../kernel/web/html.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';
import { t } from '../../web/messages.ts';
import { hidden, postButton } from '../../account/pages/views.ts';

export interface PasskeyView {
  id: string;
  name: string;
  deviceBound: boolean;
  lastUsed: string | null;
}

export function passkeysSection(p: { lang: 'th' | 'en'; csrf: string; passkeys: PasskeyView[] }): Html {
  const { lang, csrf } = p;
  return html`
<h2>${t(lang, 'passkeysHeading')}</h2>
${p.passkeys.length ? '' : html`<p>${t(lang, 'passkeyNone')}</p>`}
<ul class="passkeys">
${p.passkeys.map(
  (k) => html`<li>
  <strong>${k.name}</strong> · ${k.deviceBound ? t(lang, 'passkeyDeviceBound') : t(lang, 'passkeySynced')} · ${k.lastUsed ? html`${t(lang, 'lastUsed')} ${k.lastUsed}` : t(lang, 'never')}
  <form method="post" action="/account/passkeys/${encodeURIComponent(k.id)}/rename" class="inline">${hidden(csrf)}
    <label for="rename-${k.id}">${t(lang, 'passkeyName')}</label>
    <input id="rename-${k.id}" name="name" maxlength="60" value="${k.name}">
    <button type="submit" class="secondary">${t(lang, 'passkeyRename')}</button>
  </form>
  ${postButton(`/account/passkeys/${encodeURIComponent(k.id)}/remove`, csrf, t(lang, 'passkeyRemove'))}
</li>`,
)}
</ul>
<label for="passkey-name">${t(lang, 'passkeyNewName')}</label>
<input id="passkey-name" maxlength="60">
<button type="button" data-passkey="register" data-options-url="/account/passkeys/options" data-verify-url="/account/passkeys" data-csrf="${csrf}" data-name-input="passkey-name">${t(lang, 'passkeyAdd')}</button>
<p class="error" role="alert" data-passkey-error></p>
${passkeyTexts(lang)}
`;
}

export function passkeyLoginButton(p: { lang: 'th' | 'en'; uid: string; csrf: string }): Html {
  const { lang, uid } = p;
  return html`<section>
  <button type="button" data-passkey="login" data-options-url="/interaction/${uid}/passkey/options" data-verify-url="/interaction/${uid}/passkey" data-csrf="${p.csrf}">${t(lang, 'passkeyUse')}</button>
  <p class="error" role="alert" data-passkey-error></p>
  ${passkeyTexts(lang)}
</section>`;
}

/** JSON inside <script type="application/json">: nothing in it can close the element. */
const dataBlock = (value: unknown) => new Html(JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'));

/** The words for the browser's WebAuthn failures, by DOMException name (data, not script: the CSP allows it). */
export function passkeyTexts(lang: Lang): Html {
  const texts = {
    NotAllowedError: t(lang, 'passkeyCancelled'),
    AbortError: t(lang, 'passkeyCancelled'),
    NotFoundError: t(lang, 'passkeyNoDevice'),
    InvalidStateError: t(lang, 'passkeyAlreadyHere'),
    NotSupportedError: t(lang, 'passkeyNotSupported'),
    SecurityError: t(lang, 'passkeyNotSupported'),
    UnknownError: t(lang, 'passkeyNoDevice'),
    TypeError: t(lang, 'passkeyNetwork'),
    failed: t(lang, 'passkeyFailed'),
  };
  return new Html(`<script type="application/json" id="passkey-texts">${dataBlock(texts).value}</script>`);
}
