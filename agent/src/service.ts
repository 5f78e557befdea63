// What the agent does, apart from HTTP: card reads (one at a time per reader), the signed card-read
// document, the entitlement of the card in the reader, hospital systems' calls forwarded to Authen Code,
// pairing, and the lease at Authen Code (registered on start and on a new pairing, renewed every 15
// minutes; a failure is retried after a minute).
import { hostname } from 'node:os';
import type { ThaiIdCard } from './card/thai_id.ts';
import type { Readers, ReaderState } from './pcsc/readers.ts';
import { AGENT_VERSION, type Config } from './config.ts';
import type { Logger } from './log.ts';
import type { AgentKey } from './signing/key.ts';
import { NONCE, signCardRead } from './signing/card_read.ts';
import type { Pairing, PairingStore } from './pairing/state.ts';
import { notPaired, UpstreamError, type Answer, type Upstream } from './upstream/services.ts';

export const LEASE_RENEW_MS = 15 * 60_000;
const LEASE_RETRY_MS = 60_000;
const PAIRING_POLL_MS = 2_000;

/** What a page shows beside the face comparison: the card without its issuer and address, the chip photo as base64 JPEG (the pages put it in a data: URL). */
export type CardDisplay = Omit<ThaiIdCard, 'issuer' | 'address' | 'photo'> & { photo?: string };

export interface AgentStatus {
  version: string;
  pcsc: boolean;
  readers: ReaderState[];
  pairing: { paired: false } | { paired: true; agent_id: string; hcode: string; unit_name: string; paired_at: string };
  lease: { until?: string; checked_at?: string; error?: string };
  idp_url: string;
  authencode_url: string;
}

export interface CardRead {
  reader: string;
  card: ThaiIdCard;
}

export class InvalidRequest extends Error {
  status = 400;
  code = 'invalid_request';
}

/** A promise chain per key: what is queued runs after what came before it, failed or not. */
function serializer() {
  const tails = new Map<string, Promise<unknown>>();
  return <T>(key: string, task: () => Promise<T>): Promise<T> => {
    const run = (tails.get(key) ?? Promise.resolve()).then(task, task);
    const tail = run.catch(() => {});
    tails.set(key, tail);
    void tail.then(() => {
      if (tails.get(key) === tail) tails.delete(key);
    });
    return run;
  };
}

export function displayCard(card: ThaiIdCard, photo: boolean): CardDisplay {
  const out: CardDisplay = { pid: card.pid, title_th: card.title_th, given_name_th: card.given_name_th, family_name_th: card.family_name_th, birthdate_be: card.birthdate_be, gender: card.gender, issue_date_be: card.issue_date_be, expiry_date_be: card.expiry_date_be };
  for (const k of ['middle_name_th', 'title_en', 'given_name_en', 'middle_name_en', 'family_name_en'] as const) if (card[k]) out[k] = card[k];
  if (photo && card.photo) out.photo = card.photo.toString('base64');
  return out;
}

