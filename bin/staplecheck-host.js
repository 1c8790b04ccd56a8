#!/usr/bin/env node
// The native-messaging host (PROTOCOL.md). Browsers start it through the launcher that
// `staplecheck install` writes, which names the Node binary by absolute path, and start it again
// after every idle exit: how fast it starts is how fast the badge shows.
//
// It runs the one-file bundle `npm run build` writes (vite.node.config.ts: a CommonJS-style script,
// ASCII only) compiled with a V8 code cache, so that a start neither parses the ~900 KB bundle nor
// compiles again the functions the last run compiled (Node 20 has no compile cache of its own for
// ES modules). The bundle ends with a section (pkijs and asn1js, two thirds of it) that is
// compiled only when first used, which the badge's check of a common certificate never does. This
// file is CommonJS (bin/package.json): Node 20 starts a CommonJS entry ~20 ms sooner than an ES
// module one, whose loader it would otherwise set up for this one file. The cache is
// docs/install-layout.md's "The code cache": one file per program (and one for its section) in the
// user's cache directory, keyed by the SHA-256 of what it compiles and the Node version, read and written
// only when that directory and file are the user's own and nobody else can write them. Without a
// usable cache the program runs exactly the same, compiling as it goes, and leaves a fresh cache
// behind on exit. The CLI (bin/staplecheck.js) runs its bundle with this file's runBundle: the
// installed host copy holds this file and its bundle only (docs/install-layout.md).
'use strict';
const { isAscii } = require('node:buffer');
const { createHash } = require('node:crypto');
const {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} = require('node:fs');
const { createRequire } = require('node:module');
const { homedir } = require('node:os');
const { dirname, isAbsolute, join } = require('node:path');
const { fileURLToPath, pathToFileURL } = require('node:url');
const { Script } = require('node:vm');

/** Ours, and which format: the file starts with these bytes, then the key, then V8's data. */
const MAGIC = Buffer.from('staplecheck v8 cache 1\n', 'latin1');
/** A cache larger than this is not ours (today's is ~0.6 MB). */
const MAX_CACHE_BYTES = 32 * 1024 * 1024;
/**
 * The line that starts a bundle's section (vite.node.config.ts), then its name, the line the section
 * starts on (counted from 0) and a newline: the code after it is compiled only when the bundle first
 * asks for it (`__staplecheckSection(name)`).
 */
const SECTION_MARK = Buffer.from('\n//# staplecheck section ', 'latin1');

/** Where the user's caches go (XDG Base Directory; macOS; Windows), or null to use none. */
function cacheDir() {
  if (process.env.STAPLECHECK_CODE_CACHE === 'off') return null;
  const absolute = (path) => (path && isAbsolute(path) ? path : null);
  if (process.platform === 'win32') {
    const local = absolute(process.env.LOCALAPPDATA);
    return local && join(local, 'staplecheck', 'cache');
  }
  const xdg = process.platform === 'darwin' ? null : absolute(process.env.XDG_CACHE_HOME);
  if (xdg) return join(xdg, 'staplecheck');
  let home = null;
  try {
    home = absolute(homedir());
  } catch {
    // No home directory (no passwd entry): no cache.
  }
  if (!home) return null;
  return process.platform === 'darwin'
    ? join(home, 'Library', 'Caches', 'staplecheck')
    : join(home, '.cache', 'staplecheck');
}

/**
 * The cache is code the host runs: only a directory or file that is not a symbolic link, belongs to
 * this user and is writable by nobody else is used (Windows: the per-user LOCALAPPDATA's ACLs).
 */
function isPrivate(stats) {
  if (stats.isSymbolicLink()) return false;
  if (process.platform === 'win32' || typeof process.getuid !== 'function') return true;
  return stats.uid === process.getuid() && (stats.mode & 0o022) === 0;
}

