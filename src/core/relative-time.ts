// Times as people read them ("3 h ago", "4 more days"), shared by the CLI and the popup. Pure.

const UNITS: [number, string, string][] = [
  [365 * 24 * 3600_000, 'year', 'years'],
  [24 * 3600_000, 'day', 'days'],
  [3600_000, 'h', 'h'],
  [60_000, 'min', 'min'],
  [1000, 's', 's'],
];

/** A duration in its largest whole unit: "3 h", "1 day", "12 days", "40 s". */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  for (const [size, one, many] of UNITS) {
    if (abs >= size) {
      const n = Math.floor(abs / size);
      return `${n} ${n === 1 ? one : many}`;
    }
  }
  return '0 s';
}

/** "3 h ago" / "in 4 days", relative to `now`. */
export function formatRelative(iso: string, now: Date): string {
  const delta = new Date(iso).getTime() - now.getTime();
  if (Math.abs(delta) < 1000) return 'just now';
  return delta < 0 ? `${formatDuration(delta)} ago` : `in ${formatDuration(delta)}`;
}

/** "2026-11-24 10:00 UTC": unambiguous and short. */
export function formatUtc(iso: string): string {
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

const LONG_UNITS: [number, string, string][] = [
  [365 * 24 * 3600_000, 'year', 'years'],
  [24 * 3600_000, 'day', 'days'],
  [3600_000, 'hour', 'hours'],
  [60_000, 'minute', 'minutes'],
  [1000, 'second', 'seconds'],
];

/** Time still to run, as people say it: "4 more days", "3 more hours", "1 more minute". */
export function formatTimeLeft(ms: number): string {
  for (const [size, one, many] of LONG_UNITS) {
    if (ms >= size) {
      const n = Math.floor(ms / size);
      return `${n} more ${n === 1 ? one : many}`;
    }
  }
  return 'a moment more';
}
