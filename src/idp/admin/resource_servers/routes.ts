// The resource-server pages (/admin/resource-servers): the list and register form, one resource server's
// page (edit, disable / enable with a reason). The form goes to the same rules as the admin API and mpid
// (./index.ts); a refusal is said in words beside the field it is about.
import { Router } from '@koa/router';
import type { Context } from 'koa';
import type Provider from 'oidc-provider';
import type { Units } from '../../units/index.ts';
import { formBody } from '../../../kernel/http/form.ts';
import { issueCsrfToken } from '../../../kernel/http/csrf.ts';
import { HttpError } from '../../../kernel/http/errors.ts';
import { formatDateTime } from '../../../kernel/thai/time.ts';
import type { Lang } from '../../../kernel/http/i18n.ts';
import { t } from '../../web/messages.ts';
import { consoleKit } from '../console.ts';
import type { AdminSession } from '../session.ts';
import { ResourceServerError, type ResourceServer, type ResourceServers } from './index.ts';
import { rsEditPage, rsListPage, type RsForm, type RsRow } from './views.ts';

const rowOf = (lang: Lang, r: ResourceServer): RsRow => ({
  identifier: r.identifier, scope: r.scope, ttl: r.access_token_ttl, alg: r.signing_alg, disabled: r.disabled, builtIn: r.built_in,
  ...(r.disabled_at ? { disabledAt: formatDateTime(new Date(r.disabled_at), lang) } : {}),
});
const formFrom = (r: ResourceServer): RsForm => ({ identifier: r.identifier, scope: r.scope, access_token_ttl: String(r.access_token_ttl), signing_alg: r.signing_alg });

/** A refusal in words, keyed by the field it is shown beside. */
function refusal(lang: Lang, err: ResourceServerError): Record<string, string> {
  const field = err.field ?? 'identifier';
  const words =
    err.why === 'invalid' && err.field && err.field !== 'reason' ? t(lang, `rsErr_${err.field}`)
    : err.why === 'exists' ? t(lang, 'rsErr_exists')
    : err.why === 'builtIn' ? t(lang, field === 'scope' ? 'rsErr_builtInScope' : field === 'reason' ? 'rsErr_builtInDisable' : 'rsErr_exists')
    : err.why === 'already' ? t(lang, 'rsErr_already')
    : err.why === 'reasonRequired' ? t(lang, 'rsErr_reason')
    : err.message;
  return { [field]: words };
}

export function resourceServerRoutes(deps: { provider: Provider; units: Units; resourceServers: ResourceServers }) {
  const { resourceServers: rss } = deps;
  const kit = consoleKit(deps);
  const router = new Router({ prefix: '/admin/resource-servers' });
  const empty: RsForm = { identifier: '', scope: '', access_token_ttl: '900', signing_alg: 'ES256' };
  const formOf = (ctx: Context): RsForm => {
    const b = kit.body(ctx);
    return { identifier: kit.str(b.identifier, 500), scope: kit.str(b.scope, 500).replace(/\s+/g, ' '), access_token_ttl: kit.str(b.access_token_ttl, 9), signing_alg: kit.str(b.signing_alg, 10) };
  };
  const input = (v: RsForm) => ({ scope: v.scope, access_token_ttl: v.access_token_ttl, signing_alg: v.signing_alg });

  async function list(ctx: Context, a: AdminSession, o: { values?: RsForm; errors?: Record<string, string>; notice?: string; status?: number } = {}) {
    const rows = (await rss.list()).map((r) => rowOf(a.lang, r));
    kit.show(ctx, rsListPage(a.lang, { csrf: issueCsrfToken(ctx), rows, values: o.values ?? empty, errors: o.errors ?? {}, notice: o.notice }), o.status);
  }
  async function one(ctx: Context, a: AdminSession, identifier: string, o: { values?: RsForm; errors?: Record<string, string>; notice?: string; status?: number } = {}) {
    let found: ResourceServer;
    try {
      found = await rss.get(identifier);
    } catch (err) {
      if (err instanceof ResourceServerError && err.status === 404) throw new HttpError(404, 'notFound');
      throw err;
    }
    kit.show(ctx, rsEditPage(a.lang, { csrf: issueCsrfToken(ctx), rs: rowOf(a.lang, found), values: o.values ?? formFrom(found), errors: o.errors ?? {}, notice: o.notice }), o.status);
  }
  const idOf = (ctx: Context) => ctx.params.id ?? '';

  router.get('/', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) await list(ctx, a);
  });

  router.post('/', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const values = formOf(ctx);
    try {
      const made = await rss.register(kit.actor(a), { identifier: values.identifier, ...input(values) });
      await one(ctx, a, made.identifier, { notice: t(a.lang, 'rsRegistered'), status: 201 });
    } catch (err) {
      if (!(err instanceof ResourceServerError)) throw err;
      await list(ctx, a, { values, errors: refusal(a.lang, err), status: err.status });
    }
  });

  router.get('/:id', async (ctx) => {
    const a = await kit.administrator(ctx);
    if (a) await one(ctx, a, idOf(ctx));
  });

  router.post('/:id', formBody(), async (ctx) => {
    const a = await kit.administrator(ctx);
    if (!a) return;
    const id = idOf(ctx);
    const values = formOf(ctx);
    const current = await rss.get(id).catch(() => undefined);
    if (!current) throw new HttpError(404, 'notFound');
    try {
      // a built-in one's form has no scope field: its scope is kept
      await rss.update(kit.actor(a), id, { ...input(values), ...(current.built_in && !('scope' in kit.body(ctx)) ? { scope: current.scope } : {}) });
    } catch (err) {
      if (!(err instanceof ResourceServerError)) throw err;
      return one(ctx, a, id, { values: { ...values, identifier: id }, errors: refusal(a.lang, err), status: err.status });
    }
    await one(ctx, a, id, { notice: t(a.lang, 'rsSaved') });
  });

  for (const [path, disabled] of [['disable', true], ['enable', false]] as const) {
    router.post(`/:id/${path}`, formBody(), async (ctx) => {
      const a = await kit.administrator(ctx);
      if (!a) return;
      const id = idOf(ctx);
      try {
        await rss.setDisabled(kit.actor(a), id, disabled, kit.str(kit.body(ctx).reason));
      } catch (err) {
        if (!(err instanceof ResourceServerError)) throw err;
        if (err.status === 404) throw new HttpError(404, 'notFound');
        return one(ctx, a, id, { errors: refusal(a.lang, err), status: err.status });
      }
      await one(ctx, a, id, { notice: t(a.lang, disabled ? 'rsDisabledDone' : 'rsEnabledDone') });
    });
  }

  return router;
}
