import { html, type Html } from '../../../kernel/web/html.ts';
import { t } from '../../web/messages.ts';

/** Where password-strength.js writes its hint for the new-password input with data-strength="password-strength". */
export function strengthOutput(lang: 'th' | 'en'): Html {
  const labels = ([0, 1, 2, 3, 4] as const).map((n) => t(lang, `passwordStrength${n}`)).join('|');
  return html`<p id="password-strength" class="strength" aria-live="polite" data-prefix="${t(lang, 'passwordStrengthLabel', { strength: '' })}" data-labels="${labels}"></p>`;
}
