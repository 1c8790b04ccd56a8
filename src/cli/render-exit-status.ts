// Text for people about the exit status itself (docs/contract.md §3): the note under a result
// whose status a `--warn-left`/`--crit-left` threshold raised, and the one-line summary that ends
// a check of several targets. Drawn by render-text.ts's `draw`, like every other line of text.
import { formatDurationFlag, formatDurationShort } from '../core/duration.js';
import { VERDICTS, type Verdict } from '../core/result.js';
import { draw, type Paint, type Style } from './render-text.js';
import { worstStatus, type JudgedResult, type Thresholds } from './thresholds.js';

/** `--warn-left 1d12h`: the threshold that raised the status, as it could be typed again. */
export function thresholdWords(judged: JudgedResult, thresholds: Thresholds): string {
  const ms = judged.raisedBy === 'crit-left' ? thresholds.critLeftMs : thresholds.warnLeftMs;
  return `--${judged.raisedBy ?? 'warn-left'} ${formatDurationFlag(ms ?? 0)}`;
}

/** `  ! exit 1: 20 h left on the staple, less than --warn-left 1d12h`, or nothing when no threshold rose. */
export function renderThresholdNote(judged: JudgedResult, thresholds: Thresholds, style: Style): string {
  if (judged.raisedBy === null || judged.times.leftMs === null) return '';
  const paint: Paint = judged.raisedBy === 'crit-left' ? 'red' : 'amber';
  return draw(style, [
    { text: '  ' },
    { text: `! exit ${judged.status}`, paint },
    {
      text: `: ${formatDurationShort(judged.times.leftMs)} left on the staple, less than ${thresholdWords(judged, thresholds)}`,
    },
  ]);
}

/**
 * `3 checked: 1 stapled-good, 1 not-stapled, 1 error — worst: error (exit 3)`: the verdicts counted
 * in contract order (docs/contract.md §2), how many a threshold raised, and the worst with its status.
 */
export function renderSummary(judged: readonly JudgedResult[], style: Style): string {
  const counts = new Map<Verdict, number>();
  for (const { result } of judged) counts.set(result.verdict, (counts.get(result.verdict) ?? 0) + 1);
  const verdicts = VERDICTS.filter((v) => counts.has(v)).map((v) => `${counts.get(v)} ${v}`);
  const raised = (['warn-left', 'crit-left'] as const)
    .map((flag) => [flag, judged.filter((j) => j.raisedBy === flag).length] as const)
    .filter(([, n]) => n > 0)
    .map(([flag, n]) => `${n} below --${flag}`);
  const status = worstStatus(judged);
  const worst = judged.find((j) => j.status === status);
  const worstWords = worst
    ? `${worst.result.verdict}${worst.raisedBy ? ` below --${worst.raisedBy}` : ''} (exit ${status})`
    : `(exit ${status})`;
  const paint: Paint = status === 0 ? 'green' : status === 1 ? 'amber' : status === 2 ? 'red' : 'grey';
  return draw(style, [
    { text: `${judged.length} checked: ${verdicts.join(', ')}${raised.length ? `; ${raised.join(', ')}` : ''} — ` },
    { text: `worst: ${worstWords}`, paint },
  ]);
}
