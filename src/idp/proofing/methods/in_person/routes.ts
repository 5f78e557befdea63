// In-person verification in the verifier console: the card read by the unit's reader (and, in the
// test zone only, the card data typed by hand), for the person the verifier found.
import type { Router } from '@koa/router';
import type { Context } from 'koa';
import type { Database } from '../../../../kernel/db/index.ts';
import type { Accounts } from '../../../account/index.ts';
import { normalizePid } from '../../../account/index.ts';
import { formBody } from '../../../../kernel/http/form.ts';
import { postedCardRead } from '../../../../kernel/web/card_reader/index.ts';
import { parseBirthdate } from '../../../../kernel/thai/dates.ts';
import { t, type MessageKey } from '../../../web/messages.ts';
import type { Verifier, VerifierConsole } from '../../verifier/routes.ts';
import { verifyByHand, verifyInPerson, type InPersonResult } from './index.ts';

const REFUSALS: Record<string, MessageKey> = { self: 'verifierSelf', card_refused: 'verifierCardRefused', not_this_person: 'verifierNotThisPerson', card_expired: 'verifierCardExpired', no_account: 'verifierNotFound' };

export function inPersonRoutes(router: Router, shell: VerifierConsole, deps: { db: Database; accounts: Accounts; testZone: boolean }) {
  const { db, accounts, testZone } = deps;
  const body = (ctx: Context) => (ctx.request.body ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');

  async function outcome(ctx: Context, v: Verifier, sub: string, result: InPersonResult) {
    const person = await shell.person(sub, v.lang);
    if (!result.ok) return shell.home(ctx, v, { person, errors: { card_read: t(v.lang, REFUSALS[result.reason]!) } }, result.reason === 'no_account' ? 404 : 400);
    await shell.home(ctx, v, { person, notice: t(v.lang, 'verifierDone', { ial: person?.ial ?? '-' }) });
  }

  router.post('/in-person', formBody(), async (ctx) => {
    shell.requireCsrf(ctx);
    const v = await shell.verifier(ctx);
    if (!v?.unit) return v && shell.home(ctx, v);
    const b = body(ctx);
    const sub = str(b.sub);
    const result = await verifyInPerson(
      { db, accounts },
      { verifierSub: v.session.sub, hcode: v.unit.hcode, sub, cardRead: postedCardRead(b), cardStatusConfirmed: b.card_status === 'yes', faceCompared: b.face_compared === 'yes', reason: str(b.note).slice(0, 200) },
    );
    await outcome(ctx, v, sub, result);
  });

  // test zone only: the route does not exist in production
  if (testZone) {
    router.post('/by-hand', formBody(), async (ctx) => {
      shell.requireCsrf(ctx);
      const v = await shell.verifier(ctx);
      if (!v?.unit) return v && shell.home(ctx, v);
      const b = body(ctx);
      const sub = str(b.sub);
      const birth = parseBirthdate(str(b.birth_day), str(b.birth_month), str(b.birth_year));
      const expiry = parseBirthdate(str(b.expiry_day), str(b.expiry_month), str(b.expiry_year), new Date(Date.UTC(2150, 0, 1)));
      const result = await verifyByHand(
        { db, accounts },
        {
          verifierSub: v.session.sub,
          hcode: v.unit.hcode,
          sub,
          card: { pid: normalizePid(str(b.pid)) ?? '', givenName: str(b.given_name), familyName: str(b.family_name), birthdate: birth.ok ? birth.iso : '', expiry: expiry.ok ? expiry.iso : '' },
          cardStatusConfirmed: b.card_status === 'yes',
          reason: str(b.note).slice(0, 200),
        },
      );
      await outcome(ctx, v, sub, result);
    });
  }
}
