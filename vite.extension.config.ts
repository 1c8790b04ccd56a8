// Builds the extension into dist/chrome/ and dist/firefox/ (docs/contract.md §1). Two passes, because a
// background that must run both as a Chromium MV3 service worker and as a Firefox background
// script is best one self-contained classic script, and Rollup/Rolldown cannot emit an IIFE next
// to code-split pages in one build:
//   vite build -c vite.extension.config.ts --mode pages        popup.html, options.html, public/
//   vite build -c vite.extension.config.ts --mode background   background.js, then both manifests
// The second pass writes dist/chrome/manifest.json, copies dist/chrome to dist/firefox and writes
// Firefox's manifest there (scripts/extension-manifest.ts). `npm run build:extension` runs both.
import preact from '@preact/preset-vite';
import { cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin, type UserConfig } from 'vite';
import { manifestFor } from './scripts/extension-manifest.js';

const ROOT = dirname(fileURLToPath(import.meta.url));
const CHROME_OUT = join(ROOT, 'dist', 'chrome');
const FIREFOX_OUT = join(ROOT, 'dist', 'firefox');
// The oldest browsers the manifest admits (minimum_chrome_version, gecko.strict_min_version).
const TARGET = ['chrome116', 'firefox140'];

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

function writeManifests(): Plugin {
  return {
    name: 'staplecheck-manifests',
    apply: 'build',
    closeBundle() {
      const root = readJson(join(ROOT, 'manifest.json'));
      const version = String(readJson(join(ROOT, 'package.json')).version);
      writeFileSync(
        join(CHROME_OUT, 'manifest.json'),
        `${JSON.stringify(manifestFor(root, 'chrome', version), null, 2)}\n`,
      );
      rmSync(FIREFOX_OUT, { recursive: true, force: true });
      cpSync(CHROME_OUT, FIREFOX_OUT, { recursive: true });
      writeFileSync(
        join(FIREFOX_OUT, 'manifest.json'),
        `${JSON.stringify(manifestFor(root, 'firefox', version), null, 2)}\n`,
      );
    },
  };
}

/**
 * The English catalogue that src/extension/shared/i18n.ts imports, emptied in the built extension.
 * There every word comes from the browser's own `i18n.getMessage`, which reads _locales/ (copied
 * whole from public/) and itself falls back to `default_locale` (en) for a key a translation lacks,
 * so a bundled copy would never be read: it was 390 messages, most of the popup's download. Unit
 * tests, which run without a browser, import the real file.
 */
function catalogueLeftToTheBrowser(): Plugin {
  return {
    name: 'staplecheck-catalogue-left-to-the-browser',
    enforce: 'pre',
    transform: {
      filter: { id: /_locales[\\/][^\\/]+[\\/]messages\.json$/ },
      handler() {
        return { code: '{}', map: null };
      },
    },
  };
}

const pages: UserConfig = {
  root: join(ROOT, 'src', 'extension', 'pages'),
  publicDir: join(ROOT, 'public'),
  base: './',
  plugins: [catalogueLeftToTheBrowser(), preact()],
  build: {
    outDir: CHROME_OUT,
    emptyOutDir: true,
    target: TARGET,
    // The pages are minified in output (below): the popup is fetched and parsed on every click and
    // must stay ≤ 25 KB gzip (`npm run bench`: 34.6 KB readable, 25.6 with whitespace and names
    // only, 24.3 minified). Reviewers (AMO, Chrome Web Store) get the sources with the submission;
    // the background, parsed once per worker start, stays readable.
    minify: false,
    sourcemap: false,
    // No inline module-preload polyfill: the CSP allows 'self' scripts only.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: {
        popup: join(ROOT, 'src', 'extension', 'pages', 'popup.html'),
        options: join(ROOT, 'src', 'extension', 'pages', 'options.html'),
        stapling: join(ROOT, 'src', 'extension', 'pages', 'stapling.html'),
      },
      // The code both pages share (Preact, the polyfill, helpers), under a name that says so.
      output: {
        chunkFileNames: 'assets/shared-[hash].js',
        minify: true,
      },
    },
  },
};

const background: UserConfig = {
  root: ROOT,
  publicDir: false,
  plugins: [catalogueLeftToTheBrowser(), writeManifests()],
  build: {
    outDir: CHROME_OUT,
    emptyOutDir: false,
    target: TARGET,
    minify: false,
    sourcemap: false,
    copyPublicDir: false,
    rolldownOptions: {
      input: join(ROOT, 'src', 'extension', 'background', 'main.ts'),
      output: { format: 'iife', entryFileNames: 'background.js' },
    },
  },
};

export default defineConfig(({ mode }) => {
  if (mode === 'pages') return pages;
  if (mode === 'background') return background;
  throw new Error(`vite.extension.config.ts: --mode pages or --mode background, not ${JSON.stringify(mode)}`);
});
