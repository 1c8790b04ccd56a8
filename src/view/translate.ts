// The message catalogue (public/_locales/<lang>/messages.json, the browsers' i18n format) as a
// function: `translate(key, substitutions)`. The popup asks the browser first (browser.i18n, the
// user's language) and falls back to this English reading; the CLI reads the English file only.
// Pure: the parsed catalogue comes in, no file or browser API is touched here.

/** A message for `key` with `$1`…`$9` filled from `substitutions` (as browser.i18n.getMessage does). */
export type Translate = (key: string, substitutions?: readonly string[]) => string;

interface CatalogueEntry {
  message: string;
  placeholders?: Record<string, { content: string }>;
}

/** Message keys allow letters, digits and underscores only: `stapled-good` → `stapled_good`. */
export function messageKey(...parts: string[]): string {
  return parts.join('_').replace(/[^A-Za-z0-9_]/g, '_');
}

function entryOf(catalogue: unknown, key: string): CatalogueEntry | null {
  if (typeof catalogue !== 'object' || catalogue === null || !Object.hasOwn(catalogue, key)) return null;
  const entry = (catalogue as Record<string, unknown>)[key];
  if (typeof entry !== 'object' || entry === null) return null;
  const message = (entry as { message?: unknown }).message;
  if (typeof message !== 'string') return null;
  const placeholders = (entry as { placeholders?: unknown }).placeholders;
  return typeof placeholders === 'object' && placeholders !== null
    ? { message, placeholders: placeholders as CatalogueEntry['placeholders'] }
    : { message };
}

/**
 * Fills a message the way Chromium and Firefox do: named placeholders (`$STATUS$`, case-insensitive)
 * become their `content`; then `$1`…`$9` become the substitutions and `$$` a dollar sign. The
 * substitutions are inserted once, never re-read, so a `$1` inside a certificate's name stays text.
 */
function fill(entry: CatalogueEntry, substitutions: readonly string[]): string {
  const named = new Map<string, string>();
  for (const [name, placeholder] of Object.entries(entry.placeholders ?? {}))
    if (typeof placeholder?.content === 'string') named.set(name.toLowerCase(), placeholder.content);
  const withContent = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (whole, name: string) => {
    return named.get(name.toLowerCase()) ?? whole;
  });
  return withContent.replace(/\$(\$|[1-9])/g, (_whole, what: string) =>
    what === '$' ? '$' : (substitutions[Number(what) - 1] ?? ''),
  );
}

/** `translate` over one parsed messages.json; a key it lacks reads as the key itself. */
export function catalogueTranslator(catalogue: unknown): Translate {
  return (key, substitutions = []) => {
    const entry = entryOf(catalogue, key);
    return entry ? fill(entry, substitutions) : key;
  };
}

/** Whether the catalogue has `key` (for tests that every code is worded). */
export function catalogueHas(catalogue: unknown, key: string): boolean {
  return entryOf(catalogue, key) !== null;
}
