// oidc-provider's own pages (errors, logout) rendered with our templates, in Thai or English.
import type { KoaContextWithOIDC } from 'oidc-provider';
import { pickLang } from '../../kernel/http/i18n.ts';
import { html, Html } from '../../kernel/web/html.ts';
import { messagePage } from '../login/views/message.ts';
import { t } from '../web/messages.ts';

const uiLocales = (ctx: KoaContextWithOIDC) => {
  const v = ctx.oidc?.params?.ui_locales;
  return typeof v === 'string' ? v : undefined;
};

export async function renderError(ctx: KoaContextWithOIDC, out: { error: string; error_description?: string }) {
  const lang = pickLang(ctx, uiLocales(ctx));
  ctx.type = 'html';
  ctx.body = messagePage({
    lang,
    title: t(lang, 'errorTitle'),
    message: t(lang, 'errorBack'),
    detail: `${out.error}${out.error_description ? `: ${out.error_description}` : ''}`,
  });
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

export async function postLogoutSuccessSource(ctx: KoaContextWithOIDC) {
  const lang = pickLang(ctx);
  ctx.type = 'html';
  ctx.body = messagePage({ lang, title: t(lang, 'logoutTitle'), message: t(lang, 'loggedOut') });
}
