// Bundles the two programs Node starts, the host and the CLI, into one file each under build/node/
// (`npm run build:node`: one pass per program, `--mode host` and `--mode cli`, since a build that
// inlines its dynamic imports takes one input). Start-up is mostly resolving and reading modules: the tsc output is ~60
// files plus pkijs/asn1js's own, one file is one read and one compile (and one compile-cache entry
// where Node has a cache; bin/*.js turns it on). Node's built-ins stay imports; our dependencies
// are bundled in. build/src/ (tsc) stays the library export and what the tests import.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const ROOT = dirname(fileURLToPath(import.meta.url));

const ENTRIES: Record<string, string> = {
  host: join(ROOT, 'src', 'host', 'main.ts'),
  cli: join(ROOT, 'src', 'cli', 'main.ts'),
};
const NAMES: Record<string, string> = { host: 'staplecheck-host', cli: 'staplecheck' };

export default defineConfig(({ mode }) => {
  const entry = ENTRIES[mode];
  if (!entry) throw new Error(`vite.node.config.ts: --mode host or --mode cli, not ${JSON.stringify(mode)}`);
  return {
    root: ROOT,
    publicDir: false,
    logLevel: 'warn',
    // Node, not a browser: built-ins resolve as node:*, and nothing is left external.
    ssr: { noExternal: true, target: 'node' },
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
