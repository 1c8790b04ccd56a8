// `--warn-left` and `--crit-left` (docs/contract.md §3): the time left on the staple (nextUpdate −
// the time of the check) below which the exit status rises to at least 1, respectively 2. Pure:
// a Result in, its exit status and the reason it rose out. The verdict itself never changes: the
// thresholds are the operator's policy, not a finding about the staple.
import { exitStatusOf, type Result } from '../core/result.js';

export type ExitStatus = 0 | 1 | 2 | 3;

export interface Thresholds {
  /** Milliseconds, or null: not set. */
  warnLeftMs: number | null;
  critLeftMs: number | null;
}

export const NO_THRESHOLDS: Thresholds = { warnLeftMs: null, critLeftMs: null };

export interface StapleTimes {
  /** nextUpdate − checkedAt, the least among the addresses; null without a staple that has a nextUpdate. */
  leftMs: number | null;
  /** checkedAt − thisUpdate, the most among the addresses; null without a staple that has a thisUpdate. */
  ageMs: number | null;
}

export interface JudgedResult {
  result: Result;
  /** The exit status of the verdict, raised by a threshold when one applies. */
  status: ExitStatus;
  /** Which threshold raised the status above the verdict's own, if one did. */
  raisedBy: 'warn-left' | 'crit-left' | null;
  times: StapleTimes;
}

/**
 * The staple's times. With several addresses (docs/contract.md §7) each backend staples its own
 * response, and so does each certificate a server serves (ECDSA and RSA, docs/contract.md §8): the
 * one that runs out first and the oldest are what an operator must know about.
 */
export function stapleTimes(result: Result): StapleTimes {
  const now = new Date(result.checkedAt).getTime();
  const staples = [
    result.ocsp,
    ...(result.certificates ?? []).map((c) => c.ocsp),
    ...(result.addresses ?? []).flatMap((a) => [a.ocsp, ...(a.certificates ?? []).map((c) => c.ocsp)]),
  ];
  let leftMs: number | null = null;
  let ageMs: number | null = null;
  for (const ocsp of staples) {
    if (!ocsp) continue;
    if (ocsp.nextUpdate) {
      const left = new Date(ocsp.nextUpdate).getTime() - now;
      if (Number.isFinite(left) && (leftMs === null || left < leftMs)) leftMs = left;
    }
    if (ocsp.thisUpdate) {
      const age = now - new Date(ocsp.thisUpdate).getTime();
      if (Number.isFinite(age) && (ageMs === null || age > ageMs)) ageMs = age;
    }
  }
  return { leftMs, ageMs };
}

/**
 * The exit status of one result under the thresholds. A result without a staple time keeps its
 * own status; a threshold only ever raises it (`max`), so a revoked or invalid staple stays 2 and
 * an error 3. "Below" is strict, as in the Monitoring Plugins range `N:` (alert when < N).
 */
export function judgeThresholds(result: Result, thresholds: Thresholds): JudgedResult {
  const own = exitStatusOf(result.verdict);
  const times = stapleTimes(result);
  const left = times.leftMs;
  let status: ExitStatus = own;
  let raisedBy: JudgedResult['raisedBy'] = null;
  if (left !== null) {
    if (thresholds.critLeftMs !== null && left < thresholds.critLeftMs && own < 2) {
      status = 2;
      raisedBy = 'crit-left';
    } else if (thresholds.warnLeftMs !== null && left < thresholds.warnLeftMs && own < 1) {
      status = 1;
      raisedBy = 'warn-left';
    }
  }
  return { result, status, raisedBy, times };
}

/** The status of several results: the worst (docs/contract.md §3), 0 for none. */
export function worstStatus(judged: readonly JudgedResult[]): ExitStatus {
  return judged.reduce<ExitStatus>((worst, j) => (j.status > worst ? j.status : worst), 0);
}
