// The IdP's own metrics, beside the kernel's HTTP, database and process metrics: logins, step-ups,
// one-time codes, tokens, proofing decisions and the password-hash queue. Every label value is one of
// a fixed list below (or a code-chosen identifier checked against a pattern): no person, no client text.
import type Provider from 'oidc-provider';
import { bounded, serviceMetrics } from '../kernel/metrics/index.ts';
import type { Factor } from './oidc/acr.ts';
import { OTP_PURPOSES } from './sms/messages.ts';
import { hashQueue } from './authenticators/password/hash.ts';

export const metrics = serviceMetrics('idp');

const AALS = ['1', '2.1', '2.2', '3'] as const;
const METHOD_OF: Record<Factor, string> = { pwd: 'password', swk: 'passkey', hwk: 'passkey', sms: 'sms', otp: 'totp', recovery: 'recovery_code', fed: 'upstream' };
const GRANT_TYPES = ['authorization_code', 'refresh_token', 'client_credentials', 'urn:ietf:params:oauth:grant-type:device_code', 'urn:openid:params:grant-type:ciba', 'urn:ietf:params:oauth:grant-type:token-exchange'] as const;
export const OTP_RESULTS = ['sent', 'timeout', 'unreachable', 'rejected', 'gateway_error', 'resend_too_soon', 'phone_limit', 'address_limit'] as const;
export type OtpResult = (typeof OTP_RESULTS)[number];

const logins = metrics.counter('mpid_logins_total', 'Logins: outcome (success, failure, throttled), the first factor (method) and the level reached (aal, "none" when not logged in)', ['outcome', 'method', 'aal']);
const stepUps = metrics.counter('mpid_step_ups_total', 'Sessions raised to a higher authentication level, by the factor that raised them and the level reached', ['method', 'aal']);
const otp = metrics.counter('mpid_otp_codes_total', 'Phone one-time codes asked for, by purpose and result (sent; the gateway result when it failed; or the limit that refused it)', ['purpose', 'result']);
const tokens = metrics.counter('mpid_tokens_issued_total', 'Successful token endpoint grants, by grant type', ['grant_type']);
const proofing = metrics.counter('mpid_proofing_decisions_total', 'Identity-proofing evidence recorded, by method and decision', ['method', 'outcome']);
metrics.gauge('mpid_password_hash_queue_depth', 'Password hashes waiting for a slot (ARGON2_MAX_CONCURRENT)', [], (g) => g.set(hashQueue.waiting));
metrics.gauge('mpid_password_hash_active', 'Password hashes running now', [], (g) => g.set(hashQueue.active));

const aalOfAcr = (acr: string | undefined) => bounded(acr?.split(':').pop(), AALS, 'none');
const firstFactor = (factors: readonly Factor[]) => (factors.includes('pwd') ? 'password' : factors.some((f) => f === 'swk' || f === 'hwk') ? 'passkey' : bounded(METHOD_OF[factors[0]!], Object.values(METHOD_OF)));
const codeName = (s: string) => (/^[a-z][a-z0-9_]{0,39}$/.test(s) ? s : 'other');

export const count = {
  /** a login reached the level asked for; `stepUp`: an existing session was raised (its last factor raised it) */
  loginSucceeded(factors: readonly Factor[], acr: string, stepUp: boolean) {
    if (stepUp) stepUps.inc({ method: bounded(METHOD_OF[factors.at(-1)!], Object.values(METHOD_OF)), aal: aalOfAcr(acr) });
    else logins.inc({ outcome: 'success', method: firstFactor(factors), aal: aalOfAcr(acr) });
  },
  loginFailed(factor: Factor, outcome: 'failure' | 'throttled' = 'failure') {
    logins.inc({ outcome, method: METHOD_OF[factor], aal: 'none' });
  },
  otp(purpose: string, result: OtpResult) {
    otp.inc({ purpose: bounded(purpose, OTP_PURPOSES), result });
  },
  proofingDecision(method: string, decision: 'approved' | 'rejected') {
    proofing.inc({ method: codeName(method), outcome: decision });
  },
};

/** Tokens issued, from oidc-provider's events. */
export function observeProvider(provider: Provider): void {
  provider.on('grant.success', (ctx) => {
    tokens.inc({ grant_type: bounded((ctx.oidc.params as { grant_type?: unknown } | undefined)?.grant_type, GRANT_TYPES) });
  });
}
