// What a person reads when a one-time code is refused: an SMS code (otp.ts's VerifyResult) or an
// authenticator app's code ('replayed', 'none'). The texts themselves are in login/messages.ts.
import type { MessageKey } from '../web/messages.ts';

export const OTP_ERRORS: Record<string, MessageKey> = {
  wrong: 'wrongCode',
  expired: 'codeExpired',
  too_many_tries: 'codeTooManyTries',
  // no code to compare (none sent, or used meanwhile): asking for a new one is the way on
  unknown: 'codeExpired',
  replayed: 'codeReplayed',
  none: 'wrongCode',
};
