// The roles page of the administration console: grant a role (the person by ID number), everyone's
// current roles (each with a withdraw form and its reason) or the whole history of grants and withdrawals.
import { html } from '../../../kernel/web/html.ts';
import { errorSummary, field } from '../../../kernel/web/form.ts';
import { stackTable } from '../../../kernel/web/layout.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { messages, t, type MessageKey } from '../../web/messages.ts';
import { adminAreaPage } from '../views.ts';

/** A role's name in words (one the catalogue has no words for is "another role", never only its identifier). */
export const roleWords = (lang: Lang, role: string): string => {
  const key = `roName_${role}`;
  return key in messages[lang] ? t(lang, key as MessageKey) : `${t(lang, 'roName_other')} (${role})`;
};

export interface RoleRow {
  id: number;
  sub: string;
  role: string;
  unit: string | null;
  province: string | null;
  granted: string;
  withdrawn: string | null;
}

const short = (id: string) => (id.length > 14 && !id.startsWith('operator:') && !id.startsWith('client:') ? `${id.slice(0, 8)}…` : id);

export function rolesPage(lang: Lang, p: { csrf: string; roles: readonly string[]; rows: RoleRow[]; history: boolean; values: Record<string, string>; errors: Record<string, string>; notice?: string }): string {
  const labels = { pid: t(lang, 'roPid'), role: t(lang, 'roRole'), hcode: t(lang, 'roUnit'), province: t(lang, 'roProvince'), reason: t(lang, 'roReason'), withdraw: t(lang, 'roWithdraw') };
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  const cols = [t(lang, 'roWho'), t(lang, 'roRole'), t(lang, 'roGranted'), p.history ? t(lang, 'roWithdrawn') : t(lang, 'roWithdraw')];
  return adminAreaPage(lang, t(lang, 'roTitle'), html`${errorSummary(t(lang, 'roErrors'), p.errors, labels)}
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
<section aria-labelledby="grant"><h2 id="grant">${t(lang, 'roGrantHeading')}</h2>
<p>${t(lang, 'roGrantHint')}</p>
<form method="post" action="/admin/roles/grant?lang=${lang}" novalidate>${hidden}
  ${field({ name: 'pid', label: labels.pid, value: p.values.pid ?? '', errors: p.errors, attrs: html`inputmode="numeric" maxlength="17" autocomplete="off"` })}
  <div class="field"><label for="role">${labels.role}</label><select id="role" name="role">${p.roles.map((r) => html`<option value="${r}"${p.values.role === r ? html` selected` : ''}>${roleWords(lang, r)}</option>`)}</select></div>
  ${field({ name: 'hcode', label: labels.hcode, value: p.values.hcode ?? '', errors: p.errors, attrs: html`inputmode="numeric" maxlength="5"` })}
  ${field({ name: 'province', label: labels.province, value: p.values.province ?? '', errors: p.errors, attrs: html`inputmode="numeric" maxlength="2"` })}
  ${field({ name: 'reason', label: labels.reason, value: p.values.reason ?? '', errors: p.errors, attrs: html`maxlength="200"` })}
  <button type="submit">${t(lang, 'roGrant')}</button>
</form></section>
<section aria-labelledby="holders"><h2 id="holders">${p.history ? t(lang, 'roHistory') : t(lang, 'roCurrent')}</h2>
<p><a href="/admin/roles?${new URLSearchParams({ ...(p.history ? {} : { history: '1' }), lang }).toString()}">${p.history ? t(lang, 'roShowCurrent') : t(lang, 'roShowHistory')}</a></p>
${p.rows.length ? stackTable(p.history ? t(lang, 'roHistory') : t(lang, 'roCurrent'), cols, p.rows.map((r) => [
    html`<a href="/admin/accounts/${encodeURIComponent(r.sub)}?lang=${lang}" title="${r.sub}">${short(r.sub)}</a>`,
    `${roleWords(lang, r.role)}${r.unit ? t(lang, 'roAtUnit', { unit: r.unit }) : ''}${r.province ? t(lang, 'roInProvince', { province: r.province }) : ''}`,
    r.granted,
    p.history ? (r.withdrawn ?? t(lang, 'roStillHeld')) : html`<form method="post" action="/admin/roles/withdraw?lang=${lang}" class="inline">${hidden}
  <input type="hidden" name="sub" value="${r.sub}"><input type="hidden" name="role" value="${r.role}"><input type="hidden" name="hcode" value="${r.unit ?? ''}"><input type="hidden" name="province" value="${r.province ?? ''}">
  <label for="withdraw-${r.id}">${t(lang, 'roWithdrawReason')}</label> <input id="withdraw-${r.id}" name="reason" maxlength="200" required>
  <button type="submit" class="warning">${t(lang, 'roWithdraw')}</button></form>`,
  ])) : html`<p>${t(lang, 'roNone')}</p>`}
</section>`, '/admin/roles');
}
