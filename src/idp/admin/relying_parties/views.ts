// The relying-party pages of the administration console: the list (search, pages, people who granted
// access, status), the register / edit form (every field labelled, errors tied to their fields and
// summarised), the page that shows a new secret once, and the disable / enable form with its reason.
import { html, type Html } from '../../../kernel/web/html.ts';
import { errorSummary, field } from '../../../kernel/web/form.ts';
import { stackTable } from '../../../kernel/web/layout.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { layout } from '../../web/layout.ts';
import { t } from '../../web/messages.ts';

/** people who granted access, and whether the count stopped at its bound */
export interface PeopleCount {
  people: number;
  atLeast: boolean;
}

const peopleCount = (lang: Lang, c: PeopleCount) => t(lang, c.atLeast ? 'rpPeopleAtLeast' : 'rpPeopleCount', { count: c.people.toLocaleString('en-US') });

export interface RpRow {
  clientId: string;
  name: string;
  authMethod: string;
  people: PeopleCount;
  disabled: boolean;
}

/** the form's values as posted or as stored, text as typed */
export interface RpForm {
  client_name: string;
  redirect_uris: string;
  post_logout_redirect_uris: string;
  grant_types: string[];
  token_endpoint_auth_method: string;
  scopes: string[];
  backchannel_logout_uri: string;
  hcode: string;
  jwks: string;
  jwks_uri: string;
  admin_api: boolean;
}

export const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials'] as const;
export const AUTH_METHODS = ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'] as const;
export const SCOPES = ['openid', 'offline_access', 'profile', 'phone', 'verified_claims', 'pid', 'health_personnel'] as const;

const page = (lang: Lang, title: string, body: Html, path: string) => layout({ lang, title, path, wide: true, body });
const hidden = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;
const notice = (text?: string) => (text ? html`<p class="notice" role="status">${text}</p>` : '');

export function rpListPage(lang: Lang, p: { search: string; rows: RpRow[]; page: number; more: boolean; notice?: string }): string {
  const query = (n: number) => `/admin/relying-parties?${new URLSearchParams({ ...(p.search ? { search: p.search } : {}), page: String(n), lang })}`;
  const cols = [t(lang, 'rpName'), t(lang, 'rpClientId'), t(lang, 'rpKind'), t(lang, 'rpPeople'), t(lang, 'rpStatus'), ''];
  return page(lang, t(lang, 'rpListTitle'), html`${notice(p.notice)}
<p><a href="/admin">${t(lang, 'adminTitle')}</a> · <a class="button" href="/admin/relying-parties/new?lang=${lang}">${t(lang, 'rpNew')}</a></p>
<form method="get" action="/admin/relying-parties" class="search-filters" role="search">
  <input type="hidden" name="lang" value="${lang}">
  ${field({ name: 'search', label: t(lang, 'rpSearch'), value: p.search, errors: {}, attrs: html`maxlength="100"` })}
  <button type="submit">${t(lang, 'rpSearchButton')}</button>
</form>
${p.rows.length
  ? stackTable(t(lang, 'rpListTitle'), cols, p.rows.map((r) => [
      r.name, html`<code>${r.clientId}</code>`, authWords(lang, r.authMethod), peopleCount(lang, r.people),
      r.disabled ? html`<strong>${t(lang, 'rpDisabled')}</strong>` : t(lang, 'rpEnabled'),
      html`<a href="/admin/relying-parties/${encodeURIComponent(r.clientId)}?lang=${lang}">${t(lang, 'rpOpen')}<span class="visually-hidden"> ${r.name}</span></a>`,
    ]))
  : html`<p>${t(lang, 'rpNone')}</p>`}
<nav class="pager" aria-label="${t(lang, 'rpListTitle')}">${p.page > 1 ? html`<a href="${query(p.page - 1)}">${t(lang, 'rpPrev')}</a>` : ''} ${p.more ? html`<a href="${query(p.page + 1)}">${t(lang, 'rpNext')}</a>` : ''}</nav>`, '/admin/relying-parties');
}

