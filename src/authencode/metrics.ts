// The Authen Code service's own metrics, beside the kernel's HTTP, database and process metrics:
// confirmations by method and claim type. Claim types are the reference data's codes (checked before a
// visit is saved), methods a fixed list: no person and no client text reaches a label.
import { bounded, serviceMetrics } from '../kernel/metrics/index.ts';
import type { ConfirmResult, Method } from './visits/index.ts';

export const metrics = serviceMetrics('authencode');

const METHODS: readonly Method[] = ['card', 'photo', 'certification', 'vouch', 'self', 'his'];

const confirmations = metrics.counter('mpid_authencode_confirmations_total', 'Visits confirmed, by confirmation method, claim type and outcome (confirmed: a new Authen Code; duplicate: the day\'s existing code)', ['method', 'claim_type', 'outcome']);

export function countConfirmation(r: ConfirmResult): void {
  const claimType = /^PG\d{7}$/.test(r.visit.claimType) ? r.visit.claimType : 'other';
  confirmations.inc({ method: bounded(r.visit.method, METHODS), claim_type: claimType, outcome: r.duplicate ? 'duplicate' : 'confirmed' });
}
