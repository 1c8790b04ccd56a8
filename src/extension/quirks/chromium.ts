// Chromium quirk: a native port's disconnect reason is not on the port. Chromium reports it through
// `chrome.runtime.lastError`, readable only inside the onDisconnect listener ("Specified native
// messaging host not found.", "Native host has exited.", …). Firefox sets `port.error` instead
// (see firefox.ts). Touches the global `chrome` only to read that one property.

export function chromiumLastErrorMessage(): string | null {
  const chrome = (globalThis as { chrome?: { runtime?: { lastError?: { message?: unknown } } } }).chrome;
  const message = chrome?.runtime?.lastError?.message;
  return typeof message === 'string' ? message : null;
}
