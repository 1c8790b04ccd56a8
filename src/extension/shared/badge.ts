// Tab state → toolbar badge (text, colours, tooltip). Pure. Colours follow docs/contract.md §2
// (VERDICT_COLOUR); green is reachable only through the exact verdict `stapled-good`.
import type { Verdict } from '../../protocol/result.js';
import { VERDICT_COLOUR, VERDICTS } from '../../protocol/result.js';
import { localizedRecord, messageKey } from './i18n.js';
import { siteLabel } from './site.js';
import type { TabView } from './tab-view.js';

export type BadgeColourName = 'green' | 'red' | 'amber' | 'grey';

/** Badge backgrounds, chosen so their text colour reaches WCAG AA contrast (4.5:1). */
export const BADGE_COLOURS: Record<BadgeColourName, { background: string; text: string }> = {
  green: { background: '#137333', text: '#ffffff' }, // 6.0:1
  red: { background: '#b3261e', text: '#ffffff' }, // 6.5:1
  amber: { background: '#f9ab00', text: '#1f1f1f' }, // 9.3:1: white on amber would be 1.9:1
  grey: { background: '#5f6368', text: '#ffffff' }, // 6.1:1
};

export interface BadgeSpec {
  /** '' clears the badge. */
  text: string;
  colour: BadgeColourName;
  background: string;
  textColour: string;
  title: string;
}

/** Short, ASCII, at most 4 characters: badges are tiny and some fonts lack symbols. */
export const VERDICT_BADGE_TEXT: Record<Verdict, string> = {
  'stapled-good': 'OK',
  'stapled-revoked': 'REV',
  'stapled-unknown': 'UNK',
  'stapled-invalid': 'BAD',
  'not-stapled': 'NO',
  'no-ocsp': '-',
  'must-staple-violation': 'MS!',
  error: '?',
};

const VERDICT_TITLE: Record<Verdict, string> = localizedRecord(VERDICTS, (v) => messageKey('badge_title', v));

export const DEFAULT_TITLE = 'Staple Check';

/** The colour for a verdict. Anything but the exact `stapled-good` that maps to green is refused. */
export function verdictColour(verdict: Verdict): BadgeColourName {
  const colour = VERDICT_COLOUR[verdict];
  if (colour === 'green' && verdict !== 'stapled-good') return 'grey';
  return colour;
}

function spec(text: string, colour: BadgeColourName, title: string): BadgeSpec {
  const c = BADGE_COLOURS[colour];
  return { text, colour, background: c.background, textColour: c.text, title };
}

export function badgeFor(view: TabView): BadgeSpec {
  switch (view.state) {
    case 'not-https':
      return spec('', 'grey', DEFAULT_TITLE);
    case 'idle':
      return spec(
        '',
        'grey',
        view.reason === 'excluded'
          ? `${DEFAULT_TITLE}: ${siteLabel(view.site)} is excluded from automatic checks`
          : `${DEFAULT_TITLE}: automatic checks are off — click to check ${siteLabel(view.site)}`,
      );
    case 'checking':
      return spec('…', 'grey', `${DEFAULT_TITLE}: checking ${siteLabel(view.site)}…`);
    case 'result': {
      const { verdict } = view.result;
      return spec(VERDICT_BADGE_TEXT[verdict], verdictColour(verdict), `${DEFAULT_TITLE}: ${VERDICT_TITLE[verdict]}`);
    }
    case 'host-missing':
      return spec('!', 'grey', `${DEFAULT_TITLE}: the helper program is not installed — click for how to install it`);
    case 'failed':
      return spec('?', 'grey', `${DEFAULT_TITLE}: could not check ${siteLabel(view.site)} (${view.message})`);
  }
}