export function createAgentService(deps: { config: Config; readers: Readers; key: AgentKey; pairing: PairingStore; upstream: Upstream; log: Logger }) {
  const { config, readers, key, pairing, upstream, log } = deps;
  const serialized = serializer();
  const lease: AgentStatus['lease'] = {};
  let leaseTimer: NodeJS.Timeout | undefined;
  let pollTimer: NodeJS.Timeout | undefined;
  let leasedFor: string | undefined;

  /** The card in `reader` (or the first reader with a card), read while no other read uses that reader. */
  async function readCard(o: { photo: boolean; reader?: string }): Promise<CardRead> {
    let reader = o.reader;
    if (!reader) {
      const withCard = (await readers.terminals()).find((r) => r.card);
      reader = withCard?.name;
    }
    const started = Date.now();
    // without a reader holding a card the card layer says why (no_reader / no_card), queued like a read
    const r = await serialized(reader ?? '*', () => readers.read({ photo: o.photo, reader }));
    log.info('card read', { reader: r.reader, photo: o.photo, ms: Date.now() - started });
    return { reader: r.reader, card: r.card };
  }

  function currentPairing(): Pairing {
    const p = pairing.get();
    if (!p) throw notPaired();
    return p;
  }

  async function renewLease(why: string) {
    const p = pairing.get();
    clearTimeout(leaseTimer);
    if (!p) return;
    let next = LEASE_RENEW_MS;
    lease.checked_at = new Date().toISOString();
    try {
      const r = await upstream.register();
      lease.until = r.lease_until;
      delete lease.error;
      leasedFor = p.agent_id;
      log.info('lease at Authen Code', { why, agent: p.agent_id, hcode: p.hcode, until: r.lease_until });
    } catch (err) {
      lease.error = (err as Error).message;
      next = LEASE_RETRY_MS;
      log.warn('lease at Authen Code failed', { why, agent: p.agent_id, err: err as Error });
    }
    if (running) {
      leaseTimer = setTimeout(() => void renewLease('renewal'), next);
      leaseTimer.unref();
    }
  }

  let running = false;

  return {
    readCard,

    terminals: () => readers.terminals(),

    /** A read signed for the page that asked (its challenge in `nonce`); refused before the card is touched when not paired. */
    async cardRead(o: { nonce: unknown; photo: boolean }) {
      if (typeof o.nonce !== 'string' || !NONCE.test(o.nonce)) throw new InvalidRequest('nonce must be the challenge of the page (22–64 base64url characters)');
      const p = currentPairing();
      const r = await readCard({ photo: o.photo });
      const document = await signCardRead({ privateKey: key.privateKey, agentId: p.agent_id, hcode: p.hcode, nonce: o.nonce, card: r.card });
      return { document, card: displayCard(r.card, o.photo), reader: r.reader };
    },

    /** The card and its entitlement at Authen Code (the NHSO agent's /read); the card is read first. */
    async readWithEntitlement(o: { photo: boolean }): Promise<{ read: CardRead; entitlement: Answer }> {
      currentPairing();
      const read = await readCard(o);
      try {
        return { read, entitlement: await upstream.probe(read.card.pid) };
      } catch (err) {
        if (err instanceof UpstreamError && err.code !== 'not_paired') {
          throw new UpstreamError(503, 'entitlement_unavailable', `the card was read but the entitlement could not be checked: ${err.message}`);
        }
        throw err;
      }
    },

    forward: (r: Parameters<Upstream['forward']>[0]) => upstream.forward(r),

    async pair(o: { code: string; name?: string }) {
      const p = await upstream.pair({ code: o.code, name: o.name?.trim() || defaultName() });
      pairing.get(); // seen here: the file watch must not register it a second time
      leasedFor = p.agent_id;
      log.info('paired', { agent: p.agent_id, hcode: p.hcode });
      await renewLease('paired');
      return { pairing: p, lease: { ...lease } };
    },

    status(): AgentStatus {
      const s = readers.state();
      const p = pairing.get();
      return {
        version: AGENT_VERSION,
        pcsc: s.pcsc,
        readers: s.readers,
        pairing: p ? { paired: true, agent_id: p.agent_id, hcode: p.hcode, unit_name: p.unit_name, paired_at: p.paired_at } : { paired: false },
        lease: { ...lease },
        idp_url: config.idpUrl,
        authencode_url: config.authencodeUrl,
      };
    },

    start() {
      running = true;
      void renewLease('start');
      // a pairing made by the command while the service runs: register it at once
      pollTimer = setInterval(() => {
        if (!pairing.changed()) return;
        const p = pairing.get();
        log.info(p ? 'pairing file changed' : 'pairing file removed', p ? { agent: p.agent_id } : {});
        if (p && p.agent_id !== leasedFor) void renewLease('pairing changed');
        if (!p) {
          leasedFor = undefined;
          for (const k of Object.keys(lease)) delete lease[k as keyof typeof lease];
        }
      }, PAIRING_POLL_MS);
      pollTimer.unref();
    },

    async stop() {
      running = false;
      clearTimeout(leaseTimer);
      clearInterval(pollTimer);
    },
  };
}

export type AgentService = ReturnType<typeof createAgentService>;

function defaultName() {
  return `card reader agent on ${hostname()}`.slice(0, 80);
}
