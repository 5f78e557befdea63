// Resource servers as an administrator manages them (RFC 8707 resource indicators; they receive JWT
// access tokens, RFC 9068): list, register, edit the scope, token lifetime and signing algorithm,
// disable (the token endpoint then answers invalid_target for it) and enable again with a reason. One set
// of rules for the console, the admin API and `mpid resource-server …`; every change is an audit event
// with its actor and the settings before and after. The IdP's own resource servers (the admin API and
// the coverage API) are built in: their scope is the IdP's and they cannot be disabled.
import type { Database } from '../../../kernel/db/index.ts';
import { audit } from '../../../kernel/audit/index.ts';
import { resourceServerSchema } from '../../oidc/resource_servers.ts';
import { actorId, type Actor } from '../relying_parties/index.ts';
import { AdminRefusal } from '../refusal.ts';

export type ResourceServerField = 'identifier' | 'scope' | 'access_token_ttl' | 'signing_alg' | 'reason';

export class ResourceServerError extends AdminRefusal {
  override name = 'ResourceServerError';
  /** the field the refusal is about, for the pages */
  readonly field?: ResourceServerField;
  /** what was refused, for the pages' words */
  readonly why: 'invalid' | 'notFound' | 'exists' | 'builtIn' | 'already' | 'reasonRequired';
  constructor(status: 400 | 403 | 404 | 409, why: ResourceServerError['why'], message: string, field?: ResourceServerField) {
    super(status, message);
    this.why = why;
    this.field = field;
  }
}

export interface ResourceServer {
  identifier: string;
  scope: string;
  access_token_ttl: number;
  signing_alg: string;
  disabled: boolean;
  disabled_at: string | null;
  /** one of the IdP's own (the admin API, the coverage API) */
  built_in: boolean;
  created_at: string;
}

type Settings = Pick<ResourceServer, 'scope' | 'access_token_ttl' | 'signing_alg'>;
type Row = { identifier: string; scope: string; access_token_ttl: number; signing_alg: string; disabled_at: Date | null; created_at: Date };
const COLUMNS = 'identifier, scope, access_token_ttl, signing_alg, disabled_at, created_at';
const DISABLE = 'UPDATE resource_servers SET disabled_at = now() WHERE identifier = $1 AND disabled_at IS NULL RETURNING identifier';
const ENABLE = 'UPDATE resource_servers SET disabled_at = NULL WHERE identifier = $1 AND disabled_at IS NOT NULL RETURNING identifier';
const FIELDS = ['identifier', 'scope', 'access_token_ttl', 'signing_alg'] as const;

/** a number typed into a form field is a number */
const numeric = (v: unknown) => (typeof v === 'string' && /^\s*\d{1,9}\s*$/.test(v) ? Number(v) : v);

function parsed(input: Record<string, unknown>) {
  const got = resourceServerSchema.safeParse({ ...input, access_token_ttl: numeric(input.access_token_ttl) });
  if (!got.success) {
    const issue = got.error.issues[0]!;
    const field = (FIELDS as readonly unknown[]).includes(issue.path[0]) ? (issue.path[0] as ResourceServerField) : undefined;
    throw new ResourceServerError(400, 'invalid', field ? `${field}: ${issue.message}` : issue.message, field);
  }
  if (new URL(got.data.identifier).hash || got.data.identifier.includes('#')) throw new ResourceServerError(400, 'invalid', 'identifier: a resource indicator has no fragment (RFC 8707)', 'identifier');
  return got.data;
}

function objectOf(input: unknown): Record<string, unknown> {
  if (!input || typeof input !== 'object' || Array.isArray(input)) throw new ResourceServerError(400, 'invalid', 'the resource server must be a JSON object');
  return input as Record<string, unknown>;
}

