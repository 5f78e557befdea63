#!/usr/bin/env node
// mpid-card-agent start | pair CODE [--name NAME] | status   [--config FILE]
// `pair` asks the running service (POST /api/mpid/pair) so it registers at once; with none running it
// pairs directly, writing the same DATA_DIR files the service reads.
import { parseArgs } from 'node:util';
import { AGENT_VERSION, ConfigError, loadConfig, type Config } from './config.ts';
import { createLogger } from './log.ts';
import { loadOrCreateKey } from './signing/key.ts';
import { pairingStore } from './pairing/state.ts';
import { createUpstream, UpstreamError } from './upstream/services.ts';
import { createAgentService, type AgentStatus } from './service.ts';
import { createApiServer } from './api/server.ts';

const USAGE = `usage: mpid-card-agent <command> [--config FILE]
  start                 run the agent (the local API on 127.0.0.1:8189)
  pair CODE [--name N]  pair with Mor Prom ID using the code from the unit page
  status                show the running agent's state
settings: a JSON file (--config or MPID_AGENT_CONFIG) and MPID_AGENT_* variables (see README.md)`;

class Exit extends Error {
  exitCode: number;
  constructor(message: string, exitCode = 1) {
    super(message);
    this.exitCode = exitCode;
  }
}

const agentUrl = (c: Config) => `http://${c.host.includes(':') ? `[${c.host}]` : c.host}:${c.port}`;

async function start(config: Config) {
  const log = createLogger({ level: config.logLevel });
  const key = await loadOrCreateKey(config.dataDir);
  if (key.created) log.info('agent key created', { file: key.file, thumbprint: key.thumbprint });
  const pairing = pairingStore(config.dataDir, { onInvalid: (m) => log.warn(m) });
  const { openReaders } = await import('./pcsc/readers.ts');
  const readers = openReaders();
  for (const e of ['card-inserted', 'card-removed', 'reader-attached', 'reader-detached'] as const) readers.on(e, (reader) => log.info(e, { reader }));
  const upstream = createUpstream({ config, key, pairing });
  const service = createAgentService({ config, readers, key, pairing, upstream, log });
  const server = createApiServer({ service, config, log });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  }).catch(async (err: NodeJS.ErrnoException) => {
    await readers.close().catch(() => {});
    if (err.code === 'EADDRINUSE') throw new Exit(`port ${config.port} on ${config.host} is in use (another agent, or the NHSO agent, is running?): stop it or set MPID_AGENT_PORT`);
    if (err.code === 'EACCES') throw new Exit(`port ${config.port} on ${config.host} may not be used by this user`);
    if (err.code === 'EADDRNOTAVAIL') throw new Exit(`${config.host} is not an address of this computer`);
    throw err;
  });
  service.start();
  const p = pairing.get();
  log.info('agent started', { version: AGENT_VERSION, url: agentUrl(config), paired: !!p, ...(p ? { agent: p.agent_id, hcode: p.hcode } : {}) });
  if (!p) log.warn('not paired yet: run `mpid-card-agent pair CODE` with a code from the unit page at Mor Prom ID');
  const stop = (signal: string) => {
    log.info('agent stopping', { signal });
    server.close();
    server.closeAllConnections();
    void Promise.allSettled([service.stop(), readers.close()]).then(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
}

/** The running agent's answer, or undefined when none listens. */
async function askRunning(config: Config, path: string, init?: RequestInit): Promise<Response | undefined> {
  try {
    return await fetch(`${agentUrl(config)}${path}`, { ...init, signal: AbortSignal.timeout(init?.method === 'POST' ? 60_000 : 5_000) });
  } catch (err) {
    const code = (err as { cause?: { code?: string } }).cause?.code;
    if (code === 'ECONNREFUSED' || code === 'ECONNRESET' || code === 'EADDRNOTAVAIL') return undefined;
    throw new Exit(`the agent at ${agentUrl(config)} did not answer (${code ?? (err as Error).message})`);
  }
}

function printPaired(p: { agent_id: string; hcode: string; unit_name: string }, lease: { until?: string; error?: string }, via: string) {
  console.log(`paired with Mor Prom ID (${via}): unit ${p.unit_name} (${p.hcode}), agent ${p.agent_id}`);
  if (lease.until) console.log(`registered at Authen Code until ${lease.until}`);
  else console.log(`not registered at Authen Code yet${lease.error ? `: ${lease.error}` : ''}; the service retries every minute`);
}

async function pair(config: Config, code: string, name?: string) {
  const res = await askRunning(config, '/api/mpid/pair', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code, name }) });
  if (res) {
    const body = (await res.json().catch(() => undefined)) as { pairing?: { agent_id: string; hcode: string; unit_name: string }; lease?: { until?: string; error?: string }; message?: string } | undefined;
    if (res.ok && body?.pairing) return printPaired(body.pairing, body.lease ?? {}, 'through the running agent');
    throw new Exit(`pairing refused: ${body?.message ?? `HTTP ${res.status}`}`);
  }
  // no service running: pair here, with the same key and pairing file
  const log = createLogger({ level: 'warn', write: (l) => process.stderr.write(l + '\n') });
  const key = await loadOrCreateKey(config.dataDir);
  const pairing = pairingStore(config.dataDir);
  const upstream = createUpstream({ config, key, pairing });
  let p;
  try {
    p = await upstream.pair({ code, name: name?.trim() || `card reader agent on ${(await import('node:os')).hostname()}`.slice(0, 80) });
  } catch (err) {
    if (err instanceof UpstreamError) throw new Exit(`pairing refused: ${err.message}`);
    throw err;
  }
  const lease: { until?: string; error?: string } = {};
  try {
    lease.until = (await upstream.register()).lease_until;
  } catch (err) {
    lease.error = (err as Error).message;
    log.warn('registration at Authen Code failed', { err: err as Error });
  }
  printPaired(p, lease, 'directly; start the agent to serve card reads');
}

