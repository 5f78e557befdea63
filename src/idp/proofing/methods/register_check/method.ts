// The register check as a proofing method: the citizen's own check of their card with the population
// register (register_check on top of a proved phone: IAL 1.2). No verifier takes part.
import { proofingMethod, type ProofingDeps } from '../../method.ts';
import { createRegisterCheck, METHOD } from './index.ts';
import { registerCheckRoutes } from './routes.ts';
import { registerCheckSection } from './views.ts';
import { t } from '../../../web/messages.ts';
import * as messages from './messages.ts';

export function registerCheckMethod(deps: ProofingDeps) {
  const registerCheck = createRegisterCheck({ db: deps.db, accounts: deps.accounts, register: deps.population });
  return proofingMethod({
    id: METHOD,
    checks: ['register_check'],
    levels: ['1.2'],
    // what goes to the register with the laser code (index.ts)
    evidence: { [METHOD]: { covers: ['pid', 'given_name', 'family_name', 'birthdate'], label: (lang) => t(lang, 'registerCheckHeading') } },
    messages,
    status: async (sub: string) => ({ available: registerCheck.available, triesLeft: await registerCheck.triesLeft(sub) }),
    citizen: {
      step: { level: '1.2', title: (lang) => t(lang, 'registerCheckStepTitle'), needs: (lang) => t(lang, 'registerCheckStepNeeds'), gives: (lang) => t(lang, 'registerCheckStepGives') },
      section: async (v) => registerCheckSection({ lang: v.lang, csrf: v.csrf, errors: v.errors, step: v.step, ...v.status }),
      fields: (lang) => ({ laser_code: t(lang, 'laserCode') }),
      routes: (router, page) => registerCheckRoutes(router, page, { db: deps.db, registerCheck }),
    },
  });
}
