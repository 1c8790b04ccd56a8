// Chromium quirk: a native port's disconnect reason is not on the port. Chromium reports it through
// `chrome.runtime.lastError`, readable only inside the onDisconnect listener ("Specified native
// messaging host not found.", "Native host has exited.", …). Firefox sets `port.error` instead
// (see firefox.ts). Touches the global `chrome` only to read that one property.
//
// And two differences in runtime.sendMessage, for the popup, which runs on Chromium's own API
// (quirks/native-browser.ts) while the background runs on webextension-polyfill: a handler that
// rejects reaches the page as the polyfill's `{ __mozWebExtensionPolyfillReject__, message }` reply,
// and a message nobody answers rejects instead of resolving `undefined` as in Firefox. Under the
// polyfill both are already turned back, so these change nothing there.

export function chromiumLastErrorMessage(): string | null {
  const chrome = (globalThis as { chrome?: { runtime?: { lastError?: { message?: unknown } } } }).chrome;
  const message = chrome?.runtime?.lastError?.message;
  return typeof message === 'string' ? message : null;
}

const NO_ANSWER = 'The message port closed before a response was received.';

/** A sendMessage reply; throws the background's error where it sent one. */
export function chromiumReply(reply: unknown): unknown {
  const rejected = reply as { __mozWebExtensionPolyfillReject__?: unknown; message?: unknown } | null;
  if (rejected?.__mozWebExtensionPolyfillReject__ === true) throw new Error(String(rejected.message));
  return reply;
}

/** A sendMessage rejection; `undefined` when it only says nobody answered (Firefox's way). */
export function chromiumNoAnswer(err: unknown): undefined {
  if (err instanceof Error && err.message === NO_ANSWER) return undefined;
  throw err;
}
