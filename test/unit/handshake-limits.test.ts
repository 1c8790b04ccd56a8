// handshake() and trustContext() at their edges (src/probe/handshake.ts), as inputs and outputs:
// a stream closed under a handshake, a server that hangs up cleanly, how the socket is closed after
// a handshake (politely, then for certain within a second; at once after a failure), the bound of 16
// certificates on the chain walk and of 16 cached trust contexts. In-process servers on 127.0.0.1,
// started once for the file; the 20-deep chain is minted at import (P-256, milliseconds).
import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { handshake, trustContext, type HandshakeOptions } from '../../src/probe/handshake.js';
import { mintIntermediateCa, mintLeaf, mintRootCa, type MintedCertificate } from '../../src/pki/mint.js';

const servers = {} as Record<'deep' | 'halfOpen' | 'silent' | 'hangsUp', Server>;
/** Server-side sockets by server, to see how the client left. */
const accepted: Record<string, Socket[]> = { deep: [], halfOpen: [], silent: [], hangsUp: [] };
let chain: MintedCertificate[] = [];
const port = (name: keyof typeof servers) => (servers[name].address() as AddressInfo).port;

beforeAll(async () => {
  const now = Date.now();
  const validity = { notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 86_400_000) };
  const root = await mintRootCa({ ...validity, commonName: 'deep root' });
  // root ← 18 intermediates ← leaf: 20 certificates, the leaf's path to the root 19 links long.
  let issuer = root;
  const intermediates: MintedCertificate[] = [];
  for (let i = 0; i < 18; i++) {
    issuer = await mintIntermediateCa({ ...validity, issuer, commonName: `deep intermediate ${i}` });
    intermediates.unshift(issuer);
  }
  const leaf = await mintLeaf({ ...validity, issuer, commonName: 'localhost', ocspUrl: null });
  chain = [leaf, ...intermediates, root];
  servers.deep = tls.createServer({ cert: chain.map((c) => c.pem).join('\n'), key: leaf.keys.privateKeyPem });
  // Keeps its side open after the client's close_notify and FIN (allowHalfOpen): only the client's
  // own bound ends the connection.
  servers.halfOpen = tls.createServer({
    cert: leaf.pem,
    key: leaf.keys.privateKeyPem,
    allowHalfOpen: true,
  } as tls.TlsOptions);
  // Reads and ignores everything: it sees the client's FIN as an 'end'.
  servers.silent = createServer((socket) => socket.on('error', () => {}).resume());
  // Reads the ClientHello, then closes cleanly (a FIN, no reset).
  servers.hangsUp = createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end());
  });
  for (const [name, server] of Object.entries(servers)) {
    server.on('connection', (socket: Socket) => {
      socket.on('error', () => {});
      accepted[name]?.push(socket);
    });
    server.on('tlsClientError', () => {});
  }
  servers.halfOpen.on('secureConnection', (socket: tls.TLSSocket) => socket.on('error', () => {}));
  await Promise.all(
    Object.values(servers).map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))),
  );
});

afterAll(async () => {
  for (const sockets of Object.values(accepted)) for (const socket of sockets) socket.destroy();
  await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.close(resolve))));
});

afterEach(() => {
  vi.useRealTimers();
});

function options(server: keyof typeof servers, overrides: Partial<HandshakeOptions> = {}): HandshakeOptions {
  return {
    address: '192.0.2.7',
    port: 443,
    servername: 'localhost',
    deadline: Date.now() + 5_000,
    secureContext: trustContext([]),
    connect: () => netConnect({ host: '127.0.0.1', port: port(server) }),
    ...overrides,
  };
}

