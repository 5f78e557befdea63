// Which claims each scope releases, and an account's claims. The national ID number (pid) is released
// only to clients whose registered scope includes "pid" — asking through the claims parameter is not enough.
import type { Account } from '../account/index.ts';

export const CLAIMS = {
  acr: null,
  amr: null,
  auth_time: null,
  sid: null,
  // identity assurance level ("1.1" … "2.3"): requested through the claims parameter
  ial: null,
  // OpenID Connect for Identity Assurance: through the claims parameter, or the scope of that name
  verified_claims: ['verified_claims'],
  // every ID token says when and how the person authenticated (assurance is the point of this IdP)
  openid: ['sub', 'acr', 'amr', 'auth_time'],
  profile: ['name', 'given_name', 'family_name', 'birthdate', 'locale', 'name#en', 'given_name#en', 'family_name#en'],
  phone: ['phone_number', 'phone_number_verified'],
  pid: ['pid'],
  // professional claims of linked health personnel (Provider ID style), for allowed clients only
  health_personnel: ['health_personnel'],
};

/** Scopes whose claims only clients registered with that scope receive (asking is not enough). */
export const clientAllowed = (client: { scope?: string } | undefined, scope: 'pid' | 'health_personnel'): boolean =>
  client?.scope?.split(' ').includes(scope) ?? false;

export const clientMayReceivePid = (client: { scope?: string } | undefined): boolean => clientAllowed(client, 'pid');

export function accountClaims(account: Account, client: { scope?: string } | undefined) {
  const en = account.givenNameEn && account.familyNameEn;
  return {
    sub: account.sub,
    name: `${account.givenName} ${account.familyName}`,
    given_name: account.givenName,
    family_name: account.familyName,
    ...(en ? { 'name#en': `${account.givenNameEn} ${account.familyNameEn}`, 'given_name#en': account.givenNameEn!, 'family_name#en': account.familyNameEn! } : {}),
    birthdate: account.birthdate,
    locale: 'th-TH',
    ...(account.phoneNumber ? { phone_number: account.phoneNumber, phone_number_verified: account.phoneVerified } : {}),
    ...(clientMayReceivePid(client) ? { pid: account.pid } : {}),
  };
}
