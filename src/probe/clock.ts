// Milliseconds on the monotonic clock, for the durations a result reports. Not `performance.now()`:
// the `performance` global loads node:perf_hooks on its first use, ~2 ms of a cold host's first
// check (Node 20); process.hrtime reads the same clock with nothing to load.
export function monotonicMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}
