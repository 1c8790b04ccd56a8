// Reading this computer's trust anchors (src/probe/system-trust.ts) from throwaway OpenSSL-style
// stores named by SSL_CERT_FILE and SSL_CERT_DIR: which files are read, which certificates are taken
// from them, and the bounds on a store that is too large. The certificates are the committed
// fixtures (test/fixtures/minted) plus synthetic PEM blocks where only the count matters.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import type { AddressInfo } from 'node:net';
import * as NodeTls from 'node:tls';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { mintScenario } from '../support/mint.js';
import {
  anchorsBeyondBundled,
  createTrustingContext,
  defaultStoreIsBundledRoots,
  extraCaCertBodies,
  mergeTrustAnchors,
  readSystemRoots,
  systemRootCertificates,
} from '../../src/probe/system-trust.js';

// macOS and Windows read the system store through `tls.getCACertificates('system')` (Node 22.15,
// 23.5); this Node may not have it, so the test stands in for it (what it answers is set per test).
const nodeStore = vi.hoisted(() => ({ answer: undefined as (() => string[]) | undefined }));
vi.mock('node:tls', async (original) => {
  const real = await original<typeof NodeTls>();
  return {
    ...real,
    get getCACertificates() {
      return nodeStore.answer && ((type: string) => (type === 'system' ? (nodeStore.answer?.() ?? []) : []));
    },
  };
});

const MINTED = new URL('../fixtures/minted/', import.meta.url);
const pem = (name: string) => readFileSync(new URL(name, MINTED), 'latin1').trim();
const ROOT = pem('root.pem');
const INTERMEDIATE = pem('intermediate.pem');
const LEAF = pem('leaf.pem');
const OTHER_ROOT = pem('other-root.pem');

/** A PEM block of the right shape (its content is never parsed here). */
const synthetic = (n: number) =>
  `-----BEGIN CERTIFICATE-----\nAAAA${n.toString(16).padStart(8, '0')}\n-----END CERTIFICATE-----`;

let base: string;
const at = (...parts: string[]) => join(base, ...parts);

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'system-trust-unit-'));
  // A bundle with text between and around its certificates, and a block that is no certificate.
  writeFileSync(
    at('bundle.crt'),
    `# a comment\n${ROOT}\nsome text\n${INTERMEDIATE}${LEAF}\n-----BEGIN CERTIFICATE-----\nnot*base64\n-----END CERTIFICATE-----\n`,
  );
  mkdirSync(at('hashed'));
  writeFileSync(at('hashed', '5ad8a5d6.0'), `${OTHER_ROOT}\n`);
  writeFileSync(at('hashed', 'b.pem'), `${LEAF}\n`);
  writeFileSync(at('hashed', 'a.crt'), `${ROOT}\n`);
  writeFileSync(at('hashed', 'notes.txt'), `${INTERMEDIATE}\n`);
  writeFileSync(at('hashed', 'f00dcafe.10'), `${synthetic(10)}\n`);
  writeFileSync(at('hashed', 'key.pem.bak'), `${INTERMEDIATE}\n`);
  mkdirSync(at('hashed', 'sub.pem'));
  mkdirSync(at('second'));
  writeFileSync(at('second', 'c.pem'), `${INTERMEDIATE}\n`);
  // 4097 distinct blocks: one more than a store may give.
  writeFileSync(at('many.pem'), Array.from({ length: 4097 }, (_, i) => synthetic(i)).join('\n'));
  // The size bound, 8 MiB: a store of exactly that size is read, one byte more is not.
  const limit = 8 * 1024 * 1024;
  const block = `${ROOT}\n`;
  writeFileSync(at('at-limit.pem'), block + ' '.repeat(limit - block.length));
  writeFileSync(at('over-limit.pem'), block + ' '.repeat(limit - block.length + 1));
});

afterAll(() => {
  rmSync(base, { recursive: true, force: true });
});

const linux = (env: NodeJS.ProcessEnv) => readSystemRoots({ env, platform: 'linux' });

