// The coverage API described as OpenAPI 3.1, served at /api/coverage/openapi.json.
export function openApiDocument(o: { issuer: string; audience: string }) {
  const error = { description: 'an error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
  const forbidden = {
    description: 'insufficient_scope: the token lacks the scope coverage, or its client is not (or no longer) allowed, or is disabled; forbidden: a province\'s client asked for the country or another province',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  };
  const ok = { description: 'the area and its parts', content: { 'application/json': { schema: { $ref: '#/components/schemas/Coverage' } } } };
  const count = { type: ['integer', 'null'], minimum: 0 };
  const pct = { type: ['number', 'null'], description: 'A/B × 100, two decimals; null without a denominator' };
  const figures = {
    type: 'object',
    required: ['citizens', 'citizens_with_digital_id', 'citizens_percent', 'citizens_target_met', 'personnel', 'personnel_with_digital_id', 'personnel_percent', 'personnel_target_met', 'service_points', 'verifiers'],
    properties: {
      citizens: { type: 'integer', minimum: 0, description: 'B2: citizens of all schemes in the population register (as_of.population)' },
      citizens_with_digital_id: { type: 'integer', minimum: 0, description: 'A2: citizens living here (by the register) whose account is at min_ial or above' },
      citizens_percent: pct,
      citizens_target_met: { type: 'boolean' },
      personnel: { ...count, description: 'B1: health personnel of units here, every employment type but daily and contract hires; null for sub-districts' },
      personnel_with_digital_id: { ...count, description: 'A1: linked personnel of units here at min_ial or above' },
      personnel_percent: pct,
      personnel_target_met: { type: ['boolean', 'null'] },
      service_points: { ...count, description: 'units registered as Digital ID service points (quarter-1 milestone)' },
      verifiers: { ...count, description: 'verifiers appointed at those units (quarter-1 milestone)' },
    },
  };
  const area = {
    type: 'object',
    required: ['code', 'level', 'name_th', 'name_en'],
    properties: { code: { type: 'string', pattern: '^(\\d{2}|\\d{4}|\\d{6})$' }, level: { enum: ['province', 'district', 'subdistrict'] }, name_th: { type: 'string' }, name_en: { type: 'string' } },
  };
  return {
    openapi: '3.1.0',
    info: {
      title: 'Mor Prom ID: Digital ID coverage (MOPH indicator 54)',
      version: '1.0.0',
      description:
        `Coverage of the country, a province or a district by its parts, against the current period's targets. Every call carries a JWT access token from ${o.issuer} ` +
        `for the resource \`${o.audience}\` with the scope \`coverage\` (client credentials: \`grant_type=client_credentials&resource=${o.audience}&scope=coverage\`). ` +
        'Only a client the operator allowed gets that token (`mpid coverage client allow --client-id=ID [--province NN]`; any other client: `invalid_target` at the token endpoint). ' +
        'A client allowed for every area reads the country and every area; a province\'s client reads `/api/coverage/areas/{its province}` and the districts and sub-districts in it only, and is answered 403 `forbidden` for the country and any other area.',
    },
    servers: [{ url: o.issuer }],
    security: [{ idpAccessToken: ['coverage'] }],
    paths: {
      '/api/coverage': { get: { summary: 'The country by province (clients allowed for every area)', responses: { 200: ok, 401: error, 403: forbidden } } },
      '/api/coverage/areas/{code}': {
        get: {
          summary: 'A province by district, a district by sub-district, or a sub-district',
          parameters: [{ name: 'code', in: 'path', required: true, description: 'province (2 digits), district (4) or sub-district (6) code', schema: { type: 'string', pattern: '^(\\d{2}|\\d{4}|\\d{6})$' } }],
          responses: { 200: ok, 401: error, 403: forbidden, 404: error },
        },
      },
    },
    components: {
      securitySchemes: {
        idpAccessToken: { type: 'oauth2', flows: { clientCredentials: { tokenUrl: `${o.issuer}/token`, scopes: { coverage: 'read the coverage figures' } } } },
      },
      schemas: {
        Area: area,
        Figures: figures,
        Coverage: {
          type: 'object',
          required: ['area', 'ancestors', 'period', 'fiscal_year_start', 'min_ial', 'as_of', 'parts', 'total'],
          properties: {
            area: { oneOf: [{ $ref: '#/components/schemas/Area' }, { type: 'null' }], description: 'null: the whole country' },
            ancestors: { type: 'array', items: { $ref: '#/components/schemas/Area' } },
            period: {
              type: 'object',
              properties: { from: { type: 'string', format: 'date' }, due: { type: 'string', format: 'date' }, targets: { type: 'object', properties: { personnel_percent: { type: 'number' }, citizens_percent: { type: 'number' } } } },
            },
            fiscal_year_start: { type: 'string', format: 'date' },
            min_ial: { type: 'string', description: 'the lowest IAL counted as having a digital ID' },
            as_of: { type: 'object', properties: { population: { type: ['string', 'null'], format: 'date' }, personnel: { type: ['string', 'null'], format: 'date' } } },
            parts: { type: 'array', items: { allOf: [{ $ref: '#/components/schemas/Area' }, { $ref: '#/components/schemas/Figures' }] } },
            total: { $ref: '#/components/schemas/Figures' },
          },
        },
        Error: { type: 'object', required: ['error', 'error_description'], properties: { error: { type: 'string' }, error_description: { type: 'string' } } },
      },
    },
  };
}
