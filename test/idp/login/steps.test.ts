// Each login step on its own, on a real Koa context with fake dependencies (no database, no
// oidc-provider): what it lets through, what it refuses with which status, what it records, counts and
// audits, and what the person is shown. The whole flow through real forms is in step_up.test.ts.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import Koa, { type Context } from 'koa';
import { html } from '../../../src/kernel/web/html.ts';
import { issueCsrfToken } from '../../../src/kernel/http/csrf.ts';
import type { Factor } from '../../../src/idp/oidc/acr.ts';
import type { LoginProgress } from '../../../src/idp/login/progress.ts';
import type { ThrottleVerdict } from '../../../src/idp/login/throttle.ts';
import type { SecondFactorPage } from '../../../src/idp/authenticators/method.ts';
import type { InteractionDeps } from '../../../src/idp/login/steps/state.ts';
import { loadInteraction } from '../../../src/idp/login/steps/load_interaction.ts';
import { checkCsrf } from '../../../src/idp/login/steps/check_csrf.ts';
import { inLoginPrompt } from '../../../src/idp/login/steps/in_login_prompt.ts';
import { progressOf } from '../../../src/idp/login/steps/progress_of.ts';
import { loginUnderWay } from '../../../src/idp/login/steps/login_under_way.ts';
import { notThrottled } from '../../../src/idp/login/steps/not_throttled.ts';
import { nextFactors } from '../../../src/idp/login/steps/next_factors.ts';
import { advance } from '../../../src/idp/login/steps/advance.ts';
import { passFactor, recordFactor } from '../../../src/idp/login/steps/record_factor.ts';
import { noteFactor } from '../../../src/idp/login/steps/keep_progress.ts';
import { factorPassed } from '../../../src/idp/login/steps/factor_passed.ts';
import { factorFailed } from '../../../src/idp/login/steps/factor_failed.ts';
import { codeSent } from '../../../src/idp/login/steps/code_sent.ts';
import { renderLogin } from '../../../src/idp/login/steps/render_login.ts';
import { showPrompt } from '../../../src/idp/login/steps/show_prompt.ts';
import { giveUp } from '../../../src/idp/login/steps/give_up.ts';
import { grantConsent } from '../../../src/idp/login/steps/grant_consent.ts';
import { abortInteraction } from '../../../src/idp/login/steps/abort_interaction.ts';
import { EARLIER_LOGINS_SQL } from '../../../src/idp/login/device.ts';

const AAL1 = 'urn:th:etda:aal:1';
const AAL22 = 'urn:th:etda:aal:2.2';

type Interaction = {
  uid: string;
  params: Record<string, unknown>;
  prompt: { name: string; reasons: string[]; details: Record<string, unknown> };
  session?: { accountId?: string; amr?: string[] };
  grantId?: string;
  lastSubmission?: Record<string, unknown>;
  result?: Record<string, unknown>;
  exp: number;
  returnTo: string;
  save(ttl: number): Promise<string>;
};

