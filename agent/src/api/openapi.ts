// GET /api/openapi.json: the agent's local API, described (OpenAPI 3.1).
import { AGENT_VERSION } from '../config.ts';

const springError = {
  type: 'object',
  description: 'Spring Boot error shape, as the NHSO agent answers; errors[0].code and code are stable codes',
  properties: {
    timestamp: { type: 'string', format: 'date-time' }, status: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' }, path: { type: 'string' }, code: { type: 'string' },
    errors: { type: 'array', items: { type: 'object', properties: { codes: { type: 'array', items: { type: 'string' } }, arguments: {}, defaultMessage: { type: 'string' }, objectName: { type: 'string' }, code: { type: 'string' } } } },
  },
};
const err = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/SpringError' } } } });
const cardErrors = {
  '418': err('no card reader (or the PC/SC service is not running)'),
  '500': err('no card in the reader, or it was removed during the read'),
  '409': err('the reader is in use by another program'),
  '422': err('not a Thai national ID card'),
  '504': err('the card did not answer in time'),
};
const imageFlag = { name: 'readImageFlag', in: 'query', schema: { type: 'boolean', default: false }, description: 'true adds the chip photo as `image` (base64 JPEG)' };
const pidParam = { name: 'pid', in: 'path', required: true, schema: { type: 'string', pattern: '^\\d{13}$' } };
const forwarded = (summary: string) => ({ summary, description: 'Forwarded to Authen Code with the agent\'s token; its status and body are passed back. 502 authencode_unreachable when it cannot be reached, 503 not_paired before pairing.', responses: { '200': { description: 'Authen Code\'s answer' }, '502': err('Authen Code cannot be reached'), '503': err('the agent is not paired') } });
const visitBody = { content: { 'application/json': { schema: { type: 'object', required: ['pid', 'claimType'], properties: { pid: { type: 'string' }, claimType: { type: 'string', examples: ['PG0060001'] }, mobile: { type: 'string' }, correlationId: { type: 'string', format: 'uuid' }, hn: { type: 'string' }, hcode: { type: 'string' } } } } } };

export function openApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: { title: 'Mor Prom ID card reader agent', version: AGENT_VERSION, description: 'The NHSO Secure Smartcard Agent API on this computer (loopback only), plus the signed card read Mor Prom ID pages use.' },
    servers: [{ url: baseUrl }],
    paths: {
      '/api/smartcard/terminals': { get: { summary: 'Card readers and whether each holds a card', responses: { '200': { description: 'readers', content: { 'application/json': { schema: { type: 'array', items: { type: 'object', properties: { terminalName: { type: 'string' }, isPresent: { type: 'boolean' } } } } } } }, '418': cardErrors['418'] } } },
      '/api/smartcard/read-card-only': { get: { summary: 'The card in the reader (no network)', parameters: [imageFlag], responses: { '200': { description: 'the card', content: { 'application/json': { schema: { $ref: '#/components/schemas/Card' } } } }, ...cardErrors } } },
      '/api/smartcard/read': { get: { summary: 'The card in the reader with its entitlement from Authen Code', parameters: [imageFlag], responses: { '200': { description: 'card + entitlement (mainInscl, subInscl, hospMain, hospSub, hospMainOp, claimTypes, correlationId, age, checkDate, transDate, paidModel)' }, ...cardErrors, '503': err('not paired (not_paired), or the card was read but the entitlement could not be checked (entitlement_unavailable)') } } },
      '/api/nhso-service/save-as-draft': { post: { ...forwarded('Save a visit as a draft'), requestBody: visitBody } },
      '/api/nhso-service/confirm-save': { post: { ...forwarded('Confirm a visit: its Authen Code (claimCode)'), requestBody: visitBody } },
      '/api/nhso-service/latest-authen-code/{pid}': { get: { ...forwarded('The latest Authen Code at this unit'), parameters: [pidParam] } },
      '/api/nhso-service/latest-5-authen-code-all-hospital/{pid}': { get: { ...forwarded('The latest five Authen Codes at any unit'), parameters: [pidParam] } },
      '/api/preference': { get: { summary: 'The agent\'s preferences; token is always null (the agent holds its token itself)', responses: { '200': { description: '{token: null, agent}' } } } },
      '/api/mpid/card-read': {
        post: {
          summary: 'A card read signed for a Mor Prom ID page (allowed origins only)',
          requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['nonce'], properties: { nonce: { type: 'string', pattern: '^[A-Za-z0-9_-]{22,64}$' }, readImage: { type: 'boolean', default: true } } } } } },
          responses: { '200': { description: '{document (compact JWS card-read+jwt), card (display fields, photo base64), reader}' }, '4XX': { description: '{error, code, message}' }, '503': { description: 'not_paired' } },
        },
      },
      '/api/status': { get: { summary: 'Version, PC/SC, readers, pairing (no personal data)', responses: { '200': { description: 'status' } } } },
      '/api/openapi.json': { get: { summary: 'This document', responses: { '200': { description: 'OpenAPI 3.1' } } } },
    },
    components: {
      schemas: {
        SpringError: springError,
        Card: { type: 'object', properties: { pid: { type: 'string' }, titleName: { type: 'string', examples: ['นาย'] }, fname: { type: 'string' }, lname: { type: 'string' }, birthDate: { type: 'string', description: 'YYYYMMDD, Buddhist era' }, sex: { type: 'string', enum: ['1', '2'] }, nation: { type: 'string', const: '099' }, image: { type: 'string', description: 'base64 JPEG' } } },
      },
    },
  };
}
