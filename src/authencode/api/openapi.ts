// The API described as OpenAPI 3.1, built from the same names the routes use, served at /api/openapi.json.
export function openApiDocument(o: { baseUrl: string; audience: string; idpIssuer: string; testZone: boolean }) {
  const pid = { name: 'pid', in: 'path', required: true, description: 'national ID number (13 digits, valid check digit)', schema: { type: 'string', pattern: '^\\d{13}$' } };
  const error = { $ref: '#/components/responses/Error' };
  const security = [{ idpAccessToken: [] }];
  // 429: too many refused tokens from the address, or (lookups) too many different people this hour; Retry-After says when
  const errors = { 400: error, 401: error, 403: error, 429: error };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Authen Code service API (agent-compatible)',
      version: '1.0.0',
      description:
        'The endpoints hospital information systems call on the NHSO Secure Smartcard Agent, served by the Authen Code service. ' +
        `Every call carries a JWT access token from Mor Prom ID (${o.idpIssuer}) for the resource \`${o.audience}\`: a staff member's token ` +
        '(health personnel at the unit) or a client-credentials token of a hospital system registered for one unit (`hcode`). ' +
        'Errors keep the agent\'s Spring Boot shape; read `errors[0].defaultMessage`, branch on `errors[0].code`.',
    },
    servers: [{ url: o.baseUrl }],
    security,
    paths: {
      '/api/nhso-service/save-as-draft': {
        post: {
          summary: 'Save a visit as a draft (no Authen Code yet)',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/VisitRequest' } } } },
          responses: { 201: { description: 'draft saved', content: { 'application/json': { schema: { $ref: '#/components/schemas/SavedVisit' } } } }, ...errors, 415: error },
        },
      },
      '/api/nhso-service/confirm-save': {
        post: {
          summary: 'Confirm the visit and get its Authen Code',
          description: 'Confirms the draft with the same pid, claimType and correlationId at the unit, or a new visit. One confirmed code per person, unit, claim type and day: a second confirmation answers 400 `duplicate_authen` with the existing `claimCode`.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/VisitRequest' } } } },
          responses: { 201: { description: 'confirmed', content: { 'application/json': { schema: { $ref: '#/components/schemas/SavedVisit' } } } }, ...errors, 415: error },
        },
      },
      '/api/nhso-service/latest-authen-code/{pid}': {
        get: {
          summary: "The person's latest Authen Code at the caller's unit",
          parameters: [pid, { name: 'hcode', in: 'query', required: false, description: 'the unit, when the token may act for several', schema: { type: 'string', pattern: '^\\d{5}$' } }],
          responses: { 200: { description: 'latest code', content: { 'application/json': { schema: { $ref: '#/components/schemas/AuthenCode' } } } }, ...errors, 404: error },
        },
      },
      '/api/nhso-service/latest-5-authen-code-all-hospital/{pid}': {
        get: {
          summary: "The person's latest five Authen Codes across all units",
          parameters: [pid],
          responses: { 200: { description: 'newest first', content: { 'application/json': { schema: { type: 'array', maxItems: 5, items: { $ref: '#/components/schemas/AuthenCode' } } } } }, ...errors },
        },
      },
      '/api/card-agents/register': {
        post: {
          summary: "A card reader agent registers (or renews) its key, with a lease of an hour",
          description:
            "With the agent's own client-credentials token from Mor Prom ID: its `client_id` is the agent id and its `agent_jkt` the RFC 7638 thumbprint of `jwk`. " +
            'The agent renews every 15 minutes; its card reads are accepted while the lease runs. 403 `not_card_agent` (another kind of token), `key_mismatch`, `agent_revoked`.',
          requestBody: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/AgentRegistration' } } } },
          responses: { 200: { description: 'registered until lease_until', content: { 'application/json': { schema: { $ref: '#/components/schemas/AgentLease' } } } }, ...errors, 415: error },
        },
      },
      '/api/smartcard/probe/{pid}': {
        get: {
          summary: 'Entitlement by ID number, as a card read gives it',
          description: o.testZone
            ? 'Test zone: any caller. Elsewhere only a card reader agent registered at this service (its own token), for the card in its reader; others get 403 `card_agents_only`.'
            : 'Only a card reader agent registered at this service (its own token), for the card in its reader; others get 403 `card_agents_only`.',
          parameters: [pid],
          responses: { 200: { description: 'entitlement', content: { 'application/json': { schema: { $ref: '#/components/schemas/Probe' } } } }, ...errors, 404: error },
        },
      },
    },
    components: {
      securitySchemes: {
        idpAccessToken: {
          type: 'openIdConnect',
          openIdConnectUrl: `${o.idpIssuer}/.well-known/openid-configuration`,
          description: `JWT access token (typ at+jwt) issued by Mor Prom ID with resource=${o.audience}`,
        },
      },
      responses: {
        Error: { description: 'error (Spring Boot shape)', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } },
      },
      schemas: {
        VisitRequest: {
          type: 'object',
          required: ['pid', 'claimType', 'mobile'],
          properties: {
            pid: { type: 'string', pattern: '^\\d{13}$' },
            claimType: { type: 'string', pattern: '^PG\\d{7}$', examples: ['PG0060001'] },
            mobile: { type: 'string', description: 'one or more mobile numbers, digits only, separated by commas', examples: ['0812345678'] },
            correlationId: { type: 'string', format: 'uuid', description: 'from the card read; echoed back' },
            hn: { type: 'string', maxLength: 20 },
            hcode: { type: 'string', pattern: '^\\d{5}$', description: "the unit; defaults to the token's only unit" },
          },
        },
        SavedVisit: {
          type: 'object',
          required: ['pid', 'claimType', 'correlationId', 'createdDate', 'claimCode', 'hcode', 'status'],
          properties: {
            pid: { type: 'string' },
            claimType: { type: 'string' },
            correlationId: { type: 'string', format: 'uuid' },
            createdDate: { type: 'string', format: 'date-time' },
            claimCode: { type: ['string', 'null'], pattern: '^[A-Z]{2}\\d{10}$', examples: ['PP1000002437'] },
            hcode: { type: 'string' },
            status: { enum: ['draft', 'confirmed'] },
          },
        },
        AuthenCode: {
          type: 'object',
          required: ['claimType', 'claimCode', 'hcode', 'claimDateTime', 'checkDate'],
          properties: {
            claimType: { type: 'string' },
            claimCode: { type: 'string', pattern: '^[A-Z]{2}\\d{10}$' },
            hcode: { type: 'string' },
            claimDateTime: { type: 'string', format: 'date-time', description: 'service date and time' },
            checkDate: { type: 'string', format: 'date-time', description: 'when it was confirmed' },
          },
        },
        Probe: {
          type: 'object',
          properties: {
            pid: { type: 'string' }, titleName: { type: 'string' }, fname: { type: 'string' }, lname: { type: 'string' }, nation: { type: 'string' },
            birthDate: { type: 'string', description: 'YYYYMMDD, Buddhist era' }, sex: { type: 'string' }, transDate: { type: 'string' },
            mainInscl: { type: 'string', examples: ['(UCS) สิทธิหลักประกันสุขภาพแห่งชาติ'] }, subInscl: { type: 'string' }, age: { type: 'string' }, checkDate: { type: 'string' },
            claimTypes: { type: 'array', items: { type: 'object', properties: { claimType: { type: 'string' }, claimTypeName: { type: 'string' } } } },
            correlationId: { type: 'string', format: 'uuid' },
            hospMain: { $ref: '#/components/schemas/Hosp' }, hospSub: { $ref: '#/components/schemas/Hosp' }, hospMainOp: { $ref: '#/components/schemas/Hosp' },
            paidModel: { type: ['string', 'null'] }, startDateTime: { type: ['string', 'null'] },
          },
        },
        AgentRegistration: {
          type: 'object',
          required: ['jwk'],
          properties: { jwk: { type: 'object', description: 'the public key (EC P-256 or OKP Ed25519) the agent paired with', required: ['kty', 'crv', 'x'] } },
        },
        AgentLease: {
          type: 'object',
          required: ['agent_id', 'hcode', 'lease_until'],
          properties: { agent_id: { type: 'string', pattern: '^agent-[0-9a-f]{16}$' }, hcode: { type: 'string' }, lease_until: { type: 'string', format: 'date-time' } },
        },
        Hosp: { type: 'object', properties: { hcode: { type: 'string' }, hname: { type: 'string' } } },
        Error: {
          type: 'object',
          required: ['timestamp', 'status', 'error', 'message', 'errors'],
          properties: {
            timestamp: { type: 'string', format: 'date-time' },
            status: { type: 'integer' },
            error: { type: 'string' },
            message: { type: 'string' },
            path: { type: 'string' },
            claimCode: { type: 'string', description: 'with duplicate_authen: the code already issued today' },
            errors: {
              type: 'array',
              items: { type: 'object', properties: { codes: { type: 'array', items: { type: 'string' } }, arguments: { type: 'null' }, defaultMessage: { type: 'string' }, objectName: { type: 'string' }, code: { type: 'string' } } },
            },
          },
        },
      },
    },
  };
}
