// The register check's part of its step on /account/verify: the laser code from the back of the card,
// while the step can be done (the page gives the heading, what it needs and what it gives).
import { html, type Html } from '../../../../kernel/web/html.ts';
import { t } from '../../../web/messages.ts';
import { field, type FieldErrors } from '../../../../kernel/web/form.ts';
import type { StepState } from '../../views.ts';

export function registerCheckSection(p: { lang: 'th' | 'en'; csrf: string; available: boolean; triesLeft: number; errors: FieldErrors; step: StepState }): Html {
  const { lang, errors } = p;
  if (p.step !== 'next' && p.step !== 'later') return html``;
  return html`${p.available
  ? html`<p>${t(lang, 'registerCheckIntro')}</p>
<form method="post" action="/account/verify/register" novalidate>
  <input type="hidden" name="csrf" value="${p.csrf}">
  ${field({ name: 'laser_code', label: t(lang, 'laserCode'), errors, hint: t(lang, 'laserCodeHint'), attrs: html`autocomplete="off" autocapitalize="characters" maxlength="16" required` })}
  <p><small>${t(lang, 'registerCheckTriesLeft', { tries: p.triesLeft })}</small></p>
  <button type="submit">${t(lang, 'registerCheckSubmit')}</button>
</form>`
  : html`<p>${t(lang, 'registerCheckUnavailable')}</p>`}`;
}
