// The CLI's words: the same English catalogue the extension ships (public/_locales/en/messages.json),
// read at run time relative to this module, so the terminal and the popup say the same things.
import { readFileSync } from 'node:fs';
import { catalogueTranslator, type Translate } from '../view/translate.js';

// Where the file is, from this module's own location (tsx runs src/cli/, the build runs
// build/src/cli/): a checkout has public/; the published package has only what `files` lists
// (bin, build/src, dist), where the extension build copied it to dist/chrome/_locales/.
const CANDIDATES = [
  '../../public/_locales/en/messages.json',
  '../../../public/_locales/en/messages.json',
  '../../../dist/chrome/_locales/en/messages.json',
];

let english: Translate | null = null;

/** The English catalogue as `translate`, read once. Throws when the package lacks it (a broken install). */
export function englishTranslate(): Translate {
  if (english) return english;
  for (const candidate of CANDIDATES) {
    let text: string;
    try {
      text = readFileSync(new URL(candidate, import.meta.url), 'utf8');
    } catch {
      continue; // not at this depth
    }
    english = catalogueTranslator(JSON.parse(text) as unknown);
    return english;
  }
  throw new Error('the message catalogue _locales/en/messages.json is missing from this installation');
}
