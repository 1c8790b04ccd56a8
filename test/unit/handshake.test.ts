// One handshake (src/probe/handshake.ts) against in-process servers on 127.0.0.1, started once for
// the file: a Node TLS server with the committed fixture chain that staples the committed
// `good.der`, one that staples nothing, a plain-text server, one that hangs up and one that stays
// silent. The connector is injected, so the addresses named below (public ones included) are never
// dialled: every stream goes to loopback. `classifyError` is checked as a table.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { classifyError, handshake, trustContext, type HandshakeOptions } from '../../src/probe/handshake.js';
import { DAY, mintLeaf, mintRootCa, shift } from '../support/mint.js';

const original = tls.TLSSocket.prototype.getPeerCertificate;

const minted = (name: string) => readFileSync(new URL(`../fixtures/minted/${name}`, import.meta.url));
const STAPLE = minted('good.der');
const LEAF_DER = new Uint8Array(new X509Certificate(minted('leaf.pem')).raw);
const INTERMEDIATE_DER = new Uint8Array(new X509Certificate(minted('intermediate.pem')).raw);
const LEAF_NAME = new X509Certificate(minted('leaf.pem')).subjectAltName?.match(/DNS:([^,]+)/)?.[1] ?? '';

const servers: Record<'stapling' | 'bare' | 'empty' | 'legacy' | 'plain' | 'hangup' | 'silent', Server> = {} as never;
/** The SNI each TLS handshake carried (`false`: none), in order. */
const sniSeen: (string | false)[] = [];
/** Every server-side socket, closed at the end (a silent server's would hold `close` up). */
const open = new Set<Socket>();
const port = (name: keyof typeof servers) => (servers[name].address() as AddressInfo).port;

function tlsServer(staple: Buffer | null, legacy = false): tls.Server {
  const server = tls.createServer({
    cert: `${minted('leaf.pem').toString('latin1')}\n${minted('intermediate.pem').toString('latin1')}`,
    key: minted('leaf.key.pem'),
    // An old server: TLS 1.0 only, which Node's own defaults (TLS 1.2 and up) would refuse.
    ...(legacy ? { minVersion: 'TLSv1' as const, maxVersion: 'TLSv1' as const, ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
  });
  server.on('secureConnection', (socket: tls.TLSSocket) =>
    sniSeen.push((socket as tls.TLSSocket & { servername: string | false }).servername),
  );
  if (staple)
    server.on('OCSPRequest', (_cert, _issuer, callback: (err: null, response: Buffer) => void) =>
      callback(null, staple),
    );
  server.on('tlsClientError', () => {});
  return server;
}

beforeAll(async () => {
  servers.stapling = tlsServer(STAPLE);
  servers.bare = tlsServer(null);
  servers.empty = tlsServer(Buffer.alloc(0));
  servers.legacy = tlsServer(STAPLE, true);
  servers.plain = createServer((socket) => {
    socket.on('error', () => {});
    socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n');
  });
  servers.hangup = createServer((socket) => socket.destroy());
  servers.silent = createServer((socket) => socket.on('error', () => {}));
  for (const s of Object.values(servers)) s.on('connection', (socket: Socket) => open.add(socket));
  await Promise.all(
    Object.values(servers).map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))),
  );
});

afterAll(async () => {
  for (const socket of open) socket.destroy();
  await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.close(resolve))));
});

const context = trustContext([minted('root.pem').toString('latin1')]);

function options(server: keyof typeof servers, overrides: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return {
    address: '203.0.113.7',
    port: 443,
    servername: LEAF_NAME,
    deadline: Date.now() + 5_000,
    secureContext: context,
    connect: () => netConnect({ host: '127.0.0.1', port: port(server) }),
    ...overrides,
  };
}

