// Bundles the two programs Node starts, the host and the CLI, into one file each under build/node/
// (`npm run build:node`: one pass per program, `--mode host` and `--mode cli`, since a build that
// inlines its dynamic imports takes one input). Start-up is mostly resolving and reading modules: the tsc output is ~60
// files plus pkijs/asn1js's own, one file is one read and one compile. Node's built-ins stay
// imports; our dependencies are bundled in. build/src/ (tsc) stays the library export and what the
// tests import.
//
// Both are CommonJS-style scripts, not ES modules: bin/staplecheck-host.js's runBundle compiles
// them with node:vm and a V8 code cache (Node 20 caches no ES module), giving them `require`. Both
// are ASCII only: V8 then keeps the source as one-byte text, read with no UTF-8 decoding.
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
 * `charset: 'ascii'` escapes strings, regular expressions and names but not comments: those are
 * escaped here (`\u00a7` in a comment is still readable), and anything left fails the build.
 */
function asciiOnly(): Plugin {
  return {
    name: 'staplecheck-ascii-only',
    generateBundle(_options, bundle) {
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        chunk.code = chunk.code.replace(/\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (comment) =>
          comment.replace(/[^\t-~]/gu, (c) => `\\u{${c.codePointAt(0)!.toString(16)}}`),
        );
        const at = chunk.code.search(/[^\t-~]/);
        if (at >= 0)
          throw new Error(`${chunk.fileName}: non-ASCII text at ${at}: ${chunk.code.slice(at - 40, at + 40)}`);
      }
    },
  };
}

export default defineConfig(({ mode }) => {
  const entry = ENTRIES[mode];
  if (!entry) throw new Error(`vite.node.config.ts: --mode host or --mode cli, not ${JSON.stringify(mode)}`);
  return {
    root: ROOT,
    publicDir: false,
    plugins: [asciiOnly()],
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
        // `dynamicImportInCjs: false`: the one import() of a built-in left (node:http) becomes a
        // require, which the vm-compiled host has (it has no import()).
        output: {
          format: 'cjs',
          entryFileNames: '[name].js',
          codeSplitting: false,
          charset: 'ascii',
          dynamicImportInCjs: false,
        },
      },
    },
  };
});
