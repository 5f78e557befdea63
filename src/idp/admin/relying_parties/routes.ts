// The relying-party pages of the administration console (/admin/relying-parties): the form's fields
// become RFC 7591 metadata and go to the same rules as the admin API and mpid (./index.ts); what
// oidc-provider refuses is said beside the field it names.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../../units/index.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { t } from '../../web/messages.ts';
import { adminSession, type AdminSession } from '../session.ts';
import { RelyingPartyError, type Actor, type RelyingParties } from './index.ts';
import { AUTH_METHODS, GRANT_TYPES, rpFormPage, rpListPage, rpSecretPage, SCOPES, type PeopleCount, type RpForm } from './views.ts';

const PAGE_SIZE = 50;
const lines = (v: string) => v.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : typeof v === 'string' ? [v] : []);
const peopleOf = (r: { people: number; people_at_least: boolean }): PeopleCount => ({ people: r.people, atLeast: r.people_at_least });

/** The form as posted, kept as typed. */
function formOf(b: Record<string, unknown>): RpForm {
  const s = (k: string) => (typeof b[k] === 'string' ? (b[k] as string).trim() : '');
  return {
    client_name: s('client_name').slice(0, 200), redirect_uris: s('redirect_uris'), post_logout_redirect_uris: s('post_logout_redirect_uris'),
    grant_types: list(b.grant_types).filter((g) => (GRANT_TYPES as readonly string[]).includes(g)),
    token_endpoint_auth_method: (AUTH_METHODS as readonly string[]).includes(s('token_endpoint_auth_method')) ? s('token_endpoint_auth_method') : 'client_secret_basic',
    scopes: list(b.scopes).filter((g) => (SCOPES as readonly string[]).includes(g)),
    backchannel_logout_uri: s('backchannel_logout_uri'), hcode: s('hcode'), jwks: s('jwks'), jwks_uri: s('jwks_uri'), admin_api: b.admin_api === 'yes',
  };
}

/** The stored metadata as the form shows it. */
function formFrom(m: Record<string, unknown>): RpForm {
  const arr = (k: string) => (Array.isArray(m[k]) ? (m[k] as string[]) : []);
  const str = (k: string) => (typeof m[k] === 'string' ? (m[k] as string) : '');
  return {
    client_name: str('client_name'), redirect_uris: arr('redirect_uris').join('\n'), post_logout_redirect_uris: arr('post_logout_redirect_uris').join('\n'),
    grant_types: arr('grant_types').length ? arr('grant_types') : ['authorization_code'], token_endpoint_auth_method: str('token_endpoint_auth_method') || 'client_secret_basic',
    scopes: str('scope').split(' ').filter(Boolean), backchannel_logout_uri: str('backchannel_logout_uri'), hcode: str('hcode'),
    jwks: m.jwks ? JSON.stringify(m.jwks) : '', jwks_uri: str('jwks_uri'), admin_api: m.admin_api === true,
  };
}

/** RFC 7591 metadata from the form, or the fields the form itself can tell are wrong. */
function metadataOf(lang: Lang, f: RpForm): { metadata: Record<string, unknown> } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  let jwks: unknown;
  if (f.jwks) {
    try {
      jwks = JSON.parse(f.jwks);
      if (!jwks || typeof jwks !== 'object' || !Array.isArray((jwks as { keys?: unknown }).keys)) throw new Error('not a key set');
    } catch {
      errors.jwks = t(lang, 'rpJwksInvalid');
    }
  }
  if (f.hcode && !/^\d{5}$/.test(f.hcode)) errors.hcode = t(lang, 'rpHcodeInvalid');
  if (Object.keys(errors).length) return { errors };
  const code = f.grant_types.includes('authorization_code');
  return {
    metadata: {
      client_name: f.client_name || undefined,
      redirect_uris: lines(f.redirect_uris),
      post_logout_redirect_uris: lines(f.post_logout_redirect_uris),
      grant_types: f.grant_types,
      response_types: code ? ['code'] : [],
      token_endpoint_auth_method: f.token_endpoint_auth_method,
      scope: f.scopes.join(' ') || 'openid',
      ...(f.backchannel_logout_uri ? { backchannel_logout_uri: f.backchannel_logout_uri } : {}),
      ...(f.hcode ? { hcode: f.hcode } : {}),
      ...(jwks ? { jwks } : {}),
      ...(f.jwks_uri ? { jwks_uri: f.jwks_uri } : {}),
      ...(f.admin_api ? { admin_api: true } : {}),
    },
  };
}

