// In-person verification as a proofing method: an appointed verifier at a service unit reads the
// person's card chip (chip_read, card_status, face_compare_in_person: IAL 1.3 or 2.3). The person's
// page only points them to a service point; the work is the verifier's.
import { proofingMethod, type ProofingDeps } from '../../method.ts';
import { METHOD, TYPED } from './index.ts';
import { inPersonRoutes } from './routes.ts';
import { inPersonForms, inPersonSection } from './views.ts';
import { cardReadChallengeAt } from '../../card_agents.ts';
import { t } from '../../../web/messages.ts';
import * as messages from './messages.ts';

export function inPersonMethod(deps: ProofingDeps) {
  return proofingMethod({
    id: METHOD,
    // register_check: the test zone's card data typed by hand, recorded as in_person_typed
    checks: ['chip_read', 'card_status', 'face_compare_in_person', 'register_check'],
    levels: ['1.3', '2.3'],
    // the card (read from the chip, or typed in the test zone) must match these (index.ts)
    evidence: {
      [METHOD]: { covers: ['pid', 'given_name', 'family_name', 'birthdate'], label: (lang) => t(lang, 'inPersonEvidence') },
      [TYPED]: { covers: ['pid', 'given_name', 'family_name', 'birthdate'], label: (lang) => t(lang, 'inPersonTypedEvidence') },
    },
    messages,
    citizen: {
      step: { level: '2.3', title: (lang) => t(lang, 'inPersonStepTitle'), needs: (lang) => t(lang, 'inPersonStepNeeds'), gives: (lang) => t(lang, 'inPersonStepGives') },
      // the page lists them: a person picks the nearest (the unit register has no address of theirs)
      section: async (v) => inPersonSection({ lang: v.lang, step: v.step, servicePoints: v.step === 'done' ? [] : await deps.units.servicePoints(undefined, 30) }),
    },
    verifier: {
      // each form shown gets its own challenge, for this unit and this verifier
      personSection: async (v) => {
        const person = await deps.accounts.findBySub(v.sub);
        const nonce = await cardReadChallengeAt(deps.db, { hcode: v.unit, actor: v.verifierSub });
        return inPersonForms({ ...v, pid: person?.pid ?? '', cardReader: { agent: deps.cardAgentUrl, nonce }, testZone: deps.testZone });
      },
      scripts: ['card-read.js', 'face-capture.js'],
      fields: (lang) => ({ card_read: t(lang, 'verifierCardRead'), face_capture: t(lang, 'inPersonFaceCapture') }),
      routes: (router, shell) => inPersonRoutes(router, shell, { db: deps.db, accounts: deps.accounts, testZone: deps.testZone, matcher: deps.faceMatcher }),
    },
  });
}