/** The cache `file` holds for `key`: V8's data, and whether the run that wrote it had checked a site. */
function readCache(file, key) {
  let fd = -1;
  try {
    if (!isPrivate(lstatSync(dirname(file)))) return null;
    fd = openSync(file, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    const stats = fstatSync(fd);
    if (!stats.isFile() || !isPrivate(stats) || stats.size > MAX_CACHE_BYTES) return null;
    const bytes = readFileSync(fd);
    const head = MAGIC.length + key.length + 1;
    if (!bytes.subarray(0, MAGIC.length).equals(MAGIC) || !bytes.subarray(MAGIC.length, head - 1).equals(key)) {
      return null;
    }
    return { data: bytes.subarray(head), afterCheck: bytes[head - 1] === 1 };
  } catch {
    return null;
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

function writeCache(file, key, afterCheck, data) {
  const dir = dirname(file);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (!isPrivate(lstatSync(dir))) return;
  // A new file of our own, then renamed over the old one: a reader sees one cache or the other.
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, Buffer.concat([MAGIC, key, Buffer.of(afterCheck ? 1 : 0), data]), {
      mode: 0o600,
      flag: 'wx',
    });
    renameSync(temporary, file);
  } catch {
    try {
      unlinkSync(temporary);
    } catch {
      // Nothing was written.
    }
  }
}

/** One-byte source text: V8 keeps it as is, with no UTF-8 decoding (the build keeps it ASCII). */
function sourceText(bytes) {
  return bytes.toString(isAscii(bytes) ? 'latin1' : 'utf8');
}

/**
 * `bytes` compiled as the body of a function of `params`, with the code cache `cacheFile` (or
 * none) for it; `accepted`: whether V8 took the cache, `afterCheck`: the cache's flag.
 */
function compile(bytes, filename, params, cacheFile, lineOffset = 0) {
  const key = cacheFile
    ? createHash('sha256').update(bytes).update(`\0${process.version}\0${process.arch}`).digest()
    : null;
  const cached = cacheFile ? readCache(cacheFile, key) : null;
  const script = new Script(`(function (${params.join(', ')}) {${sourceText(bytes)}\n})`, {
    filename,
    lineOffset,
    ...(cached ? { cachedData: cached.data } : {}),
  });
  // Booleans, not `cached`: what an exit handler holds lives as long as the process, and `cached`
  // holds the whole cache file read (~0.3 MB).
  const accepted = cached !== null && !script.cachedDataRejected;
  return { script, key, accepted, afterCheck: accepted && cached.afterCheck };
}

/**
 * On exit, `script`'s code cache written to `file` under `key`; `flagOnExit()` gives the cache's
 * after-check flag then, or `null` to write nothing.
 */
function writeCacheOnExit(file, key, script, flagOnExit) {
  process.once('exit', () => {
    try {
      const afterCheck = flagOnExit();
      if (afterCheck !== null) writeCache(file, key, afterCheck, script.createCachedData());
    } catch {
      // A cache we cannot write is no reason to fail: the next start compiles again.
    }
  });
}

/** The wrapper CommonJS gives a module: the bundle is a CommonJS-style script. */
const MODULE_PARAMS = ['exports', 'require', 'module', '__filename', '__dirname'];

/** The bundle's code before its section, and the section (null when it has none or a name we do not take). */
function splitSection(bytes) {
  const at = bytes.indexOf(SECTION_MARK);
  if (at < 0) return { main: bytes, section: null };
  const nameStart = at + SECTION_MARK.length;
  const nameEnd = bytes.indexOf(0x0a, nameStart);
  // The name is part of a cache file's name; the line is for stack traces.
  const header = /^([a-z0-9]{1,16}) (\d{1,9})$/.exec(nameEnd < 0 ? '' : bytes.toString('latin1', nameStart, nameEnd));
  if (!header) return { main: bytes.subarray(0, at), section: null };
  // A view, not a copy: until the section is loaded the file's bytes stay in memory (about what the
  // source text of the whole bundle took when it was compiled at once), and are let go then.
  const sectionBytes = bytes.subarray(nameEnd + 1);
  return { main: bytes.subarray(0, at), section: { name: header[1], line: Number(header[2]), bytes: sectionBytes } };
}

/**
 * Runs a bundle of vite.node.config.ts with its code cache `<cache dir>/<name>.v8-cache`, and
 * returns what it exports. The cache is (re)written on exit when there was none, V8 rejected it, or
 * it came from a run that checked nothing while this one did (the bundle's `hasRunACheck()`): a
 * cache holds the functions its run compiled. A section the bundle ends with (pkijs and asn1js,
 * vite.node.config.ts) is compiled and run only when the bundle first asks for it, with a cache of
 * its own, `<name>-<section>.v8-cache`, (re)written on exit when there was none or V8 rejected it.
 */
function runBundle(bundleUrl, name) {
  const bundle = fileURLToPath(bundleUrl);
  const bytes = readFileSync(bundle);
  const { main, section } = splitSection(bytes);
  const dir = cacheDir();
  const cacheFile = dir && join(dir, `${name}.v8-cache`);
  const {
    script,
    key,
    accepted,
    afterCheck: cachedAfterCheck,
  } = compile(main, bundle, [...MODULE_PARAMS, '__staplecheckSection'], cacheFile);
  const module = { exports: {} };
  if (cacheFile && !cachedAfterCheck) {
    writeCacheOnExit(cacheFile, key, script, () => {
      const afterCheck = module.exports.hasRunACheck?.() === true;
      return accepted && !afterCheck ? null : afterCheck;
    });
  }
  const require = createRequire(bundle);
  const sectionName = section?.name;
  let pending = section;
  let sectionExports = null;
  const loadSection = (wanted) => {
    if (wanted !== sectionName) throw new Error(`${bundle} has no section ${String(wanted)}`);
    if (sectionExports) return sectionExports;
    if (!pending) throw new Error(`${bundle}: section ${sectionName} failed to load`);
    const { line, bytes: sectionBytes } = pending;
    pending = null;
    const sectionCache = dir && join(dir, `${name}-${sectionName}.v8-cache`);
    const compiled = compile(sectionBytes, bundle, MODULE_PARAMS, sectionCache, line);
    if (sectionCache && !compiled.accepted) writeCacheOnExit(sectionCache, compiled.key, compiled.script, () => false);
    const sectionModule = { exports: {} };
    compiled.script.runInThisContext()(sectionModule.exports, require, sectionModule, bundle, dirname(bundle));
    sectionExports = sectionModule.exports;
    return sectionExports;
  };
  script.runInThisContext()(module.exports, require, module, bundle, dirname(bundle), loadSection);
  return module.exports;
}

/**
 * V8 flags the host runs with. The host answers small checks one after another for as long as the
 * browser keeps it, and its JavaScript is a thin layer over TLS and OpenSSL; what V8 does by default
 * for a long-running server costs it RSS and buys it nothing (`npm run bench`, 2,000 mixed checks):
 * - `--semi-space-growth-factor=1`: the young generation stays at its initial 1 MB per semi-space
 *   (V8 reads the factor each time it would grow it), where it otherwise grows to 16 MB under this
 *   load (121 MB after 2,000 checks without a cap, 98-101 MB with it alone).
 * - `--no-turbofan`, `--no-maglev`: no optimizing compiler. TurboFan's code and compile zones were
 *   ~10 MB of RSS, and its compiles cost more CPU than they saved: CPU per check 3.18 -> 2.90 ms
 *   (badge's check, known sites), 11.8 -> 8.0 ms (first-seen sites). The interpreter and Sparkplug
 *   still run. Maglev is off by default in Node 20 and on from Node 22.
 * - `--optimize-for-size`: old space grows by a smaller factor, so garbage promoted by the checks
 *   in flight is collected every few hundred checks instead of piling up to ~40 MB of heap before
 *   the first full GC (what made RSS climb from check 500 to 2,000).
 * - `--no-regexp-tier-up`: a regular expression is compiled to machine code on its first use, not
 *   first to bytecode that is interpreted and recompiled on the second. A cold start pays for the
 *   first use of each: Node's IPv6 pattern alone, which `tls.connect` runs on every host-name SNI
 *   and `tls.checkServerIdentity` on every trusted chain, took ~13 ms then ~3 ms, and takes ~3 ms
 *   once with it.
 * Together: 101 -> 61 MB after 2,000 checks, CPU per check 3.18 -> 2.83 ms.
 *
 * Set here, at run time, not on the command line: any V8 flag given to Node makes V8 refuse the
 * code cache Node ships for its own modules (the cache records the flags it was made under), and
 * `tls`, `net`, `dns` and `crypto` then compile from source on every start (~12 ms more to require
 * them here). So those modules are loaded first, then the flags set, then the bundle compiled under
 * them (its own code cache is made and checked under the same flags). Each flag is one V8 reads as
 * it runs, not only when Node starts (the semi-space cap is why the growth factor is used here
 * rather than `--max-semi-space-size`, which sizes the heap at start).
 */
const HOST_V8_FLAGS = Object.freeze([
  '--semi-space-growth-factor=1',
  '--no-turbofan',
  '--no-maglev',
  '--optimize-for-size',
  '--no-regexp-tier-up',
]);

/** Node's modules the host bundle needs at once, loaded under the default flags; then HOST_V8_FLAGS. */
function setHostV8Flags() {
  require('node:tls');
  require('node:dns/promises');
  const { setFlagsFromString } = require('node:v8');
  for (const flag of HOST_V8_FLAGS) setFlagsFromString(flag);
}

/** bin/staplecheck.js sets this before importing this file for runBundle alone. */
const LOADER_ONLY = Symbol.for('staplecheck.bin.loader-only');
module.exports = { runBundle, HOST_V8_FLAGS, setHostV8Flags };
if (!globalThis[LOADER_ONLY]) {
  setHostV8Flags();
  runBundle(new URL('../build/node/staplecheck-host.js', pathToFileURL(__filename)), 'host');
}