/** The form field each metadata property is typed in, and its label. */
const FIELDS = {
  post_logout_redirect_uris: ['post_logout_redirect_uris', 'rpLogoutUris'], redirect_uris: ['redirect_uris', 'rpRedirectUris'], backchannel_logout_uri: ['backchannel_logout_uri', 'rpBackchannel'],
  grant_types: ['grant_types', 'rpGrantTypes'], response_types: ['grant_types', 'rpGrantTypes'], token_endpoint_auth_method: ['token_endpoint_auth_method', 'rpAuthMethod'],
  jwks_uri: ['jwks_uri', 'rpJwksUri'], jwks: ['jwks', 'rpJwks'], scope: ['scopes', 'rpScopes'], hcode: ['hcode', 'rpHcode'], client_name: ['client_name', 'rpName'],
} as const;

/** oidc-provider's refusal beside the field it names, in the form's words (its labels, no property names). */
function refusalErrors(lang: Lang, message: string): Record<string, string> {
  const named = (Object.keys(FIELDS) as Array<keyof typeof FIELDS>).find((k) => new RegExp(`\\b${k}\\b`).test(message));
  let why = message;
  for (const [k, [, label]] of Object.entries(FIELDS)) why = why.replace(new RegExp(`\\b${k}\\b`, 'g'), `“${t(lang, label)}”`);
  why = why.replace(/\b([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b/g, (w) => w.replaceAll('_', ' '));
  return { [named ? FIELDS[named][0] : 'client_name']: t(lang, 'rpRefused', { why }) };
}

export function relyingPartyRoutes(deps: { provider: Provider; units: Units; relyingParties: RelyingParties }) {
  const { relyingParties: rps } = deps;
  const router = new Router({ prefix: '/admin/relying-parties' });
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  const show = (ctx: Context, html: string, status = 200) => {
    ctx.status = status;
    ctx.type = 'html';
    ctx.set('Cache-Control', 'no-store');
    ctx.body = html;
  };
  /** an administrator, or the page says they are not one (403) */
  async function administrator(ctx: Context): Promise<AdminSession | undefined> {
    const a = await adminSession(ctx, deps);
    if (a && !a.isAdmin) show(ctx, rpListPage(a.lang, { search: '', rows: [], page: 1, more: false, notice: t(a.lang, 'adminNotAdmin') }), 403);
    return a?.isAdmin ? a : undefined;
  }
  const actor = (a: AdminSession): Actor => ({ kind: 'person', sub: a.sub });
  const idOf = (ctx: Context) => {
    const id = ctx.params.id ?? '';
    if (!/^[\w.~-]{1,128}$/.test(id)) throw new HttpError(404, 'notFound');
    return id;
  };

  async function editPage(ctx: Context, a: AdminSession, id: string, o: { values?: RpForm; errors?: Record<string, string>; notice?: string; status?: number } = {}) {
    let found: Awaited<ReturnType<RelyingParties['get']>>;
    try {
      found = await rps.get(id);
    } catch (err) {
      if (err instanceof RelyingPartyError && err.status === 404) throw new HttpError(404, 'notFound');
      throw err;
    }
    show(ctx, rpFormPage(a.lang, {
      csrf: issueCsrfToken(ctx), clientId: id, values: o.values ?? formFrom(found.metadata), errors: o.errors ?? {}, notice: o.notice,
      disabled: found.disabled, people: peopleOf(found), hasSecret: found.metadata.has_secret === true,
    }), o.status);
  }

  router.get('/', async (ctx) => {
    const a = await administrator(ctx);
    if (!a) return;
    const search = typeof ctx.query.search === 'string' ? ctx.query.search.trim().slice(0, 100) : '';
    const page = Math.max(1, Math.min(10_000, Number.parseInt(String(ctx.query.page ?? '1'), 10) || 1));
    const { items, more } = await rps.list({ search, page, size: PAGE_SIZE });
    show(ctx, rpListPage(a.lang, { search, page, more, rows: items.map((i) => ({ clientId: i.client_id, name: i.client_name ?? i.client_id, authMethod: i.token_endpoint_auth_method, people: peopleOf(i), disabled: i.disabled })) }));
  });

  router.get('/new', async (ctx) => {
    const a = await administrator(ctx);
    if (!a) return;
    const values: RpForm = { client_name: '', redirect_uris: '', post_logout_redirect_uris: '', grant_types: ['authorization_code', 'refresh_token'], token_endpoint_auth_method: 'client_secret_basic', scopes: ['openid', 'profile'], backchannel_logout_uri: '', hcode: '', jwks: '', jwks_uri: '', admin_api: false };
    show(ctx, rpFormPage(a.lang, { csrf: issueCsrfToken(ctx), values, errors: {} }));
  });

  router.post('/', formBody(), async (ctx) => {
    const a = await administrator(ctx);
    if (!a) return;
    const values = formOf(body(ctx));
    const built = metadataOf(a.lang, values);
    if ('errors' in built) return show(ctx, rpFormPage(a.lang, { csrf: issueCsrfToken(ctx), values, errors: built.errors }), 400);
    try {
      const made = await rps.register(actor(a), built.metadata);
      show(ctx, rpSecretPage(a.lang, { clientId: String(made.client_id), secret: made.client_secret as string | undefined, message: t(a.lang, 'rpRegistered') }), 201);
    } catch (err) {
      if (!(err instanceof RelyingPartyError)) throw err;
      show(ctx, rpFormPage(a.lang, { csrf: issueCsrfToken(ctx), values, errors: refusalErrors(a.lang, err.message) }), err.status === 409 ? 409 : 400);
    }
  });

  router.get('/:id', async (ctx) => {
    const a = await administrator(ctx);
    if (a) await editPage(ctx, a, idOf(ctx));
  });

  router.post('/:id', formBody(), async (ctx) => {
    const a = await administrator(ctx);
    if (!a) return;
    const id = idOf(ctx);
    const values = formOf(body(ctx));
    const built = metadataOf(a.lang, values);
    if ('errors' in built) return editPage(ctx, a, id, { values, errors: built.errors, status: 400 });
    try {
      await rps.update(actor(a), id, built.metadata);
    } catch (err) {
      if (!(err instanceof RelyingPartyError) || err.status === 404) throw err instanceof RelyingPartyError ? new HttpError(404, 'notFound') : err;
      return editPage(ctx, a, id, { values, errors: refusalErrors(a.lang, err.message), status: 400 });
    }
    await editPage(ctx, a, id, { notice: t(a.lang, 'rpSaved') });
  });

  router.post('/:id/secret', formBody(), async (ctx) => {
    const a = await administrator(ctx);
    if (!a) return;
    try {
      const { client_id: clientId, client_secret: secret } = await rps.rotateSecret(actor(a), idOf(ctx));
      show(ctx, rpSecretPage(a.lang, { clientId, secret, message: t(a.lang, 'rpRotated') }));
    } catch (err) {
      if (!(err instanceof RelyingPartyError)) throw err;
      if (err.status === 404) throw new HttpError(404, 'notFound');
      await editPage(ctx, a, idOf(ctx), { errors: { client_name: err.message }, status: 400 });
    }
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/:id/${path}`, formBody(), async (ctx) => {
      const a = await administrator(ctx);
      if (!a) return;
      const id = idOf(ctx);
      const reason = typeof body(ctx).reason === 'string' ? (body(ctx).reason as string).trim() : '';
      if (!reason) return editPage(ctx, a, id, { errors: { reason: t(a.lang, 'rpReasonRequired') }, status: 400 });
      try {
        await rps.setDisabled(actor(a), id, disabled, reason);
      } catch (err) {
        if (!(err instanceof RelyingPartyError)) throw err;
        if (err.status === 404) throw new HttpError(404, 'notFound');
        return editPage(ctx, a, id, { errors: { reason: err.message }, status: err.status });
      }
      await editPage(ctx, a, id, { notice: t(a.lang, disabled ? 'rpDisabledDone' : 'rpEnabledDone') });
    });
  }

  return router;
}
