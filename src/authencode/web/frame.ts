// The footer's help, terms, privacy and accessibility links: the IdP's pages (one set of words for the
// whole of Mor Prom ID), reached through this service's own paths so every page can link them.
import { Router } from '@koa/router';
import { pickLang } from '../../kernel/http/i18n.ts';

const PAGES = ['/help', '/terms', '/privacy', '/accessibility'];

export function frameRoutes(idpIssuer: string): Router {
  const router = new Router();
  for (const at of PAGES) router.get(at, (ctx) => ctx.redirect(`${idpIssuer}${at}?lang=${pickLang(ctx)}`));
  return router;
}