/** A Koa context at /interaction/u1 (English) with fake dependencies that record what the steps do. */
function harness(opts: { method?: string; body?: Record<string, unknown>; interaction?: Partial<Interaction>; progress?: LoginProgress; usable?: Factor[]; verdict?: ThrottleVerdict; detailsFail?: boolean } = {}) {
  const interaction: Interaction = {
    uid: 'u1',
    params: { client_id: 'clinic' },
    prompt: { name: 'login', reasons: [], details: {} },
    exp: Math.floor(Date.now() / 1000) + 600,
    returnTo: 'https://idp.example.test/auth/u1',
    // the interaction is finished on the record loadInteraction read: its result saved, with what is left of its lifetime
    async save(ttl: number) {
      log.finished.push({ result: this.result!, ttl });
      return this.uid;
    },
    ...opts.interaction,
  };
  const log = {
    finished: [] as Array<{ result: Record<string, unknown>; ttl: number }>,
    audits: [] as Array<{ actor: unknown; action: string; subject: unknown; detail: Record<string, unknown> }>,
    throttle: [] as string[],
    progress: [] as unknown[][],
    parts: [] as Array<{ offered: readonly Factor[]; page: SecondFactorPage }>,
    grants: [] as Array<{ scope?: string; claims?: string[] }>,
  };
  const stored = new Map<string, LoginProgress>(opts.progress ? [['u1', opts.progress]] : []);
  class Grant {
    scope?: string;
    claims?: string[];
    constructor(init: { accountId: string; clientId: string }) {
      void init;
    }
    addOIDCScope(s: string) {
      this.scope = s;
    }
    addOIDCClaims(c: string[]) {
      this.claims = c;
    }
    addResourceScope() {}
    async save() {
      log.grants.push({ scope: this.scope, claims: this.claims });
      return 'grant-1';
    }
    static async find() {
      return undefined;
    }
  }
  const deps = {
    provider: {
      interactionDetails: async () => {
        if (opts.detailsFail) throw new Error('no interaction cookie');
        return interaction;
      },
      Client: { find: async () => ({ clientName: 'Clinic app', defaultAcrValues: undefined }) },
      Grant,
    },
    db: {
      query: async (sql: string, params: unknown[]) => {
        if (sql.startsWith('INSERT INTO audit_events')) log.audits.push({ actor: params[0], action: params[1] as string, subject: params[2], detail: JSON.parse(params[4] as string) });
        // the account's first login: no earlier ones (an aggregate always answers one row)
        if (sql === EARLIER_LOGINS_SQL) return { rows: [{ logins: 0, last_ts: 0, known: false }], rowCount: 1 };
        return { rows: [], rowCount: 0 };
      },
    },
    throttle: {
      check: async (key: string) => {
        log.throttle.push(`check ${key}`);
        return opts.verdict ?? { ok: true };
      },
      fail: async (key: string) => {
        log.throttle.push(`fail ${key}`);
      },
      succeed: async (key: string) => {
        log.throttle.push(`succeed ${key}`);
      },
    },
    progress: {
      get: async (uid: string) => stored.get(uid),
      save: async (uid: string, sub: string, factors: Factor[]) => {
        log.progress.push(['save', uid, sub, factors]);
        const before = stored.get(uid);
        const p = { sub, factors: before?.sub === sub ? [...new Set([...before.factors, ...factors])] : factors, smsOtpId: null };
        stored.set(uid, p);
        return p;
      },
      seed: async (uid: string, sub: string, factors: Factor[]) => {
        log.progress.push(['seed', uid, sub, factors]);
        stored.set(uid, { sub, factors, smsOtpId: null });
      },
      setSmsOtp: async (uid: string, id: string) => {
        log.progress.push(['setSmsOtp', uid, id]);
      },
      clear: async (uid: string) => {
        log.progress.push(['clear', uid]);
        stored.delete(uid);
      },
    },
    authenticators: {
      factorsOf: async () => opts.usable ?? ['pwd'],
      secondFactorParts: async (offered: readonly Factor[], page: SecondFactorPage) => {
        log.parts.push({ offered, page });
        return offered.map((f) => ({ body: html`<form data-factor="${f}"></form>`, scripts: f === 'swk' ? ['passkey.js'] : [] }));
      },
      firstFactorParts: () => [{ body: html`<form data-first-factor="upstream"></form>` }],
    },
    units: { servicePoints: async () => [{ hcode: '10670', nameTh: 'โรงพยาบาลทดสอบ', nameEn: 'Test Hospital', district: 'เมือง', province: 'นนทบุรี' }, { hcode: '10671', nameTh: 'โรงพยาบาลไม่มีชื่ออังกฤษ', nameEn: null, district: 'เมือง', province: 'นนทบุรี' }] },
  };

  const app = new Koa();
  app.keys = ['test-key'];
  const req = new IncomingMessage(new Socket());
  req.method = opts.method ?? 'POST';
  req.url = '/interaction/u1?lang=en';
  req.headers = { host: 'idp.example.test' };
  const ctx = app.createContext(req, new ServerResponse(req)) as Context;
  (ctx as unknown as { params: Record<string, string> }).params = { uid: 'u1' };
  ctx.request.body = opts.body ?? {};
  // a login under way given to the harness is one a step read from login_progress
  ctx.state.login = { deps: deps as unknown as InteractionDeps, interaction, progress: opts.progress, ...(opts.progress ? { stored: true } : {}) };
  let passedOn = false;
  const next = async () => {
    passedOn = true;
  };
  return { ctx, log, next, passedOn: () => passedOn, state: () => ctx.state.login as { progress?: LoginProgress; interaction: Interaction } };
}

