// The digital ID's routes under /account/verify: to ThaID and back. The assertion the callback stored
// is taken once, for the account that began the login only, and recorded only when it matches.
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { VerifyPage } from '../../routes.ts';
import type { Database } from '../../../../kernel/db/index.ts';
import type { Lang } from '../../../../kernel/http/i18n.ts';
import { accountIal } from '../../ial.ts';
import { t } from '../../../web/messages.ts';
import { ialWords } from '../../../login/views/words.ts';
import { UpstreamUnavailable, type Upstreams } from '../../../upstream/index.ts';
import { PROVIDER, type DigitalId, type DigitalIdResult } from './index.ts';

export const PURPOSE = 'verify';

/** The refusal of a result in the person's words (shared with registration). */
export function refusalWords(lang: Lang, r: Exclude<DigitalIdResult, { ok: true }>): string {
  const list = (attrs: readonly string[]) => attrs.map((a) => t(lang, `digitalIdAttr_${a}` as Parameters<typeof t>[1])).join(t(lang, 'digitalIdAnd'));
  switch (r.reason) {
    case 'mismatch':
      return t(lang, 'digitalIdMismatch', { fields: list(r.differs) });
    case 'level_too_low':
      return r.asserted ? t(lang, 'digitalIdLevelTooLow', { asserted: r.asserted, needed: '2.3' }) : t(lang, 'digitalIdLevelUnknown');
    case 'incomplete':
      return t(lang, 'digitalIdIncomplete', { fields: list(r.missing) });
    case 'no_account':
    case 'unavailable':
      return t(lang, 'digitalIdUnavailable');
  }
}

export function digitalIdRoutes(router: Router, page: VerifyPage, deps: { db: Database; digitalId: DigitalId; upstreams: Upstreams | undefined }) {
  const { db, digitalId, upstreams } = deps;

  router.post('/digital-id', ...page.form, async (ctx: Context) => {
    const { sub, lang } = page.person(ctx);
    if (!upstreams || !digitalId.available) return page.again(ctx, { digital_id: t(lang, 'digitalIdNotOffered') }, 404);
    try {
      const url = await upstreams.begin(ctx, PROVIDER, PURPOSE, { sub });
      ctx.status = 303;
      ctx.redirect(url);
    } catch (err) {
      if (!(err instanceof UpstreamUnavailable)) throw err;
      return page.again(ctx, { digital_id: t(lang, 'digitalIdUnavailable') }, 503);
    }
  });

  router.get('/digital-id', page.session, async (ctx: Context) => {
    const { sub, lang } = page.person(ctx);
    const taken = upstreams && (await upstreams.assertion(ctx, PROVIDER, PURPOSE, { take: true }));
    // a login begun by another account (a shared browser) is not this account's evidence
    if (!taken || taken.sub !== sub) return page.again(ctx, { digital_id: t(lang, 'digitalIdExpired') }, 400);
    const result = await digitalId.verify(sub, taken.assertion);
    if (result.ok) return page.done(ctx, t(lang, 'digitalIdVerified', { words: ialWords(lang, await accountIal(db, sub)) }));
    return page.again(ctx, { digital_id: refusalWords(lang, result) }, result.reason === 'mismatch' ? 409 : result.reason === 'unavailable' ? 503 : 400);
  });
}
