// The admin API described as OpenAPI 3.1, from the same paths and names as its routes.
import { ADMIN_SCOPE, adminApiAudience } from './auth.ts';

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
          properties: { client_id: { type: 'string' }, client_name: { type: 'string' }, disabled: { type: 'boolean' }, grant_types: { type: 'array', items: { type: 'string' } }, token_endpoint_auth_method: { type: 'string' }, people: { type: 'integer' } },
        },
        Detail: { type: 'object', properties: { metadata: { $ref: '#/components/schemas/ClientMetadata' }, disabled: { type: 'boolean' }, people: { type: 'integer' } } },
      },
    },
  };
}
