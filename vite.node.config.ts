// Bundles the two programs Node starts, the host and the CLI, into one file each under build/node/
// (`npm run build:node`: one pass per program, `--mode host` and `--mode cli`, since a build that
// inlines its dynamic imports takes one input; first `--mode asn1`, the pkijs and asn1js section
// both files end with, see lazyAsn1Libraries). Start-up is mostly resolving and reading modules: the tsc output is ~60
// files plus pkijs/asn1js's own, one file is one read and one compile. Node's built-ins stay
// imports; our dependencies are bundled in. build/src/ (tsc) stays the library export and what the
// tests import.
//
// Both are CommonJS-style scripts, not ES modules: bin/staplecheck-host.js's runBundle compiles
// them with node:vm and a V8 code cache (Node 20 caches no ES module), giving them `require`. Both
// are ASCII only: V8 then keeps the source as one-byte text, read with no UTF-8 decoding.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const ROOT = dirname(fileURLToPath(import.meta.url));

/** The libraries' section (lazyAsn1Libraries): a module of its own, not one of our files. */
const ASN1_ENTRY = '\0staplecheck-asn1-section';
const ENTRIES: Record<string, string> = {
  asn1: ASN1_ENTRY,
  host: join(ROOT, 'src', 'host', 'main.ts'),
  cli: join(ROOT, 'src', 'cli', 'main.ts'),
};
const NAMES: Record<string, string> = { asn1: 'asn1', host: 'staplecheck-host', cli: 'staplecheck' };
/** Where `--mode asn1` leaves the section the two programs' bundles end with (not packaged). */
const SECTIONS_DIR = join(ROOT, 'build', 'sections');
/** The line that starts a section, then its name and first line (bin/staplecheck-host.js reads them). */
const SECTION_MARK = '\n//# staplecheck section ';

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
 * pkijs and asn1js, two thirds of each bundle, are compiled and evaluated on first use rather than
 * at start: the engine reads certificates and staples with its own strict DER walks
 * (src/core/x509.ts, ocsp-response.ts) and leaves to pkijs only the forms those walks do not take,
 * OCSP requests (the full probe) and the pkijs objects a caller asks for. A start that never needs
 * them (a ping, the badge's check of a common certificate) neither reads, hashes, compiles nor
 * evaluates them.
 *
 * `--mode asn1` bundles the two libraries alone (one pkijs, and the asn1js it uses: one set of
 * classes, as `instanceof` needs) into a script whose exports are `{ pkijs, asn1js }`; the host and
 * the CLI bundles end with it as their `asn1` section (after SECTION_MARK), which
 * bin/staplecheck-host.js's runBundle leaves out of the script it compiles at start and compiles,
 * with a code cache of its own, when `__staplecheckSection('asn1')` is first called. Our own
 * modules' `import * as pkijs from 'pkijs'` (and asn1js) becomes an object whose every property
 * read is that of the section's module, loaded on the first read. Any other form of import of them
 * from src/ fails the build rather than load them eagerly.
 */
function lazyAsn1Libraries(mode: string): Plugin {
  const PREFIX = '\0staplecheck-lazy:';
  const SRC = join(ROOT, 'src');
  const NAMESPACE_IMPORT = /^import \* as ([A-Za-z_$][\w$]*) from '(pkijs|asn1js)';$/gm;
  return {
    name: 'staplecheck-lazy-asn1',
    enforce: 'pre',
    transform(code, id) {
      if (mode === 'asn1' || !id.startsWith(SRC) || !/\.ts$/.test(id)) return null;
      const lazy = code.replace(NAMESPACE_IMPORT, (_, local: string, library: string) => {
        return `import { library as ${local} } from '${PREFIX}${library}';`;
      });
      const left = /^import (?!type )[^;]*from '(pkijs|asn1js)'/m.exec(lazy);
      if (left) throw new Error(`vite.node.config.ts: ${id}: import pkijs and asn1js as a namespace: ${left[0]}`);
      return lazy === code ? null : { code: lazy, map: null };
    },
    resolveId(source) {
      return source.startsWith(PREFIX) || source === ASN1_ENTRY ? source : null;
    },
    load(id) {
      if (id === ASN1_ENTRY) return "export * as pkijs from 'pkijs';\nexport * as asn1js from 'asn1js';";
      if (!id.startsWith(PREFIX)) return null;
      const name = JSON.stringify(id.slice(PREFIX.length));
      return [
        'let section;',
        'const load = () => {',
        "  if (typeof __staplecheckSection !== 'function')",
        "    throw new Error('pkijs and asn1js load through bin/staplecheck-host.js (vite.node.config.ts)');",
        `  return (section ??= __staplecheckSection('asn1'))[${name}];`,
        '};',
        'export const library = new Proxy({}, {',
        '  get: (_, key) => load()[key],',
        '  has: (_, key) => key in load(),',
        '});',
      ].join('\n');
    },
    generateBundle(_options, bundle) {
      if (mode === 'asn1') return;
      const section = readFileSync(join(SECTIONS_DIR, 'asn1.js'), 'latin1');
      if (section.includes(SECTION_MARK))
        throw new Error('vite.node.config.ts: the asn1 section holds the section mark');
      for (const chunk of Object.values(bundle)) {
        if (chunk.type !== 'chunk') continue;
        if (chunk.code.includes(SECTION_MARK)) throw new Error(`${chunk.fileName} holds the section mark`);
        // The line the section starts on, counted from 0: its stack traces name the file's lines.
        const line = chunk.code.split('\n').length + 1;
        chunk.code = `${chunk.code}${SECTION_MARK}asn1 ${line}\n${section}`;
      }
    },
  };
}

export default defineConfig(({ mode }) => {
  const entry = ENTRIES[mode];
  if (!entry) throw new Error(`vite.node.config.ts: --mode asn1, host or cli, not ${JSON.stringify(mode)}`);
  return {
    root: ROOT,
    publicDir: false,
    // The section is appended before the ASCII check, which then covers the whole file.
    plugins: [lazyAsn1Libraries(mode), asciiOnly()],
    logLevel: 'warn',
    // Node, not a browser: built-ins resolve as node:*, and nothing is left external.
    ssr: { noExternal: true, target: 'node' },
    build: {
      ssr: true,
      outDir: mode === 'asn1' ? SECTIONS_DIR : join(ROOT, 'build', 'node'),
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