function textarea(name: string, label: string, value: string, errors: Record<string, string>, hint?: string): Html {
  const described = [hint ? `${name}-hint` : '', errors[name] ? `${name}-error` : ''].filter(Boolean).join(' ');
  return html`<div class="field"><label for="${name}">${label}</label>${hint ? html`<small id="${name}-hint">${hint}</small>` : ''}
  <textarea id="${name}" name="${name}" rows="3"${described ? html` aria-describedby="${described}"` : ''}${errors[name] ? html` aria-invalid="true"` : ''}>${value}</textarea>
  ${errors[name] ? html`<span class="field-error" id="${name}-error">${errors[name]}</span>` : ''}</div>`;
}

/** A protocol value in words (its name on the page is what the relying party's developer reads in its own terms). */
export const grantWords = (lang: Lang, g: string) => t(lang, `rpGrant_${g}` as 'rpGrant_authorization_code');
export const authWords = (lang: Lang, m: string) =>
  m === 'none' ? t(lang, 'rpAuthNone') : (AUTH_METHODS as readonly string[]).includes(m) ? t(lang, `rpAuth_${m}` as 'rpAuth_client_secret_basic') : m.replaceAll('_', ' ');
const scopeWords = (lang: Lang, s: string) => t(lang, `rpScope_${s}` as 'rpScope_openid');

function checkboxes(name: string, legend: string, options: readonly string[], chosen: string[], errors: Record<string, string>, words: (o: string) => string, hint?: string): Html {
  return html`<fieldset id="${name}"${errors[name] ? html` aria-invalid="true" aria-describedby="${name}-error"` : hint ? html` aria-describedby="${name}-hint"` : ''}><legend>${legend}</legend>
  ${hint ? html`<small id="${name}-hint">${hint}</small>` : ''}
  ${options.map((o) => html`<div class="checkbox"><input type="checkbox" id="${name}-${o}" name="${name}" value="${o}"${chosen.includes(o) ? html` checked` : ''}><label for="${name}-${o}">${words(o)}</label></div>`)}
  ${errors[name] ? html`<span class="field-error" id="${name}-error">${errors[name]}</span>` : ''}</fieldset>`;
}

