// The second-factor page: the methods' forms and buttons for the factors offered (each method renders
// its own part, src/idp/authenticators/<method>/views.ts), and the page shown when a level is out of reach.
import { html, type Html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { t } from '../../web/messages.ts';
import { nameIn } from '../../../kernel/web/i18n.ts';

export interface SecondFactorView {
  lang: 'th' | 'en';
  uid: string;
  clientName: string;
  level: string;
  /** each offered method's part, in the methods' order */
  parts: Html[];
  /** the /static scripts the parts need */
  scripts: string[];
  error?: string;
}

export const csrfInput = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;

export const codeField = (id: string, label: string, error: string | undefined, pattern = '[0-9 ]*') => html`
  <label for="${id}">${label}</label>
  <input id="${id}" name="code" inputmode="numeric" pattern="${pattern}" autocomplete="one-time-code" required maxlength="12"${error ? html` aria-invalid="true" aria-describedby="form-error"` : ''}>`;

export function secondFactorPage(p: SecondFactorView): string {
  const { lang, uid, error } = p;
  return layout({
    lang,
    title: t(lang, 'secondFactorTitle'),
    path: `/interaction/${uid}`,
    scripts: p.scripts,
    body: html`
<p>${t(lang, 'secondFactorIntro', { client: p.clientName, level: p.level })}</p>
${error ? html`<p class="error" role="alert" id="form-error">${error}</p>` : ''}
${p.parts.map((part) => html`${part}
`)}`,
  });
}


/** A service point where a person can verify their identity in person. */
export interface ServicePointView {
  hcode: string;
  nameTh: string;
  nameEn: string | null;
  district: string;
  province: string;
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
  servicePoints?: ServicePointView[];
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
<ul>${p.servicePoints.map((u) => html`<li>${nameIn(lang, u)} (${u.hcode}) · ${u.district}, ${u.province}</li>`)}</ul>`
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
