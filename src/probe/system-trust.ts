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
import { readdirSync, readFileSync, statSync } from 'node:fs';
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

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[A-Za-z0-9+/=\s]+?-----END CERTIFICATE-----/g;

export interface SystemTrustSource {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
}

let cached: string[] | undefined;

/** This computer's trust anchors as PEM, read once per process. Never throws. */
export function systemRootCertificates(): readonly string[] {
  cached ??= readSystemRoots({ env: process.env, platform: process.platform });
  return cached;
}

/** The anchors `source` names, each once; an unreadable or missing store gives []. */
export function readSystemRoots(source: SystemTrustSource): string[] {
  if (source.platform === 'darwin' || source.platform === 'win32') return fromNode();
  const found = new Set<string>();
  const file = source.env.SSL_CERT_FILE ?? BUNDLE_FILES.find(isFile);
  if (file) collect(readSmallFile(file), found);
  // The hashed directory holds the same certificates the distributions concatenate into the
  // bundle: read it only when asked to or when there is no bundle (hundreds of small reads saved).
  const dir = source.env.SSL_CERT_DIR ?? (file ? '' : BUNDLE_DIR);
  // SSL_CERT_DIR may list several directories, like PATH (OpenSSL's rule).
  for (const each of dir.split(':').filter(Boolean)) {
    for (const name of listDir(each)) {
      if (found.size >= MAX_CERTIFICATES) break;
      // The hashed links (`5ad8a5d6.0`) and `*.pem`/`*.crt` files; the bundle itself is read above.
      if (!/\.(pem|crt|\d+)$/.test(name)) continue;
      const path = join(each, name);
      if (path === file) continue;
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
  for (const match of text.matchAll(PEM_CERTIFICATE)) {
    if (into.size >= MAX_CERTIFICATES) return;
    into.add(match[0]);
  }
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

function readSmallFile(path: string): string {
  try {
    const stat = statSync(path);
    if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return '';
    return readFileSync(path, 'latin1');
  } catch {
    return '';
  }
}

function listDir(path: string): string[] {
  try {
    return readdirSync(path).sort();
  } catch {
    return [];
  }
}

const pemBody = (pem: string): string => pem.replace(/-----[A-Z ]+-----|\s/g, '');

/** Node's bundled roots, this computer's and `extra`, each certificate once (compared by its base64). */
export function mergeTrustAnchors(...sets: ReadonlyArray<readonly string[]>): string[] {
  const seen = new Set<string>();
  const merged: string[] = [];
  for (const set of sets) {
    for (const pem of set) {
      const body = pemBody(pem);
      if (seen.has(body)) continue;
      seen.add(body);
      merged.push(pem);
    }
  }
  return merged;
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
 * Whether Node's default store holds exactly its bundled roots (`tls.rootCertificates`) and nothing
 * else. Not when NODE_EXTRA_CA_CERTS adds to it, when `--use-openssl-ca` / `--use-system-ca` (or
 * NODE_USE_SYSTEM_CA) or a distribution's build (NODE_OPENSSL_CERT_STORE, an
 * NODE_OPENSSL_SYSTEM_CERT_PATH) makes it OpenSSL's or the system's, or when we cannot tell.
 */
export function defaultStoreIsBundledRoots(source: DefaultStoreSource): boolean {
  if (source.env.NODE_EXTRA_CA_CERTS || source.env.NODE_USE_SYSTEM_CA) return false;
  const words = [...source.execArgv, ...(source.env.NODE_OPTIONS ?? '').split(/\s+/)];
  if (words.some((word) => /^--use-(openssl|system)-ca\b/.test(word))) return false;
  return !source.buildDefines.some(
    (define) => define === 'NODE_OPENSSL_CERT_STORE' || /^NODE_OPENSSL_SYSTEM_CERT_PATH=(?!""$)./.test(define),
  );
}

/** The running Node's answer to {@link defaultStoreIsBundledRoots}, asked once. */
let defaultStoreBundled: boolean | undefined;
function runningDefaultStoreIsBundledRoots(): boolean {
  const defines = (process.config as { target_defaults?: { defines?: unknown } }).target_defaults?.defines;
  defaultStoreBundled ??=
    Array.isArray(defines) &&
    defines.every((d) => typeof d === 'string') &&
    defaultStoreIsBundledRoots({ execArgv: process.execArgv, env: process.env, buildDefines: defines as string[] });
  return defaultStoreBundled;
}

/** The native context's one method we use: Node's own `ca` option adds each certificate with it. */
interface NativeContext {
  addCACert?: (pem: string) => void;
}

/**
 * A client context trusting Node's bundled roots, this computer's (systemRootCertificates) and
 * `extraCaPem`: the trust `chain.trusted` reports (header comment). Giving them all as `ca` costs
 * tens of milliseconds: OpenSSL parses and adds each of the ~150 roots one by one, at a cost
 * that grows with the store. Node's default store already holds its bundled roots, parsed once per
 * process and shared by every context made without `ca`, and this computer's roots are mostly the
 * same Mozilla set: so, when the default store is exactly the bundled roots, start from it and add
 * only the anchors it lacks (on Debian, a dozen). Anywhere else (defaultStoreIsBundledRoots), the
 * full list as `ca`, as before: the same set of anchors either way.
 */
export function createTrustingContext(
  extraCaPem: readonly string[],
  options: Omit<tls.SecureContextOptions, 'ca'>,
): tls.SecureContext {
  if (runningDefaultStoreIsBundledRoots()) {
    const context = tls.createSecureContext(options);
    const native = (context as { context?: NativeContext }).context;
    if (typeof native?.addCACert === 'function') {
      for (const pem of anchorsBeyondBundled(extraCaPem)) native.addCACert(pem);
      return context;
    }
  }
  return tls.createSecureContext({
    ...options,
    ca: mergeTrustAnchors(tls.rootCertificates, systemRootCertificates(), extraCaPem),
  });
}

let bundledBodies: Set<string> | undefined;
let systemBeyondBundled: string[] | undefined;

/** This computer's anchors and `extraCaPem` that are not among Node's bundled roots, each once. */
export function anchorsBeyondBundled(extraCaPem: readonly string[]): string[] {
  bundledBodies ??= new Set(tls.rootCertificates.map(pemBody));
  const bundled = bundledBodies;
  systemBeyondBundled ??= mergeTrustAnchors(systemRootCertificates()).filter((pem) => !bundled.has(pemBody(pem)));
  return mergeTrustAnchors(systemBeyondBundled, extraCaPem).filter((pem) => !bundled.has(pemBody(pem)));
}
