// The identity verification page: the person's level, one error summary for every form on it, then
// each method's section as the method rendered it.
import { html, type Html } from '../../kernel/web/html.ts';
import { t } from '../web/messages.ts';
import { accountPage, type Flash } from '../account/pages/views.ts';
import { errorSummary, type FieldErrors } from '../../kernel/web/form.ts';

export function verifyIdentityPage(p: { lang: 'th' | 'en'; ial: string; labels: Record<string, string>; sections: Html[]; errors: FieldErrors; flash?: Flash }): string {
  const { lang } = p;
  return accountPage({
    lang,
    title: t(lang, 'verifyIdTitle'),
    path: '/account/verify',
    flash: p.flash,
    body: html`<p>${t(lang, 'verifyIdLevel', { ial: p.ial })}</p>
${errorSummary(t(lang, 'formErrors'), p.errors, p.labels)}
${p.sections.map((s) => html`${s}\n`)}`,
  });
}
