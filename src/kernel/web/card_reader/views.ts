// The "Read card" widget of a form (the verifier's in-person form, the staff confirm form): a button
// that asks the unit's card reader agent (card-read.js) for a document signed over this page's
// challenge, the chip photo and the card's name and dates to compare, and a hidden `card_read` input
// it fills. The texts travel in a JSON data block (not executable: the CSP allows it); pasting a
// document into `card_read_pasted` stays possible inside <details>.
import { html, Html } from '../html.ts';
import { monthNames } from '../../thai/dates.ts';
import type { Lang } from '../i18n.ts';
import { th, en } from './messages.ts';

export interface CardReaderView {
  lang: Lang;
  /** the agent's base URL (CARD_AGENT_URL) */
  agent: string;
  /** the challenge issued for this page */
  nonce: string;
  /** the ID number the card must carry: the person found, the patient */
  pid: string;
  /** the paste field's label */
  pasteLabel: string;
  /** the field's error, when the form came back with one */
  error?: string;
  /** a document carried over from the form just posted, still unused */
  document?: string;
  /** the id of a radio or checkbox to tick once a card is read (the staff form's "card" method) */
  selects?: string;
}

/** JSON inside <script type="application/json">: nothing in it can close the element. */
const dataBlock = (value: unknown) => new Html(JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026'));

export function cardReader(p: CardReaderView): Html {
  const m = p.lang === 'th' ? th : en;
  const texts = {
    reading: m.cardReadReading, done: m.cardReadDone, agentDown: m.cardReadAgentDown, noReader: m.cardReadNoReader, noCard: m.cardReadNoCard,
    cardRemoved: m.cardReadCardRemoved, timeout: m.cardReadTimeout, notPaired: m.cardReadNotPaired, wrongPerson: m.cardReadWrongPerson,
    notThaiId: m.cardReadNotThaiId, busy: m.cardReadBusy, failed: m.cardReadFailed, lifelong: m.cardReadLifelong,
    months: monthNames(p.lang), era: p.lang === 'th' ? 'be' : 'ce',
  };
  const invalid = p.error ? html` aria-invalid="true" aria-describedby="card_read-error"` : '';
  return html`<div class="card-reader" id="card-reader" data-agent="${p.agent}" data-nonce="${p.nonce}" data-pid="${p.pid}"${p.selects ? html` data-selects="${p.selects}"` : ''} hidden>
    <button type="button" id="card_read" class="secondary"${invalid}>${m.cardReadButton}</button>
    <p id="card-read-status" class="card-read-status" role="status"></p>
    <p id="card-read-alert" class="card-read-alert" role="alert"></p>
    <div id="card-read-card" class="card-read-card" hidden>
      <img id="card-read-photo" alt="${m.cardReadPhotoAlt}">
      <dl><dt>${m.cardReadName}</dt><dd id="card-read-name"></dd><dt>${m.cardReadBirthdate}</dt><dd id="card-read-birthdate"></dd><dt>${m.cardReadExpiry}</dt><dd id="card-read-expiry"></dd></dl>
    </div>
    <script type="application/json" id="card-read-texts">${dataBlock(texts)}</script>
  </div>
  <input type="hidden" name="card_read" id="card_read_document" value="${p.document ?? ''}">
  ${p.error ? html`<span class="field-error" id="card_read-error">${p.error}</span>` : ''}
  <details class="card-read-paste"><summary>${m.cardReadPaste}</summary>
    <label for="card_read_pasted">${p.pasteLabel}</label>
    <textarea id="card_read_pasted" name="card_read_pasted" rows="3" autocomplete="off"></textarea>
  </details>`;
}

