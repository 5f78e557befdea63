// Photo with the ID card as a proofing method: the person uploads, a verifier of a unit reviews
// (photo_with_card_review on top of the register check: IAL 2.1; with a confirmed automated face
// match: 2.2). It joins both flows: the person's page and the verifier's review queue.
import { proofingMethod, type ProofingDeps } from '../../method.ts';
import { ialRank } from '../../ial.ts';
import { createPhotoReview, METHOD } from './index.ts';
import { photoQueueRoutes, photoUploadRoutes } from './routes.ts';
import { photoSection } from './views.ts';
import { t } from '../../../web/messages.ts';
import * as messages from './messages.ts';

export function photoWithCardMethod(deps: ProofingDeps) {
  const { units } = deps;
  const photoReview = createPhotoReview({ db: deps.db, pii: deps.pii, accounts: deps.accounts, matcher: deps.faceMatcher, threshold: deps.faceMatchThreshold });
  return proofingMethod({
    id: METHOD,
    checks: ['photo_with_card_review', 'face_match'],
    levels: ['2.1', '2.2'],
    // the reviewer compares the card in the photo with the names and birth date shown in the queue
    evidence: { [METHOD]: { covers: ['given_name', 'family_name', 'birthdate'], label: (lang) => t(lang, 'photoHeading') } },
    messages,
    status: (sub: string) => photoReview.latest(sub),
    citizen: {
      step: { level: '2.1', title: (lang) => t(lang, 'photoStepTitle'), needs: (lang) => t(lang, 'photoStepNeeds'), gives: (lang) => t(lang, 'photoStepGives') },
      section: async (v) =>
        photoSection({
          step: v.step,
          // done at 2.1: new photos can still reach 2.2 where a face matcher compares them
          again: v.step === 'done' && Boolean(deps.faceMatcher) && ialRank(v.ial) < ialRank('2.2'),
          lang: v.lang,
          csrf: v.csrf,
          errors: v.errors,
          latest: v.status,
          units: (await units.servicePoints(undefined, 50)).map((u) => ({ hcode: u.hcode, nameTh: u.nameTh, nameEn: u.nameEn })),
        }),
      fields: (lang) => ({ photo: t(lang, 'photoHeading') }),
      routes: (router, page) => photoUploadRoutes(router, page, { photoReview, units }),
    },
    verifier: {
      routes: (router, shell) => photoQueueRoutes(router, shell, { photoReview }),
    },
  });
}
