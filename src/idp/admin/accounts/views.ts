// The account pages of the administration console: the search by ID number (a POST with a reason),
// and one account: identity (masked), levels, authenticators (what each says of itself, no secret),
// login lock, sessions, connected applications and roles, with the actions an administrator may take.
import { html, type Html } from '../../../kernel/web/html.ts';
import { errorSummary, field } from '../../../kernel/web/form.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { formatDate } from '../../../kernel/thai/dates.ts';
import { t } from '../../web/messages.ts';
import { aalWords, ialWithLevel } from '../../login/views/words.ts';
import { adminAreaPage } from '../views.ts';
import { roleWords } from '../roles/views.ts';

export interface AccountView {
  sub: string;
  pidMasked: string;
  name: string;
  nameEn: string | null;
  birthdate: string;
  phoneMasked: string | null;
  phoneVerified: boolean;
  ial: string | null;
  aal: string | null;
  password: boolean;
  app: { since: string } | null;
  passkeys: Array<{ name: string; created: string }>;
  recoveryCodes: number;
  lockedUntil: string | null;
  failures: number;
  sessions: Array<{ at: string; acr: string }>;
  applications: Array<{ clientId: string; scope: string }>;
  roles: Array<{ role: string; unit: string | null; granted: string; withdrawn: string | null }>;
}

const hidden = (csrf: string) => html`<input type="hidden" name="csrf" value="${csrf}">`;

export function accountFindPage(lang: Lang, p: { csrf: string; pid?: string; errors: Record<string, string> }): string {
  return adminAreaPage(lang, t(lang, 'acTitle'), html`${errorSummary(t(lang, 'acErrors'), p.errors, { pid: t(lang, 'acPid'), reason: t(lang, 'acReason') })}
<h2>${t(lang, 'acFindHeading')}</h2>
<form method="post" action="/admin/accounts/find?lang=${lang}" novalidate>${hidden(p.csrf)}
  ${field({ name: 'pid', label: t(lang, 'acPid'), value: p.pid ?? '', hint: t(lang, 'acFindHint'), errors: p.errors, attrs: html`inputmode="numeric" maxlength="17" autocomplete="off"` })}
  ${field({ name: 'reason', label: t(lang, 'acReason'), value: '', errors: p.errors, attrs: html`maxlength="200"` })}
  <button type="submit">${t(lang, 'acFind')}</button>
</form>`, '/admin/accounts');
}

function reasonForm(lang: Lang, csrf: string, action: string, id: string, button: string, o: { warning?: boolean; extra?: Html; errors: Record<string, string> }): Html {
  return html`<form method="post" action="${action}?lang=${lang}" novalidate>${hidden(csrf)}
  ${o.extra ?? ''}
  ${field({ name: `${id}_reason`, label: t(lang, 'acReason'), value: '', errors: o.errors, attrs: html`maxlength="200" required` })}
  <button type="submit"${o.warning ? html` class="warning"` : html` class="secondary"`}>${button}</button>
</form>`;
}

