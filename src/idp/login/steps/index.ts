// The login steps, one file each, and the flow object that hands them to the authenticator methods'
// own login steps (src/idp/authenticators/<method>/login.ts), which may not import this folder.
import type { LoginFlow } from '../../authenticators/method.ts';
import { advance } from './advance.ts';
import { checkCsrf } from './check_csrf.ts';
import { codeSent } from './code_sent.ts';
import { countFailure, factorFailed } from './factor_failed.ts';
import { factorPassed } from './factor_passed.ts';
import { inLoginPrompt } from './in_login_prompt.ts';
import { loginUnderWay } from './login_under_way.ts';
import { notThrottled } from './not_throttled.ts';
import { progressOf } from './progress_of.ts';
import { passFactor, recordFactor } from './record_factor.ts';
import { renderLogin } from './render_login.ts';
import { attemptOf, field, interactionOf, langOf } from './state.ts';

export { abortInteraction } from './abort_interaction.ts';
export { giveUp } from './give_up.ts';
export { grantConsent } from './grant_consent.ts';
export { loadInteraction } from './load_interaction.ts';
export { showPrompt } from './show_prompt.ts';
export { checkCsrf } from './check_csrf.ts';
export type { InteractionDeps } from './state.ts';

export const flow: LoginFlow = {
  checkCsrf,
  inLoginPrompt,
  loginUnderWay,
  notThrottled,
  lang: langOf,
  field,
  interaction: interactionOf,
  attempt: attemptOf,
  findAttempt: progressOf,
  advance,
  recordFactor,
  passFactor,
  factorPassed,
  factorFailed,
  countFailure,
  codeSent,
  loginPage: renderLogin,
};
