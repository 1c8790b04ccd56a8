// `--nagios`: one line in the format of the Monitoring Plugins Development Guidelines (the plugin
// output of Nagios, Icinga, Naemon, Shinken, Checkmk):
//
//   STAPLE OK - example.com:443 stapled-good, staple valid 3 d 4 h more | time_left=273600s staple_age=3600s
//
// The status word matches the exit status (0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN); after ` | `
// comes the performance data, `'label'=value[UOM];[warn];[crit];[min];[max]` separated by spaces.
//
// Everything a server sends is hostile, and so is a target typed by someone else into a monitoring
// configuration: every such string reaches the line through `nagiosText`, which makes control
// characters visible escapes (render-text.ts `inert`: no newline can start a second line) and
// writes `|` as `\x7c`, because the first `|` is where the monitoring host cuts off perfdata.
import { formatDurationShort } from '../core/duration.js';
import { formatHostPort } from '../core/host-port.js';
import type { Result } from '../core/result.js';
import { inert } from './render-text.js';
import { thresholdWords } from './render-exit-status.js';
import { worstStatus, type ExitStatus, type JudgedResult, type Thresholds } from './thresholds.js';

export const STATUS_WORDS: Record<ExitStatus, string> = { 0: 'OK', 1: 'WARNING', 2: 'CRITICAL', 3: 'UNKNOWN' };

/** The one way text reaches the line: inert, and never a `|`. */
export function nagiosText(text: string): string {
  return inert(text).replace(/\|/g, '\\x7c');
}

/**
 * A perfdata label: quoted, a quote doubled (guideline: "to specify a quote character, use two
 * single quotes"), `=` escaped (a label "can contain any characters except the equals sign").
 */
function perfLabel(label: string): string {
  const safe = nagiosText(label).replace(/=/g, '\\x3d').replace(/'/g, "''");
  return /^[A-Za-z0-9_.-]+$/.test(safe) ? safe : `'${safe}'`;
}

/** Whole seconds, or `U`: "the actual value couldn't be determined". */
function seconds(ms: number | null): string {
  return ms === null ? 'U' : `${Math.floor(ms / 1000)}s`;
}

/** A threshold in range format: `N:` alerts when the value is below N (time left running out). */
function belowRange(ms: number | null): string {
  return ms === null ? '' : `${Math.floor(ms / 1000)}:`;
}

/** `label=value;warn;crit`, trailing empty fields dropped (the guidelines allow it). */
function perfDatum(label: string, value: string, warn = '', crit = ''): string {
  return `${perfLabel(label)}=${[value, warn, crit].join(';').replace(/;+$/, '')}`;
}

/** `example.com:443`; a target that could not be read (no port) as it was given. */
function targetOf(result: Result): string {
  if (result.host === null) return 'staple';
  return result.port === null ? result.host : formatHostPort(result.host, result.port);
}

/** `example.com:443 stapled-good, staple valid 3 d 4 h more`: one target in a few words (raw, escaped later). */
function shortPart(judged: JudgedResult, thresholds: Thresholds): string {
  const { result, times } = judged;
  let text = `${targetOf(result)} ${result.verdict}`;
  if (result.error) text += `: ${result.error.code} (${result.error.message})`;
  const invalidating = result.problems.filter((p) => p.severity === 'error').map((p) => p.code);
  if (result.verdict === 'stapled-invalid' && invalidating.length) text += ` (${invalidating.join(', ')})`;
  if (times.leftMs !== null && result.verdict !== 'error') {
    text +=
      times.leftMs >= 0
        ? `, staple valid ${formatDurationShort(times.leftMs)} more`
        : `, staple expired ${formatDurationShort(times.leftMs).slice(1)} ago`;
  }
  if (judged.raisedBy) text += `, less than ${thresholdWords(judged, thresholds)}`;
  return text;
}

function perfData(judged: JudgedResult, thresholds: Thresholds, prefix: string): string[] {
  return [
    perfDatum(
      `${prefix}time_left`,
      seconds(judged.times.leftMs),
      belowRange(thresholds.warnLeftMs),
      belowRange(thresholds.critLeftMs),
    ),
    perfDatum(`${prefix}staple_age`, seconds(judged.times.ageMs)),
  ];
}

/**
 * The line for one or several targets. Several: the counts per status and each target's short
 * part, worst first (a monitoring UI cuts long lines), then perfdata per target under labels that
 * name it (`'example.com:443 time_left'`).
 */
export function renderNagios(judged: readonly JudgedResult[], thresholds: Thresholds): string {
  const status = worstStatus(judged);
  let text: string;
  let perf: string[];
  const [only] = judged;
  if (judged.length === 1 && only) {
    text = nagiosText(shortPart(only, thresholds));
    perf = perfData(only, thresholds, '');
  } else {
    const byStatus = [...judged].sort((a, b) => b.status - a.status); // stable: targets' order within a status
    const counts = ([3, 2, 1, 0] as const)
      .map((s) => [s, judged.filter((j) => j.status === s).length] as const)
      .filter(([, n]) => n > 0)
      .map(([s, n]) => `${n} ${STATUS_WORDS[s]}`);
    text = `${judged.length} checked (${counts.join(', ')}): ${byStatus.map((j) => nagiosText(shortPart(j, thresholds))).join('; ')}`;
    perf = judged.flatMap((j) => perfData(j, thresholds, `${targetOf(j.result)} `));
  }
  return `STAPLE ${STATUS_WORDS[status]} - ${text} | ${perf.join(' ')}\n`;
}

/** A check that could not run at all (a file that cannot be read, bad usage): UNKNOWN, no perfdata. */
export function renderNagiosUnknown(message: string): string {
  return `STAPLE ${STATUS_WORDS[3]} - ${nagiosText(message)}\n`;
}