export function accountPage(lang: Lang, p: { csrf: string; a: AccountView; notice?: string; errors: Record<string, string>; checks: readonly string[] }): string {
  const a = p.a;
  const base = `/admin/accounts/${encodeURIComponent(a.sub)}`;
  const labels = { unlock_reason: t(lang, 'acUnlock'), sessions_reason: t(lang, 'acEndSessions'), factors_reason: t(lang, 'acRemove'), check: t(lang, 'acCheck') };
  return adminAreaPage(lang, t(lang, 'acAccountTitle', { name: a.name }), html`${errorSummary(t(lang, 'acErrors'), p.errors, labels)}
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
<p><a href="/admin/accounts?lang=${lang}">${t(lang, 'acFindHeading')}</a></p>
<section aria-labelledby="identity"><h2 id="identity">${t(lang, 'acIdentity')}</h2>
<dl>
  <dt>${t(lang, 'acPid')}</dt><dd>${a.pidMasked}</dd>
  <dt>${t(lang, 'acName')}</dt><dd>${a.name}</dd>
  ${a.nameEn ? html`<dt>${t(lang, 'acNameEn')}</dt><dd>${a.nameEn}</dd>` : ''}
  <dt>${t(lang, 'acBirthdate')}</dt><dd>${formatDate(a.birthdate, lang)}</dd>
  <dt>${t(lang, 'acPhone')}</dt><dd>${a.phoneMasked ?? t(lang, 'acNone')} (${t(lang, a.phoneVerified ? 'acPhoneVerified' : 'acPhoneUnverified')})</dd>
  <dt>sub</dt><dd><code>${a.sub}</code></dd>
</dl></section>
<section aria-labelledby="levels"><h2 id="levels">${t(lang, 'acLevels')}</h2>
<dl><dt>${t(lang, 'acIal')}</dt><dd id="ial">${ialWithLevel(lang, a.ial)}</dd>
<dt>${t(lang, 'acAal')}</dt><dd id="aal">${a.aal ? html`${aalWords(lang, a.aal)} (AAL ${a.aal.split(':').pop()!})` : t(lang, 'acNone')}</dd></dl></section>
<section aria-labelledby="authenticators"><h2 id="authenticators">${t(lang, 'acAuthenticators')}</h2>
<ul id="authenticator-list">
  ${a.password ? html`<li>${t(lang, 'acPassword')}</li>` : ''}
  <li>${t(lang, 'acApp')}: ${a.app ? t(lang, 'acAppSince', { at: a.app.since }) : t(lang, 'acNone')}</li>
  <li>${t(lang, 'acPasskeys')}: ${a.passkeys.length ? html`<ul>${a.passkeys.map((k) => html`<li>${t(lang, 'acPasskeyLine', { name: k.name, at: k.created })}</li>`)}</ul>` : t(lang, 'acNone')}</li>
  <li>${t(lang, 'acRecoveryCodes')}: ${a.recoveryCodes}</li>
</ul>
<h3>${t(lang, 'acRemoveFactors')}</h3>
<p>${t(lang, 'acRemoveFactorsHint')}</p>
${reasonForm(lang, p.csrf, `${base}/second-factors/remove`, 'factors', t(lang, 'acRemove'), { warning: true, errors: p.errors, extra: html`<fieldset id="check"${p.errors.check ? html` aria-invalid="true" aria-describedby="check-error"` : ''}><legend>${t(lang, 'acCheck')}</legend>
  ${p.checks.map((c) => html`<div class="checkbox"><input type="radio" id="check-${c}" name="check" value="${c}"><label for="check-${c}">${t(lang, `acCheck_${c}` as 'acCheck_in_person_id_card')}</label></div>`)}
  ${p.errors.check ? html`<span class="field-error" id="check-error">${p.errors.check}</span>` : ''}</fieldset>` })}
</section>
<section aria-labelledby="throttle"><h2 id="throttle">${t(lang, 'acThrottle')}</h2>
<p id="lock-state">${a.lockedUntil ? t(lang, 'acLockedUntil', { at: a.lockedUntil }) : a.failures ? t(lang, 'acFailures', { count: a.failures }) : t(lang, 'acNotLocked')}</p>
${a.lockedUntil || a.failures ? reasonForm(lang, p.csrf, `${base}/unlock`, 'unlock', t(lang, 'acUnlock'), { errors: p.errors }) : ''}
</section>
<section aria-labelledby="sessions"><h2 id="sessions">${t(lang, 'acSessions')}</h2>
${a.sessions.length ? html`<ul>${a.sessions.map((s) => html`<li>${t(lang, 'acSessionLine', { at: s.at, acr: aalWords(lang, s.acr) })}</li>`)}</ul>
${reasonForm(lang, p.csrf, `${base}/sessions/end`, 'sessions', t(lang, 'acEndSessions'), { warning: true, errors: p.errors })}` : html`<p>${t(lang, 'acNoSessions')}</p>`}
</section>
<section aria-labelledby="applications"><h2 id="applications">${t(lang, 'acApplications')}</h2>
${a.applications.length ? html`<ul>${a.applications.map((g) => html`<li><code>${g.clientId}</code> · ${g.scope}</li>`)}</ul>` : html`<p>${t(lang, 'acNoApplications')}</p>`}
</section>
<section aria-labelledby="roles"><h2 id="roles">${t(lang, 'acRoles')}</h2>
${a.roles.length ? html`<ul>${a.roles.map((r) => html`<li>${t(lang, 'acRoleLine', { role: roleWords(lang, r.role), unit: r.unit ? t(lang, 'roAtUnit', { unit: r.unit }) : '', at: r.granted })}${r.withdrawn ? t(lang, 'acRoleWithdrawn', { at: r.withdrawn }) : ''}</li>`)}</ul>` : html`<p>${t(lang, 'acNoRoles')}</p>`}
<p><a href="/admin/roles?lang=${lang}">${t(lang, 'roTitle')}</a></p>
</section>`, base);
}
