// An upstream identity provider as data: where it is, how we authenticate to it, what we ask for, which
// of its claims we read at all (nothing else is trusted), how they map onto our identity attributes,
// and the level each of its assurance levels stands for under our policy (capped by our IAL table).
import type { JWK } from 'jose';
import type { Ial } from '../../kernel/assurance.ts';
import type { IdentityAttribute } from '../account/index.ts';

export type ClientAuthentication =
  | { method: 'client_secret_basic'; secret: string }
  /** a private JWK (EC P-256 or RSA) with its kid; its public half is registered at the upstream */
  | { method: 'private_key_jwt'; jwk: JWK };

export interface UpstreamProvider {
  /** our name for it: the callback path /upstream/<id>/callback, evidence.upstream.provider */
  id: string;
  name: { th: string; en: string };
  issuer: string;
  clientId: string;
  clientAuth: ClientAuthentication;
  scopes: readonly string[];
  /** the only claims read from its ID token and userinfo; every other claim is dropped */
  trustedClaims: readonly string[];
  /** our identity attribute ← its claim */
  identityClaims: Partial<Record<IdentityAttribute, string>>;
  /** the evidence data ← its claims */
  evidenceClaims: { ial: string; smartcardCode?: string; dateOfIssuance?: string; dateOfExpiry?: string };
  /** each level it may assert (as it writes it) → our level for it; unlisted levels grant nothing */
  levels: Readonly<Record<string, Ial>>;
  /** sent as `prompt` (ThaID: `login`, a fresh login for every proofing, never a session of earlier) */
  prompt?: string;
  /** also read the trusted claims from its userinfo endpoint (the subject must be the ID token's) */
  userinfo: boolean;
  /** whether a login at it may stand for a login here (authenticators/upstream: the factor `fed`, its level in oidc/acr.ts) */
  login: boolean;
  /** test zone only: the stand-in answers on plain http */
  allowHttp: boolean;
}

/** What an upstream vouched for in an ID token we validated, read through its configuration. */
export interface UpstreamAssertion {
  provider: string;
  issuer: string;
  subject: string;
  /** our identity attributes, from trusted claims only (ISO dates) */
  identity: Partial<Record<IdentityAttribute, string>>;
  /** the level it asserted, as it wrote it */
  ial?: string;
  card: { smartcardCode?: string; dateOfIssuance?: string; dateOfExpiry?: string };
  /** when the person logged in at the upstream (its auth_time), ISO */
  authTime?: string;
  /** when we validated its ID token, ISO */
  verifiedAt: string;
}

/** A date as the upstream may write it (YYYY-MM-DD, YYYYMMDD, Buddhist era or not) → ISO; undefined when unreadable. */
export function isoDate(v: unknown): string | undefined {
  if (typeof v !== 'string') return undefined;
  const m = v.trim().match(/^(\d{4})-?(\d{2})-?(\d{2})$/);
  if (!m) return undefined;
  const year = Number(m[1]) >= 2400 ? Number(m[1]) - 543 : Number(m[1]);
  const iso = `${String(year).padStart(4, '0')}-${m[2]}-${m[3]}`;
  return Number.isNaN(Date.parse(`${iso}T00:00:00Z`)) || new Date(`${iso}T00:00:00Z`).toISOString().slice(0, 10) !== iso ? undefined : iso;
}

const DATE_ATTRIBUTES = new Set<string>(['birthdate']);

/** Reads the claims through the configuration: trusted claims only, mapped onto our attributes. */
export function readAssertion(p: UpstreamProvider, claims: Record<string, unknown>, verifiedAt: Date): UpstreamAssertion {
  const trusted = new Set(p.trustedClaims);
  const claim = (name: string | undefined): string | undefined => {
    if (!name || !trusted.has(name)) return undefined;
    const v = claims[name];
    if (typeof v === 'number') return String(v);
    return typeof v === 'string' && v.trim() ? v.normalize('NFC').replace(/\s+/g, ' ').trim() : undefined;
  };
  const identity: UpstreamAssertion['identity'] = {};
  for (const [attr, name] of Object.entries(p.identityClaims) as Array<[IdentityAttribute, string]>) {
    const v = claim(name);
    const value = v && DATE_ATTRIBUTES.has(attr) ? isoDate(v) : v;
    if (value) identity[attr] = attr === 'pid' ? value.replace(/\D/g, '') : value;
  }
  const e = p.evidenceClaims;
  const authTime = typeof claims.auth_time === 'number' ? new Date(claims.auth_time * 1000).toISOString() : undefined;
  return {
    provider: p.id,
    issuer: p.issuer,
    subject: String(claims.sub),
    identity,
    ial: claim(e.ial),
    card: { smartcardCode: claim(e.smartcardCode), dateOfIssuance: isoDate(claim(e.dateOfIssuance)), dateOfExpiry: isoDate(claim(e.dateOfExpiry)) },
    ...(authTime ? { authTime } : {}),
    verifiedAt: verifiedAt.toISOString(),
  };
}
