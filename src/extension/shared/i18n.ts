// The extension's words live in public/_locales/<lang>/messages.json (the browsers' i18n format).
// The browser's own lookup (browser.i18n.getMessage, installed by the entry points through
// browser-api.ts) picks the user's language; the bundled English file answers everywhere else
// (tests, or a key a translation lacks). Pure apart from that one injected function.
import english from '../../../public/_locales/en/messages.json' with { type: 'json' };

type Lookup = (key: string) => string;

const ENGLISH = english as Record<string, { message: string } | undefined>;
let browserLookup: Lookup | null = null;

/** Called once by each entry point (popup, options, background) with the browser's i18n lookup. */
export function setMessageLookup(lookup: Lookup): void {
  browserLookup = lookup;
}

/** Message keys allow letters, digits and underscores only: `stapled-good` → `stapled_good`. */
export function messageKey(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

export function hasMessage(key: string): boolean {
  return ENGLISH[key] !== undefined;
}

/** The message for `key` in the user's language, else in English. */
export function msg(key: string): string {
  const localized = browserLookup?.(key);
  if (localized) return localized;
  return ENGLISH[key]?.message ?? key;
}

/**
 * A record whose values are looked up when read (so the lookup installed at start-up applies),
 * for code that indexes words by a code: `HEADLINE[verdict]`.
 */
export function localizedRecord<K extends string>(keys: readonly K[], keyOf: (k: K) => string): Record<K, string> {
  const record = {} as Record<K, string>;
  for (const k of keys) Object.defineProperty(record, k, { get: () => msg(keyOf(k)), enumerable: true });
  return record;
}
