// Telling a person by SMS, in Thai and English, what an administrator did to their account. A failed
// SMS does not undo the change: it is audited as not delivered.
import type { Database } from '../../kernel/db/index.ts';
import { audit } from '../../kernel/audit/index.ts';
import type { SmsGateway } from '../sms/index.ts';
import { t, type MessageKey } from '../web/messages.ts';

export async function tellPerson(deps: { db: Database; sms: SmsGateway }, sub: string, phone: string | null, key: MessageKey): Promise<boolean> {
  if (!phone) return false;
  try {
    await deps.sms.send(phone, `${t('th', key)} / ${t('en', key)}`);
    return true;
  } catch {
    await audit(deps.db, { actor: null, action: 'admin.notice_not_delivered', subject: sub, detail: { notice: key } });
    return false;
  }
}
