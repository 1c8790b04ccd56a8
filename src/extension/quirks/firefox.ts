// Firefox quirk: a native port that closes with an error carries it as `port.error` (an Error with
// e.g. "No such native application dev.staplecheck.host"); `runtime.lastError` stays unset.
// Chromium does the opposite (see chromium.ts).

export function firefoxPortErrorMessage(port: unknown): string | null {
  const error = (port as { error?: { message?: unknown } | null } | null)?.error;
  const message = error?.message;
  return typeof message === 'string' ? message : null;
}
