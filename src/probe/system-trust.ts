// The operating system's trust anchors, added to Node's bundled roots so that a chain ending in a
// CA this computer trusts (a company, school or local development CA) counts as trusted, as it
// does in the user's browser. Trust only ever decides `chain.trusted`, never the staple verdict.
//
// Read the way the running Node allows:
// - Linux and other Unix: OpenSSL's default locations, which is what browsers on Linux and
//   `openssl s_client` use — the bundle file and the hashed directory, overridable with the
//   standard SSL_CERT_FILE and SSL_CERT_DIR variables (so tests use a throwaway store).
// - macOS and Windows: `tls.getCACertificates('system')` (Keychain / Windows certificate store),
//   which Node has from 22.15 and 23.5; on an older Node there the bundled roots are all we have.
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readdirSync,
  readlinkSync,
  readSync,
  statSync,
  type Dirent,
} from 'node:fs';
import { hash } from 'node:crypto';
import { join } from 'node:path';
import * as tls from 'node:tls';

/** Debian/Ubuntu, Fedora/RHEL, openSUSE, Alpine, Arch: the first that exists is OpenSSL's default. */
const BUNDLE_FILES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];
const BUNDLE_DIR = '/etc/ssl/certs';

/** A store larger than this is not a trust store; read no further (bounded memory). */
const MAX_FILE_BYTES = 8 * 1024 * 1024;
const MAX_CERTIFICATES = 4096;

const PEM_BEGIN = '-----BEGIN CERTIFICATE-----';
const PEM_END = '-----END CERTIFICATE-----';
/** A character that cannot be in a PEM body (base64 and white space). */
const NOT_PEM_BODY = /[^A-Za-z0-9+/=\s]/;

