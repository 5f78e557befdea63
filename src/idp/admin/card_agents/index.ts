// Card reader agents as an administrator manages them, across units: the list (by unit, active or
// revoked) and revocation with a reason. The agents' lifecycle is src/idp/card_agents'; this adds what
// the console, the admin API and mpid share: the input checked, refusals with an HTTP status.
import type { AgentState, CardAgents, UnitCardAgent } from '../../card_agents/index.ts';
import { actorId, type Actor } from '../relying_parties/index.ts';
import { AdminRefusal } from '../refusal.ts';

export const AGENT_STATES: readonly AgentState[] = ['active', 'revoked'];

export class CardAgentAdminError extends AdminRefusal {
  override name = 'CardAgentAdminError';
  /** the field a refusal belongs beside */
  readonly field: 'hcode' | 'state' | 'reason' | 'id';
  constructor(status: 400 | 404 | 409, field: CardAgentAdminError['field'], message: string) {
    super(status, message);
    this.field = field;
  }
}

export function createCardAgentAdmin(deps: { cardAgents: CardAgents }) {
  const { cardAgents } = deps;
  return {
    /** Agents, active first, newest first; hcode (5 digits) and state (active | revoked) narrow it; '' is no filter. */
    list(o: { hcode?: unknown; state?: unknown } = {}): Promise<UnitCardAgent[]> {
      if (Array.isArray(o.hcode)) throw new CardAgentAdminError(400, 'hcode', 'hcode is given once');
      if (Array.isArray(o.state)) throw new CardAgentAdminError(400, 'state', 'state is given once');
      const hcode = typeof o.hcode === 'string' && o.hcode.trim() ? o.hcode.trim() : undefined;
      if (hcode !== undefined && !/^\d{5}$/.test(hcode)) throw new CardAgentAdminError(400, 'hcode', 'hcode must be a unit code of 5 digits');
      const state = typeof o.state === 'string' && o.state ? o.state : undefined;
      if (state !== undefined && !AGENT_STATES.includes(state as AgentState)) throw new CardAgentAdminError(400, 'state', `state must be one of ${AGENT_STATES.join(', ')}`);
      return cardAgents.list({ hcode, state: state as AgentState | undefined });
    },

    /** Revokes an agent of any unit: its client is removed (its tokens stop), the reason is audited. */
    async revoke(actor: Actor, input: { id?: unknown; reason?: unknown }): Promise<void> {
      const reason = typeof input.reason === 'string' ? input.reason.trim().slice(0, 200) : '';
      if (!reason) throw new CardAgentAdminError(400, 'reason', 'a reason is required');
      const id = typeof input.id === 'string' ? input.id : '';
      const done = await cardAgents.revokeAsAdmin({ id, by: actorId(actor), reason });
      if (done === 'none') throw new CardAgentAdminError(404, 'id', 'no such card reader agent');
      if (done === 'revoked') throw new CardAgentAdminError(409, 'id', 'this card reader agent is already revoked');
    },
  };
}

export type CardAgentAdmin = ReturnType<typeof createCardAgentAdmin>;
