// The admin API described as OpenAPI 3.1, from the same paths and names as its routes.
import { ADMIN_SCOPE, adminApiAudience } from './auth.ts';
import { MANAGED_ROLES } from '../roles/index.ts';
import { AGENT_STATES } from '../card_agents/index.ts';
import { PEOPLE_COUNTED_UP_TO } from '../../oidc/clients.ts';
import { DELETION_STATUSES } from '../../account/index.ts';

const PEOPLE = {
  people: { type: 'integer', description: `people with a live grant (consent), counted up to ${PEOPLE_COUNTED_UP_TO.toLocaleString('en-US')} grants` },
  people_at_least: { type: 'boolean', description: 'true when the count stopped there: at least `people` people' },
} as const;

export function adminOpenApi(issuer: string) {
  const error = { $ref: '#/components/responses/Error' };
  const errors = { 400: error, 401: error, 403: error, 404: error, 429: error };
  const id = { name: 'id', in: 'path', required: true, description: 'the client_id', schema: { type: 'string', pattern: '^[\\w.~-]{1,128}$' } };
  const reason = { required: true, content: { 'application/json': { schema: { type: 'object', required: ['reason'], properties: { reason: { type: 'string', maxLength: 200 } } } } } };
  const metadata = { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/ClientMetadata' } } } };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mor Prom ID admin API',
      version: '1.0.0',
      description:
        `The administration console's operations for automation, on the same rules. Call with a client-credentials JWT access token of ${issuer} ` +
        `for the resource \`${adminApiAudience(issuer)}\` with the scope \`${ADMIN_SCOPE}\`, of a client registered with \`admin_api: true\` ` +
        '(set by an administrator in the console or by the operator with mpid; never through this API). Every change is an audit event naming the client.',
    },
    servers: [{ url: `${issuer}/admin/api` }],
    security: [{ adminToken: [] }],
    paths: {
      ...consolePaths(errors, error),
      '/v1/relying-parties': {
        get: {
          summary: 'List relying parties (50 a page), by client_id or name containing `search`',
          parameters: [{ name: 'search', in: 'query', schema: { type: 'string', maxLength: 100 } }, { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }],
          responses: { 200: { description: 'a page', content: { 'application/json': { schema: { type: 'object', properties: { items: { type: 'array', items: { $ref: '#/components/schemas/Summary' } }, page: { type: 'integer' }, more: { type: 'boolean' } } } } } }, ...errors },
        },
        post: {
          summary: 'Register a relying party (RFC 7591 metadata, validated by oidc-provider): the answer holds client_secret, the only time it is shown',
          requestBody: metadata,
          responses: { 201: { description: 'registered', content: { 'application/json': { schema: { $ref: '#/components/schemas/ClientMetadata' } } } }, ...errors, 409: error },
        },
      },
      '/v1/relying-parties/{id}': {
        get: { summary: 'A relying party: its metadata (no secret), whether disabled, people who granted it access', parameters: [id], responses: { 200: { description: 'found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Detail' } } } }, ...errors } },
        put: { summary: 'Replace its metadata (client_id, secret and issue time kept)', parameters: [id], requestBody: metadata, responses: { 200: { description: 'stored', content: { 'application/json': { schema: { $ref: '#/components/schemas/ClientMetadata' } } } }, ...errors } },
      },
      '/v1/relying-parties/{id}/secret': {
        post: { summary: 'Rotate its secret: the new one is in the answer, the old one stops working at once', parameters: [id], responses: { 200: { description: 'rotated', content: { 'application/json': { schema: { type: 'object', properties: { client_id: { type: 'string' }, client_secret: { type: 'string' } } } } } }, ...errors } },
      },
      '/v1/relying-parties/{id}/disable': {
        post: { summary: 'Disable it: every endpoint refuses it, its stored codes and tokens are removed', parameters: [id], requestBody: reason, responses: { 204: { description: 'disabled' }, ...errors, 409: error } },
      },
      '/v1/relying-parties/{id}/enable': {
        post: { summary: 'Enable it again', parameters: [id], requestBody: reason, responses: { 204: { description: 'enabled' }, ...errors, 409: error } },
      },
    },
    components: {
      securitySchemes: { adminToken: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT (RFC 9068)' } },
      responses: {
        Error: { description: 'refused', content: { 'application/json': { schema: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, error_description: { type: 'string' } } } } } },
      },
      schemas: {
        ClientMetadata: {
          type: 'object',
          description: 'RFC 7591 client metadata, plus hcode (the unit a hospital system belongs to); admin_api, pkce_exempt and resource_server cannot be set here',
          properties: {
            client_id: { type: 'string' }, client_name: { type: 'string' }, redirect_uris: { type: 'array', items: { type: 'string', format: 'uri' } },
            post_logout_redirect_uris: { type: 'array', items: { type: 'string', format: 'uri' } }, grant_types: { type: 'array', items: { type: 'string' } },
            response_types: { type: 'array', items: { type: 'string' } }, token_endpoint_auth_method: { type: 'string' }, scope: { type: 'string' },
            jwks: { type: 'object' }, jwks_uri: { type: 'string', format: 'uri' }, backchannel_logout_uri: { type: 'string', format: 'uri' }, hcode: { type: 'string', pattern: '^\\d{5}$' },
            client_secret: { type: 'string', description: 'in the answer to a registration only' }, has_secret: { type: 'boolean', readOnly: true },
          },
        },
        Summary: {
          type: 'object',
          properties: { client_id: { type: 'string' }, client_name: { type: 'string' }, disabled: { type: 'boolean' }, grant_types: { type: 'array', items: { type: 'string' } }, token_endpoint_auth_method: { type: 'string' }, ...PEOPLE },
        },
        Detail: { type: 'object', properties: { metadata: { $ref: '#/components/schemas/ClientMetadata' }, disabled: { type: 'boolean' }, ...PEOPLE } },
      },
    },
  };
}