/** Resolves when `socket` closes, or with `false` after `ms`. */
function closed(socket: Socket, ms: number): Promise<boolean> {
  if (socket.destroyed) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe('a connection that ends during the handshake', () => {
  it('a stream closed under the handshake without an error: closed during the TLS handshake', async () => {
    // The connector's stream is destroyed (no error) once the server has the ClientHello.
    let stream: Socket | null = null;
    const before = accepted.silent?.length ?? 0;
    const watch = setInterval(() => {
      const serverSide = accepted.silent?.[before];
      if (stream && serverSide && serverSide.bytesRead > 0) stream.destroy();
    }, 5);
    const started = Date.now();
    try {
      const outcome = await handshake(
        options('silent', {
          connect: () => (stream = netConnect({ host: '127.0.0.1', port: port('silent') })),
        }),
      );
      expect(outcome).toEqual({
        ok: false,
        error: { code: 'tls-handshake', message: '192.0.2.7:443 closed the connection during the TLS handshake.' },
      });
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      clearInterval(watch);
    }
  });

  it('a server that closes cleanly after the ClientHello: a handshake failure at once, not a timeout', async () => {
    const started = Date.now();
    const outcome = await handshake(options('hangsUp', { address: '2001:db8::7' }));
    expect(outcome.ok).toBe(false);
    expect(!outcome.ok && outcome.error.code).toBe('tls-handshake');
    expect(!outcome.ok && outcome.error.message).toContain('[2001:db8::7]:443');
    expect(Date.now() - started).toBeLessThan(4_000);
  });

  it('after a failure the connection is closed at once (the server sees it end)', async () => {
    const before = accepted.silent?.length ?? 0;
    const outcome = await handshake(options('silent', { deadline: Date.now() + 100 }));
    expect(!outcome.ok && outcome.error.code).toBe('timeout');
    const serverSide = accepted.silent?.[before];
    if (!serverSide) throw new Error('the silent server saw no connection');
    expect(await closed(serverSide, 2_000)).toBe(true);
  });
});

describe('closing after a handshake', () => {
  it('ends politely, and destroys within a second a connection the server keeps open', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let offered: tls.TLSSocket | null = null;
    const outcome = await handshake(options('halfOpen', { adoptSocket: (s) => ((offered = s), false) }));
    expect(outcome.ok).toBe(true);
    const socket = offered as unknown as tls.TLSSocket;
    // The polite close runs on the next turn of the event loop (setImmediate is real here).
    await new Promise((resolve) => setImmediate(resolve));
    expect(socket.writableEnded).toBe(true);
    await new Promise((resolve) => setImmediate(resolve));
    vi.advanceTimersByTime(999);
    expect(socket.destroyed).toBe(false);
    vi.advanceTimersByTime(1);
    expect(socket.destroyed).toBe(true);
  });

  it('holds no timer once the connection has closed', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    let offered: tls.TLSSocket | null = null;
    const outcome = await handshake(options('deep', { adoptSocket: (s) => ((offered = s), false) }));
    expect(outcome.ok).toBe(true);
    const socket = offered as unknown as tls.TLSSocket;
    // The server answers the close_notify and FIN with its own: the socket closes by itself.
    await new Promise<void>((resolve) => socket.once('close', () => resolve()));
    expect(vi.getTimerCount()).toBe(0);
  });
});

describe('bounds', () => {
  it('the chain walk keeps the first 16 certificates of a longer chain, leaf first, each followed by its issuer', async () => {
    const outcome = await handshake(options('deep'));
    if (!outcome.ok) throw new Error(outcome.error.message);
    expect(outcome.evidence.chain.length).toBe(16);
    expect(outcome.evidence.chain).toEqual(chain.slice(0, 16).map((c) => c.der));
  });

  it('at most 16 trust contexts are kept: the oldest goes first', () => {
    const first = trustContext(['# bound 0']);
    for (let i = 1; i < 16; i++) trustContext([`# bound ${i}`]);
    // Sixteen held, the first among them.
    expect(trustContext(['# bound 0'])).toBe(first);
    const second = trustContext(['# bound 1']);
    trustContext(['# bound 16']);
    // A seventeenth: the oldest of the sixteen ('# bound 0' was the first made) is dropped, no other.
    expect(trustContext(['# bound 1'])).toBe(second);
    expect(trustContext(['# bound 0'])).not.toBe(first);
  });
});
