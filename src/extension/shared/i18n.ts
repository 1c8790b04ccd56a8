// The extension's words live in public/_locales/<lang>/messages.json (the browsers' i18n format).
// The browser's own lookup (browser.i18n.getMessage, installed by the entry points through
// browser-api.ts) picks the user's language and falls back to the default locale (en) by itself.
// The English file imported here, read by the same translator the CLI uses (src/view/translate.ts),
// answers where there is no browser (unit tests); the extension build empties it, since the browser
// never leaves it a key to answer (vite.extension.config.ts). Pure apart from that injected function.
import english from '../../../public/_locales/en/messages.json' with { type: 'json' };
import { catalogueHas, catalogueTranslator, messageKey, type Translate } from '../../view/translate.js';

export { messageKey };

/** browser.i18n.getMessage's shape: '' for a key it does not have. */
type Lookup = (key: string, substitutions?: string[]) => string;

const englishTranslate = catalogueTranslator(english);
let browserLookup: Lookup | null = null;

/** Called once by each entry point (popup, options, background) with the browser's i18n lookup. */
export function setMessageLookup(lookup: Lookup): void {
  browserLookup = lookup;
}

export function hasMessage(key: string): boolean {
  return catalogueHas(english, key);
}

/** The message for `key` in the user's language, else in English, with `$1`… filled in. */
export const msg: Translate = (key, substitutions = []) => {
  const localized = browserLookup?.(key, [...substitutions]);
  if (localized) return localized;
  return englishTranslate(key, substitutions);
};

/**
 * A record whose values are looked up when read (so the lookup installed at start-up applies),
 * for code that indexes words by a code: `HEADLINE[verdict]`.
 */
export function localizedRecord<K extends string>(keys: readonly K[], keyOf: (k: K) => string): Record<K, string> {
  const record = {} as Record<K, string>;
  for (const k of keys) Object.defineProperty(record, k, { get: () => msg(keyOf(k)), enumerable: true });
  return record;
}
