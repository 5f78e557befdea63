// The two languages of every page and one way to look texts up: a service gives its table of texts
// (every key in both languages, checked by type) and gets its translator.
export type Lang = 'th' | 'en';

/** A register entry's name in the page's language: its English name on English pages when it has one, else the Thai. */
export const nameIn = (lang: Lang, u: { nameTh: string; nameEn?: string | null }): string => (lang === 'en' && u.nameEn ? u.nameEn : u.nameTh);

export type Translator<K extends string> = (lang: Lang, key: K, vars?: Record<string, string | number>) => string;

/**
 * `{name}` in a text is replaced by `vars.name`. A placeholder without a value becomes empty, or stays
 * as written with `keepUnfilled` (so a missing value shows instead of vanishing).
 */
export function createTranslator<K extends string>(messages: Record<Lang, Record<K, string>>, opts: { keepUnfilled?: boolean } = {}): Translator<K> {
  return (lang, key, vars = {}) =>
    messages[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? (opts.keepUnfilled ? `{${k}}` : '')));
}
