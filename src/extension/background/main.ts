// The background entry (Chromium: MV3 service worker; Firefox: background script). Built by Vite
// into one self-contained classic script, background.js, so the same file runs in both.
import { createBackgroundApi, installBrowserMessages } from '../browser-api.js';
import { Background } from './background.js';

installBrowserMessages();
new Background({
  api: createBackgroundApi(),
  log: (message) => console.warn(`staplecheck: ${message}`),
});
