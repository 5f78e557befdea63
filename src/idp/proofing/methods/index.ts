// Every proofing method, listed once: /account/verify shows their sections in this order and the
// verifier console mounts their routes and forms. Adding a method is a folder and a line here.
import type { ProofingMethodFactory } from '../method.ts';
import { registerCheckMethod } from './register_check/method.ts';
import { photoWithCardMethod } from './photo_with_card/method.ts';
import { inPersonMethod } from './in_person/method.ts';
import { digitalIdMethod } from './digital_id/method.ts';

export const PROOFING_METHODS: readonly ProofingMethodFactory[] = [registerCheckMethod, photoWithCardMethod, inPersonMethod, digitalIdMethod];