const body = (ctx: Context) => String(ctx.body);
const status400 = (e: { status?: number }) => e.status === 400;

describe('loadInteraction', () => {
  test('an expired interaction, or a uid that is not this browser’s, is a 400 and goes no further', async () => {
    const expired = harness({ detailsFail: true });
    await assert.rejects(loadInteraction(expired.ctx, expired.next), status400);
    const other = harness({ interaction: { uid: 'someone-else' } });
    await assert.rejects(loadInteraction(other.ctx, other.next), status400);
    assert.equal(other.passedOn(), false);
    const ok = harness();
    await loadInteraction(ok.ctx, ok.next);
    assert.equal(ok.passedOn(), true);
    assert.equal(ok.state().interaction.uid, 'u1');
  });
});

describe('checkCsrf', () => {
  test('a forged token is 403; the token of this browser passes', async () => {
    const forged = harness({ body: { csrf: '1.forged' } });
    await assert.rejects(checkCsrf(forged.ctx, forged.next), (e: { status?: number }) => e.status === 403);
    const h = harness();
    h.ctx.request.body = { csrf: issueCsrfToken(h.ctx) };
    await checkCsrf(h.ctx, h.next);
    assert.equal(h.passedOn(), true);
  });
});

describe('inLoginPrompt', () => {
  test('a factor posted while the interaction asks for consent is refused', async () => {
    const h = harness({ interaction: { prompt: { name: 'consent', reasons: [], details: {} } } });
    await assert.rejects(inLoginPrompt(h.ctx, h.next), status400);
    assert.equal(h.passedOn(), false);
  });
});

describe('progressOf', () => {
  test('a step-up starts from the session’s factors; a forced new login (prompt=login) does not', async () => {
    const stepUp = harness({ interaction: { prompt: { name: 'login', reasons: ['aal_step_up'], details: {} }, session: { accountId: 's1', amr: ['pwd', 'otp', 'mfa'] } } });
    assert.deepEqual(await progressOf(stepUp.ctx), { sub: 's1', factors: ['pwd', 'otp'], smsOtpId: null });
    const forced = harness({ interaction: { prompt: { name: 'login', reasons: ['login_prompt'], details: {} }, session: { accountId: 's1', amr: ['pwd', 'otp'] } } });
    assert.equal(await progressOf(forced.ctx), undefined);
    assert.deepEqual(forced.log.progress, [], 'nothing seeded');
  });
});

describe('loginUnderWay', () => {
  test('without a login under way a second factor is stale (400); with one, it is kept for the next steps', async () => {
    const none = harness();
    await assert.rejects(loginUnderWay(none.ctx, none.next), status400);
    const p = { sub: 's1', factors: ['pwd'] as Factor[], smsOtpId: null };
    const h = harness({ progress: p });
    h.state().progress = undefined;
    await loginUnderWay(h.ctx, h.next);
    assert.equal(h.passedOn(), true);
    assert.deepEqual(h.state().progress, p);
  });
});

describe('notThrottled', () => {
  const p = { sub: 's1', factors: ['pwd'] as Factor[], smsOtpId: null };
  test('a locked account gets 429 with Retry-After and the page saying so; the code is never checked', async () => {
    const h = harness({ progress: p, usable: ['pwd', 'otp'], verdict: { ok: false, locked: true, retryAfter: 900 }, interaction: { params: { client_id: 'clinic', acr_values: AAL22 } } });
    await notThrottled(h.ctx, h.next);
    assert.equal(h.passedOn(), false);
    assert.equal(h.ctx.status, 429);
    assert.equal(h.ctx.response.get('Retry-After'), '900');
    assert.match(body(h.ctx), /locked for a while/);
    assert.deepEqual(h.log.throttle, ['check second-factor:s1'], 'the second-factor counter of this account');
  });
  test('otherwise the request goes on', async () => {
    const h = harness({ progress: p });
    await notThrottled(h.ctx, h.next);
    assert.equal(h.passedOn(), true);
  });
});

