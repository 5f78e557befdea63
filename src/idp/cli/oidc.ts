// mpid client, resource-server, keys and secrets: relying parties, resource servers, the signing keyring
// and the production secrets.
import { randomBytes } from 'node:crypto';
import type { Command } from '../../kernel/cli.ts';
import { printJson, readJsonStdin } from '../../kernel/cli.ts';
import { loadKeysConfig } from '../config.ts';
import { ensureKeyring, keyStates, readKeyring, rotateKeys } from '../oidc/keys.ts';
import { createRelyingParties, type Actor, type RelyingParties } from '../admin/relying_parties/index.ts';
import { createResourceServers, type ResourceServers } from '../admin/resource_servers/index.ts';
import { adminApiAudience } from '../admin/api/auth.ts';
import { appFor, withDb } from './context.ts';

const operator = (options: Record<string, string | boolean | undefined>): Actor => ({ kind: 'operator', name: typeof options.operator === 'string' && options.operator ? options.operator : 'mpid' });
const operatorOption = { operator: { type: 'string' as const, value: 'NAME', description: 'who does it, for the audit log (operator:NAME; default mpid)' } };

/** The relying-party rules the console and the admin API use (src/idp/admin/relying_parties). */
async function withRelyingParties<T>(fn: (rps: RelyingParties) => Promise<T>): Promise<T> {
  return withDb(async (db, config) => fn(createRelyingParties({ db, provider: (await appFor(db, config)).provider })));
}

export const clientAdd: Command = {
  name: 'client add',
  summary: 'register a relying party (RFC 7591 metadata as JSON on stdin)',
  details: 'Validated by oidc-provider\'s own rules; prints the client with its client_id (and client_secret when it has one, the only time it is shown). `"admin_api": true` lets it call the admin API.',
  stdin: '{redirect_uris, grant_types, token_endpoint_auth_method, scope, client_name, …} (RFC 7591 client metadata)',
  options: operatorOption,
  async run(_args, options) {
    const input = await readJsonStdin();
    await withRelyingParties(async (rps) => printJson(await rps.register(operator(options), input)));
  },
};

export const clientList: Command = {
  name: 'client list',
  summary: 'list relying parties (their metadata without secrets, whether disabled, people who granted access)',
  options: { search: { type: 'string', value: 'TEXT', description: 'client_id or name containing TEXT' } },
  async run(_args, options) {
    await withRelyingParties(async (rps) => {
      const items = [];
      for (let page = 1, more = true; more; page++) {
        const got = await rps.list({ search: typeof options.search === 'string' ? options.search : undefined, page, size: 500 });
        items.push(...got.items);
        more = got.more;
      }
      printJson(items);
    });
  },
};

export const clientRotateSecret: Command = {
  name: 'client rotate-secret',
  summary: "issue a new client_secret (printed once); the old one stops working at once",
  args: [{ name: 'client_id', description: 'the relying party' }],
  options: operatorOption,
  async run([clientId], options) {
    await withRelyingParties(async (rps) => printJson(await rps.rotateSecret(operator(options), clientId!)));
  },
};

export const clientState: Command = {
  name: 'client state',
  summary: 'disable a relying party (every endpoint refuses it) or enable it again, with a reason',
  args: [{ name: 'client_id', description: 'the relying party' }, { name: 'disabled|enabled', description: 'the new state', choices: ['disabled', 'enabled'] }],
  options: { ...operatorOption, reason: { type: 'string', value: 'TEXT', description: 'why (required; kept in the audit log)' } },
  async run([clientId, state], options) {
    await withRelyingParties(async (rps) => {
      await rps.setDisabled(operator(options), clientId!, state === 'disabled', typeof options.reason === 'string' ? options.reason : '');
      printJson({ client_id: clientId, state });
    });
  },
};

/** The resource-server rules the console and the admin API use (src/idp/admin/resource_servers). */
async function withResourceServers<T>(fn: (rss: ResourceServers) => Promise<T>): Promise<T> {
  return withDb(async (db, config) => fn(createResourceServers({ db, builtIn: [adminApiAudience(config.issuer), config.coverage.apiAudience] })));
}

