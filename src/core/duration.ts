// Durations as monitoring people write them on a command line: `36h`, `2d`, `90m`, `3600s`, and
// combinations from the largest unit down (`1d12h`, `2h30m`). Used by `--warn-left` and
// `--crit-left` (docs/contract.md §3). Pure.

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const UNITS: readonly (readonly [unit: string, ms: number])[] = [
  ['d', DAY],
  ['h', HOUR],
  ['m', MINUTE],
  ['s', SECOND],
];

/** Each unit at most once, largest first, at least one: `1d12h` yes, `12h1d` and `1h1h` no. */
const DURATION = /^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/;

/** A year: far longer than any OCSP response lives (CAs issue them for days), so nothing sensible is refused. */
export const MAX_DURATION_MS = 365 * DAY;

export type DurationParse = { ok: true; ms: number } | { ok: false; message: string };

/** `text` as milliseconds; `label` names the option in the message. A bare number has no unit and is refused. */
export function parseDuration(text: string, label: string): DurationParse {
  const match = DURATION.exec(text);
  if (!match || text === '') {
    const hint = /^\d+$/.test(text) ? ` (a unit is needed: ${text}s, ${text}m, ${text}h or ${text}d?)` : '';
    return {
      ok: false,
      message: `${label} ${JSON.stringify(text.slice(0, 40))} is not a duration like 36h, 2d, 90m, 3600s or 1d12h${hint}.`,
    };
  }
  let ms = 0;
  UNITS.forEach(([, size], i) => {
    const digits = match[i + 1];
    if (digits !== undefined) ms += Number(digits) * size;
  });
  if (ms < SECOND || ms > MAX_DURATION_MS) return { ok: false, message: `${label} must be between 1s and 365d.` };
  return { ok: true, ms };
}

/** The inverse of parseDuration, whole seconds: 129600000 → `1d12h`, 5400000 → `1h30m`. */
export function formatDurationFlag(ms: number): string {
  let rest = Math.floor(Math.abs(ms) / SECOND) * SECOND;
  if (rest === 0) return '0s';
  let text = '';
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    if (n > 0) text += `${n}${unit}`;
    rest -= n * size;
  }
  return ms < 0 ? `-${text}` : text;
}

/** The two largest units, spaced for reading in one line: `3 d 4 h`, `20 h 5 m`, `40 s`. */
export function formatDurationShort(ms: number): string {
  let rest = Math.floor(Math.abs(ms) / SECOND) * SECOND;
  const parts: string[] = [];
  for (const [unit, size] of UNITS) {
    const n = Math.floor(rest / size);
    rest -= n * size;
    if (n > 0 || parts.length > 0) parts.push(`${n} ${unit}`);
    if (parts.length === 2) break;
  }
  const text = parts.filter((part) => !part.startsWith('0 ')).join(' ') || '0 s';
  return ms < 0 ? `-${text}` : text;
}
