// Identifiers as words, for every page: audit actions, identity levels (plain words for citizens; staff
// pages add the level), login levels, proofing methods and checks, scopes. An identifier the catalogue
// has no words for becomes a generic phrase, never itself.
import { messages, t, type MessageKey } from '../../web/messages.ts';
import type { Lang } from '../../../kernel/web/i18n.ts';
import { consentItem } from './consent.ts';

const has = (lang: Lang, key: string): key is MessageKey => key in messages[lang];
const word = (lang: Lang, key: string, fallback: MessageKey) => (has(lang, key) ? t(lang, key) : t(lang, fallback));

export const auditWords = (lang: Lang, action: string) => word(lang, `audit_${action.replaceAll('.', '_')}`, 'audit_other');
export const methodWords = (lang: Lang, method: string) => word(lang, `method_${method}`, 'method_other');
export const checkWords = (lang: Lang, check: string) => word(lang, `check_${check}`, 'check_other');
export const checksWords = (lang: Lang, checks: readonly string[]) => checks.map((c) => checkWords(lang, c)).join(', ');

/** "1.1" → words a citizen reads; no level → "not verified yet". */
export const ialWords = (lang: Lang, ial: string | undefined | null) => (ial && ial !== '-' ? word(lang, `ialPlain_${ial.replace('.', '_')}`, 'ialPlain_none') : t(lang, 'ialPlain_none'));
/** For staff: the words and the level ("ยืนยันตัวตนระดับสูง ต่อหน้าเจ้าหน้าที่ (IAL 2.3)"). */
export const ialWithLevel = (lang: Lang, ial: string | undefined | null) => (ial && ial !== '-' ? `${ialWords(lang, ial)} (IAL ${ial})` : ialWords(lang, ial));

/** An acr ("urn:th:etda:aal:2.2") as how the person logged in. */
export const aalWords = (lang: Lang, acr: string | undefined | null) => word(lang, `aalPlain_${(acr ?? '').split(':').pop()!.replace('.', '_')}`, 'aalPlain_other');

/** A space-separated scope string as the consent page's words. */
export const scopeWords = (lang: Lang, scope: string) => [...new Set(scope.split(' ').filter(Boolean).map((s) => consentItem(lang, 'scope', s)))].join(' · ');
