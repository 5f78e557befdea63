// Sending SMS. One interface, two implementations: an HTTP gateway for production and a test-zone
// outbox that keeps messages in the database so people (and tests) can read them.
import { createHmac, randomUUID } from 'node:crypto';
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import { basicAuth } from '../../kernel/connectors/index.ts';

export interface SmsGateway {
  /** Sends text to an E.164 number; throws SmsDeliveryError when it could not be delivered. */
  send(to: string, text: string): Promise<void>;
}

/** Why a message was not delivered (the metrics' gateway result). */
export type SmsFailure = 'timeout' | 'unreachable' | 'rejected' | 'gateway_error';

export class SmsDeliveryError extends Error {
  override name = 'SmsDeliveryError';
  readonly failure: SmsFailure;
  constructor(message: string, failure: SmsFailure = 'gateway_error') {
    super(message);
    this.failure = failure;
  }
}

export interface HttpSmsGatewayOptions {
  url: string;
  username: string;
  /** shared secret: authenticates us and signs each request body (HMAC-SHA256) */
  secret: string;
  timeoutMs?: number;
  retries?: number;
  backoffMs?: number;
  fetch?: typeof fetch;
}

/** Production: POSTs JSON {id, to, text}, signed, with a timeout and retries with exponential back-off. */
export class HttpSmsGateway implements SmsGateway {
  readonly #o: Required<HttpSmsGatewayOptions>;

  constructor(o: HttpSmsGatewayOptions) {
    this.#o = { timeoutMs: 5000, retries: 2, backoffMs: 250, fetch: globalThis.fetch, ...o };
  }

  async send(to: string, text: string): Promise<void> {
    // one id for every try, so the gateway can drop duplicates of a retried request
    const body = JSON.stringify({ id: randomUUID(), to, text });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = createHmac('sha256', this.#o.secret).update(`${timestamp}.${body}`).digest('base64url');
    let last = 'no attempt';
    let failure: SmsFailure = 'gateway_error';
    for (let attempt = 0; attempt <= this.#o.retries; attempt++) {
      if (attempt > 0) await new Promise((r) => setTimeout(r, this.#o.backoffMs * 2 ** (attempt - 1)));
      try {
        const res = await this.#o.fetch(this.#o.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...basicAuth(this.#o.username, this.#o.secret),
            'x-mpid-timestamp': timestamp,
            'x-mpid-signature': signature,
          },
          body,
          signal: AbortSignal.timeout(this.#o.timeoutMs),
        });
        await res.arrayBuffer().catch(() => undefined);
        if (res.ok) return;
        last = `gateway answered ${res.status}`;
        failure = res.status >= 400 && res.status < 500 && res.status !== 429 ? 'rejected' : 'gateway_error';
        if (failure === 'rejected') break; // our request is wrong: retrying will not help
      } catch (err) {
        failure = (err as Error).name === 'TimeoutError' ? 'timeout' : 'unreachable';
        last = failure === 'timeout' ? 'gateway timed out' : 'gateway unreachable';
      }
    }
    throw new SmsDeliveryError(`SMS not delivered: ${last}`, failure);
  }
}

/** Test zone: messages are kept (encrypted) in the database and listed newest first. */
export class OutboxSmsGateway implements SmsGateway {
  readonly #db: Database;
  readonly #pii: Pii;

  constructor(db: Database, pii: Pii) {
    this.#db = db;
    this.#pii = pii;
  }

  async send(to: string, text: string): Promise<void> {
    await this.#db.query('INSERT INTO sms_outbox (to_index, to_cipher, body_cipher) VALUES ($1, $2, $3)', [
      this.#pii.index(to, 'phone'),
      this.#pii.encrypt(to, 'phone'),
      this.#pii.encrypt(text, 'sms'),
    ]);
  }

  async messagesTo(to: string, limit = 20): Promise<Array<{ to: string; text: string; sent_at: string }>> {
    const { rows } = await this.#db.query<{ body_cipher: string; sent_at: Date }>(
      'SELECT body_cipher, sent_at FROM sms_outbox WHERE to_index = $1 ORDER BY id DESC LIMIT $2',
      [this.#pii.index(to, 'phone'), limit],
    );
    return rows.map((r) => ({ to, text: this.#pii.decrypt(r.body_cipher, 'sms'), sent_at: new Date(r.sent_at).toISOString() }));
  }
}