export function createResourceServers(deps: { db: Database; builtIn: readonly string[] }) {
  const { db } = deps;
  const shown = (r: Row): ResourceServer => ({
    identifier: r.identifier, scope: r.scope, access_token_ttl: r.access_token_ttl, signing_alg: r.signing_alg,
    disabled: r.disabled_at !== null, disabled_at: r.disabled_at ? new Date(r.disabled_at).toISOString() : null,
    built_in: deps.builtIn.includes(r.identifier), created_at: new Date(r.created_at).toISOString(),
  });
  const settings = (r: ResourceServer | Settings): Settings => ({ scope: r.scope, access_token_ttl: r.access_token_ttl, signing_alg: r.signing_alg });

  async function existing(identifier: string): Promise<ResourceServer> {
    const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM resource_servers WHERE identifier = $1`, [identifier]);
    if (!rows[0]) throw new ResourceServerError(404, 'notFound', `no resource server ${identifier}`);
    return shown(rows[0]);
  }

  const api = {
    isBuiltIn: (identifier: string) => deps.builtIn.includes(identifier),

    /** Every resource server, the built-in ones first, then by identifier. */
    async list(): Promise<ResourceServer[]> {
      const { rows } = await db.query<Row>(`SELECT ${COLUMNS} FROM resource_servers ORDER BY identifier`);
      return rows.map(shown).sort((a, b) => Number(b.built_in) - Number(a.built_in));
    },

    get: existing,

    /** Registers a new one (409 when the identifier is registered already). */
    async register(actor: Actor, input: unknown): Promise<ResourceServer> {
      const rs = parsed(objectOf(input));
      if (deps.builtIn.includes(rs.identifier)) throw new ResourceServerError(409, 'builtIn', `${rs.identifier} is one of the IdP's own resource servers and is registered already`, 'identifier');
      await db.tx(async (q) => {
        const { rows } = await q.query(
          'INSERT INTO resource_servers (identifier, scope, access_token_ttl, signing_alg) VALUES ($1, $2, $3, $4) ON CONFLICT (identifier) DO NOTHING RETURNING identifier',
          [rs.identifier, rs.scope, rs.access_token_ttl, rs.signing_alg],
        );
        if (!rows.length) throw new ResourceServerError(409, 'exists', `resource server ${rs.identifier} is registered already`, 'identifier');
        await audit(q, { actor: actorId(actor), action: 'resource_server.registered', detail: { identifier: rs.identifier, after: settings(rs) } });
      });
      return existing(rs.identifier);
    },

    /** Changes its scope, token lifetime or signing algorithm (what is not given is kept). */
    async update(actor: Actor, identifier: string, input: unknown): Promise<ResourceServer> {
      const given = objectOf(input);
      if (given.identifier !== undefined && given.identifier !== identifier) throw new ResourceServerError(400, 'invalid', 'identifier cannot be changed', 'identifier');
      const before = await existing(identifier);
      const after = settings(parsed({ ...settings(before), ...Object.fromEntries(Object.entries(given).filter(([k, v]) => k !== 'identifier' && v !== undefined)), identifier }));
      if (before.built_in && after.scope !== before.scope) throw new ResourceServerError(409, 'builtIn', `${identifier} is one of the IdP's own resource servers: its scope cannot be changed`, 'scope');
      const was = settings(before);
      if (JSON.stringify(after) === JSON.stringify(was)) return before;
      await db.tx(async (q) => {
        await q.query('UPDATE resource_servers SET scope = $2, access_token_ttl = $3, signing_alg = $4 WHERE identifier = $1', [identifier, after.scope, after.access_token_ttl, after.signing_alg]);
        await audit(q, { actor: actorId(actor), action: 'resource_server.updated', detail: { identifier, before: was, after } });
      });
      return existing(identifier);
    },

    /** Registers it, or changes its settings when it is registered (`mpid resource-server add`). */
    async save(actor: Actor, input: unknown): Promise<ResourceServer> {
      const rs = parsed(objectOf(input));
      const found = await db.query('SELECT 1 FROM resource_servers WHERE identifier = $1', [rs.identifier]);
      return found.rows.length ? api.update(actor, rs.identifier, rs) : api.register(actor, rs);
    },

    /** Disables it (the token endpoint answers invalid_target; tokens already issued live out their lifetime) or enables it again. */
    async setDisabled(actor: Actor, identifier: string, disabled: boolean, reason: string): Promise<ResourceServer> {
      if (deps.builtIn.includes(identifier)) throw new ResourceServerError(409, 'builtIn', `${identifier} is one of the IdP's own resource servers: it cannot be disabled`, 'reason');
      const before = await existing(identifier);
      const why = reason.trim().slice(0, 200);
      if (!why) throw new ResourceServerError(400, 'reasonRequired', 'a reason is required', 'reason');
      await db.tx(async (q) => {
        const { rows } = await q.query(disabled ? DISABLE : ENABLE, [identifier]);
        if (!rows.length) throw new ResourceServerError(409, 'already', `resource server ${identifier} is already ${disabled ? 'disabled' : 'enabled'}`, 'reason');
        await audit(q, { actor: actorId(actor), action: disabled ? 'resource_server.disabled' : 'resource_server.enabled', detail: { identifier, reason: why, before: { disabled: before.disabled }, after: { disabled } } });
      });
      return existing(identifier);
    },
  };
  return api;
}

export type ResourceServers = ReturnType<typeof createResourceServers>;
