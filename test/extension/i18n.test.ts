// The extension's words come from public/_locales/en/messages.json: every code the popup and the
// badge can meet has its messages there, in the browsers' format.
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXPLAINED_OPENSSL_CODES } from '../../src/view/openssl-codes.js';
import { STAPLING_SECTIONS } from '../../src/extension/stapling/stapling-page.js';
import { afterEach, describe, expect, it } from 'vitest';
import { VERDICTS } from '../../src/core/result.js';
import {
  EXPLAINED_ERROR_CODES,
  EXPLAINED_PROBLEM_CODES,
  explainFailure,
  explainProblem,
} from '../../src/extension/shared/explanations.js';
import { hasMessage, messageKey, msg, setMessageLookup } from '../../src/extension/shared/i18n.js';
import { HEADLINE } from '../../src/extension/popup/words.js';

const MESSAGES = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', '..', 'public', '_locales', 'en', 'messages.json'), 'utf8'),
) as Record<string, { message: unknown; description?: unknown }>;

afterEach(() => setMessageLookup(() => ''));

describe('messages.json', () => {
  it('is in the browsers’ format: keys of letters, digits and _; a message and a description each', () => {
    for (const [key, entry] of Object.entries(MESSAGES)) {
      expect(key).toMatch(/^[A-Za-z0-9_]+$/);
      expect(typeof entry.message).toBe('string');
      expect((entry.message as string).length).toBeGreaterThan(0);
      expect(typeof entry.description).toBe('string');
    }
  });

  it('names every $PLACEHOLDER$ it uses, each filled from a numbered substitution', () => {
    for (const [key, entry] of Object.entries(MESSAGES)) {
      const placeholders = (entry as { placeholders?: Record<string, { content: string }> }).placeholders ?? {};
      const names = new Set(Object.keys(placeholders).map((n) => n.toLowerCase()));
      for (const [, name] of (entry.message as string).matchAll(/\$([A-Za-z0-9_@]+)\$/g))
        expect(names.has(name!.toLowerCase()), `${key}: $${name}$`).toBe(true);
      for (const placeholder of Object.values(placeholders)) expect(placeholder.content, key).toMatch(/^\$[1-9]$/);
    }
  });

  it('has a headline, a lead and a badge title for every verdict', () => {
    for (const verdict of VERDICTS) {
      for (const prefix of ['headline', 'lead', 'badge_title'])
        expect(hasMessage(messageKey(prefix, verdict))).toBe(true);
    }
  });

  it('explains every problem code, error code and helper failure', () => {
    for (const code of EXPLAINED_PROBLEM_CODES) {
      expect(hasMessage(messageKey('problem', code, 'meaning')), code).toBe(true);
      expect(hasMessage(messageKey('problem', code, 'action')), code).toBe(true);
    }
    for (const code of EXPLAINED_ERROR_CODES) expect(hasMessage(messageKey('error', code, 'meaning')), code).toBe(true);
    for (const code of ['timeout', 'host-exited', 'malformed-answer', 'host-error', 'internal'] as const) {
      expect(explainFailure(code).meaning).not.toMatch(/^failure_/);
    }
  });
});

describe('every word of the pages from the catalogue', () => {
  const EXTENSION = join(import.meta.dirname, '..', '..', 'src', 'extension');
  const sources = (readdirSync(EXTENSION, { recursive: true }) as string[])
    .filter((f) => /\.(ts|tsx)$/.test(f))
    .map((f) => ({ file: f, text: readFileSync(join(EXTENSION, f), 'utf8') }));

  it('has every key the extension asks for by name', () => {
    let asked = 0;
    for (const { file, text } of sources) {
      for (const [, key] of text.matchAll(/\bmsg\('([A-Za-z0-9_]+)'/g)) {
        asked++;
        expect(hasMessage(key!), `${file}: ${key}`).toBe(true);
      }
    }
    expect(asked).toBeGreaterThan(80);
  });

  it('leaves no English sentence inline in the popup, options, or stapling pages', () => {
    for (const { file, text } of sources) {
      if (!/^(popup|options|stapling)\//.test(file) || !file.endsWith('.tsx')) continue;
      // JSX text between tags that holds a word: `>Re-check<` would be an inline caption.
      const inline = [...text.matchAll(/>\s*([A-Z][a-z]+[^<>{}]*?)\s*</g)].map((m) => m[1]);
      expect(inline, file).toEqual([]);
    }
  });

  it('words every OpenSSL code it explains, and the stapling page', () => {
    for (const code of EXPLAINED_OPENSSL_CODES) expect(hasMessage(`openssl_${code.toLowerCase()}`), code).toBe(true);
    for (const section of STAPLING_SECTIONS) {
      for (const key of [section.heading, ...section.paragraphs]) if (key) expect(hasMessage(key), key).toBe(true);
    }
  });
});

describe('the lookup', () => {
  it('takes the browser’s translation when there is one, English otherwise', () => {
    setMessageLookup((key) => (key === 'headline_stapled_good' ? 'Geheftet und gültig' : ''));
    expect(HEADLINE['stapled-good']).toBe('Geheftet und gültig');
    expect(HEADLINE['stapled-revoked']).toBe('The certificate is revoked');
  });

  it('hands the substitutions to the browser, and fills them in English itself', () => {
    const asked: [string, string[] | undefined][] = [];
    setMessageLookup((key, substitutions) => {
      asked.push([key, substitutions]);
      return key === 'staple_size' ? `${substitutions?.[0]} Bytes` : '';
    });
    expect(msg('staple_size', ['471'])).toBe('471 Bytes');
    expect(msg('staple_claims', ['good'])).toBe('claims good (not to be trusted)');
    expect(asked).toEqual([
      ['staple_size', ['471']],
      ['staple_claims', ['good']],
    ]);
  });

  it('explains an unknown code in general words, never with a raw key', () => {
    expect(explainProblem('some-future-code').meaning).toBe(msg('unknown_meaning'));
  });
});
