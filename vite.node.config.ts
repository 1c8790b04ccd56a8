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

/**
 * pkijs and asn1js, two thirds of each bundle, are evaluated on first use rather than at start: the
 * engine reads certificates and staples with its own strict DER walks (src/core/x509.ts,
 * ocsp-response.ts) and leaves to pkijs only the forms those walks do not take, OCSP requests (the
 * full probe) and the pkijs objects a caller asks for. A start that never needs them (a ping, the
 * badge's check of a common certificate) neither evaluates them nor caches their compiled code.
 * Our own modules' `import * as pkijs from 'pkijs'` becomes an object whose every property read
 * is that of the real module, which a `require` (of the module bundled in) evaluates on the first
 * read. The libraries' imports of each other are left alone: there is one pkijs and one asn1js,
 * one set of classes, as `instanceof` needs. Any other form of import of them from src/ fails the
 * build rather than load eagerly.
 */
function lazyAsn1Libraries(): Plugin {
  const PREFIX = '\0staplecheck-lazy:';
  const SRC = join(ROOT, 'src');
  const NAMESPACE_IMPORT = /^import \* as ([A-Za-z_$][\w$]*) from '(pkijs|asn1js)';$/gm;
  return {
    name: 'staplecheck-lazy-asn1',
    enforce: 'pre',
    transform(code, id) {
      if (!id.startsWith(SRC) || !/\.ts$/.test(id)) return null;
      const lazy = code.replace(NAMESPACE_IMPORT, (_, local: string, library: string) => {
        return `import { library as ${local} } from '${PREFIX}${library}';`;
      });
      const left = /^import (?!type )[^;]*from '(pkijs|asn1js)'/m.exec(lazy);
      if (left) throw new Error(`vite.node.config.ts: ${id}: import pkijs and asn1js as a namespace: ${left[0]}`);
      return lazy === code ? null : { code: lazy, map: null };
    },
    resolveId(source) {
      return source.startsWith(PREFIX) ? source : null;
    },
    async load(id) {
      if (!id.startsWith(PREFIX)) return null;
      const name = id.slice(PREFIX.length);
      const real = await this.resolve(name, join(SRC, 'index.ts'), { skipSelf: true });
      if (!real) throw new Error(`vite.node.config.ts: cannot resolve ${name}`);
      return [
        'let real;',
        `const load = () => (real ??= require(${JSON.stringify(real.id)}));`,
        'export const library = new Proxy({}, {',
        '  get: (_, key) => load()[key],',
        '  has: (_, key) => key in load(),',
        '});',
      ].join('\n');
    },
  };
}

export default defineConfig(({ mode }) => {
  const entry = ENTRIES[mode];
  if (!entry) throw new Error(`vite.node.config.ts: --mode host or --mode cli, not ${JSON.stringify(mode)}`);
  return {
    root: ROOT,
    publicDir: false,
    plugins: [lazyAsn1Libraries(), asciiOnly()],
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
