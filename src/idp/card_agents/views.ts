// The unit administrator's section on card reader agents (on /verifier/unit): a new pairing code, shown
// once and large with its expiry in Bangkok time; the unit's agents; a revoke form for each active one.
import { html, type Html } from '../../kernel/web/html.ts';
import type { Lang } from '../../kernel/web/i18n.ts';
import { formatDateTime } from '../../kernel/thai/time.ts';
import { t } from '../web/messages.ts';
import { tableWrap } from '../../kernel/web/layout.ts';

export interface CardAgentsView {
  lang: Lang;
  csrf: string;
  hcode: string;
  agents: Array<{ id: string; name: string; version: string | null; pairedAt: Date; pairedBy: string; lastSeenAt: Date | null; revokedAt: Date | null }>;
  /** a code just created: shown on this answer only */
  pairing?: { code: string; expiresAt: Date };
  /** the agent whose revoke form was sent without its confirmation */
  unconfirmed?: string;
}

const bangkok = (lang: Lang, at: Date) => formatDateTime(at, lang);

export function cardAgentsSection(p: CardAgentsView): Html {
  const { lang } = p;
  const hidden = html`<input type="hidden" name="csrf" value="${p.csrf}"><input type="hidden" name="unit" value="${p.hcode}">`;
  return html`<section aria-labelledby="agents-title">
<h2 id="agents-title">${t(lang, 'agentsTitle')}</h2>
<p class="detail">${t(lang, 'agentsIntro')}</p>
${p.pairing
  ? html`<div class="notice" role="status">
  <p>${t(lang, 'agentPairingCode')}</p>
  <p class="pairing-code" id="pairing-code">${p.pairing.code}</p>
  <p>${t(lang, 'agentPairingShownOnce', { at: bangkok(lang, p.pairing.expiresAt) })}</p>
</div>`
  : ''}
${p.agents.length
  ? tableWrap(t(lang, 'agentsTitle'), html`<table>
<thead><tr><th scope="col">${t(lang, 'agentName')}</th><th scope="col">${t(lang, 'agentPaired')}</th><th scope="col">${t(lang, 'agentLastSeen')}</th><th scope="col">${t(lang, 'agentStatus')}</th></tr></thead>
<tbody>
${p.agents.map((a) => {
  const confirmId = `revoke-${a.id}`;
  const unconfirmed = p.unconfirmed === a.id;
  return html`<tr><td>${a.name}${a.version ? html`<br><small>${t(lang, 'agentVersion', { version: a.version })}</small>` : ''}<br><small>${a.id}</small></td>
<td>${bangkok(lang, a.pairedAt)}<br><small>${t(lang, 'agentPairedBy', { who: a.pairedBy })}</small></td>
<td>${a.lastSeenAt ? bangkok(lang, a.lastSeenAt) : t(lang, 'agentNeverSeen')}</td>
<td>${a.revokedAt
    ? t(lang, 'agentRevokedAt', { at: bangkok(lang, a.revokedAt) })
    : html`<form method="post" action="/verifier/unit/agents/revoke">${hidden}<input type="hidden" name="agent" value="${a.id}">
  <div class="checkbox"><input type="checkbox" id="${confirmId}" name="confirm" value="yes" required${unconfirmed ? html` aria-invalid="true" aria-describedby="${confirmId}-error"` : ''}>
  <label for="${confirmId}">${t(lang, 'agentRevokeConfirm', { name: a.name })}</label></div>
  ${unconfirmed ? html`<span class="field-error" id="${confirmId}-error" role="alert">${t(lang, 'agentRevokeConfirmRequired')}</span>` : ''}
  <button type="submit" class="secondary">${t(lang, 'agentRevoke')}</button>
</form>`}</td></tr>`;
})}
</tbody></table>`)
  : html`<p>${t(lang, 'agentsNone')}</p>`}
<form method="post" action="/verifier/unit/agents/pairing-code">${hidden}
  <p><small id="pairing-hint">${t(lang, 'agentPairingHint')}</small></p>
  <button type="submit" aria-describedby="pairing-hint">${t(lang, 'agentPairingCreate')}</button>
</form>
</section>`;
}
