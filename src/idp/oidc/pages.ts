// oidc-provider's own pages (errors, logout) rendered with our templates, in Thai or English. An error
// is a sentence in the page's language (its code goes to the log, never onto the page).
import type { KoaContextWithOIDC } from 'oidc-provider';
import { pickLang } from '../../kernel/http/i18n.ts';
import { html, Html } from '../../kernel/web/html.ts';
import { messagePage } from '../login/views/message.ts';
import { messages, t, type MessageKey } from '../web/messages.ts';
import type { Lang } from '../../kernel/http/i18n.ts';

const uiLocales = (ctx: KoaContextWithOIDC) => {
  const v = ctx.oidc?.params?.ui_locales;
  return typeof v === 'string' ? v : undefined;
};

/** oidc-provider's error code (and, for a few, its description) as a sentence a person can act on. */
export function errorSentence(lang: Lang, out: { error: string; error_description?: string }): string {
  let code = out.error;
  if (code === 'invalid_request' && /redirect_uri/.test(out.error_description ?? '')) code = 'invalid_redirect_uri';
  if (code === 'invalid_request' && /(interaction|session).*(expired|not found)/i.test(out.error_description ?? '')) code = 'session_expired';
  if (code === 'session_not_found') code = 'session_expired';
  const key = `oidcError_${code}`;
  return key in messages[lang] ? t(lang, key as MessageKey) : t(lang, 'oidcError_other');
}

export async function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) {
  const lang = pickLang(ctx, uiLocales(ctx));
  ctx.type = 'html';
  ctx.body = messagePage({ lang, title: t(lang, 'errorTitle'), message: errorSentence(lang, out) });
}

export async function logoutSource(ctx: KoaContextWithOIDC, form: string) {
  const lang = pickLang(ctx, uiLocales(ctx));
  ctx.type = 'html';
  // `form` is oidc-provider's own hidden form (with its xsrf token); the buttons submit it by id
  ctx.body = messagePage({
    lang,
    title: t(lang, 'logoutTitle'),
    message: t(lang, 'logoutQuestion'),
    extra: html`${new Html(form)}<div class="actions">
<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">${t(lang, 'logoutYes')}</button>
<button type="submit" form="op.logoutForm" class="secondary">${t(lang, 'logoutNo')}</button></div>`,
  });
}

/** After logging out with no relying party to return to; the account pages' logout comes to the same words. */
export function loggedOutPage(lang: Lang): string {
  return messagePage({ lang, title: t(lang, 'loggedOut'), message: t(lang, 'loggedOutBody'), extra: html`<p><a class="button" href="/account/login">${t(lang, 'logInAgain')}</a></p>` });
}

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
  ctx.type = 'html';
  ctx.body = loggedOutPage(pickLang(ctx));
}
