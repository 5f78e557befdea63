// Every authenticator method's messages, merged for src/idp/web/messages.ts (a static merge, so that
// each key is typed): one line per method, like the list in index.ts.
import * as passkey from './passkey/messages.ts';
import * as totp from './totp/messages.ts';
import * as sms from './sms/messages.ts';
import * as recoveryCodes from './recovery_codes/messages.ts';
import * as password from './password/messages.ts';
import * as upstream from './upstream/messages.ts';

export const th = { ...passkey.th, ...totp.th, ...sms.th, ...recoveryCodes.th, ...password.th, ...upstream.th };
export const en: typeof th = { ...passkey.en, ...totp.en, ...sms.en, ...recoveryCodes.en, ...password.en, ...upstream.en };
