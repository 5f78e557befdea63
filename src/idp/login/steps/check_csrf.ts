// Forms of the interaction are posted only from its own pages: a missing or forged CSRF token is 403.
import { csrfGuard } from '../../../kernel/http/csrf.ts';

export const checkCsrf = csrfGuard();