export const resourceServerAdd: Command = {
  name: 'resource-server add',
  summary: 'register a resource server, or change its settings when it is registered ({identifier, scope, access_token_ttl, signing_alg} on stdin)',
  details: 'It then receives JWT access tokens (RFC 9068) for clients that ask for it with the resource parameter (RFC 8707). The IdP\'s own (the admin API, the coverage API) keep their scope. Audited as operator:<operator>.',
  stdin: '{identifier, scope, access_token_ttl?, signing_alg?}',
  options: operatorOption,
  async run(_args, options) {
    const input = await readJsonStdin();
    await withResourceServers(async (rss) => printJson(await rss.save(operator(options), input)));
  },
};

export const resourceServerList: Command = {
  name: 'resource-server list',
  summary: 'list resource servers (identifier, scope, token lifetime, algorithm, whether disabled or built in)',
  async run() {
    await withResourceServers(async (rss) => printJson(await rss.list()));
  },
};

const resourceServerState = (verb: 'disable' | 'enable'): Command => ({
  name: `resource-server ${verb}`,
  summary: verb === 'disable'
    ? 'disable a resource server: the token endpoint then answers invalid_target for it (tokens already issued live out their lifetime)'
    : 'enable a disabled resource server again',
  details: 'The IdP\'s own resource servers (the admin API, the coverage API) cannot be disabled. Audited as operator:<operator> with the reason.',
  options: {
    identifier: { type: 'string', value: 'URI', description: 'the resource server (required)' },
    ...operatorOption,
    reason: { type: 'string', value: 'TEXT', description: 'why (required; kept in the audit log)' },
  },
  async run(_args, options) {
    if (typeof options.identifier !== 'string' || !options.identifier) throw new Error('--identifier URI is required');
    const identifier = options.identifier;
    await withResourceServers(async (rss) => printJson(await rss.setDisabled(operator(options), identifier, verb === 'disable', typeof options.reason === 'string' ? options.reason : '')));
  },
});
export const resourceServerDisable = resourceServerState('disable');
export const resourceServerEnable = resourceServerState('enable');

export const keysInit: Command = {
  name: 'keys init',
  summary: 'create the signing keyring if there is none',
  details: 'Writes it to KEYS_DIR; prints {created, generations}.',
  run() {
    const { created, ring } = ensureKeyring(loadKeysConfig().keysDir);
    printJson({ created, generations: ring.generations.map((g) => g.id) });
  },
};

export const keysRotate: Command = {
  name: 'keys rotate',
  summary: 'add a signing key, published now and signing after KEY_PUBLISH_SECONDS (or at once with --now)',
  details: 'Deploy the new keyring.json to every server; generations past their last use are removed. Prints {added, activatesAt, dropped}.',
  options: { now: { type: 'boolean', description: 'sign with the new key at once (a suspected key compromise)' } },
  run(_args, options) {
    const { keysDir, keyPublishSeconds } = loadKeysConfig();
    const { added, dropped } = rotateKeys(keysDir, options.now ? 0 : keyPublishSeconds);
    printJson({ added: added.id, activatesAt: added.activatesAt, dropped });
  },
};

export const keysList: Command = {
  name: 'keys list',
  summary: 'show the signing keys and their states',
  details: 'Each generation with its state (next, active, retired, expired), activation time and key ids.',
  run() {
    const { keysDir } = loadKeysConfig();
    const ring = readKeyring(keysDir);
    if (!ring) throw new Error(`no keyring in ${keysDir}`);
    printJson(keyStates(ring).map(({ generation: g, state }) => ({ id: g.id, state, activatesAt: g.activatesAt, kids: g.keys.map((k) => k.kid) })));
  },
};

export const secretsGenerate: Command = {
  name: 'secrets generate',
  summary: 'new random secrets for the production environment (IDP_COOKIE_KEYS, IDP_PII_KEY, METRICS_TOKEN)',
  details:
    'Prints them as JSON, or with --env as NAME=value lines for an environment file (docker compose env_file, systemd EnvironmentFile). ' +
    'Keep them in your secret manager: IDP_PII_KEY cannot be changed once personal data is stored under it. Reads no configuration.',
  options: { env: { type: 'boolean', description: 'NAME=value lines instead of JSON' } },
  run(_args, options) {
    const secrets = {
      IDP_COOKIE_KEYS: randomBytes(32).toString('base64url'),
      IDP_PII_KEY: randomBytes(32).toString('base64'),
      METRICS_TOKEN: randomBytes(32).toString('base64url'),
    };
    if (options.env) process.stdout.write(Object.entries(secrets).map(([k, v]) => `${k}=${v}\n`).join(''));
    else printJson(secrets);
  },
};