describe('readSystemRoots on Linux and other Unix (OpenSSL locations)', () => {
  it('takes every certificate of SSL_CERT_FILE, in order, and nothing that is not one', () => {
    expect(linux({ SSL_CERT_FILE: at('bundle.crt') })).toEqual([ROOT, INTERMEDIATE, LEAF]);
  });

  it('does not read the hashed directory when a bundle file was named and no directory was', () => {
    // /etc/ssl/certs holds hundreds of certificates, none of them these.
    expect(linux({ SSL_CERT_FILE: at('hashed', 'b.pem') })).toEqual([LEAF]);
  });

  it('reads SSL_CERT_DIR: the hashed links, *.pem and *.crt, in name order; no other file, no directory', () => {
    expect(linux({ SSL_CERT_FILE: at('missing.pem'), SSL_CERT_DIR: at('hashed') })).toEqual([
      OTHER_ROOT,
      ROOT,
      LEAF,
      synthetic(10),
    ]);
  });

  it('reads SSL_CERT_FILE and SSL_CERT_DIR both, each certificate once', () => {
    expect(linux({ SSL_CERT_FILE: at('bundle.crt'), SSL_CERT_DIR: at('hashed') })).toEqual([
      ROOT,
      INTERMEDIATE,
      LEAF,
      OTHER_ROOT,
      synthetic(10),
    ]);
  });

  it('reads every directory of a colon-separated SSL_CERT_DIR, skipping empty entries', () => {
    expect(linux({ SSL_CERT_FILE: at('missing.pem'), SSL_CERT_DIR: `:${at('second')}::${at('hashed')}:` })).toEqual([
      INTERMEDIATE,
      OTHER_ROOT,
      ROOT,
      LEAF,
      synthetic(10),
    ]);
  });

  it('reads a directory in name order, whatever order it lists in', () => {
    mkdirSync(at('ordered'));
    for (let i = 9; i >= 0; i--) writeFileSync(at('ordered', `${i}${'x'.repeat(i)}.pem`), `${synthetic(100 + i)}\n`);
    expect(linux({ SSL_CERT_FILE: at('missing.pem'), SSL_CERT_DIR: at('ordered') })).toEqual(
      Array.from({ length: 10 }, (_, i) => synthetic(100 + i)),
    );
  });

  it('with no variable set, reads the first bundle of the usual places that exists', () => {
    const bundle = [
      '/etc/ssl/certs/ca-certificates.crt',
      '/etc/pki/tls/certs/ca-bundle.crt',
      '/etc/ssl/ca-bundle.pem',
      '/etc/ssl/cert.pem',
    ].find((path) => {
      try {
        return readFileSync(path).length > 0;
      } catch {
        return false;
      }
    });
    const roots = linux({});
    if (bundle === undefined) return;
    expect(roots).toEqual(linux({ SSL_CERT_FILE: bundle }));
    expect(roots.length).toBeGreaterThan(0);
  });

  it('with an empty SSL_CERT_FILE and no directory named, falls back to the default hashed directory', () => {
    const fromDefaultDir = linux({ SSL_CERT_FILE: '' });
    expect(fromDefaultDir.length).toBeGreaterThan(0);
    expect(fromDefaultDir).not.toContain(ROOT);
    // An empty directory list reads nothing at all.
    expect(linux({ SSL_CERT_FILE: '', SSL_CERT_DIR: '' })).toEqual([]);
  });

  it('gives [] for a missing file, a directory named as the file, or a missing directory', () => {
    expect(linux({ SSL_CERT_FILE: at('missing.pem') })).toEqual([]);
    expect(linux({ SSL_CERT_FILE: at('hashed') })).toEqual([]);
    expect(linux({ SSL_CERT_FILE: at('missing.pem'), SSL_CERT_DIR: at('no-such-dir') })).toEqual([]);
  });

  it('keeps at most 4096 certificates, the first ones, and then reads no directory', () => {
    const roots = linux({ SSL_CERT_FILE: at('many.pem'), SSL_CERT_DIR: at('hashed') });
    expect(roots).toHaveLength(4096);
    expect(roots[0]).toBe(synthetic(0));
    expect(roots[4095]).toBe(synthetic(4095));
    expect(roots).not.toContain(OTHER_ROOT);
  });

  it('stops at 4096 within a directory too', () => {
    mkdirSync(at('crowded'));
    writeFileSync(at('crowded', 'a.pem'), Array.from({ length: 4095 }, (_, i) => synthetic(i)).join('\n'));
    writeFileSync(at('crowded', 'b.pem'), `${ROOT}\n${INTERMEDIATE}\n`);
    writeFileSync(at('crowded', 'c.pem'), `${LEAF}\n`);
    const roots = linux({ SSL_CERT_FILE: at('missing.pem'), SSL_CERT_DIR: at('crowded') });
    expect(roots).toHaveLength(4096);
    expect(roots.at(-1)).toBe(ROOT);
  });

  it('reads a store of 8 MiB, and none larger', () => {
    expect(linux({ SSL_CERT_FILE: at('at-limit.pem') })).toEqual([ROOT]);
    expect(linux({ SSL_CERT_FILE: at('over-limit.pem') })).toEqual([]);
  });
});

