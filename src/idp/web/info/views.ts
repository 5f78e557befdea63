// The IdP's home page (what Mor Prom ID is, log in, create an account, help) and its help, terms and
// accessibility pages; the branded not-found and error pages. No domain imports: plain words only.
import { html } from '../../../kernel/web/html.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';
import { errorNextSteps, notFoundBody } from '../../../kernel/web/layout.ts';
import { frameText } from '../../../kernel/web/messages.ts';
import { layout } from '../layout.ts';
import { t, type MessageKey } from '../messages.ts';

const withLang = (href: string, lang: Lang) => `${href}?lang=${lang}`;

export function homePage(lang: Lang): string {
  const x = (k: MessageKey) => t(lang, k);
  return layout({
    lang,
    title: x('appName'),
    path: '/',
    body: html`<p class="lead">${x('homeLead')}</p>
<div class="choices">
<a class="button" href="${withLang('/account', lang)}">${x('homeLogIn')}</a>
<a class="button secondary" href="${withLang('/register', lang)}">${x('homeRegister')}</a>
</div>
<h2>${x('homeWhatTitle')}</h2>
<ul>
<li>${x('homeWhat1')}</li>
<li>${x('homeWhat2')}</li>
<li>${x('homeWhat3')}</li>
<li>${x('homeWhat4')}</li>
</ul>
<h2>${x('homeNeedTitle')}</h2>
<p>${x('homeNeedBody')}</p>
<h2>${x('homeHelpTitle')}</h2>
<ul>
<li><a href="${withLang('/recover', lang)}">${x('homeForgot')}</a></li>
<li><a href="${withLang('/help', lang)}">${x('homeHelpPage')}</a></li>
<li><a href="${withLang('/verifier', lang)}">${x('homeStaff')}</a></li>
</ul>`,
  });
}

export function helpPage(lang: Lang): string {
  const x = (k: MessageKey) => t(lang, k);
  return layout({
    lang,
    title: x('helpTitle'),
    path: '/help',
    body: html`<div class="info-page">
<p>${x('helpIntro')}</p>
<h2>${x('helpLoginQ')}</h2>
<p>${x('helpLoginA')}</p>
<p><a href="${withLang('/recover', lang)}">${x('helpForgotLink')}</a></p>
<h2>${x('helpVerifyQ')}</h2>
<p>${x('helpVerifyA')}</p>
<p><a href="${withLang('/account/verify', lang)}">${x('helpVerifyLink')}</a></p>
<h2>${x('helpPhoneQ')}</h2>
<p>${x('helpPhoneA')}</p>
<h2>${x('helpLostQ')}</h2>
<p>${x('helpLostA')}</p>
<h2>${x('helpContactTitle')}</h2>
<p>${x('helpContactBody')}</p>
</div>`,
  });
}

export function termsPage(lang: Lang): string {
  const x = (k: MessageKey) => t(lang, k);
  return layout({
    lang,
    title: x('termsTitle'),
    path: '/terms',
    body: html`<div class="info-page">
<p>${x('termsIntro')}</p>
<ol>
<li>${x('terms1')}</li>
<li>${x('terms2')}</li>
<li>${x('terms3')}</li>
<li>${x('terms4')}</li>
<li>${x('terms5')}</li>
</ol>
<p><a href="${withLang('/privacy', lang)}">${frameText(lang, 'privacy')}</a></p>
</div>`,
  });
}

export function accessibilityPage(lang: Lang): string {
  const x = (k: MessageKey) => t(lang, k);
  return layout({
    lang,
    title: x('a11yTitle'),
    path: '/accessibility',
    body: html`<div class="info-page">
<p>${x('a11yIntro')}</p>
<h2>${x('a11yWhatTitle')}</h2>
<ul>
<li>${x('a11y1')}</li>
<li>${x('a11y2')}</li>
<li>${x('a11y3')}</li>
<li>${x('a11y4')}</li>
<li>${x('a11y5')}</li>
</ul>
<h2>${x('a11yStandardTitle')}</h2>
<p>${x('a11yStandard')}</p>
<h2>${x('a11yProblemTitle')}</h2>
<p>${x('a11yProblem')}</p>
</div>`,
  });
}

/** An address that does not exist: the language switch points at the same address. */
export function notFoundPage(lang: Lang): string {
  return layout({ lang, title: frameText(lang, 'notFoundTitle'), langHref: `?lang=${lang === 'th' ? 'en' : 'th'}`, body: notFoundBody(lang) });
}

/** A refusal or a failure: what happened, in words, and a way forward (never a stack or an identifier). */
export function errorPage(lang: Lang, message: string): string {
  return layout({ lang, title: t(lang, 'errorTitle'), body: html`<p role="alert">${message}</p>
<p>${t(lang, 'errorBack')}</p>
${errorNextSteps(lang)}` });
}
