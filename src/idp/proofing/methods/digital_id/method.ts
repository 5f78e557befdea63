// Proofing with DOPA's digital ID as a method: the person logs in at ThaID from /account/verify (or
// registers with it); its validated ID token, mapped by the ThaID preset and capped by the policy table,
// is recorded as evidence (digital_id_ial_2_3: IAL 2.3). No verifier takes part.
import { proofingMethod, type ProofingDeps } from '../../method.ts';
import { createDigitalId, METHOD, PROVIDER } from './index.ts';
import { digitalIdRoutes } from './routes.ts';
import { digitalIdSection } from './views.ts';
import { t } from '../../../web/messages.ts';
import * as messages from './messages.ts';

export function digitalIdMethod(deps: ProofingDeps) {
  const digitalId = createDigitalId({ db: deps.db, pii: deps.pii, accounts: deps.accounts, provider: deps.upstreams?.provider(PROVIDER) });
  return proofingMethod({
    id: METHOD,
    checks: ['digital_id_ial_2_3'],
    levels: ['2.3'],
    // compared with the account, or the account made of them at registration (index.ts)
    evidence: { [METHOD]: { covers: ['pid', 'given_name', 'family_name', 'given_name_en', 'family_name_en', 'birthdate'], label: (lang) => t(lang, 'digitalIdEvidence') } },
    messages,
    status: async () => ({ available: digitalId.available }),
    citizen: {
      step: { level: '2.3', title: (lang) => t(lang, 'digitalIdStepTitle'), needs: (lang) => t(lang, 'digitalIdStepNeeds'), gives: (lang) => t(lang, 'digitalIdStepGives') },
      section: async (v) => digitalIdSection({ lang: v.lang, csrf: v.csrf, errors: v.errors, step: v.step, ...v.status }),
      fields: (lang) => ({ digital_id: t(lang, 'digitalIdField') }),
      routes: (router, page) => digitalIdRoutes(router, page, { db: deps.db, digitalId, upstreams: deps.upstreams }),
    },
  });
}
