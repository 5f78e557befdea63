// The names a person gives (registration, the profile page) checked as the card writes them.
import type { Lang } from '../../kernel/http/i18n.ts';
import type { FieldErrors } from '../../kernel/web/form.ts';
import { t } from '../web/messages.ts';

const LATIN = /[A-Za-z]/;
const THAI = /[\u0E00-\u0E7F]/;

/** The names as on the card: Thai names required and in Thai letters, English names (optional) in Latin ones. */
export function nameErrors(lang: Lang, v: Partial<Record<'given_name' | 'family_name' | 'given_name_en' | 'family_name_en', string>>): FieldErrors {
  const errors: FieldErrors = {};
  for (const k of ['given_name', 'family_name'] as const) {
    if (!v[k]) errors[k] = t(lang, 'errRequired');
    else if (LATIN.test(v[k])) errors[k] = t(lang, 'errThaiLetters');
  }
  for (const k of ['given_name_en', 'family_name_en'] as const) if (v[k] && THAI.test(v[k])) errors[k] = t(lang, 'errLatinLetters');
  for (const k of ['given_name', 'family_name', 'given_name_en', 'family_name_en'] as const) if ((v[k] ?? '').length > 100) errors[k] = t(lang, 'errTooLong');
  return errors;
}
