// The SMS code on the second-factor page: a button that sends it, then the field for the code.
import { html, type Html } from '../../../kernel/web/html.ts';
import { t } from '../../web/messages.ts';
import { codeField, csrfInput } from '../../login/views/second_factor.ts';

export function smsLoginSection(p: { lang: 'th' | 'en'; uid: string; csrf: string; error?: string; smsSent: boolean; /** masked */ phone?: string }): Html {
  const { lang, uid, error } = p;
  const hidden = csrfInput(p.csrf);
  return html`<section>
  ${p.smsSent
    ? html`<p role="status">${t(lang, 'smsSent', { phone: p.phone ?? '' })}</p>
<form method="post" action="/interaction/${uid}/sms" novalidate>${hidden}
  ${codeField('sms-code', t(lang, 'smsLabel'), error)}
  <button type="submit">${t(lang, 'verify')}</button>
</form>`
    : ''}
  <form method="post" action="/interaction/${uid}/sms/send">${hidden}
    <button type="submit" class="${p.smsSent ? 'secondary' : ''}">${p.smsSent ? t(lang, 'smsSendAgain') : t(lang, 'smsSend', { phone: p.phone ?? '' })}</button>
  </form>
</section>`;
}