describe('readSystemRoots on macOS and Windows', () => {
  it('never reads the OpenSSL variables there (the store is the system one, from Node when it has it)', () => {
    for (const platform of ['darwin', 'win32'] as const) {
      const roots = readSystemRoots({ env: { SSL_CERT_FILE: at('bundle.crt'), SSL_CERT_DIR: at('hashed') }, platform });
      expect(roots).not.toContain(ROOT);
    }
  });

  it('takes the system store from Node, at most 4096 certificates, and [] when Node has none or fails', () => {
    try {
      nodeStore.answer = () => [ROOT, LEAF];
      expect(readSystemRoots({ env: {}, platform: 'darwin' })).toEqual([ROOT, LEAF]);
      nodeStore.answer = () => Array.from({ length: 4097 }, (_, i) => synthetic(i));
      const many = readSystemRoots({ env: {}, platform: 'win32' });
      expect(many).toHaveLength(4096);
      expect(many[4095]).toBe(synthetic(4095));
      nodeStore.answer = () => {
        throw new Error('no store');
      };
      expect(readSystemRoots({ env: {}, platform: 'darwin' })).toEqual([]);
      nodeStore.answer = undefined;
      expect(readSystemRoots({ env: {}, platform: 'darwin' })).toEqual([]);
    } finally {
      nodeStore.answer = undefined;
    }
  });
});

describe('systemRootCertificates', () => {
  it('reads the store once per process', () => {
    const first = systemRootCertificates();
    expect(first).toEqual(readSystemRoots({ env: process.env, platform: process.platform }));
    expect(systemRootCertificates()).toBe(first);
  });
});

describe('mergeTrustAnchors', () => {
  it('keeps each certificate once, compared by its base64 whatever the line breaks, first copy kept', () => {
    const rewrapped = ROOT.replace(/\n/g, '\r\n').replace(/(-----\r\n)/, '$1 ');
    const unwrapped = `-----BEGIN CERTIFICATE-----${ROOT.replace(/-----[A-Z ]+-----|\s/g, '')}-----END CERTIFICATE-----`;
    expect(mergeTrustAnchors([ROOT, INTERMEDIATE], [rewrapped, LEAF], [unwrapped, INTERMEDIATE, OTHER_ROOT])).toEqual([
      ROOT,
      INTERMEDIATE,
      LEAF,
      OTHER_ROOT,
    ]);
    expect(mergeTrustAnchors()).toEqual([]);
    expect(mergeTrustAnchors([], [LEAF])).toEqual([LEAF]);
  });

  it('tells certificates apart by their content, not their labels', () => {
    // The same base64 under another label is the same certificate; different base64 is not.
    const relabelled = ROOT.replace(/CERTIFICATE/g, 'TRUSTED CERTIFICATE');
    expect(mergeTrustAnchors([ROOT], [relabelled])).toEqual([ROOT]);
    expect(mergeTrustAnchors([synthetic(1)], [synthetic(2)])).toEqual([synthetic(1), synthetic(2)]);
  });
});

