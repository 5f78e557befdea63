// The two languages of every page and one way to look texts up: a service gives its table of texts
// (every key in both languages, checked by type) and gets its translator.
export type Lang = 'th' | 'en';

export type Translator<K extends string> = (lang: Lang, key: K, vars?: Record<string, string | number>) => string;

/**
 * `{name}` in a text is replaced by `vars.name`. A placeholder without a value becomes empty, or stays
 * as written with `keepUnfilled` (so a missing value shows instead of vanishing).
 */
export function createTranslator<K extends string>(messages: Record<Lang, Record<K, string>>, opts: { keepUnfilled?: boolean } = {}): Translator<K> {
  return (lang, key, vars = {}) =>
    messages[lang][key].replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k] ?? (opts.keepUnfilled ? `{${k}}` : '')));
}
