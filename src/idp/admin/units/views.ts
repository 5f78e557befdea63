// The service units pages of the administration console: the search and its results (a page at a
// time), and one unit's page (who serves there, its card readers, the service-point form with a reason).
import { html } from '../../../kernel/web/html.ts';
import { errorSummary, field } from '../../../kernel/web/form.ts';
import { stackTable } from '../../../kernel/web/layout.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { t } from '../../web/messages.ts';
import { roleWords } from '../roles/views.ts';
import { adminAreaPage } from '../views.ts';

/** a unit as the console, the admin API and mpid show it (./index.ts reads it) */
export interface UnitSummary {
  hcode: string;
  name_th: string;
  name_en: string | null;
  unit_type: string;
  province: string;
  district: string;
  subdistrict: string;
  service_point: boolean;
  unit_admins: number;
  verifiers: number;
  card_agents: number;
}

const nameIn = (lang: Lang, u: UnitSummary) => (lang === 'en' && u.name_en ? u.name_en : u.name_th);
const short = (sub: string) => (sub.length > 14 ? `${sub.slice(0, 8)}…` : sub);

export function unitsListPage(lang: Lang, p: { rows: UnitSummary[]; search: string; province: string; servicePoints: boolean; page: number; more: boolean }): string {
  const query = (page: number) => new URLSearchParams({ search: p.search, province: p.province, ...(p.servicePoints ? { service_points: '1' } : {}), page: String(page), lang }).toString();
  const cols = [t(lang, 'unHcode'), t(lang, 'unName'), t(lang, 'unPlace'), t(lang, 'unServicePoint'), t(lang, 'unPeople'), ''];
  return adminAreaPage(lang, t(lang, 'unTitle'), html`<p>${t(lang, 'unIntro')}</p>
<form method="get" action="/admin/units" role="search">
  <input type="hidden" name="lang" value="${lang}">
  <div class="field"><label for="search">${t(lang, 'unSearch')}</label><input id="search" name="search" value="${p.search}" maxlength="100"></div>
  <div class="field"><label for="province">${t(lang, 'unProvince')}</label><input id="province" name="province" value="${p.province}" maxlength="100"></div>
  <div class="field checkbox"><input type="checkbox" id="service_points" name="service_points" value="1"${p.servicePoints ? html` checked` : ''}><label for="service_points">${t(lang, 'unOnlyServicePoints')}</label></div>
  <button type="submit">${t(lang, 'unFind')}</button>
</form>
${p.rows.length
  ? stackTable(t(lang, 'unTitle'), cols, p.rows.map((u) => [
      html`<code>${u.hcode}</code>`, nameIn(lang, u), [u.district, u.province].filter(Boolean).join(', '),
      u.service_point ? html`<strong>${t(lang, 'unYes')}</strong>` : t(lang, 'unNo'), `${u.unit_admins} / ${u.verifiers} / ${u.card_agents}`,
      html`<a href="/admin/units/${u.hcode}?lang=${lang}">${t(lang, 'unOpen')}<span class="visually-hidden"> ${u.hcode}</span></a>`,
    ]))
  : html`<p>${t(lang, 'unNone')}</p>`}
<p>${p.page > 1 ? html`<a href="/admin/units?${query(p.page - 1)}">${t(lang, 'unPrevious')}</a> ` : ''}${p.more ? html`<a href="/admin/units?${query(p.page + 1)}">${t(lang, 'unNext')}</a>` : ''}</p>`, '/admin/units');
}

export function unitPage(lang: Lang, p: {
  csrf: string;
  unit: UnitSummary;
  roles: Array<{ sub: string; role: string; granted: string }>;
  agents: Array<{ id: string; name: string | null; seen: string | null }>;
  errors: Record<string, string>;
  reason: string;
  notice?: string;
}): string {
  const u = p.unit;
  const open = !u.service_point;
  return adminAreaPage(lang, `${nameIn(lang, u)} (${u.hcode})`, html`${errorSummary(t(lang, 'unErrors'), p.errors, { reason: t(lang, 'unReason') })}
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
<p>${[u.subdistrict, u.district, u.province].filter(Boolean).join(', ')} · ${u.unit_type} · ${t(lang, 'unServicePoint')}: ${u.service_point ? html`<strong>${t(lang, 'unYes')}</strong>` : t(lang, 'unNo')}</p>
<section aria-labelledby="roles"><h2 id="roles">${t(lang, 'unRoles')}</h2>
${p.roles.length ? html`<ul>${p.roles.map((r) => html`<li><a href="/admin/accounts/${encodeURIComponent(r.sub)}?lang=${lang}" title="${r.sub}">${short(r.sub)}</a>: ${roleWords(lang, r.role)} (${r.granted})</li>`)}</ul>` : html`<p>${t(lang, 'unNoRoles')}</p>`}
</section>
<section aria-labelledby="agents"><h2 id="agents">${t(lang, 'unAgents')}</h2>
${p.agents.length ? html`<ul>${p.agents.map((a) => html`<li><code>${a.id}</code>${a.name ? ` ${a.name}` : ''}: ${a.seen ? t(lang, 'unAgentSeen', { at: a.seen }) : t(lang, 'unAgentNeverSeen')}</li>`)}</ul>` : html`<p>${t(lang, 'unNoAgents')}</p>`}
</section>
<section aria-labelledby="service-point"><h2 id="service-point">${open ? t(lang, 'unOpenHeading') : t(lang, 'unCloseHeading')}</h2>
<form method="post" action="/admin/units/${u.hcode}/service-point?lang=${lang}" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}"><input type="hidden" name="service_point" value="${open ? 'on' : 'off'}">
  ${field({ name: 'reason', label: t(lang, 'unReason'), value: p.reason, errors: p.errors, attrs: html`maxlength="200"` })}
  <button type="submit"${open ? '' : html` class="warning"`}>${open ? t(lang, 'unOpenButton') : t(lang, 'unCloseButton')}</button>
</form></section>`, '/admin/units');
}