/** The audit log, accounts, roles and deletion requests: the console's other areas, on the same rules. */
function consolePaths(errors: Record<number, unknown>, error: unknown) {
  const json = (schema: unknown) => ({ 'application/json': { schema } });
  const obj = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', required, properties });
  const text = { type: 'string' };
  const reasonBody = (extra: Record<string, unknown> = {}, required: string[] = []) => ({ required: true, content: json(obj({ reason: { type: 'string', maxLength: 200 }, ...extra }, ['reason', ...required])) });
  const sub = { name: 'sub', in: 'path', required: true, description: 'the account’s sub', schema: { type: 'string', pattern: '^[\\w-]{1,64}$' } };
  const id = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
  const filters = ['subject', 'actor', 'action', 'unit', 'from', 'to'].map((name) => ({
    name, in: 'query', schema: { type: 'string', maxLength: 100 },
    description: { subject: 'the sub acted on', actor: 'sub, client:<id> or operator:<name>', action: 'an action or its beginning (`client.`)', unit: 'a 5-digit hcode in the detail', from: 'first Bangkok day, YYYY-MM-DD', to: 'last Bangkok day, YYYY-MM-DD' }[name],
  }));
  const ok = (description: string, schema: unknown = obj({})) => ({ 200: { description, content: json(schema) }, ...errors });
  const done = (description: string) => ({ 204: { description }, ...errors, 409: error });
  const roleBody = reasonBody({ sub: text, role: { type: 'string', enum: MANAGED_ROLES.map((r) => r.role) }, hcode: { type: 'string', pattern: '^\\d{5}$' }, province: { type: 'string', pattern: '^\\d{2}$' } }, ['sub', 'role']);
  const role = obj({ sub: text, role: { type: 'string', enum: MANAGED_ROLES.map((r) => r.role) }, hcode: { type: ['string', 'null'] }, province: { type: ['string', 'null'], description: 'the 2-digit province code of a province_officer' }, granted_by: text, grant_reason: text, granted_at: { type: 'string', format: 'date-time' }, withdrawn_by: { type: ['string', 'null'] }, withdraw_reason: { type: ['string', 'null'] }, withdrawn_at: { type: ['string', 'null'], format: 'date-time' } });
  const agentId = { name: 'id', in: 'path', required: true, description: 'the agent’s id (also its client_id and card-read kid)', schema: { type: 'string', pattern: '^agent-[0-9a-f]{16}$' } };
  const when = { type: ['string', 'null'], format: 'date-time' };
  const agent = obj({ id: text, hcode: text, unit_name: { type: ['string', 'null'] }, name: { type: ['string', 'null'] }, version: { type: ['string', 'null'] }, registered_by: text, registered_at: { type: 'string', format: 'date-time' }, last_seen_at: when, revoked_at: when, revoked_by: { type: ['string', 'null'] }, state: { type: 'string', enum: AGENT_STATES } });
  return {
    '/v1/audit-events': {
      get: {
        summary: 'Audit events, newest first, filtered; keyset pages: pass next_before as before. No ID number appears (masked in details)',
        parameters: [...filters, { name: 'before', in: 'query', schema: { type: 'integer' } }, { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500 } }],
        responses: ok('a page', obj({ items: { type: 'array', items: obj({ seq: { type: 'integer' }, at: { type: 'string', format: 'date-time' }, actor: { type: ['string', 'null'] }, action: text, subject: { type: ['string', 'null'] }, detail: { type: 'object' } }) }, next_before: { type: 'integer' } })),
      },
    },
    '/v1/audit-events.csv': { get: { summary: 'The same filter as CSV, streamed, with a header row (seq,at,actor,action,subject,unit,client_id,reason,detail); audited', parameters: filters, responses: { 200: { description: 'CSV', content: { 'text/csv': { schema: text } } }, ...errors } } },
    '/v1/audit-events/subject': { post: { summary: 'The sub of the person with this ID number, for the subject filter; a reason is required and the search is audited', requestBody: reasonBody({ pid: text }, ['pid']), responses: ok('found', obj({ sub: text })) } },
    '/v1/audit-chain': {
      get: {
        summary: 'The hash chain’s status: verified from the last checkpoint (full=true: from the first event)',
        parameters: [{ name: 'full', in: 'query', schema: { type: 'string', enum: ['true'] } }],
        responses: ok('verified', obj({ ok: { type: 'boolean' }, events: { type: 'integer' }, broken_at: { type: 'integer' }, reason: { type: 'string', enum: ['hash', 'link', 'gap', 'inserted', 'unchained'] }, verified_at: { type: 'string', format: 'date-time' }, full: { type: 'boolean' }, full_verified_at: { type: 'string', format: 'date-time' } })),
      },
    },
    '/v1/accounts/search': { post: { summary: 'The sub of the account holding this ID number; a reason is required and the search is audited', requestBody: reasonBody({ pid: text }, ['pid']), responses: ok('found', obj({ sub: text })) } },
    '/v1/accounts/{sub}': { get: { summary: 'An account: masked identity, IAL and the highest AAL its authenticators reach, authenticators (never their secrets), login lock, sessions, connected applications, roles', parameters: [sub], responses: ok('the account', { type: 'object' }) } },
    '/v1/accounts/{sub}/unlock': { post: { summary: 'Clear the login back-off and lock (409 when not locked); the person is told by SMS. Nobody unlocks their own account', parameters: [sub], requestBody: reasonBody(), responses: { ...ok('unlocked', obj({ notified: { type: 'boolean' } })), 409: error } } },
    '/v1/accounts/{sub}/sessions/end': { post: { summary: 'End every session of the account; the person is told by SMS', parameters: [sub], requestBody: reasonBody(), responses: ok('ended', obj({ ended: { type: 'integer' }, notified: { type: 'boolean' } })) } },
    '/v1/accounts/{sub}/second-factors/remove': {
      post: {
        summary: 'Remove the authenticator app, passkeys and recovery codes after the identity check named in `check`, and end the sessions; recorded with the check; the person is told by SMS',
        parameters: [sub], requestBody: reasonBody({ check: { type: 'string', enum: ['in_person_id_card', 'video_call_id_card', 'card_reader_chip'] } }, ['check']),
        responses: ok('removed', obj({ removed: obj({ authenticator_app: { type: 'boolean' }, passkeys: { type: 'integer' }, recovery_codes: { type: 'integer' } }), notified: { type: 'boolean' } })),
      },
    },
    '/v1/roles': { get: { summary: 'Role grants, newest first, withdrawn ones included unless current=true', parameters: [{ name: 'sub', in: 'query', schema: text }, { name: 'current', in: 'query', schema: { type: 'string', enum: ['true'] } }], responses: ok('grants', obj({ items: { type: 'array', items: role } })) } },
    '/v1/roles/grant': { post: { summary: 'Grant unit_admin or verifier (hcode required), coverage_viewer, or province_officer (province, a 2-digit code, required); the admin role is granted in the console or with mpid only; nobody grants themselves', requestBody: roleBody, responses: done('granted') } },
    '/v1/roles/withdraw': { post: { summary: 'Withdraw a role held (404 when not held), named as it was granted (hcode, province); nobody withdraws their own', requestBody: roleBody, responses: done('withdrawn') } },
    '/v1/card-agents': {
      get: {
        summary: 'Card reader agents of every unit, active first, newest first; only one unit’s with hcode, only active or revoked ones with state',
        parameters: [{ name: 'hcode', in: 'query', schema: { type: 'string', pattern: '^\\d{5}$' } }, { name: 'state', in: 'query', schema: { type: 'string', enum: AGENT_STATES } }],
        responses: ok('agents', obj({ items: { type: 'array', items: agent } })),
      },
    },
    '/v1/card-agents/{id}/revoke': { post: { summary: 'Revoke an agent of any unit with a reason (audited): its card reads and its client are refused from now on, so its tokens stop; 409 when already revoked', parameters: [agentId], requestBody: reasonBody(), responses: done('revoked') } },
    '/v1/deletion-requests': { get: { summary: 'Deletion requests (PDPA), pending first', parameters: [{ name: 'status', in: 'query', schema: { type: 'string', enum: DELETION_STATUSES } }], responses: ok('requests', obj({ items: { type: 'array', items: { type: 'object' } } })) } },
    '/v1/deletion-requests/{id}': { get: { summary: 'A request and what carrying it out would delete, anonymise and keep (and why)', parameters: [id], responses: ok('the request', { type: 'object' }) } },
    '/v1/deletion-requests/{id}/carry-out': { post: { summary: 'Carry it out: delete and anonymise what may go, keep what the law requires; the person is told by SMS', parameters: [id], requestBody: reasonBody(), responses: { ...ok('done', { type: 'object' }), 409: error } } },
    '/v1/deletion-requests/{id}/refuse': { post: { summary: 'Refuse it with a reason; the person is told by SMS', parameters: [id], requestBody: reasonBody(), responses: { ...ok('refused', { type: 'object' }), 409: error } } },
    ...resourceServerPaths(errors, ok, reasonBody, error, json, obj),
    ...unitPaths(ok, reasonBody, error, obj),
  };
}