export interface SystemTrustSource {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

let cached: string[] | undefined;

/** This computer's trust anchors as PEM, read once per process. Never throws. */
export function systemRootCertificates(): readonly string[] {
  cached ??= readSystemRoots({ env: process.env, platform: process.platform }).map(detached);
  return cached;
}

/** `path`'s text, read once per `files` when given. */
function readStoreFile(path: string, files?: Map<string, string>): string {
  let text = files?.get(path);
  if (text === undefined) {
    text = readSmallFile(path);
    files?.set(path, text);
  }
  return text;
}

/** The anchors `source` names, each once; an unreadable or missing store gives []. */
export function readSystemRoots(source: SystemTrustSource, files?: Map<string, string>): string[] {
  if (source.platform === 'darwin' || source.platform === 'win32') return fromNode();
  const found = new Set<string>();
  const file = source.env.SSL_CERT_FILE ?? BUNDLE_FILES.find(isFile);
  if (file) collect(readStoreFile(file, files), found);
  // The hashed directory holds the same certificates the distributions concatenate into the
  // bundle: read it only when asked to or when there is no bundle (hundreds of small reads saved).
  const dir = source.env.SSL_CERT_DIR ?? (file ? '' : BUNDLE_DIR);
  // SSL_CERT_DIR may list several directories, like PATH (OpenSSL's rule).
  for (const each of dir.split(':').filter(Boolean)) {
    // A hashed link names a file beside it (`5ad8a5d6.0` -> `Some_CA.pem`): each such file is read
    // once, under whichever of its names comes first, which half the reads of /etc/ssl/certs.
    const read = new Set<string>();
    for (const entry of listDir(each)) {
      if (found.size >= MAX_CERTIFICATES) break;
      const name = entry.name;
      // The hashed links (`5ad8a5d6.0`) and `*.pem`/`*.crt` files; the bundle itself is read above.
      if (!/\.(pem|crt|\d+)$/.test(name)) continue;
      const path = join(each, name);
      if (path === file) continue;
      // Only a hashed link is asked where it points: a `*.pem` or `*.crt` link is read under its own
      // name (Debian's each point into /usr/share, where a readlink finds no sibling), and a second
      // name of a file here that way adds no certificate twice (`found` is a set).
      const sibling = entry.isSymbolicLink() && /\.\d+$/.test(name) ? siblingTarget(path) : null;
      const content = sibling ?? name;
      if (read.has(content)) continue;
      read.add(content);
      collect(readSmallFile(path), found);
    }
  }
  return [...found];
}

function fromNode(): string[] {
  const read = (tls as { getCACertificates?: (type: 'system') => string[] }).getCACertificates;
  if (typeof read !== 'function') return [];
  try {
    return read('system').slice(0, MAX_CERTIFICATES);
  } catch {
    return [];
  }
}

function collect(text: string, into: Set<string>): void {
  for (const block of pemBlocks(text, Number.POSITIVE_INFINITY)) {
    if (into.size >= MAX_CERTIFICATES) return;
    into.add(block);
  }
}

/**
 * The same text in a string of its own. A slice of a string is a view that keeps the whole string
 * alive in V8: a kept certificate sliced from the bundle would keep the ~220 KB file for as long as
 * the host runs. readSystemRoots gives slices; what is kept for the life of the process is copied
 * (systemRootCertificates, anchorsBeyondBundled), the rest (on Debian, all but a dozen) is dropped
 * with the files it was read from, never copied.
 */
function detached(text: string): string {
  return Buffer.from(text, 'latin1').toString('latin1');
}

/**
 * The first `limit` `BEGIN CERTIFICATE` blocks (a file is at most MAX_FILE_BYTES) whose body is base64 and white space, in order.
 * Found with indexOf, not one regular expression over the whole store: V8 compiles a
 * lazy-quantifier pattern to native code on its second use, which cost ~13 ms on a Debian bundle,
 * longer than reading it.
 */
function pemBlocks(text: string, limit: number): string[] {
  const blocks: string[] = [];
  let from = 0;
  while (blocks.length < limit) {
    const begin = text.indexOf(PEM_BEGIN, from);
    if (begin < 0) break;
    const end = text.indexOf(PEM_END, begin + PEM_BEGIN.length);
    if (end < 0) break;
    const body = text.slice(begin + PEM_BEGIN.length, end);
    if (body.length === 0 || NOT_PEM_BODY.test(body)) {
      // Not a certificate: the next BEGIN may still start one (even one inside this block).
      from = begin + 1;
      continue;
    }
    blocks.push(text.slice(begin, end + PEM_END.length));
    from = end + PEM_END.length;
  }
  return blocks;
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * A regular file's text, or '' for anything else or anything larger than MAX_FILE_BYTES. One open
 * and one fstat per file (a hashed directory is hundreds of files); O_NONBLOCK so that a FIFO
 * named like a certificate cannot hold the open.
 */
function readSmallFile(path: string): string {
  let fd = -1;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return '';
    const buffer = Buffer.allocUnsafe(stat.size);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    return buffer.toString('latin1', 0, length);
  } catch {
    return '';
  } finally {
    if (fd >= 0) closeSync(fd);
  }
}

function listDir(path: string): Dirent[] {
  try {
    return readdirSync(path, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  } catch {
    return [];
  }
}

/** The name a symbolic link points to when that is a file in the same directory, else null. */
function siblingTarget(path: string): string | null {
  try {
    const target = readlinkSync(path);
    return /[/\\]/.test(target) || target === '.' || target === '..' ? null : target;
  } catch {
    return null;
  }
}

const pemBody = (pem: string): string => pem.replace(/-----[A-Z ]+-----|\s/g, '');

/**
 * What tells anchors apart for as long as the process runs: the SHA-256 of a certificate's base64
 * (pemBody), 44 characters where the body is ~1.8 KB (the host keeps these sets while it lives).
 */
const bodyKey = (body: string): string => hash('sha256', body, 'base64');
const anchorKey = (pem: string): string => bodyKey(pemBody(pem));

let bundledKeys: Set<string> | undefined;

/** Node's bundled roots (`tls.rootCertificates`), by anchorKey; computed once. */
function bundledAnchorKeys(): Set<string> {
  bundledKeys ??= new Set(tls.rootCertificates.map(anchorKey));
  return bundledKeys;
}

/** Node's bundled roots, this computer's and `extra`, each certificate once (compared by its base64). */
export function mergeTrustAnchors(...sets: ReadonlyArray<readonly string[]>): string[] {
  return mergeKeeping(sets, () => true);
}

/** The certificates of `sets`, each once (by its base64), that `keep` takes; each base64 is taken once. */
function mergeKeeping(sets: ReadonlyArray<readonly string[]>, keep: (body: string) => boolean): string[] {
  const seen = new Set<string>();
  const kept: string[] = [];
  for (const set of sets) {
    for (const pem of set) {
      const body = pemBody(pem);
      if (seen.has(body)) continue;
      seen.add(body);
      if (keep(body)) kept.push(pem);
    }
  }
  return kept;
}

/** What decides the store a context made without `ca` starts from (Node's default store). */
export interface DefaultStoreSource {
  /** `process.execArgv` and `NODE_OPTIONS`'s words: `--use-openssl-ca` swaps the store. */
  execArgv: readonly string[];
  env: NodeJS.ProcessEnv;
  /** `process.config.target_defaults.defines`: how this Node was built. */
  buildDefines: readonly string[];
}

/**
 * Whether Node's default store is its bundled roots (`tls.rootCertificates`), plus at most the
 * certificates of NODE_EXTRA_CA_CERTS. Not when `--use-openssl-ca` / `--use-system-ca` (or
 * NODE_USE_SYSTEM_CA) or a distribution's build (NODE_OPENSSL_CERT_STORE, a
 * NODE_OPENSSL_SYSTEM_CERT_PATH) makes it OpenSSL's or the system's.
 */
export function defaultStoreIsBundledRoots(source: DefaultStoreSource): boolean {
  if (source.env.NODE_USE_SYSTEM_CA) return false;
  const words = [...source.execArgv, ...(source.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (words.some((word) => /^--use-(openssl|system)-ca\b/.test(word))) return false;
  return !source.buildDefines.some(
    (define) => define === 'NODE_OPENSSL_CERT_STORE' || /^NODE_OPENSSL_SYSTEM_CERT_PATH=(?!""$)./.test(define),
  );
}

/**
 * The bodies of the certificates NODE_EXTRA_CA_CERTS adds to the default store; null when the
 * file holds anything we cannot account for (a block we would not take, a file we cannot read or
 * that is too large), since Node may still have added it.
 */
export function extraCaCertBodies(env: NodeJS.ProcessEnv, files?: Map<string, string>): Set<string> | null {
  const path = env.NODE_EXTRA_CA_CERTS;
  if (!path) return new Set();
  const text = readStoreFile(path, files);
  const blocks = pemBlocks(text, MAX_CERTIFICATES);
  if (blocks.length === 0 || blocks.length !== text.split('-----BEGIN ').length - 1) return null;
  return new Set(blocks.map(pemBody));
}

interface DefaultStore {
  /** What NODE_EXTRA_CA_CERTS added to the default store that Node does not bundle, by anchorKey. */
  extraBeyondBundled: string[];
}

let defaultStore: DefaultStore | null | undefined;

/** What the running Node's default store holds, as certificate bodies; null when we cannot tell. */
function runningDefaultStore(files?: Map<string, string>): DefaultStore | null {
  if (defaultStore !== undefined) return defaultStore;
  const defines = (process.config as { target_defaults?: { defines?: unknown } }).target_defaults?.defines;
  const known =
    Array.isArray(defines) &&
    defines.every((d) => typeof d === 'string') &&
    defaultStoreIsBundledRoots({ execArgv: process.execArgv, env: process.env, buildDefines: defines as string[] });
  const extraCaCerts = known ? extraCaCertBodies(process.env, files) : null;
  if (!extraCaCerts) return (defaultStore = null);
  const bundled = bundledAnchorKeys();
  defaultStore = { extraBeyondBundled: [...extraCaCerts].map(bodyKey).filter((key) => !bundled.has(key)) };
  return defaultStore;
}

/** The native context's one method we use: Node's own `ca` option adds each certificate with it. */
interface NativeContext {
  addCACert?: (pem: string) => void;
}

/**
 * A client context trusting Node's bundled roots, this computer's (systemRootCertificates) and
 * `extraCaPem`: the trust `chain.trusted` reports (header comment). Giving them all as `ca` costs
 * tens of milliseconds: OpenSSL parses and adds each of the ~150 roots one by one, at a cost that
 * grows with the store. Node's default store already holds its bundled roots, parsed once per
 * process and shared by every context made without `ca`, and this computer's roots are mostly the
 * same Mozilla set: so start from it and add only the anchors it lacks (on Debian, a dozen) when
 * that gives the same anchors: the default store is the bundled roots (defaultStoreIsBundledRoots)
 * and whatever NODE_EXTRA_CA_CERTS added to it is among the anchors anyway. Otherwise the full list
 * as `ca`, as before.
 */
export function createTrustingContext(
  extraCaPem: readonly string[],
  options: Omit<tls.SecureContextOptions, 'ca'>,
): tls.SecureContext {
  // The bundle is often NODE_EXTRA_CA_CERTS too (Debian images, CI): the first context reads and
  // splits it once for both questions, and the text is dropped with this call.
  const files = new Map<string, string>();
  const store = runningDefaultStore(files);
  if (store) {
    const beyond = anchorsBeyondBundled(extraCaPem, files);
    const anchors = new Set(beyond.map(anchorKey));
    const sameAnchors = store.extraBeyondBundled.every((key) => anchors.has(key));
    const context = sameAnchors ? tls.createSecureContext(options) : null;
    const native = (context as { context?: NativeContext } | null)?.context;
    if (context && typeof native?.addCACert === 'function') {
      for (const pem of beyond) native.addCACert(pem);
      return context;
    }
  }
  return tls.createSecureContext({
    ...options,
    ca: mergeTrustAnchors(tls.rootCertificates, systemRootCertificates(), extraCaPem),
  });
}

let systemBeyondBundled: string[] | undefined;

/**
 * This computer's anchors and `extraCaPem` that are not among Node's bundled roots, each once.
 * Of this computer's store only those are kept (a dozen on Debian): the ~150 others were read once
 * to find them, and are not held for the life of the host unless a context needs them all
 * (systemRootCertificates).
 */
export function anchorsBeyondBundled(extraCaPem: readonly string[], files?: Map<string, string>): string[] {
  const bundled = bundledAnchorKeys();
  systemBeyondBundled ??= notBundled(bundled, [
    cached ?? readSystemRoots({ env: process.env, platform: process.platform }, files),
  ]).map(detached);
  return notBundled(bundled, [systemBeyondBundled, extraCaPem]);
}

/** mergeTrustAnchors(...sets) without the certificates among `bundled` (anchorKeys). */
function notBundled(bundled: ReadonlySet<string>, sets: ReadonlyArray<readonly string[]>): string[] {
  return mergeKeeping(sets, (body) => !bundled.has(bodyKey(body)));
}
