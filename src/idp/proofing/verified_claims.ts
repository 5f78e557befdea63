// verified_claims (OpenID Connect for Identity Assurance 1.0): what this IdP verified about a person,
// how and when, under the Thai framework. Built from unrevoked evidence; absent while the account has
// no proofing evidence (IAL 1.1 is self-asserted apart from the phone).
import type { Account } from '../account/index.ts';
import type { EvidenceRecord } from './evidence.ts';
import type { Ial } from '../../kernel/assurance.ts';

/** The trust framework name we define for ETDA's digital-identity standard as this IdP applies it. */
export const TRUST_FRAMEWORK = 'th_etda_digital_id';

export const IDA_DISCOVERY = {
  verified_claims_supported: true,
  trust_frameworks_supported: [TRUST_FRAMEWORK],
  evidence_supported: ['document', 'electronic_record', 'vouch'],
  documents_supported: ['idcard'],
  claims_in_verified_claims_supported: ['given_name', 'family_name', 'name', 'birthdate', 'pid'],
};

const iso = (d: Date) => new Date(d).toISOString().replace(/\.\d{3}Z$/, 'Z');

function evidenceEntry(e: EvidenceRecord): Record<string, unknown> {
  if (e.method === 'register_check') {
    return {
      type: 'electronic_record',
      check_details: [{ check_method: 'data', organization: 'DOPA' }],
      time: iso(e.createdAt),
      record: { type: 'population_register', source: { name: 'Department of Provincial Administration', country_code: 'THA' } },
    };
  }
  if (e.method === 'digital_id' && e.upstream) {
    // a vouch in electronic form: DOPA's digital ID app proved the person and its signed ID token says so
    const up = e.upstream;
    return {
      type: 'electronic_record',
      check_details: [{ check_method: 'data', organization: 'DOPA' }],
      time: iso(e.createdAt),
      record: {
        type: 'th_dopa_digital_id',
        ...(up.date_of_issuance ? { created_at: up.date_of_issuance } : {}),
        ...(up.date_of_expiry ? { date_of_expiry: up.date_of_expiry } : {}),
        source: { name: 'Department of Provincial Administration, ThaID digital ID', country_code: 'THA' },
      },
      // an extension member: the upstream, the level it asserted and when the person logged in there
      th_digital_id: { issuer: up.issuer, assurance_level: up.ial, granted: up.granted, ...(up.auth_time ? { auth_time: up.auth_time } : {}) },
    };
  }
  const face = e.faceCheck;
  return {
    type: 'document',
    check_details: e.checks.map((c) => ({
      check_method: c === 'chip_read' ? 'vcrypt' : c.startsWith('face') ? 'vpip' : 'vpiruv',
      organization: e.unitHcode ?? 'Mor Prom ID',
      // the automated comparison a verifier confirmed (an extension member: score, threshold, model, liveness):
      // the photo with the card against the card's portrait, or the counter camera's capture against the chip photo
      ...((c === 'face_match' || c === 'face_compare_in_person') && face
        ? { th_face_comparison: { score: face.score, threshold: face.threshold, compared_with: face.against, model: face.model, ...(face.liveness ? { liveness: { real: face.liveness.real, live: face.liveness.live, gate: false } } : {}) } }
        : {}),
    })),
    time: iso(e.createdAt),
    document_details: e.documents.map((d) => ({ type: d.type, document_number: d.number, issuer: { name: d.issuer, country_code: 'THA' }, ...(d.expiry ? { date_of_expiry: d.expiry } : {}) })),
  };
}

/**
 * The verified_claims object; `request` is the client's verified_claims request (claims parameter),
 * whose `claims` member narrows which verified claims are returned.
 */
export function verifiedClaims(account: Account, ial: Ial | undefined, evidence: EvidenceRecord[], opts: { mayReceivePid: boolean; request?: unknown }): Record<string, unknown> | undefined {
  if (!ial || !evidence.length) return undefined;
  const available: Record<string, string> = {
    given_name: account.givenName,
    family_name: account.familyName,
    name: `${account.givenName} ${account.familyName}`,
    birthdate: account.birthdate,
    ...(opts.mayReceivePid ? { pid: account.pid } : {}),
  };
  const requested = (opts.request as { claims?: Record<string, unknown> } | null | undefined)?.claims;
  const names = requested && typeof requested === 'object' ? Object.keys(requested).filter((n) => n in available) : ['given_name', 'family_name', 'birthdate'];
  const latest = evidence.reduce((a, b) => (a.createdAt > b.createdAt ? a : b));
  return {
    verification: { trust_framework: TRUST_FRAMEWORK, assurance_level: ial, time: iso(latest.createdAt), evidence: evidence.map(evidenceEntry) },
    claims: Object.fromEntries(names.map((n) => [n, available[n]])),
  };
}
