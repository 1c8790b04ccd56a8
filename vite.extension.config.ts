// Builds the extension into dist/chrome/ and dist/firefox/ (docs/contract.md §1). Three passes, because a
// background that must run both as a Chromium MV3 service worker and as a Firefox background
// script is best one self-contained classic script, Rollup/Rolldown cannot emit an IIFE next
// to code-split pages in one build, and the popup loads fastest as one script of its own:
//   vite build -c vite.extension.config.ts --mode pages        options.html, stapling.html, public/
//   vite build -c vite.extension.config.ts --mode popup        popup.html: one script, its CSS inline
//   vite build -c vite.extension.config.ts --mode background   background.js, then both manifests
// The last pass writes dist/chrome/manifest.json, copies dist/chrome to dist/firefox and writes
// Firefox's manifest there (scripts/extension-manifest.ts). `npm run build:extension` runs all three.
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

/**
 * The popup's stylesheets written into popup.html as one `<style>`: the popup is loaded afresh on
 * every click, and a `<link>` is one more request to the extension's package that holds back the
 * first paint. The CSP (manifest.json) restricts scripts only, so an inline style is allowed.
 */
function stylesInline(): Plugin {
  return {
    name: 'staplecheck-styles-inline',
    apply: 'build',
    enforce: 'post',
    generateBundle(_options, bundle) {
      for (const page of Object.values(bundle)) {
        if (page.type !== 'asset' || !page.fileName.endsWith('.html')) continue;
        let html = String(page.source);
        html = html.replace(/<link rel="stylesheet"[^>]*? href="\.\/([^"]+\.css)">\n?/g, (link, fileName: string) => {
          const sheet = bundle[fileName];
          if (sheet?.type !== 'asset') return link;
          delete bundle[fileName];
          // `</` cannot end the element early: the sheets are ours, but the escape costs nothing.
          return `<style>${String(sheet.source).replaceAll('</', '<\\/')}</style>\n`;
        });
        page.source = html;
      }
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

/**
 * The popup on its own: one script holding everything its first paint needs (no shared chunk to
 * fetch after it, so no waterfall), its CSS minified and inline. Built after `pages`, into the same
 * folder.
 */
const popup: UserConfig = {
  root: join(ROOT, 'src', 'extension', 'pages'),
  publicDir: false,
  base: './',
  plugins: [catalogueLeftToTheBrowser(), preact(), stylesInline()],
  // The browser's own API instead of the polyfill (why, and what it takes: quirks/native-browser.ts).
  resolve: { alias: { 'webextension-polyfill': join(ROOT, 'src', 'extension', 'quirks', 'native-browser.ts') } },
  build: {
    outDir: CHROME_OUT,
    emptyOutDir: false,
    copyPublicDir: false,
    target: TARGET,
    minify: false,
    cssMinify: 'lightningcss',
    sourcemap: false,
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: { popup: join(ROOT, 'src', 'extension', 'pages', 'popup.html') },
      output: { chunkFileNames: 'assets/popup-[name]-[hash].js', minify: true },
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
  if (mode === 'popup') return popup;
  if (mode === 'background') return background;
  throw new Error(`vite.extension.config.ts: --mode pages, popup or background, not ${JSON.stringify(mode)}`);
});
