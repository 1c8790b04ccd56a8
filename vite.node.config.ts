// Bundles the two programs Node starts, the host and the CLI, into one file each under build/node/
// (`npm run build:node`: one pass per program, `--mode host` and `--mode cli`, since a build that
// inlines its dynamic imports takes one input). Start-up is mostly resolving and reading modules: the tsc output is ~60
// files plus pkijs/asn1js's own, one file is one read and one compile (and one compile-cache entry
// where Node has a cache; bin/*.js turns it on). Node's built-ins stay imports; our dependencies
// are bundled in. build/src/ (tsc) stays the library export and what the tests import.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const ROOT = dirname(fileURLToPath(import.meta.url));

const ENTRIES: Record<string, string> = {
  host: join(ROOT, 'src', 'host', 'main.ts'),
  cli: join(ROOT, 'src', 'cli', 'main.ts'),
};
const NAMES: Record<string, string> = { host: 'staplecheck-host', cli: 'staplecheck' };

/**
 * V8 keeps a script's source for as long as the script lives, one byte per character when every
 * character is Latin-1 and two otherwise: a single `→` in a message made the host's ~0.9 MB bundle a
 * 1.75 MB string for the whole life of the host (heap snapshot, issue #11). Characters past U+00FF
 * are written as `\uXXXX` escapes, which mean the same in strings, template literals, regular
 * expressions, identifiers and comments. (Not in a tagged template's raw text: there is none.)
 */
const latin1Source: Plugin = {
  name: 'staplecheck:latin1-source',
  // After every renderChunk: Vite's own output transform writes escaped string literals back out.
  generateBundle(_options, bundle) {
    for (const file of Object.values(bundle)) {
      if (file.type === 'chunk') {
        file.code = file.code.replace(/[\u0100-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
      }
    }
  },
};

export default defineConfig(({ mode }) => {
  const entry = ENTRIES[mode];
  if (!entry) throw new Error(`vite.node.config.ts: --mode host or --mode cli, not ${JSON.stringify(mode)}`);
  return {
    root: ROOT,
    publicDir: false,
    logLevel: 'warn',
    // Node, not a browser: built-ins resolve as node:*, and nothing is left external.
    ssr: { noExternal: true, target: 'node' },
    plugins: [latin1Source],
    build: {
      ssr: true,
      outDir: join(ROOT, 'build', 'node'),
      emptyOutDir: false,
      target: 'node20',
      // Readable, like the extension: what runs is what a reviewer can read.
      minify: false,
      sourcemap: false,
      copyPublicDir: false,
      rolldownOptions: {
        input: { [NAMES[mode]!]: entry },
        preserveEntrySignatures: 'exports-only',
        // One file: what a ping or a check needs is still imported lazily (main.ts's dynamic
        // imports become deferred initialisers), but from the same file, read once.
        output: { format: 'es', entryFileNames: '[name].js', codeSplitting: false },
      },
    },
  };
});
