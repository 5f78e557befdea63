// The register check's form on /account/verify: the laser code, checked with the population register.
import type { Router } from '@koa/router';
import type { VerifyPage } from '../../routes.ts';
import type { Database } from '../../../../kernel/db/index.ts';
import { accountIal } from '../../ial.ts';
import { t } from '../../../web/messages.ts';
import { ialWords } from '../../../login/views/words.ts';
import { TRIES_PER_DAY, type RegisterCheck } from './index.ts';

export function registerCheckRoutes(router: Router, page: VerifyPage, deps: { db: Database; registerCheck: RegisterCheck }) {
  const { db, registerCheck } = deps;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  router.post('/register', ...page.form, async (ctx) => {
    const { sub, lang } = page.person(ctx);
    const result = await registerCheck.check(sub, str((ctx.request.body as Record<string, unknown>).laser_code));
    switch (result) {
      case 'verified':
        return page.done(ctx, t(lang, 'registerCheckVerified', { words: ialWords(lang, await accountIal(db, sub)) }));
      case 'bad_laser_code':
        return page.again(ctx, { laser_code: t(lang, 'registerCheckBadLaser') }, 400);
      case 'not_valid':
        return page.again(ctx, { laser_code: t(lang, 'registerCheckNotValid') }, 400);
      case 'too_many_tries':
        return page.again(ctx, { laser_code: t(lang, 'registerCheckTooMany', { tries: TRIES_PER_DAY }) }, 429);
      case 'unavailable':
        return page.again(ctx, { laser_code: t(lang, 'registerCheckUnavailable') }, 503);
    }
  });
}