async function status(config: Config) {
  const res = await askRunning(config, '/api/status');
  if (!res) throw new Exit(`no agent is running at ${agentUrl(config)}`, 3);
  const s = (await res.json()) as AgentStatus;
  console.log(`mpid-card-agent ${s.version} at ${agentUrl(config)}`);
  console.log(`PC/SC: ${s.pcsc ? 'running' : 'NOT running'}`);
  console.log(`readers: ${s.readers.length ? s.readers.map((r) => `${r.name} (${r.card ? 'card' : 'no card'})`).join(', ') : 'none'}`);
  console.log(s.pairing.paired ? `paired: ${s.pairing.unit_name} (${s.pairing.hcode}), agent ${s.pairing.agent_id}` : 'paired: no (run: mpid-card-agent pair CODE)');
  console.log(`Authen Code: ${s.lease.until ? `registered until ${s.lease.until}` : s.lease.error ? `not registered: ${s.lease.error}` : 'not registered'}`);
}

async function main(argv: string[]) {
  let args;
  try {
    args = parseArgs({ args: argv, allowPositionals: true, options: { config: { type: 'string', short: 'c' }, name: { type: 'string', short: 'n' }, help: { type: 'boolean', short: 'h' }, version: { type: 'boolean' } } });
  } catch (err) {
    throw new Exit(`${(err as Error).message}\n${USAGE}`, 2);
  }
  const [command, ...rest] = args.positionals;
  if (args.values.version) return console.log(AGENT_VERSION);
  if (args.values.help || !command) return console.log(USAGE);
  const known = (command === 'start' || command === 'status') ? rest.length === 0 : command === 'pair' && rest.length === 1;
  if (!known) throw new Exit(USAGE, 2);
  const config = loadConfig({ file: args.values.config });
  if (command === 'start') return start(config);
  // kept-alive connections would hold a one-shot command open for seconds
  if (command === 'pair') return pair(config, rest[0]!, args.values.name).then(() => process.exit(0));
  return status(config).then(() => process.exit(0));
}

main(process.argv.slice(2)).catch((err: unknown) => {
  if (err instanceof Exit || err instanceof ConfigError) {
    process.stderr.write(`mpid-card-agent: ${err.message}\n`);
    process.exit(err instanceof Exit ? err.exitCode : 2);
  }
  process.stderr.write(`mpid-card-agent: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
