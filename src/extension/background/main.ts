// The background entry (Chromium: MV3 service worker; Firefox: background script). Built by Vite
// into one self-contained classic script, background.js, so the same file runs in both.
import { createBackgroundApi } from '../browser-api.js';
import { Background } from './background.js';

new Background({
  api: createBackgroundApi(),
  log: (message) => console.warn(`staplecheck: ${message}`),
});
