// The identity verification page as steps: where the person's identity stands (in words, the level
// small for reference) and a link to the next step; one error summary for every form on it; then each
// step — done ones folded to a line, the next one prominent with what it needs, what it gives and its
// form, one that waits for an earlier step saying why it has not counted yet, locked ones saying which
// step comes first.
import { html, type Html } from '../../kernel/web/html.ts';
import { t } from '../web/messages.ts';
import { accountPage, type Flash } from '../account/pages/views.ts';
import { errorSummary, type FieldErrors } from '../../kernel/web/form.ts';
import { ialWords } from '../login/views/words.ts';
import type { Lang } from '../../kernel/http/i18n.ts';

/**
 * Where a person stands with a step of /account/verify: done (their level is at least the step's), next
 * (the first not done that they can do now), waiting (its own checks are recorded, but they count only
 * after an earlier step), later (they could do it, another step comes first) or locked (an earlier step
 * first).
 */
export type StepState = 'done' | 'next' | 'waiting' | 'later' | 'locked';

export interface StepView {
  id: string;
  n: number;
  level: string;
  state: StepState;
  title: string;
  needs: string;
  gives: string;
  /** the steps to do first (locked or waiting) */
  after: Array<{ n: number; title: string }>;
  /** the method's part (its form, its outcome, the service points) */
  body: Html;
}

/** The account's own step: a confirmed phone number, on the profile page. */
export function accountStepBody(lang: Lang, state: StepState): Html {
  return state === 'done' ? html`` : html`<p><a href="/account#phone">${t(lang, 'stepAccountTodo')}</a></p>`;
}

const levelRef = (lang: Lang, level: string) => html`<small>(${t(lang, 'verifyIdLevelRef', { ial: level })})</small>`;

function stepSection(lang: Lang, s: StepView): Html {
  const heading = t(lang, 'stepNumbered', { n: s.n, title: s.title });
  const first = s.after.map((a) => `${t(lang, 'stepNumber', { n: a.n })} (${a.title})`).join(`${t(lang, 'stepAnd')} `);
  const about = html`<p><strong>${t(lang, 'stepNeeds')}:</strong> ${s.needs}</p>
<p><strong>${t(lang, 'stepGives')}:</strong> ${s.gives} ${levelRef(lang, s.level)}</p>`;
  const id = `step-${s.id}`;
  switch (s.state) {
    case 'done':
      return html`<section id="${id}" class="step step-done" aria-labelledby="${id}-title">
<h2 id="${id}-title"><span aria-hidden="true">✓ </span>${heading}</h2>
<p>${t(lang, 'stepDoneGave', { gives: s.gives })} ${levelRef(lang, s.level)}</p>
${s.body.value.trim() ? html`<details><summary>${t(lang, 'stepDetails')}</summary>${s.body}</details>` : ''}
</section>`;
    case 'next':
      return html`<section id="${id}" class="step step-next panel" aria-labelledby="${id}-title">
<p><strong>${t(lang, 'stepNextBadge')}</strong></p>
<h2 id="${id}-title">${heading}</h2>
${about}
${s.body}
</section>`;
    case 'waiting':
      return html`<section id="${id}" class="step step-waiting panel panel-warning" aria-labelledby="${id}-title">
<h2 id="${id}-title">${heading}</h2>
<p><strong>${t(lang, 'stepWaitingTitle')}</strong></p>
<p>${t(lang, 'stepWaiting', { steps: first, gives: ialWords(lang, s.level) })}</p>
${s.body}
</section>`;
    case 'later':
      return html`<section id="${id}" class="step" aria-labelledby="${id}-title">
<h2 id="${id}-title">${heading}</h2>
${about}
${s.body}
</section>`;
    case 'locked':
      return html`<section id="${id}" class="step step-locked" aria-labelledby="${id}-title">
<h2 id="${id}-title">${heading}</h2>
${about}
<p><em>${t(lang, 'stepLocked', { steps: first })}</em></p>
${s.body}
</section>`;
  }
}

export function verifyIdentityPage(p: { lang: Lang; ial: string | undefined; labels: Record<string, string>; steps: StepView[]; errors: FieldErrors; flash?: Flash }): string {
  const { lang } = p;
  const next = p.steps.find((s) => s.state === 'next') ?? p.steps.find((s) => s.state === 'waiting' || s.state === 'later');
  return accountPage({
    lang,
    title: t(lang, 'verifyIdTitle'),
    path: '/account/verify',
    flash: p.flash,
    body: html`<p>${t(lang, 'verifyIdIntro')}</p>
<p class="lead">${t(lang, 'verifyIdNow')}: <strong>${ialWords(lang, p.ial)}</strong>${p.ial ? html` ${levelRef(lang, p.ial)}` : ''}</p>
<p>${next ? html`<a href="#step-${next.id}">${t(lang, 'verifyIdNext', { step: t(lang, 'stepNumbered', { n: next.n, title: next.title }) })}</a>` : t(lang, 'verifyIdAllDone')}</p>
${errorSummary(t(lang, 'formErrors'), p.errors, p.labels)}
${p.steps.map((s) => html`${stepSection(lang, s)}\n`)}`,
  });
}
