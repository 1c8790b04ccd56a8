// How long a result's staple stays valid, in three or four words, for a short list (the popup's
// recent checks): "2 days left", "staple expired 1 h ago", "no staple", "no TLS answer". Worded
// through the catalogue like the rest of src/view. Pure: a Result, `now` and a `translate` in.
import { formatDuration, formatRelative } from '../core/relative-time.js';
import type { OcspInfo, Result } from '../core/result.js';
import type { Translate } from './translate.js';

export function stapleTimeLeft(result: Result, now: Date, t: Translate): string {
  if (result.verdict === 'error') return t('recent_no_answer');
  return ocspTimeLeft(result.ocsp, now, t);
}

/** The same words for one staple (one of a server's certificates, docs/contract.md §8). */
export function ocspTimeLeft(ocsp: OcspInfo | null, now: Date, t: Translate): string {
  if (!ocsp) return t('recent_no_staple');
  const next = ocsp.nextUpdate;
  if (!next) return t('recent_no_end');
  return timeLeftUntil(Date.parse(next), now.getTime(), t);
}

/** "2 days left", "staple expired 1 h ago": `nextUpdate` and `now` in ms since the epoch. */
export function timeLeftUntil(nextUpdate: number, now: number, t: Translate): string {
  const left = nextUpdate - now;
  return left >= 0 ? t('recent_left', [formatDuration(left)]) : t('recent_expired', [formatDuration(left)]);
}

/** "2 h ago", "just now": when something happened (ms since the epoch), for a list. */
export function agoWords(at: number, now: number): string {
  return formatRelative(new Date(at).toISOString(), new Date(now));
}