export function rpFormPage(lang: Lang, p: { csrf: string; clientId?: string; values: RpForm; errors: Record<string, string>; notice?: string; disabled?: boolean; people?: PeopleCount; hasSecret?: boolean }): string {
  const v = p.values;
  const e = p.errors;
  const labels: Record<string, string> = {
    client_name: t(lang, 'rpName'), redirect_uris: t(lang, 'rpRedirectUris'), post_logout_redirect_uris: t(lang, 'rpLogoutUris'), grant_types: t(lang, 'rpGrantTypes'),
    token_endpoint_auth_method: t(lang, 'rpAuthMethod'), scopes: t(lang, 'rpScopes'), backchannel_logout_uri: t(lang, 'rpBackchannel'), hcode: t(lang, 'rpHcode'), jwks: t(lang, 'rpJwks'), jwks_uri: t(lang, 'rpJwksUri'),
  };
  const editing = p.clientId !== undefined;
  const title = editing ? t(lang, 'rpFormTitleEdit', { name: v.client_name || p.clientId! }) : t(lang, 'rpFormTitleNew');
  const action = editing ? `/admin/relying-parties/${encodeURIComponent(p.clientId!)}` : '/admin/relying-parties';
  return page(lang, title, html`${errorSummary(t(lang, 'rpFormErrors'), e, labels)}${notice(p.notice)}
<p><a href="/admin/relying-parties?lang=${lang}">${t(lang, 'rpBackToList')}</a></p>
${editing ? html`<p>${t(lang, 'rpClientId')}: <code>${p.clientId!}</code> · ${p.disabled ? html`<strong>${t(lang, 'rpDisabled')}</strong>` : t(lang, 'rpEnabled')} · ${t(lang, 'rpPeople')}: ${peopleCount(lang, p.people ?? { people: 0, atLeast: false })}</p>` : ''}
<form method="post" action="${action}?lang=${lang}" novalidate>${hidden(p.csrf)}
  ${field({ name: 'client_name', label: labels.client_name!, value: v.client_name, errors: e, attrs: html`maxlength="200" required` })}
  ${textarea('redirect_uris', labels.redirect_uris!, v.redirect_uris, e, t(lang, 'rpRedirectHint'))}
  ${textarea('post_logout_redirect_uris', labels.post_logout_redirect_uris!, v.post_logout_redirect_uris, e)}
  ${checkboxes('grant_types', labels.grant_types!, GRANT_TYPES, v.grant_types, e, (g) => grantWords(lang, g))}
  <div class="field"><label for="token_endpoint_auth_method">${labels.token_endpoint_auth_method}</label>
  <select id="token_endpoint_auth_method" name="token_endpoint_auth_method"${e.token_endpoint_auth_method ? html` aria-invalid="true" aria-describedby="token_endpoint_auth_method-error"` : ''}>${AUTH_METHODS.map((m) => html`<option value="${m}"${v.token_endpoint_auth_method === m ? html` selected` : ''}>${authWords(lang, m)}</option>`)}</select>
  ${e.token_endpoint_auth_method ? html`<span class="field-error" id="token_endpoint_auth_method-error">${e.token_endpoint_auth_method}</span>` : ''}</div>
  ${checkboxes('scopes', labels.scopes!, SCOPES, v.scopes, e, (o) => scopeWords(lang, o), t(lang, 'rpScopesHint'))}
  ${field({ name: 'backchannel_logout_uri', label: labels.backchannel_logout_uri!, value: v.backchannel_logout_uri, type: 'url', errors: e })}
  ${field({ name: 'hcode', label: labels.hcode!, value: v.hcode, hint: t(lang, 'rpHcodeHint'), errors: e, attrs: html`inputmode="numeric" maxlength="5"` })}
  ${textarea('jwks', labels.jwks!, v.jwks, e)}
  ${field({ name: 'jwks_uri', label: labels.jwks_uri!, value: v.jwks_uri, type: 'url', errors: e })}
  <div class="checkbox"><input type="checkbox" id="admin_api" name="admin_api" value="yes"${v.admin_api ? html` checked` : ''}><label for="admin_api">${t(lang, 'rpAdminApi')}</label></div>
  <button type="submit">${editing ? t(lang, 'rpSave') : t(lang, 'rpRegister')}</button>
</form>
${editing ? html`${p.hasSecret ? html`<h2>${t(lang, 'rpRotate')}</h2>
<form method="post" action="${action}/secret?lang=${lang}">${hidden(p.csrf)}<p>${t(lang, 'rpRotateHint')}</p><button type="submit" class="secondary">${t(lang, 'rpRotate')}</button></form>` : ''}
<h2>${t(lang, 'rpDisableHeading')}</h2>
<form method="post" action="${action}/${p.disabled ? 'enable' : 'disable'}?lang=${lang}" novalidate>${hidden(p.csrf)}
  ${field({ name: 'reason', label: t(lang, 'rpReason'), value: '', errors: e, attrs: html`maxlength="200" required` })}
  <button type="submit" class="secondary">${p.disabled ? t(lang, 'rpEnable') : t(lang, 'rpDisable')}</button>
</form>` : ''}`, editing ? `/admin/relying-parties/${encodeURIComponent(p.clientId!)}` : '/admin/relying-parties/new');
}

/** The secret of a client just registered or rotated: shown this once. */
export function rpSecretPage(lang: Lang, p: { clientId: string; secret?: string; message: string }): string {
  return page(lang, p.message, html`<p class="notice" role="status">${p.message}</p>
<dl><dt>${t(lang, 'rpClientId')}</dt><dd><code id="client-id">${p.clientId}</code></dd>
${p.secret ? html`<dt>${t(lang, 'rpSecret')}</dt><dd><code id="client-secret">${p.secret}</code></dd>` : ''}</dl>
${p.secret ? html`<p role="alert">${t(lang, 'rpSecretOnce')}</p>` : ''}
<p><a href="/admin/relying-parties/${encodeURIComponent(p.clientId)}?lang=${lang}">${t(lang, 'rpOpen')}</a> · <a href="/admin/relying-parties?lang=${lang}">${t(lang, 'rpBackToList')}</a></p>`, `/admin/relying-parties/${encodeURIComponent(p.clientId)}`);
}