describe('nextFactors', () => {
  test('only factors that reach the level are offered, and none already passed', async () => {
    const p = { sub: 's1', factors: ['pwd'] as Factor[], smsOtpId: null };
    const usable: Factor[] = ['pwd', 'sms', 'otp', 'recovery', 'swk'];
    assert.deepEqual(await nextFactors({ factorsOf: async () => usable }, p, AAL22), ['otp', 'swk']);
    assert.deepEqual(await nextFactors({ factorsOf: async () => usable }, p, 'urn:th:etda:aal:3'), []);
  });
});

describe('advance', () => {
  const pwd = { sub: 's1', factors: ['pwd'] as Factor[], smsOtpId: null };
  test('the level reached finishes the login with its acr and amr, audited, and the progress cleared', async () => {
    const h = harness({ progress: pwd });
    await advance(h.ctx);
    const ts = (h.log.finished[0]?.result as { login?: { ts?: number } } | undefined)?.login?.ts;
    assert.ok(typeof ts === 'number' && Math.abs(ts - Date.now() / 1000) < 60, 'the login time is given, to name its audit event');
    assert.deepEqual(h.log.finished.map((f) => f.result), [{ login: { accountId: 's1', acr: AAL1, amr: ['pwd'], ts } }]);
    assert.ok(h.log.finished[0]!.ttl > 590 && h.log.finished[0]!.ttl <= 600, 'saved for what is left of its lifetime');
    assert.equal(h.ctx.status, 303);
    assert.equal(h.ctx.response.get('location'), 'https://idp.example.test/auth/u1', 'back to the authorization');
    assert.deepEqual(h.log.progress, [['clear', 'u1']]);
    assert.equal(h.log.audits[0]!.action, 'login.succeeded');
  });
  test('short of the level: a POST redirects to the GET, which shows the offered factors’ parts only', async () => {
    const needs22 = { params: { client_id: 'clinic', acr_values: AAL22 } };
    const post = harness({ progress: pwd, usable: ['pwd', 'sms', 'otp', 'swk'], interaction: needs22 });
    await advance(post.ctx);
    assert.equal(post.ctx.status, 303);
    assert.equal(post.ctx.response.get('Location'), '/interaction/u1');
    assert.deepEqual(post.log.finished, []);

    const get = harness({ method: 'GET', progress: pwd, usable: ['pwd', 'sms', 'otp', 'swk'], interaction: needs22 });
    await advance(get.ctx);
    assert.equal(get.ctx.status, 200);
    assert.deepEqual(get.log.parts[0]!.offered, ['otp', 'swk'], 'SMS reaches only AAL 2.1');
    assert.match(body(get.ctx), /data-factor="otp"/);
    assert.match(body(get.ctx), /<script src="\/static\/passkey.js"/);
    assert.match(body(get.ctx), /AAL 2.2/);
  });
  test('an error shows the page again with it, as a 400', async () => {
    const h = harness({ progress: pwd, usable: ['pwd', 'otp'], interaction: { params: { client_id: 'clinic', acr_values: AAL22 } } });
    await advance(h.ctx, 'The code is not correct');
    assert.equal(h.ctx.status, 400);
    assert.match(body(h.ctx), /role="alert" id="form-error">The code is not correct/);
    assert.equal(h.log.parts[0]!.page.error, 'The code is not correct');
  });
  test('a level no factor of the account reaches, or an IAL it lacks, ends on the page that says so', async () => {
    const aal = harness({ progress: pwd, usable: ['pwd', 'sms'], interaction: { params: { client_id: 'clinic', acr_values: AAL22 } } });
    await advance(aal.ctx);
    assert.match(body(aal.ctx), /action="\/interaction\/u1\/unmet"/);
    assert.match(body(aal.ctx), /no authenticator that reaches it/);
    assert.deepEqual(aal.log.finished, []);

    const ial = harness({ progress: pwd, interaction: { params: { client_id: 'clinic', min_ial: '2.3' } } });
    await advance(ial.ctx);
    assert.match(body(ial.ctx), /identity assurance level \(IAL\) 2.3/);
    assert.match(body(ial.ctx), /Test Hospital \(10670\)/, 'where to verify in person, in English on an English page');
    assert.match(body(ial.ctx), /โรงพยาบาลไม่มีชื่ออังกฤษ \(10671\)/, 'the Thai name when the register has no English one');
    assert.deepEqual(ial.log.finished, [], 'a login strong enough is still not finished');
  });
});

