// The verifier console's page: the unit, the search by ID number, the person found with each method's
// forms (rendered by the methods), and the verifier's own history.
import { html, type Html } from '../../../kernel/web/html.ts';
import { layout } from '../../web/layout.ts';
import { tableWrap } from '../../../kernel/web/layout.ts';
import { t } from '../../web/messages.ts';
import { errorSummary, field, type FieldErrors } from '../../../kernel/web/form.ts';
import { checksWords, ialWithLevel, methodWords } from '../../login/views/words.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';

/** The console's menu: search, the photo queue, the unit's page (the current one marked). */
export function verifierNav(lang: Lang, current: '/verifier' | '/verifier/queue' | '/verifier/unit', hcode?: string): Html {
  const q = hcode ? `?unit=${encodeURIComponent(hcode)}` : '';
  const items: Array<[string, string]> = [['/verifier', t(lang, 'verifierNavSearch')], ['/verifier/queue', t(lang, 'verifierNavQueue')], ['/verifier/unit', t(lang, 'verifierNavUnit')]];
  return html`<nav class="account-nav" aria-label="${t(lang, 'verifierTitle')}"><ul>${items.map(([href, label]) => html`<li><a href="${href}${q}"${href === current ? html` aria-current="page"` : ''}>${label}</a></li>`)}</ul></nav>`;
}

export interface VerifierView {
  lang: 'th' | 'en';
  csrf: string;
  unit?: { hcode: string; name: string };
  errors: FieldErrors;
  /** the labels of the methods' fields, for the error summary */
  labels: Record<string, string>;
  notice?: string;
  person?: { sub: string; name: string; birthdate: string; ial: string };
  personSections: Html[];
  /** the scripts the person's forms need */
  scripts: string[];
  history: Array<{ at: string; method: string; checks: string[] }>;
}

export function verifierPage(p: VerifierView): string {
  const { lang, errors } = p;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}">`;
  return layout({
    lang,
    title: t(lang, 'verifierTitle'),
    path: '/verifier',
    wide: true,
    scripts: p.scripts,
    body: !p.unit
      ? html`<p role="alert">${t(lang, 'verifierNotAppointed')}</p>`
      : html`${verifierNav(lang, '/verifier', p.unit.hcode)}
<p>${t(lang, 'verifierUnit', { unit: `${p.unit.name} (${p.unit.hcode})` })}</p>
${p.notice ? html`<p class="notice" role="status">${p.notice}</p>` : ''}
${errorSummary(t(lang, 'formErrors'), errors, { pid: t(lang, 'pid'), reason: t(lang, 'verifierSearchReason'), ...p.labels })}
<h2>${t(lang, 'verifierSearchHeading')}</h2>
<form method="post" action="/verifier/search" novalidate>${hidden}
  <input type="hidden" name="unit" value="${p.unit.hcode}">
  ${field({ name: 'pid', label: t(lang, 'pid'), errors, attrs: html`inputmode="numeric" maxlength="17" autocomplete="off" required` })}
  ${field({ name: 'reason', label: t(lang, 'verifierSearchReason'), errors, attrs: html`maxlength="200" required` })}
  <button type="submit">${t(lang, 'verifierSearch')}</button>
</form>
${p.person
  ? html`<h2>${t(lang, 'verifierPersonHeading')}</h2>
<dl><dt>${t(lang, 'namesHeading')}</dt><dd>${p.person.name}</dd><dt>${t(lang, 'birthdate')}</dt><dd>${p.person.birthdate}</dd><dt>${t(lang, 'verifierCurrentLevel')}</dt><dd>${ialWithLevel(lang, p.person.ial)}</dd></dl>
${p.personSections.map((s) => html`${s}\n`)}`
  : ''}
<h2>${t(lang, 'verifierHistoryHeading')}</h2>
${p.history.length
  ? tableWrap(t(lang, 'verifierHistoryHeading'), html`<table><thead><tr><th scope="col">${t(lang, 'activityWhen')}</th><th scope="col">${t(lang, 'verifierHistoryMethod')}</th><th scope="col">${t(lang, 'verifierHistoryChecks')}</th></tr></thead>
<tbody>${p.history.map((h) => html`<tr><td>${h.at}</td><td>${methodWords(lang, h.method)}</td><td>${checksWords(lang, h.checks)}</td></tr>`)}</tbody></table>`)
  : html`<p>${t(lang, 'verifierHistoryNone')}</p>`}`,
  });
}
