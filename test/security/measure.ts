// Figures for the security tests: heap after a forced collection, live handles, RSS of a child.
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// `--expose-gc` at run time: V8 reads the flag when a new context is made, and that context's
// `gc` collects the whole isolate. Vitest workers start without the flag; this avoids a config knob.
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as () => void;

/** heapUsed after two full collections (the second frees what finalizers of the first released). */
export function heapAfterGc(): number {
  collect();
  collect();
  return process.memoryUsage().heapUsed;
}

/** Samples heapUsed every few ms while `work` runs; returns its value and the peak. */
export async function withPeakHeap<T>(work: () => Promise<T>): Promise<{ value: T; peakHeap: number }> {
  let peakHeap = process.memoryUsage().heapUsed;
  const sampler = setInterval(() => {
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
  }, 5);
  try {
    const value = await work();
    peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed);
    return { value, peakHeap };
  } finally {
    clearInterval(sampler);
  }
}

/** A child's resident set (Linux /proc), in bytes; null where /proc is missing. */
export function residentBytes(pid: number): number | null {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match?.[1] ? Number(match[1]) * 1024 : null;
  } catch {
    return null;
  }
}

export const MB = 1024 * 1024;

export function megabytes(bytes: number): string {
  return `${(bytes / MB).toFixed(2)} MB`;
}

/**
 * A timeout holds when the check ends within ±10 % of it; tiny timeouts get a small absolute slack
 * (timer granularity and a loaded 2-core machine are not the check's fault).
 */
export function timeoutTolerance(timeoutMs: number, slackMs = 40): number {
  return Math.max(timeoutMs * 0.1, slackMs);
}