describe('recordFactor and passFactor', () => {
  test('recordFactor keeps the factor with the interaction at once, and it is the login under way from then on', async () => {
    const h = harness();
    const p = await recordFactor(h.ctx, 's1', 'pwd');
    assert.deepEqual(h.log.progress, [['save', 'u1', 's1', ['pwd']]]);
    assert.deepEqual(h.state().progress, p);
  });

  test('passFactor keeps the factor only when the login goes on to a next step', async () => {
    const h = harness({ interaction: { params: { client_id: 'clinic', acr_values: AAL22 } } });
    await passFactor(h.ctx, 's1', 'pwd');
    assert.deepEqual(h.log.progress, [['save', 'u1', 's1', ['pwd']]], 'kept for the second factor');
    assert.equal(h.log.finished.length, 0);
  });

  test('a login that one factor completes writes nothing to login_progress', async () => {
    const h = harness();
    await passFactor(h.ctx, 's1', 'pwd');
    assert.equal(h.log.finished.length, 1);
    assert.deepEqual(h.log.progress, [], 'no row written, none to clear');
  });

  test('a factor for another account starts afresh; one for the same account joins those passed', async () => {
    const h = harness({ progress: { sub: 's1', factors: ['pwd'], smsOtpId: 'otp-1' } });
    assert.deepEqual(await noteFactor(h.ctx, 's1', 'otp'), { sub: 's1', factors: ['pwd', 'otp'], smsOtpId: 'otp-1' });
    assert.deepEqual(await noteFactor(h.ctx, 's2', 'pwd'), { sub: 's2', factors: ['pwd'], smsOtpId: null });
    assert.deepEqual(h.log.progress, [], 'noted in the request, not written');
  });
});

describe('factorPassed', () => {
  test('clears the account’s second-factor failures, records the factor and finishes at the level it reaches', async () => {
    const h = harness({ progress: { sub: 's1', factors: ['pwd'], smsOtpId: null }, interaction: { params: { client_id: 'clinic', acr_values: AAL22 } } });
    await factorPassed(h.ctx, 'otp');
    assert.deepEqual(h.log.throttle, ['succeed second-factor:s1']);
    assert.deepEqual(h.log.finished[0]!.result, { login: { accountId: 's1', acr: AAL22, amr: ['pwd', 'otp', 'mfa'], ts: (h.log.finished[0]!.result as { login: { ts: number } }).login.ts } });
  });
});

describe('factorFailed', () => {
  test('counts against the account, audits the factor and says why in the person’s words', async () => {
    const h = harness({ progress: { sub: 's1', factors: ['pwd'], smsOtpId: null }, usable: ['pwd', 'otp'], interaction: { params: { client_id: 'clinic', acr_values: AAL22 } } });
    await factorFailed(h.ctx, 'otp', 'replayed');
    assert.deepEqual(h.log.throttle, ['fail second-factor:s1']);
    assert.deepEqual(h.log.audits, [{ actor: 's1', action: 'login.factor_failed', subject: 's1', detail: { factor: 'otp', client_id: 'clinic' } }]);
    assert.equal(h.ctx.status, 400);
    assert.match(body(h.ctx), /This code was already used/);
    assert.deepEqual(h.log.finished, []);
  });
});

