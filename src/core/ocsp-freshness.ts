// Step 4 of verifying a staple: is it current. RFC 6960 §4.2.2.1 (thisUpdate, nextUpdate, a local
// margin for clocks), §2.4 (no nextUpdate) and §3.2 items 5 and 6. Depends on the clock: never cached.
import { error, warning } from './problem.js';
import type { Problem } from './result.js';

/** Clocks disagree; RFC 6960 §4.2.2.1 leaves the margin to local policy. Five minutes, as browsers allow. */
export const CLOCK_SKEW_MS = 5 * 60 * 1000;

/** How long a response without nextUpdate is believed (mozilla::pkix: one day after thisUpdate). */
export const NO_NEXT_UPDATE_LIFETIME_MS = 24 * 60 * 60 * 1000;

/** Longer validity windows draw a warning (mozilla::pkix caps OCSP response lifetime at 10 days). */
export const LONG_VALIDITY_MS = 10 * 24 * 60 * 60 * 1000;

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

export interface UpdateTimes {
  thisUpdate: Date;
  nextUpdate: Date | null;
}

export function checkFreshness({ thisUpdate: thisDate, nextUpdate: nextDate }: UpdateTimes, at: Date): Problem[] {
  const problems: Problem[] = [];
  const now = at.getTime();
  const thisUpdate = thisDate.getTime();
  const nextUpdate = nextDate?.getTime();
  if (thisUpdate > now + CLOCK_SKEW_MS) {
    problems.push(error('not-yet-valid', `thisUpdate (${thisDate.toISOString()}) is in the future.`));
  }
  if (nextUpdate === undefined) {
    // §2.4: no nextUpdate means "newer information is always available". Clients bound such a
    // response's life themselves; mozilla::pkix (which enforces Must-Staple) allows one day.
    if (thisUpdate + NO_NEXT_UPDATE_LIFETIME_MS < now - CLOCK_SKEW_MS) {
      problems.push(
        error(
          'expired',
          `The response has no nextUpdate and its thisUpdate (${thisDate.toISOString()}) is over a day old: clients treat it as expired.`,
        ),
      );
    } else {
      problems.push(
        warning(
          'no-next-update',
          'The response has no nextUpdate; clients accept it for about a day after thisUpdate only.',
        ),
      );
    }
  } else if (nextUpdate < now - CLOCK_SKEW_MS) {
    problems.push(
      error(
        'expired',
        `The staple expired at nextUpdate (${nextDate?.toISOString()}); the server is stapling a stale response.`,
      ),
    );
  } else if (nextUpdate >= thisUpdate) {
    const left = nextUpdate - now;
    const window = nextUpdate - thisUpdate;
    if (left < Math.max(window / 4, HOUR_MS) && left < DAY_MS) {
      problems.push(
        warning(
          'expiring-soon',
          'The staple expires within a day and has used most of its validity: the server may have stopped refreshing it.',
        ),
      );
    }
  }
  if (nextUpdate !== undefined && nextUpdate - thisUpdate > LONG_VALIDITY_MS) {
    problems.push(
      warning(
        'long-validity',
        `The response is valid for ${Math.round((nextUpdate - thisUpdate) / DAY_MS)} days; browsers distrust OCSP answers that last over 10 days.`,
      ),
    );
  }
  if (nextUpdate !== undefined && nextUpdate < thisUpdate) {
    problems.push(error('malformed', 'nextUpdate is before thisUpdate.'));
  }
  return problems;
}
