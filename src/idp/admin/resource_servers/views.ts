// The resource-server pages of the administration console: the list with the register form (every
// field labelled, refusals beside their field and summarised), and one resource server's page (edit its
// scope, token lifetime and algorithm; disable or enable it with a reason). A built-in one says so and
// offers neither a scope field nor the disable form.
import { html, type Html } from '../../../kernel/web/html.ts';
import { errorSummary, field } from '../../../kernel/web/form.ts';
import { stackTable } from '../../../kernel/web/layout.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { t } from '../../web/messages.ts';
import { adminAreaPage } from '../views.ts';

export const SIGNING_ALGS = ['ES256', 'RS256', 'PS256', 'EdDSA'] as const;

export interface RsRow {
  identifier: string;
  scope: string;
  ttl: number;
  alg: string;
  disabled: boolean;
  builtIn: boolean;
  /** when it was disabled, in words (Bangkok time) */
  disabledAt?: string;
}

/** the form's values as typed */
export interface RsForm {
  identifier: string;
  scope: string;
  access_token_ttl: string;
  signing_alg: string;
}

const hidden = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;
const notice = (text?: string) => (text ? html`<p class="notice" role="status">${text}</p>` : '');
const labelsOf = (lang: Lang): Record<string, string> => ({
  identifier: t(lang, 'rsIdentifier'), scope: t(lang, 'rsScope'), access_token_ttl: t(lang, 'rsTtl'), signing_alg: t(lang, 'rsAlg'), reason: t(lang, 'rsReason'),
});
export const rsPath = (identifier: string) => `/admin/resource-servers/${encodeURIComponent(identifier)}`;

function algSelect(lang: Lang, value: string, errors: Record<string, string>): Html {
  const e = errors.signing_alg;
  return html`<div class="field"><label for="signing_alg">${t(lang, 'rsAlg')}</label>
  <select id="signing_alg" name="signing_alg"${e ? html` aria-invalid="true" aria-describedby="signing_alg-error"` : ''}>${SIGNING_ALGS.map((a) => html`<option value="${a}"${value === a ? html` selected` : ''}>${a}</option>`)}</select>
  ${e ? html`<span class="field-error" id="signing_alg-error">${e}</span>` : ''}</div>`;
}

const status = (lang: Lang, r: RsRow) => html`${r.disabled ? html`<strong>${t(lang, 'rsDisabled')}</strong>${r.disabledAt ? ` (${r.disabledAt})` : ''}` : t(lang, 'rsEnabled')}${r.builtIn ? ` · ${t(lang, 'rsBuiltIn')}` : ''}`;

export function rsListPage(lang: Lang, p: { csrf: string; rows: RsRow[]; values: RsForm; errors: Record<string, string>; notice?: string }): string {
  const e = p.errors;
  const cols = [t(lang, 'rsIdentifier'), t(lang, 'rsScope'), t(lang, 'rsTtl'), t(lang, 'rsAlg'), t(lang, 'rsStatus'), ''];
  return adminAreaPage(lang, t(lang, 'rsTitle'), html`${errorSummary(t(lang, 'rsErrors'), e, labelsOf(lang))}${notice(p.notice)}
<p>${t(lang, 'rsIntro')}</p>
${p.rows.length
  ? stackTable(t(lang, 'rsTitle'), cols, p.rows.map((r) => [
      html`<code>${r.identifier}</code>`, r.scope ? html`<code>${r.scope}</code>` : '-', String(r.ttl), r.alg, status(lang, r),
      html`<a href="${rsPath(r.identifier)}?lang=${lang}">${t(lang, 'rsOpen')}<span class="visually-hidden"> ${r.identifier}</span></a>`,
    ]))
  : html`<p>${t(lang, 'rsNone')}</p>`}
<section aria-labelledby="register"><h2 id="register">${t(lang, 'rsRegisterHeading')}</h2>
<form method="post" action="/admin/resource-servers?lang=${lang}" novalidate>${hidden(p.csrf)}
  ${field({ name: 'identifier', label: t(lang, 'rsIdentifier'), value: p.values.identifier, hint: t(lang, 'rsIdentifierHint'), errors: e, type: 'url', attrs: html`maxlength="500" required autocomplete="off"` })}
  ${field({ name: 'scope', label: t(lang, 'rsScope'), value: p.values.scope, errors: e, attrs: html`maxlength="500" autocomplete="off"` })}
  ${field({ name: 'access_token_ttl', label: t(lang, 'rsTtl'), value: p.values.access_token_ttl, errors: e, attrs: html`inputmode="numeric" maxlength="5"` })}
  ${algSelect(lang, p.values.signing_alg, e)}
  <button type="submit">${t(lang, 'rsRegister')}</button>
</form></section>`, '/admin/resource-servers');
}

export function rsEditPage(lang: Lang, p: { csrf: string; rs: RsRow; values: RsForm; errors: Record<string, string>; notice?: string }): string {
  const { rs, values: v, errors: e } = p;
  const action = rsPath(rs.identifier);
  return adminAreaPage(lang, t(lang, 'rsEditTitle'), html`${errorSummary(t(lang, 'rsErrors'), e, labelsOf(lang))}${notice(p.notice)}
<p><a href="/admin/resource-servers?lang=${lang}">${t(lang, 'rsBackToList')}</a></p>
<p>${t(lang, 'rsIdentifier')}: <code>${rs.identifier}</code> · ${status(lang, rs)}</p>
${rs.builtIn ? html`<p>${t(lang, 'rsBuiltInHint')}</p>` : ''}
<form method="post" action="${action}?lang=${lang}" novalidate>${hidden(p.csrf)}
  ${rs.builtIn
    ? html`<p>${t(lang, 'rsScope')}: <code>${rs.scope}</code></p>${e.scope ? html`<p class="field-error" id="scope">${e.scope}</p>` : ''}`
    : field({ name: 'scope', label: t(lang, 'rsScope'), value: v.scope, errors: e, attrs: html`maxlength="500" autocomplete="off"` })}
  ${field({ name: 'access_token_ttl', label: t(lang, 'rsTtl'), value: v.access_token_ttl, errors: e, attrs: html`inputmode="numeric" maxlength="5"` })}
  ${algSelect(lang, v.signing_alg, e)}
  <button type="submit">${t(lang, 'rsSave')}</button>
</form>
${rs.builtIn ? (e.reason ? html`<p class="field-error" id="reason">${e.reason}</p>` : '') : html`<section aria-labelledby="state"><h2 id="state">${t(lang, 'rsDisableHeading')}</h2>
<p>${t(lang, 'rsDisableHint')}</p>
<form method="post" action="${action}/${rs.disabled ? 'enable' : 'disable'}?lang=${lang}" novalidate>${hidden(p.csrf)}
  ${field({ name: 'reason', label: t(lang, 'rsReason'), value: '', errors: e, attrs: html`maxlength="200" required` })}
  <button type="submit" class="${rs.disabled ? 'secondary' : 'warning'}">${rs.disabled ? t(lang, 'rsEnable') : t(lang, 'rsDisable')}</button>
</form></section>`}`, action);
}
