// What an authenticator method is, in one object: the factors it gives a login (their levels are in
// oidc/acr.ts) and what it brings to each flow it joins: the login, the account security page and the
// privacy export. Each method is a folder whose index.ts states one; authenticators/index.ts lists them.
// A method knows the flows only through the kits below, which the flows hand it (no import of them).
import type { Context, Middleware } from 'koa';
import type { Router } from '@koa/router';
import type { Html } from '../../kernel/web/html.ts';
import type { Lang } from '../../kernel/http/i18n.ts';
import type { FieldErrors } from '../../kernel/web/form.ts';
import type { Database } from '../../kernel/db/index.ts';
import type { Pii } from '../../kernel/pii/index.ts';
import type { Clock } from '../../kernel/clock.ts';
import type { Factor } from '../oidc/acr.ts';
import type { Accounts, PasswordHasher } from '../account/index.ts';
import type { PhoneOtp } from '../sms/otp.ts';
import type { LoginThrottle } from '../login/throttle.ts';
import type { UpstreamLoginDeps } from './upstream/index.ts';

export interface AuthenticatorMethod {
  /** Its folder's name. */
  id: string;
  /** Every factor a login with it can record. */
  factors: readonly Factor[];
  /** The factors of this method this account can use at login now. */
  usable(sub: string): Promise<Factor[]>;
  /** How many strong authenticators (AAL 2.2) of this method the account has: removing the last needs a fresh login. */
  strongCount?(sub: string): Promise<number>;
  login?: LoginPart;
  settings?: SettingsPart;
  /** What the privacy export says of it for this account, merged into the export's `authenticators`. */
  exported?(sub: string): Promise<Record<string, unknown>>;
}

/** What every method's factory is given. */
export interface AuthenticatorDeps {
  db: Database;
  pii: Pii;
  accounts: Accounts;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  phoneOtp: PhoneOtp;
  /** the WebAuthn relying party: this IdP's host name, display name and origin */
  relyingParty: { rpID: string; rpName: string; origin: string };
  /** the clock of the methods' time rules (TOTP steps, challenge lifetimes); the system clock when absent */
  now?: Clock;
  /** logins at upstream identity providers, where one is configured */
  upstreamLogin?: UpstreamLoginDeps;
}

/** Part of a page: its markup and the /static scripts it needs. */
export interface PagePart {
  body: Html;
  scripts?: string[];
}

// The login

export interface LoginPart {
  /** Its routes under /interaction/:uid/ (the interaction is loaded first): the flow's steps, then its own. */
  routes(flow: LoginFlow): LoginRoute[];
  /** Its form or button on the second-factor page, shown when one of its factors is offered. */
  secondFactor?(page: SecondFactorPage): Promise<PagePart>;
  /** Its buttons on the first login page, beside the password, for a login it begins by itself. */
  firstFactor?(page: { lang: Lang; uid: string; csrf: string }): PagePart | undefined;
}

export interface LoginRoute {
  /** after /interaction/:uid/ */
  path: string;
  /** POST when absent; a GET has no body */
  method?: 'get';
  body: 'form' | 'json' | 'none';
  steps: Middleware[];
}

/** The login under way: the account and the factors it has passed in this interaction. */
export interface LoginAttempt {
  sub: string;
  factors: Factor[];
  smsOtpId: string | null;
}

export interface SecondFactorPage {
  lang: Lang;
  uid: string;
  csrf: string;
  attempt: LoginAttempt;
  error?: string;
}

/** The login flow's steps (src/idp/login/steps), as a method's login routes use them. */
export interface LoginFlow {
  /** Refuses a form without this browser's CSRF token (403). */
  checkCsrf: Middleware;
  /** Refuses a request when the interaction is not asking for a login (400). */
  inLoginPrompt: Middleware;
  /** Needs a login under way (a first factor passed, or a session to step up); 400 without. */
  loginUnderWay: Middleware;
  /** Reserves the attempt on the account's second-factor counter before the code is checked (ended by
   *  factorPassed or factorFailed); answers 429 while it is backing off or locked. */
  notThrottled: Middleware;
  lang(ctx: Context): Lang;
  field(ctx: Context, name: string): string;
  interaction(ctx: Context): { uid: string; clientId: unknown };
  /** The login under way (after loginUnderWay). */
  attempt(ctx: Context): LoginAttempt;
  /** The login under way, if any (a passkey can also start one). */
  findAttempt(ctx: Context): Promise<LoginAttempt | undefined>;
  /** Finishes the login if its level is reached, else shows the next step (with an error: 400). */
  advance(ctx: Context, error?: string): Promise<void>;
  /** Records a passed factor for the account at once (a factor for another account starts afresh), for a
   *  step that answers without advancing (the browser comes back to the interaction). */
  recordFactor(ctx: Context, sub: string, factor: Factor): Promise<LoginAttempt>;
  /** A passed factor for the account, then advance: kept for the next step only when the login goes on. */
  passFactor(ctx: Context, sub: string, factor: Factor): Promise<void>;
  /** A second factor passed: clears the failure counter, records it, advances. */
  factorPassed(ctx: Context, factor: Factor): Promise<void>;
  /** A second factor failed (reason: wrong, expired, too_many_tries, unknown, replayed, none): counts it, audits, shows why. */
  factorFailed(ctx: Context, factor: Factor, reason: string): Promise<void>;
  /** Counts a failed second factor that notThrottled did not reserve (a passkey): back-off, then lock. */
  countFailure(ctx: Context, sub: string): Promise<void>;
  /** A code was sent for this login (the id of the phone OTP to check it against); advances. */
  codeSent(ctx: Context, otpId: string): Promise<void>;
  /** The first login page again (the ID number typed, an error). */
  loginPage(ctx: Context, extra?: { pid?: string; error?: string; missing?: Array<'pid' | 'password'> }): Promise<void>;
}

// The account security page

export interface SettingsPart {
  /** Its routes under /account (the forms of its section post to them). */
  routes(router: Router, page: SecurityPage): void;
  /** Its section of the security page. */
  section(sub: string, view: { lang: Lang; csrf: string; errors: FieldErrors }): Promise<PagePart>;
}

/** The account pages' helpers, as a method's settings routes use them. */
export interface SecurityPage {
  /** Needs the person's IdP session (GET: log in and come back; otherwise 401). */
  requireSession: Middleware;
  /** A form post: parsed body, session, CSRF token. */
  form: readonly Middleware[];
  state(ctx: Context): { session: { sub: string; id: string }; lang: Lang };
  body(ctx: Context): Record<string, unknown>;
  str(v: unknown): string;
  html(ctx: Context, page: string, status?: number): void;
  /** Redirects (303) with a notice or an error for the next page. */
  back(ctx: Context, to: string, flash?: { notice?: string; error?: string }): void;
  flash(ctx: Context, flash: { notice?: string; error?: string }): void;
  /** Sends the person to log in again unless their login is recent; true when it did. */
  needsFreshLogin(ctx: Context, returnTo: string): boolean;
  /** The security page again, with errors on its password form. */
  render(ctx: Context, errors?: FieldErrors, status?: number): Promise<void>;
  /** The account's strong authenticators, of every method. */
  strongCount(sub: string): Promise<number>;
}