describe('handshake: the evidence', () => {
  it('collects the chain leaf first, the staple, the protocol and cipher, trust and the name check', async () => {
    const outcome = await handshake(options('stapling'));
    if (!outcome.ok) throw new Error(outcome.error.message);
    const { evidence } = outcome;
    expect(evidence.address).toBe('203.0.113.7');
    expect(evidence.chain[0]).toEqual(LEAF_DER);
    expect(evidence.chain[1]).toEqual(INTERMEDIATE_DER);
    expect(evidence.chain.length).toBeGreaterThanOrEqual(2);
    expect(evidence.chain.length).toBeLessThanOrEqual(3);
    expect(evidence.staple).toEqual(new Uint8Array(STAPLE));
    expect(evidence.protocol).toBe('TLSv1.3');
    expect(evidence.cipher).toBe('TLS_AES_256_GCM_SHA384');
    // The fixtures' dates are fixed in the past: the chain is known but expired, never enforced.
    expect(evidence.authorized).toBe(false);
    expect(evidence.authorizationError).toBe('CERT_HAS_EXPIRED');
    expect(evidence.hostnameError).toBeNull();
    expect(evidence.durationMs).toBeGreaterThan(0);
    expect(evidence.durationMs).toBeLessThan(5_000);
  });

  it('no staple from a server that sends none, or an empty one', async () => {
    const outcome = await handshake(options('bare'));
    expect(outcome.ok && outcome.evidence.staple).toBeNull();
    const empty = await handshake(options('empty'));
    expect(empty.ok && empty.evidence.staple).toBeNull();
  });

  it('sends the name as SNI, and hands the connector the address and port', async () => {
    const asked: unknown[] = [];
    const connect = (target: { address: string; port: number }) => (
      asked.push(target),
      netConnect({ host: '127.0.0.1', port: port('stapling') })
    );
    sniSeen.length = 0;
    await handshake(options('stapling', { connect, address: '2001:db8::7', port: 8443 }));
    await handshake(options('stapling', { connect, servername: null }));
    expect(sniSeen[0]).toBe(LEAF_NAME);
    expect(asked).toEqual([
      { address: '2001:db8::7', port: 8443 },
      { address: '203.0.113.7', port: 443 },
    ]);
  });

  it('reaches an old TLS 1.0 server with weak suites (reported, not refused)', async () => {
    const outcome = await handshake(options('legacy'));
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.evidence.protocol).toBe('TLSv1');
    expect(outcome.evidence.staple).toEqual(new Uint8Array(STAPLE));
  });

  it('a certificate that does not cover the name says so; without SNI the name is not checked', async () => {
    const other = await handshake(options('stapling', { servername: 'not-the-leaf.example' }));
    expect(other.ok && other.evidence.hostnameError).toMatch(/not-the-leaf\.example/);
    const bare = await handshake(options('stapling', { servername: null }));
    expect(bare.ok && bare.evidence.hostnameError).toBeNull();
  });

  it('a chain that is not trusted is still read', async () => {
    const outcome = await handshake(options('stapling', { secureContext: trustContext([]) }));
    expect(outcome.ok && outcome.evidence.authorized).toBe(false);
    expect(outcome.ok && outcome.evidence.chain[0]).toEqual(LEAF_DER);
  });

  it('an adopter that takes the socket gets it open; one that declines does not', async () => {
    let adopted: tls.TLSSocket | null = null;
    const taken = await handshake(options('stapling', { adoptSocket: (s) => ((adopted = s), true) }));
    expect(taken.ok).toBe(true);
    expect(adopted).not.toBeNull();
    expect((adopted as unknown as tls.TLSSocket).destroyed).toBe(false);
    (adopted as unknown as tls.TLSSocket).destroy();
    let offered: tls.TLSSocket | null = null;
    const declined = await handshake(options('stapling', { adoptSocket: (s) => ((offered = s), false) }));
    expect(declined.ok).toBe(true);
    expect(offered).not.toBeNull();
    // Closed politely on the next turn of the event loop.
    await new Promise((resolve) => setImmediate(resolve));
    expect((offered as unknown as tls.TLSSocket).writableEnded).toBe(true);
  });
});

describe('handshake: failures, with the target in brackets for IPv6', () => {
  it('a plain-text server does not speak TLS', async () => {
    const outcome = await handshake(options('plain', { address: '2001:db8::7' }));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('not-tls');
    expect(!outcome.ok && outcome.error.message).toMatch(/^\[2001:db8::7\]:443 does not speak TLS on this port/);
  });

  it('a server that hangs up ends the handshake as a failure', async () => {
    const outcome = await handshake(options('hangup'));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('tls-handshake');
    expect(!outcome.ok && outcome.error.message).toContain('203.0.113.7:443');
  });

  it('a silent server ends at the deadline, and a passed deadline at once', async () => {
    const started = Date.now();
    const outcome = await handshake(options('silent', { deadline: Date.now() + 150 }));
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'timeout', message: 'No TLS handshake with 203.0.113.7:443 within the timeout.' },
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(Date.now() - started).toBeLessThan(2_000);
    const late = await handshake(options('silent', { deadline: Date.now() - 5_000 }));
    expect(!late.ok && late.error.code).toBe('timeout');
  });

  it('without a connector, TLS dials the address itself (loopback here): refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const free = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await handshake({ ...options('silent', { address: '127.0.0.1', port: free }), connect: undefined });
    expect(outcome).toEqual({
      ok: false,
      error: { code: 'refused', message: `Connection refused by 127.0.0.1:${free}.` },
    });
  });
});

