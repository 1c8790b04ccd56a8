// One row per figure of `npm run bench`, and the table they print as.

export interface Row {
  figure: string;
  reference: string;
  /** What was measured, as text with its unit (e.g. "3.1 ms"). */
  measured: string;
  /** The figure over its reference (or the absolute value where there is no reference). */
  ratio: string;
  target: string;
  met: boolean;
  /** Broken, not merely slow: the short bench (CI) fails on this only. */
  broken: string | null;
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  if (sorted.length === 0) return NaN;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Spread of a sample as the interquartile range over the median, for the noise note. */
export function spread(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const q = (p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  return (q(0.75) - q(0.25)) / median(values);
}

export const ms = (value: number): string => `${value < 10 ? value.toFixed(2) : value.toFixed(1)} ms`;

export function printTable(rows: readonly Row[], write: (line: string) => void): void {
  const header: Row = {
    figure: 'figure',
    reference: 'reference',
    measured: 'measured',
    ratio: 'ratio',
    target: 'target',
    met: true,
    broken: null,
  };
  const cells = (r: Row) => [r.figure, r.reference, r.measured, r.ratio, r.target, r === header ? 'met' : met(r)];
  const all = [header, ...rows].map(cells);
  const widths = all[0]!.map((_, i) => Math.max(...all.map((c) => c[i]!.length)));
  const line = (c: string[]) => `| ${c.map((cell, i) => cell.padEnd(widths[i]!)).join(' | ')} |`;
  write(line(all[0]!));
  write(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const c of all.slice(1)) write(line(c));
}

function met(row: Row): string {
  if (row.broken) return `BROKEN: ${row.broken}`;
  return row.met ? 'yes' : 'no';
}