describe('codeSent', () => {
  test('the sent code’s id is kept with the login, which then shows its next step', async () => {
    const h = harness({ method: 'GET', progress: { sub: 's1', factors: ['pwd'], smsOtpId: null }, usable: ['pwd', 'sms'], interaction: { params: { client_id: 'clinic', acr_values: 'urn:th:etda:aal:2.1' } } });
    await codeSent(h.ctx, 'otp-1');
    assert.deepEqual(h.log.progress, [['setSmsOtp', 'u1', 'otp-1']]);
    assert.equal(h.log.parts[0]!.page.attempt.smsOtpId, 'otp-1', 'the SMS part knows a code was sent');
  });
});

describe('renderLogin', () => {
  test('the first login page keeps the ID number typed and shows the error, for this client', async () => {
    const h = harness();
    await renderLogin(h.ctx, { pid: '1234567890121', error: 'Wrong' });
    assert.match(body(h.ctx), /value="1234567890121"/);
    assert.match(body(h.ctx), /role="alert" id="form-error"[^>]*><p>Wrong/);
    assert.match(body(h.ctx), /Clinic app/);
    assert.match(body(h.ctx), /action="\/interaction\/u1\/login"/);
    // the methods that begin a login by themselves add their buttons
    assert.match(body(h.ctx), /data-first-factor="upstream"/);
  });
});

describe('showPrompt', () => {
  test('a login prompt without progress shows the login form; a consent prompt what is asked; never cached', async () => {
    const login = harness({ method: 'GET' });
    await showPrompt(login.ctx);
    assert.match(body(login.ctx), /name="password"/);
    assert.equal(login.ctx.response.get('Cache-Control'), 'no-store');
    const consent = harness({ method: 'GET', interaction: { prompt: { name: 'consent', reasons: [], details: { missingOIDCScope: ['openid', 'phone'] } } } });
    await showPrompt(consent.ctx);
    assert.match(body(consent.ctx), /action="\/interaction\/u1\/confirm"/);
    assert.match(body(consent.ctx), /mobile phone number/);
  });
  test('a login under way carries on from where it is', async () => {
    const h = harness({ method: 'GET', progress: { sub: 's1', factors: ['pwd'], smsOtpId: null } });
    h.state().progress = undefined;
    await showPrompt(h.ctx);
    assert.equal(h.log.finished.length, 1, 'AAL 1 was asked for and the password reached it');
  });
});

describe('giveUp', () => {
  test('returns unmet_authentication_requirements to the client and forgets the login', async () => {
    const h = harness({ progress: { sub: 's1', factors: ['pwd'], smsOtpId: null } });
    await giveUp(h.ctx);
    assert.equal(h.log.finished[0]!.result.error, 'unmet_authentication_requirements');
    assert.deepEqual(h.log.progress, [['clear', 'u1']]);
  });
});

describe('grantConsent', () => {
  test('consent adds what was missing to the grant; it is refused outside a consent prompt', async () => {
    const notConsent = harness({ interaction: { session: { accountId: 's1' } } });
    await assert.rejects(grantConsent(notConsent.ctx), status400);
    const login = { accountId: 's1', acr: AAL1, amr: ['pwd'], ts: 1 };
    const h = harness({ interaction: { prompt: { name: 'consent', reasons: [], details: { missingOIDCScope: ['openid', 'profile'], missingOIDCClaims: ['birthdate'] } }, session: { accountId: 's1' }, lastSubmission: { login } } });
    await grantConsent(h.ctx);
    assert.deepEqual(h.log.grants, [{ scope: 'openid profile', claims: ['birthdate'] }]);
    assert.deepEqual(h.log.finished.map((f) => f.result), [{ login, consent: { grantId: 'grant-1' } }], 'merged with the login submitted before');
    assert.deepEqual(h.log.audits[0]!.detail, { client_id: 'clinic', scope: ['openid', 'profile'] });
  });
});

describe('abortInteraction', () => {
  test('returns access_denied; the refusal is audited only when a session says who refused', async () => {
    const anonymous = harness();
    await abortInteraction(anonymous.ctx);
    assert.equal(anonymous.log.finished[0]!.result.error, 'access_denied');
    assert.deepEqual(anonymous.log.audits, []);
    const known = harness({ interaction: { session: { accountId: 's1' } } });
    await abortInteraction(known.ctx);
    assert.equal(known.log.audits[0]!.action, 'consent.denied');
  });
});