describe('handshake: a chain Node could verify', () => {
  // Minted now, so the chain is valid today: Node then builds the peer's chain for its own name
  // check (tls.checkServerIdentity), and the handshake reads that one instead of building it again.
  it('is read once, the same chain and name check as from an untrusted context', async () => {
    const now = new Date();
    const ca = await mintRootCa({
      commonName: 'Handshake Test CA',
      notBefore: shift(now, -DAY),
      notAfter: shift(now, DAY),
    });
    const leaf = await mintLeaf({
      issuer: ca,
      commonName: 'trusted.test',
      dnsNames: ['trusted.test'],
      notBefore: shift(now, -DAY),
      notAfter: shift(now, DAY),
    });
    const server = tls.createServer({ cert: `${leaf.pem}${ca.pem}`, key: leaf.keys.privateKeyPem });
    server.on('tlsClientError', () => {});
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const reads: boolean[] = [];
    const getPeerCertificate = vi.spyOn(tls.TLSSocket.prototype, 'getPeerCertificate').mockImplementation(function (
      this: tls.TLSSocket,
      detailed?: boolean,
    ) {
      reads.push(detailed === true);
      return original.call(this, detailed);
    } as tls.TLSSocket['getPeerCertificate']);
    try {
      const serverPort = (server.address() as AddressInfo).port;
      const connect = () => netConnect({ host: '127.0.0.1', port: serverPort });
      const at = (secureContext: tls.SecureContext, servername: string) =>
        handshake({
          address: '127.0.0.1',
          port: 443,
          servername,
          deadline: Date.now() + 5_000,
          secureContext,
          connect,
        });
      const trusted = await at(trustContext([ca.pem]), 'trusted.test');
      if (!trusted.ok) throw new Error(trusted.error.message);
      expect(trusted.evidence.authorized).toBe(true);
      expect(trusted.evidence.hostnameError).toBeNull();
      expect(trusted.evidence.chain).toEqual([new Uint8Array(leaf.der), new Uint8Array(ca.der)]);
      expect(reads).toEqual([true]);

      reads.length = 0;
      const untrusted = await at(trustContext([]), 'trusted.test');
      expect(untrusted.ok && untrusted.evidence.authorized).toBe(false);
      expect(untrusted.ok && untrusted.evidence.chain).toEqual(trusted.evidence.chain);
      expect(reads).toEqual([true]);

      // A trusted chain for another name: Node's check fails (not authorized), and says the same.
      reads.length = 0;
      const misnamed = await at(trustContext([ca.pem]), 'other.test');
      if (!misnamed.ok) throw new Error(misnamed.error.message);
      expect(misnamed.evidence.authorized).toBe(false);
      expect(misnamed.evidence.authorizationError).toBe('ERR_TLS_CERT_ALTNAME_INVALID');
      expect(misnamed.evidence.hostnameError).toMatch(/other\.test/);
      expect(misnamed.evidence.chain).toEqual(trusted.evidence.chain);
      expect(reads).toEqual([true]);
    } finally {
      getPeerCertificate.mockRestore();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('classifyError', () => {
  const error = (code: string | undefined, message = 'boom') => Object.assign(new Error(message), code ? { code } : {});

  it.each([
    ['ECONNREFUSED', { code: 'refused', message: 'Connection refused by h:443.' }],
    ['ETIMEDOUT', { code: 'timeout', message: 'Timed out connecting to h:443.' }],
    ...['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'ENETDOWN', 'EHOSTDOWN'].map(
      (code) => [code, { code: 'unreachable', message: `h:443 is unreachable (${code}).` }] as const,
    ),
    ...[
      'ERR_SSL_WRONG_VERSION_NUMBER',
      'ERR_SSL_PACKET_LENGTH_TOO_LONG',
      'ERR_SSL_UNKNOWN_PROTOCOL',
      'ERR_SSL_HTTP_REQUEST',
      'ERR_SSL_RECORD_LENGTH_MISMATCH',
      'ERR_SSL_BAD_RECORD_TYPE',
      'ERR_SSL_UNEXPECTED_RECORD',
    ].map((code) => [code, { code: 'not-tls', message: 'h:443 does not speak TLS on this port (boom).' }] as const),
    ...['ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE', 'ECONNRESET', 'EPIPE', 'ERR_TLS_HANDSHAKE_TIMEOUT'].map(
      (code) => [code, { code: 'tls-handshake', message: 'The TLS handshake with h:443 failed: boom.' }] as const,
    ),
    ['EACCES', { code: 'tls-handshake', message: 'The connection to h:443 failed: boom.' }],
    ['X_ERR_SSL_', { code: 'tls-handshake', message: 'The connection to h:443 failed: boom.' }],
  ] as const)('%s', (code, expected) => {
    expect(classifyError(error(code), 'h:443')).toEqual(expected);
  });

  it('an error without a code', () => {
    expect(classifyError(error(undefined), 'h:443')).toEqual({
      code: 'tls-handshake',
      message: 'The connection to h:443 failed: boom.',
    });
  });
});

describe('trustContext reuse', () => {
  it('is one context per trust set, still held after another is added', () => {
    const a = trustContext(['# a']);
    expect(trustContext(['# a'])).toBe(a);
    expect(trustContext(['# b'])).not.toBe(a);
    expect(trustContext(['# a'])).toBe(a);
    // Two roots are not one root whose text is both.
    expect(trustContext(['A', 'B'])).not.toBe(trustContext(['AB']));
  });
});
