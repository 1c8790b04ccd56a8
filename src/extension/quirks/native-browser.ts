// What `webextension-polyfill` resolves to in the popup's build (vite.extension.config.ts): the
// browser's own namespace, no polyfill. Firefox has `browser`; Chromium's `chrome` returns a promise
// from every call the popup makes since MV3 (Chromium 99; the manifest asks for 116), and
// browser-api.ts turns Chromium's two differences in sendMessage back (see chromium.ts). The popup is
// loaded afresh on every click, and the polyfill was 3 KB of its gzip budget. The background keeps
// the polyfill: its onMessage listeners answer with a promise, which Chromium's own API ignores.
const scope = globalThis as { browser?: { runtime?: { id?: unknown } }; chrome?: unknown };

export default scope.browser?.runtime?.id ? scope.browser : scope.chrome;
