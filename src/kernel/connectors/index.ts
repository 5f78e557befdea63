// What every connector to a service outside this system shares (the population and residence
// registers, the NHSO entitlement register, the SMS gateway, a face-verification service): HTTP Basic
// credentials, a JSON request under a time limit, and a circuit breaker that stops calling a service
// that keeps failing. Errors are each connector's own, worded without the request (it holds personal data).

/** The `authorization` header for HTTP Basic, or no header when either part is missing. */
export function basicAuth(username: string | undefined, secret: string | undefined): { authorization?: string } {
  return username && secret ? { authorization: `Basic ${Buffer.from(`${username}:${secret}`).toString('base64')}` } : {};
}

export interface JsonRequestOptions {
  timeoutMs: number;
  username?: string;
  secret?: string;
}

/** POST a JSON body and ask for JSON; a timeout or a refused connection rejects (`TimeoutError`, `TypeError`). */
export function postJson(url: string, body: unknown, o: JsonRequestOptions): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    signal: AbortSignal.timeout(o.timeoutMs),
    headers: { 'content-type': 'application/json', accept: 'application/json', ...basicAuth(o.username, o.secret) },
    body: JSON.stringify(body),
  });
}

/** Refused without a call: the service failed too often and the breaker is open. */
export class CircuitOpen extends Error {
  override name = 'CircuitOpen';
}

export interface BreakerOptions {
  /** consecutive failures that open the breaker */
  threshold: number;
  /** how long it stays open before one trial call is let through */
  openMs: number;
  now?: () => number;
}

/**
 * Closed: every call goes through, and `threshold` failures in a row open it. Open: calls are refused
 * (CircuitOpen) for `openMs`; then one trial goes through while the others are still refused, and
 * its outcome closes the breaker or opens it again.
 */
export class CircuitBreaker {
  readonly #o: Required<BreakerOptions>;
  #failures = 0;
  #openUntil = 0;
  #trialInFlight = false;

  constructor(o: BreakerOptions) {
    this.#o = { ...o, now: o.now ?? Date.now };
  }

  async call<T>(request: () => Promise<T>): Promise<T> {
    const open = this.#failures >= this.#o.threshold;
    if (open && (this.#o.now() < this.#openUntil || this.#trialInFlight)) throw new CircuitOpen('circuit open');
    if (open) this.#trialInFlight = true;
    try {
      const result = await request();
      this.#failures = 0;
      return result;
    } catch (err) {
      if (++this.#failures >= this.#o.threshold) this.#openUntil = this.#o.now() + this.#o.openMs;
      throw err;
    } finally {
      if (open) this.#trialInFlight = false;
    }
  }
}
