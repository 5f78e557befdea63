// A relying party's login as the security tests drive it: the client, its authorization URL, one
// password attempt on the real login form, the test-zone SMS outbox, and a browser at a chosen client
// address (X-Forwarded-For, for servers started with TRUST_PROXY).
import assert from 'node:assert/strict';
import * as oidc from 'openid-client';
import type { RunningServer } from '../../src/idp/server.ts';
import { Person } from './person.ts';
import { addClient } from './server.ts';

export const REDIRECT = 'https://rp.example.test/cb';
export const insecure = { execute: [oidc.allowInsecureRequests] };

export interface RelyingParty {
  rp: oidc.Configuration;
  clientId: string;
  /** an authorization URL for this client (state "s"), with extra parameters */
  authUrl(params?: Record<string, string>): URL;
  /** the tokens for a callback URL this client received */
  tokens(callback: string): Promise<oidc.TokenEndpointResponse & oidc.TokenEndpointResponseHelpers>;
}

/** `httpsIssuer`: the server's https issuer, reached through a proxy that terminated TLS. */
export async function relyingParty(server: RunningServer, metadata: Record<string, unknown> = {}, httpsIssuer?: string): Promise<RelyingParty> {
  const client = await addClient(server, { client_name: 'Clinic app', redirect_uris: [REDIRECT], grant_types: ['authorization_code', 'refresh_token'], scope: 'openid profile offline_access', ...metadata });
  const throughProxy: oidc.CustomFetch = (url, options) =>
    fetch(url.replace(httpsIssuer!, server.url), { ...options, headers: { ...options.headers, 'x-forwarded-proto': 'https' } } as RequestInit);
  const rp = await oidc.discovery(new URL(httpsIssuer ?? server.url), client.client_id, client.client_secret, undefined, httpsIssuer ? { [oidc.customFetch]: throughProxy } : insecure);
  return {
    rp,
    clientId: client.client_id,
    authUrl: (params = {}) => oidc.buildAuthorizationUrl(rp, { redirect_uri: REDIRECT, scope: 'openid', state: 's', ...params }),
    tokens: (callback) => oidc.authorizationCodeGrant(rp, new URL(callback), { expectedState: 's', idTokenExpected: true }),
  };
}

/** A browser whose requests come from one client address, as a TLS-terminating proxy reports it. */
export class PersonAt extends Person {
  address: string;

  constructor(base: string, address: string) {
    super(base);
    this.address = address;
  }

  override request(url: string | URL, init: RequestInit = {}): Promise<Response> {
    return super.request(url, { ...init, headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': this.address } });
  }
}

export type Page = Awaited<ReturnType<Person['follow']>>;

/** The login form of a new authorization request. */
export async function loginForm(person: Person, url: URL): Promise<{ action: string; csrf: string }> {
  const page = await person.follow(url);
  assert.equal(page.res.status, 200, `login page: ${page.body.slice(0, 200)}`);
  return { action: Person.action(page.body, '/login'), csrf: Person.csrf(page.body) };
}

/** One password attempt on a login form. */
export function tryPassword(person: Person, form: { action: string; csrf: string }, pid: string, password: string): Promise<Page> {
  return person.submit(form.action, { csrf: form.csrf, pid, password });
}

/** The password was accepted: the login went on (consent, a second factor, or back to the client). */
export const passedPassword = (page: Page) => page.external !== undefined || (page.res.status === 200 && !/name="password"/.test(page.body));

/** From the consent page (or a redirect already made) back to the client's callback URL. */
export async function finishConsent(person: Person, page: Page): Promise<string> {
  if (page.external) return page.external;
  const next = await person.submit(Person.action(page.body, '/confirm'), { csrf: Person.csrf(page.body) });
  assert.ok(next.external, `back at the client, got ${next.res.status} ${next.body.slice(0, 200)}`);
  return next.external;
}

/** The newest code the test-zone outbox holds for a phone number, and how many messages it holds. */
export async function outbox(server: RunningServer, e164: string): Promise<{ count: number; code?: string; texts: string[] }> {
  const list = (await (await fetch(`${server.url}/test-zone/sms?to=${encodeURIComponent(e164)}`)).json()) as Array<{ text: string }>;
  return { count: list.length, code: list[0]?.text.match(/\b(\d{6})\b/)?.[1], texts: list.map((m) => m.text) };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
