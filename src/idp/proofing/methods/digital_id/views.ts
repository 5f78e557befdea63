// The digital ID's part of its step on /account/verify: one button to ThaID while the step can be done.
import { html, type Html } from '../../../../kernel/web/html.ts';
import { t } from '../../../web/messages.ts';
import type { FieldErrors } from '../../../../kernel/web/form.ts';
import type { StepState } from '../../views.ts';

export function digitalIdSection(p: { lang: 'th' | 'en'; csrf: string; available: boolean; errors: FieldErrors; step: StepState }): Html {
  const { lang, errors } = p;
  if (p.step !== 'next' && p.step !== 'later') return html``;
  if (!p.available) return html`<p>${t(lang, 'digitalIdNotOffered')}</p>`;
  const error = errors.digital_id;
  return html`<p>${t(lang, 'digitalIdIntro')}</p>
${error ? html`<p class="field-error" id="digital_id-error">${error}</p>` : ''}
<form method="post" action="/account/verify/digital-id">
  <input type="hidden" name="csrf" value="${p.csrf}">
  <button type="submit" id="digital_id"${error ? html` aria-describedby="digital_id-error"` : ''}>${t(lang, 'digitalIdSubmit')}</button>
</form>`;
}
