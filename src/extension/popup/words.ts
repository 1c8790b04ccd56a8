// The popup's words for verdicts, statuses and reasons, from public/_locales (see shared/i18n.ts).
import type { RevocationReason, Verdict } from '../../core/result.js';
import { REVOCATION_REASONS, VERDICT_COLOUR, VERDICTS } from '../../core/result.js';
import { localizedRecord, messageKey } from '../shared/i18n.js';

/** The colour family of a headline. `good` (green) only for the exact verdict `stapled-good`. */
export type Tone = 'good' | 'bad' | 'warn' | 'neutral';

export function toneOf(verdict: Verdict): Tone {
  if (verdict === 'stapled-good') return 'good';
  switch (VERDICT_COLOUR[verdict]) {
    case 'red':
      return 'bad';
    case 'amber':
      return 'warn';
    default:
      return 'neutral'; // grey, and green for anything that is not stapled-good
  }
}

export const HEADLINE: Record<Verdict, string> = localizedRecord(VERDICTS, (v) => messageKey('headline', v));

/** One plain sentence under the headline: what it means for someone visiting the site. */
export const LEAD: Record<Verdict, string> = localizedRecord(VERDICTS, (v) => messageKey('lead', v));

export const REVOCATION_REASON: Record<RevocationReason, string> = localizedRecord(REVOCATION_REASONS, (r) =>
  messageKey('reason', r),
);

export const CERT_STATUS_WORDS: Record<'good' | 'revoked' | 'unknown', string> = localizedRecord(
  ['good', 'revoked', 'unknown'] as const,
  (status) => messageKey('status', status),
);

/** "12 ms", "1.4 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