describe('createTrustingContext', () => {
  // A freshly minted chain (leaf, intermediate) under a private root, served on loopback: trusted
  // exactly when the context knows that root.
  let server: NodeTls.Server;
  let root: string;
  beforeAll(async () => {
    const scenario = await mintScenario({ now: new Date() });
    root = scenario.root.pem;
    server = NodeTls.createServer({ cert: scenario.chainPem(scenario.leaf), key: scenario.leaf.keys.privateKeyPem });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const authorizationError = (secureContext: NodeTls.SecureContext): Promise<string | null> =>
    new Promise((resolve, reject) => {
      const port = (server.address() as AddressInfo).port;
      const socket = NodeTls.connect({ host: '127.0.0.1', port, rejectUnauthorized: false, secureContext }, () => {
        resolve(socket.authorizationError ? String(socket.authorizationError) : null);
        socket.destroy();
      });
      socket.on('error', reject);
    });
  const UNTRUSTED = 'UNABLE_TO_GET_ISSUER_CERT_LOCALLY';

  it('trusts the extra anchors, and keeps them to that context (the root store Node shares is left alone)', async () => {
    expect(await authorizationError(createTrustingContext([], { minVersion: 'TLSv1' }))).toBe(UNTRUSTED);
    expect(await authorizationError(createTrustingContext([root], { minVersion: 'TLSv1' }))).toBeNull();
    expect(await authorizationError(createTrustingContext([], { minVersion: 'TLSv1' }))).toBe(UNTRUSTED);
    expect(await authorizationError(NodeTls.createSecureContext({}))).toBe(UNTRUSTED);
  });

  it('adds nothing for a text with no certificate in it, and takes it without an error (as `ca` does)', async () => {
    expect(await authorizationError(createTrustingContext(['# not a certificate'], {}))).toBe(UNTRUSTED);
  });
});

describe('defaultStoreIsBundledRoots', () => {
  const plain = { execArgv: [], env: {}, buildDefines: ['NODE_OPENSSL_CONF_NAME=nodejs_conf'] };

  it('is so for a Node as nodejs.org builds it, started without store options', () => {
    expect(defaultStoreIsBundledRoots(plain)).toBe(true);
    expect(defaultStoreIsBundledRoots({ ...plain, execArgv: ['--max-semi-space-size=1'] })).toBe(true);
    expect(defaultStoreIsBundledRoots({ ...plain, buildDefines: ['NODE_OPENSSL_SYSTEM_CERT_PATH=""'] })).toBe(true);
  });

  it('is not when an option, a variable or the build makes the default store another one', () => {
    for (const source of [
      { ...plain, env: { NODE_USE_SYSTEM_CA: '1' } },
      { ...plain, execArgv: ['--use-openssl-ca'] },
      { ...plain, execArgv: ['--use-system-ca'] },
      { ...plain, env: { NODE_OPTIONS: '--max-old-space-size=64  --use-openssl-ca' } },
      { ...plain, buildDefines: ['NODE_OPENSSL_CERT_STORE'] },
      { ...plain, buildDefines: ['NODE_OPENSSL_SYSTEM_CERT_PATH="/etc/ssl/cert.pem"'] },
    ]) {
      expect(defaultStoreIsBundledRoots(source), JSON.stringify(source)).toBe(false);
    }
  });
});

describe('readSystemRoots over hashed links', () => {
  it('reads a file once under its first name, in the order the names sort, and follows other links', () => {
    mkdirSync(at('links'));
    writeFileSync(at('links', 'b.pem'), `${LEAF}\n`);
    writeFileSync(at('links', 'c.pem'), `${ROOT}\n`);
    symlinkSync('c.pem', at('links', '0a0a0a0a.0'));
    symlinkSync('b.pem', at('links', 'ffffffff.0'));
    symlinkSync(at('hashed', '5ad8a5d6.0'), at('links', '11111111.0'));
    expect(linux({ SSL_CERT_FILE: at('none.crt'), SSL_CERT_DIR: at('links') })).toEqual([ROOT, OTHER_ROOT, LEAF]);
  });
});

describe('extraCaCertBodies (what NODE_EXTRA_CA_CERTS adds to the default store)', () => {
  const body = (p: string) => p.replace(/-----[A-Z ]+-----|\s/g, '');

  it('is nothing without the variable, and each certificate of its file', () => {
    expect(extraCaCertBodies({})).toEqual(new Set());
    writeFileSync(at('extra.pem'), `# ours\n${ROOT}\n${INTERMEDIATE}\n${ROOT}\n`);
    expect(extraCaCertBodies({ NODE_EXTRA_CA_CERTS: at('extra.pem') })).toEqual(
      new Set([body(ROOT), body(INTERMEDIATE)]),
    );
  });

  it('is unknown (null) for a file it cannot account for block by block, or cannot read', () => {
    // bundle.crt holds a BEGIN CERTIFICATE block that is not base64: Node might read more of it.
    expect(extraCaCertBodies({ NODE_EXTRA_CA_CERTS: at('bundle.crt') })).toBeNull();
    writeFileSync(at('trusted.pem'), `${ROOT}\n${ROOT.replace(/CERTIFICATE/g, 'TRUSTED CERTIFICATE')}\n`);
    expect(extraCaCertBodies({ NODE_EXTRA_CA_CERTS: at('trusted.pem') })).toBeNull();
    expect(extraCaCertBodies({ NODE_EXTRA_CA_CERTS: at('missing.pem') })).toBeNull();
    expect(extraCaCertBodies({ NODE_EXTRA_CA_CERTS: at('over-limit.pem') })).toBeNull();
  });
});

describe('anchorsBeyondBundled', () => {
  it("is this computer's anchors and the extra ones that Node does not bundle, each once", () => {
    const bundled = new Set(NodeTls.rootCertificates.map((p) => p.replace(/-----[A-Z ]+-----|\s/g, '')));
    const beyond = anchorsBeyondBundled([NodeTls.rootCertificates[0]!, ROOT, ROOT.replace(/\n/g, '\r\n')]);
    expect(beyond.filter((p) => bundled.has(p.replace(/-----[A-Z ]+-----|\s/g, '')))).toEqual([]);
    expect(beyond.at(-1)).toBe(ROOT);
    // Together with the bundled roots: the same anchors as the whole list merged.
    expect(mergeTrustAnchors(NodeTls.rootCertificates, beyond)).toEqual(
      mergeTrustAnchors(NodeTls.rootCertificates, systemRootCertificates(), [ROOT]),
    );
  });
});
