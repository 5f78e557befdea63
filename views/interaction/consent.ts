import { html } from '../html.ts';
import { layout } from '../layout.ts';
import { t, type MessageKey } from '../messages.ts';

export function consentPage(p: { lang: 'th' | 'en'; uid: string; csrf: string; clientName: string; scopes: string[]; claims: string[] }): string {
  const { lang } = p;
  const known = (s: string): s is string => `scope_${s}` in { scope_openid: 1, scope_profile: 1, scope_phone: 1, scope_pid: 1, scope_offline_access: 1 };
  return layout({
    lang,
    title: t(lang, 'consentTitle'),
    path: `/interaction/${p.uid}`,
    body: html`
<p>${t(lang, 'consentIntro', { client: p.clientName })}</p>
<ul class="consent">
  ${p.scopes.map((s) => html`<li>${known(s) ? t(lang, `scope_${s}` as MessageKey) : s}</li>`)}
  ${p.claims.map((c) => html`<li><code>${c}</code></li>`)}
</ul>
<div class="actions">
  <form method="post" action="/interaction/${p.uid}/confirm">
    <input type="hidden" name="csrf" value="${p.csrf}">
    <button type="submit">${t(lang, 'allow')}</button>
  </form>
  <form method="post" action="/interaction/${p.uid}/abort">
    <input type="hidden" name="csrf" value="${p.csrf}">
    <button type="submit" class="secondary">${t(lang, 'deny')}</button>
  </form>
</div>`,
  });
}
