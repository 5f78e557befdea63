import { html } from '../../kernel/web/html.ts';
import { formatDate } from '../../kernel/thai/dates.ts';
import { t } from '../web/messages.ts';
import { accountPage, type Flash } from '../account/pages/views.ts';

/** The linked personnel record as the page shows it (the health_personnel claim). */
export interface PersonnelView {
  provider_id: string;
  license_id: string | null;
  license_expired_date: string | null;
  organizations: Array<{ hcode: string; hname_th: string; position: string }>;
}

export function personnelPage(p: { lang: 'th' | 'en'; csrf: string; claim?: PersonnelView; flash?: Flash }): string {
  const { lang, claim } = p;
  return accountPage({
    lang,
    title: t(lang, 'personnelTitle'),
    path: '/account/personnel',
    flash: p.flash,
    body: claim
      ? html`<dl>
  <dt>${t(lang, 'providerId')}</dt><dd>${claim.provider_id}</dd>
  <dt>${t(lang, 'licence')}</dt><dd>${claim.license_id ?? '-'}${claim.license_expired_date ? html` (${t(lang, 'licenceExpiry')} ${/^\d{4}-\d{2}-\d{2}$/.test(claim.license_expired_date) ? formatDate(claim.license_expired_date, lang) : claim.license_expired_date})` : ''}</dd>
</dl>
<h2>${t(lang, 'units')}</h2>
<ul>${claim.organizations.map((o) => html`<li>${o.hname_th} (${o.hcode}) · ${t(lang, 'position')}: ${o.position}</li>`)}</ul>`
      : html`<p>${t(lang, 'personnelIntro')}</p>
<form method="post" action="/account/personnel">
  <input type="hidden" name="csrf" value="${p.csrf}">
  <button type="submit">${t(lang, 'personnelLink')}</button>
</form>`,
  });
}
