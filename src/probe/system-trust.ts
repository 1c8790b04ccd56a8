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

/** A PEM certificate's base64 alone: the same certificate whatever its labels and line breaks. */
function pemBody(pem: string): string {
  return pem.replace(/-----[A-Z ]+-----|\s/g, '');
}

let bundledBodies: Set<string> | undefined;

/** The native half of a SecureContext: `addCACert` is what `tls.createSecureContext({ ca })` calls per entry. */
interface NativeSecureContext {
  addCACert?: (pem: string) => void;
}

/**
 * A client context trusting Node's bundled roots, this computer's (systemRootCertificates) and
 * `extraCaPem`. Built without `ca`, a context uses the root store Node parses once per process and
 * shares; the anchors Node does not bundle (on a typical Linux a dozen of the store's ~150) are then
 * added to this context alone. Passing all ~290 as `ca` parsed every one again for every context:
 * ~1.2 MB of OpenSSL memory and 70–80 ms per context (the probe keeps one per trust set and offer,
 * handshake.ts and variants.ts), for the same anchors.
 */
export function secureContextTrusting(
  extraCaPem: readonly string[],
  options: Omit<tls.SecureContextOptions, 'ca'>,
): tls.SecureContext {
  const extra = mergeTrustAnchors(systemRootCertificates(), extraCaPem);
  const context = tls.createSecureContext(options);
  const native = context.context as NativeSecureContext;
  // Node has had this method since its first TLS; should one drop it, the old way still works.
  if (typeof native.addCACert !== 'function') {
    return tls.createSecureContext({ ...options, ca: mergeTrustAnchors(tls.rootCertificates, extra) });
  }
  bundledBodies ??= new Set(tls.rootCertificates.map(pemBody));
  for (const pem of extra) {
    if (!bundledBodies.has(pemBody(pem))) native.addCACert(pem);
  }
  return context;
}
