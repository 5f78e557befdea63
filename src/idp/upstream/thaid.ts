// The ThaID preset: DOPA's digital ID app as an OpenID Provider (discovery at
// https://imauth.bora.dopa.go.th/.well-known/openid-configuration; scopes and claims as ETDA's public
// relying-party samples show them, docs/thaid.md). Configured by THAID_* in production; in the test
// zone the stand-in of stand_in/ plays it.
import type { ClientAuthentication, UpstreamProvider } from './provider.ts';

export const THAID_ISSUER = 'https://imauth.bora.dopa.go.th';

/** What ThaID is asked for: the card's identity, its level and the card's data (not the address or gender). */
export const THAID_SCOPES = ['openid', 'pid', 'title', 'given_name', 'family_name', 'title_en', 'given_name_en', 'family_name_en', 'birthdate', 'ial', 'smartcard_code', 'date_of_issuance', 'date_of_expiry'] as const;

export interface ThaidSettings {
  issuer: string;
  clientId: string;
  clientAuth: ClientAuthentication;
  scopes?: readonly string[];
  /** THAID_LOGIN: a login at ThaID may stand for a login here (off by default) */
  login?: boolean;
  allowHttp?: boolean;
}

export function thaidProvider(s: ThaidSettings): UpstreamProvider {
  return {
    id: 'thaid',
    name: { th: 'ThaID', en: 'ThaID' },
    issuer: s.issuer,
    clientId: s.clientId,
    clientAuth: s.clientAuth,
    scopes: s.scopes ?? THAID_SCOPES,
    trustedClaims: ['pid', 'title', 'given_name', 'family_name', 'given_name_en', 'family_name_en', 'birthdate', 'ial', 'smartcard_code', 'date_of_issuance', 'date_of_expiry'],
    identityClaims: {
      pid: 'pid',
      title: 'title',
      given_name: 'given_name',
      family_name: 'family_name',
      given_name_en: 'given_name_en',
      family_name_en: 'family_name_en',
      birthdate: 'birthdate',
    },
    evidenceClaims: { ial: 'ial', smartcardCode: 'smartcard_code', dateOfIssuance: 'date_of_issuance', dateOfExpiry: 'date_of_expiry' },
    // ThaID enrols at 2.3 (card, face with liveness against DOPA's photo); our table caps what it gives
    levels: { '2.3': '2.3', '3': '2.3' },
    prompt: 'login',
    userinfo: true,
    login: s.login ?? false,
    allowHttp: s.allowHttp ?? false,
  };
}