/** Resource servers (RFC 8707; they receive JWT access tokens, RFC 9068), named by their identifier URL-encoded in the path. */
/** Service units (from the register) and Digital ID service points. */
function unitPaths(
  ok: (description: string, schema?: unknown) => Record<number, unknown>,
  reasonBody: (extra?: Record<string, unknown>, required?: string[]) => unknown,
  error: unknown,
  obj: (properties: Record<string, unknown>, required?: string[]) => unknown,
) {
  const text = { type: 'string' };
  const count = { type: 'integer', minimum: 0 };
  const unitProps = {
    hcode: { type: 'string', pattern: '^\\d{5}$' }, name_th: text, name_en: { type: ['string', 'null'] }, unit_type: text, province: text, district: text, subdistrict: text,
    service_point: { type: 'boolean', description: 'a Digital ID service point (people missing a level are sent to one)' },
    unit_admins: count, verifiers: count, card_agents: { ...count, description: 'card reader agents in use' },
  };
  const unit = obj(unitProps);
  const detail = obj({
    ...unitProps,
    roles: { type: 'array', items: obj({ sub: text, role: { type: 'string', enum: ['unit_admin', 'verifier'] }, granted_at: { type: 'string', format: 'date-time' } }) },
    agents: { type: 'array', items: obj({ id: text, name: { type: ['string', 'null'] }, registered_at: { type: 'string', format: 'date-time' }, last_seen_at: { type: ['string', 'null'], format: 'date-time' } }) },
  });
  const hcode = { name: 'hcode', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{5}$' } };
  return {
    '/v1/units': {
      get: {
        summary: 'Service units by code (its beginning) or name (a part), province and service point, 50 a page',
        parameters: [{ name: 'search', in: 'query', schema: text }, { name: 'province', in: 'query', schema: text }, { name: 'service_point', in: 'query', schema: { type: 'string', enum: ['true', 'false'] } }, { name: 'page', in: 'query', schema: { type: 'integer', minimum: 1 } }],
        responses: ok('a page', obj({ items: { type: 'array', items: unit }, page: { type: 'integer' }, more: { type: 'boolean' } })),
      },
    },
    '/v1/units/{hcode}': { get: { summary: 'One unit: who holds a role there now, its card reader agents in use', parameters: [hcode], responses: ok('the unit', detail) } },
    '/v1/units/{hcode}/service-point': {
      post: {
        summary: 'Open (true) or close (false) the unit as a Digital ID service point; a reason is required and audited (unit.service_point_on|off); 409 when it is in that state already',
        parameters: [hcode], requestBody: reasonBody({ service_point: { type: 'boolean' } }, ['service_point']), responses: { ...ok('the unit', detail), 409: error },
      },
    },
  };
}

function resourceServerPaths(
  errors: Record<number, unknown>,
  ok: (description: string, schema?: unknown) => Record<number, unknown>,
  reasonBody: () => unknown,
  error: unknown,
  json: (schema: unknown) => unknown,
  obj: (properties: Record<string, unknown>, required?: string[]) => unknown,
) {
  const settings = {
    scope: { type: 'string', description: 'space-separated scope tokens it may be given' },
    access_token_ttl: { type: 'integer', minimum: 60, maximum: 86400, description: 'seconds (default 900)' },
    signing_alg: { type: 'string', enum: ['ES256', 'RS256', 'PS256', 'EdDSA'], description: 'default ES256' },
  };
  const rs = obj({
    identifier: { type: 'string', format: 'uri' }, ...settings, disabled: { type: 'boolean' }, disabled_at: { type: ['string', 'null'], format: 'date-time' },
    built_in: { type: 'boolean', description: 'one of the IdP’s own (the admin API, the coverage API): its scope cannot be changed and it cannot be disabled' }, created_at: { type: 'string', format: 'date-time' },
  });
  const identifier = { name: 'identifier', in: 'path', required: true, description: 'the resource server’s identifier (an absolute URI), URL-encoded', schema: { type: 'string' } };
  const refusals = { 409: error };
  return {
    '/v1/resource-servers': {
      get: { summary: 'Every resource server, the built-in ones first', responses: ok('the resource servers', obj({ items: { type: 'array', items: rs } })) },
      post: {
        summary: 'Register a resource server (409 when the identifier is registered already); audited',
        requestBody: { required: true, content: json(obj({ identifier: { type: 'string', format: 'uri', description: 'an absolute URI without a fragment' }, ...settings }, ['identifier'])) },
        responses: { 201: { description: 'registered', content: json(rs) }, ...errors, ...refusals },
      },
    },
    '/v1/resource-servers/{identifier}': {
      get: { summary: 'One resource server', parameters: [identifier], responses: ok('found', rs) },
      patch: {
        summary: 'Change its scope, token lifetime or signing algorithm (what is not given is kept); a built-in one’s scope is refused (409); audited with the settings before and after',
        parameters: [identifier], requestBody: { required: true, content: json(obj(settings)) }, responses: { ...ok('changed', rs), ...refusals },
      },
    },
    '/v1/resource-servers/{identifier}/disable': {
      post: { summary: 'Disable it: the token endpoint answers invalid_target for it (tokens already issued live out their lifetime); a built-in one is refused (409); a reason is required and audited', parameters: [identifier], requestBody: reasonBody(), responses: { ...ok('disabled', rs), ...refusals } },
    },
    '/v1/resource-servers/{identifier}/enable': {
      post: { summary: 'Enable it again; a reason is required and audited', parameters: [identifier], requestBody: reasonBody(), responses: { ...ok('enabled', rs), ...refusals } },
    },
  };
}
