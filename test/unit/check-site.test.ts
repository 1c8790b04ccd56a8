// checkSite (src/probe/check-site.ts) as a unit: in-process servers on 127.0.0.1 started once for the
// file, serving the committed fixture chain (test/fixtures/minted), plus one RSA leaf and one fresh
// chain minted at import (no key is made per test). The resolver and the connector are injected, so
// the addresses named below (public ones included) are never dialled: each stream goes to the
// loopback server its address is routed to. `node:dns/promises` is replaced for the whole file, so
// neither the default resolver nor the responder comparison can ask a real DNS server.
//
// Timers and `Date` are fake (not `performance`, `setImmediate` or Node's socket timers): `drive`
// moves the fake clock 50 ms every real 2 ms while a check runs, so the warm-up pauses
// (WARM_UP_INTERVAL_MS) and the Server-header wait cost milliseconds, and a row that needs the
// budget spent jumps the clock from inside the connector (`vi.setSystemTime`, which fires no timer).
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, connect as netConnect, type AddressInfo, type Server, type Socket } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { checkSite, WARM_UP_INTERVAL_MS, WARM_UP_RETRIES, type CheckSiteOptions } from '../../src/probe/check-site.js';
import { mintLeaf, mintRootCa, type MintedCertificate } from '../../src/pki/mint.js';

const dnsAsked: unknown[][] = [];
vi.mock('node:dns/promises', () => ({
  lookup: async (...args: unknown[]) => {
    dnsAsked.push(args);
    if (args[0] === 'system.example')
      return [
        { address: '192.0.2.10', family: 4 },
        { address: '2001:db8::10', family: 6 },
      ];
    throw Object.assign(new Error(`no DNS in this test (${String(args[0])})`), { code: 'ENOTFOUND' });
  },
}));

const minted = (name: string) => readFileSync(new URL(`../fixtures/minted/${name}`, import.meta.url), 'latin1');
const NOW = new Date('2026-01-15T12:00:00Z');
const ROOT = minted('root.pem');
const LEAF = minted('leaf.pem');
const INTERMEDIATE = minted('intermediate.pem');
const GOOD = readFileSync(new URL('../fixtures/minted/good.der', import.meta.url));
const REVOKED = readFileSync(new URL('../fixtures/minted/revoked.der', import.meta.url));

type ServerName =
  'good' | 'revoked' | 'bare' | 'lazy' | 'noOcsp' | 'leafOnly' | 'dual' | 'dualBare' | 'fresh' | 'hangup' | 'silent';
const servers = {} as Record<ServerName, Server>;
const open = new Set<Socket>();
/** From which handshake on (counted from 1, since `lazyCount` was reset) the lazy server staples. */
let lazyFrom = Infinity;
let lazyCount = 0;
/** The Host header of every HTTP request the servers got (the Server-header read), in order. */
const heads: string[] = [];
/** Set by a row that moves the clock only itself (`vi.setSystemTime`): `drive` then leaves it. */
let frozen = false;
let rsaLeaf: MintedCertificate;
let freshRoot: MintedCertificate;
let freshLeaf: MintedCertificate;

/** A TLS server that staples `staple(leafDer)` and answers one HTTP request with `Server: <name>`. */
function tlsServer(
  name: string,
  options: tls.TlsOptions,
  staple: (cert: Buffer) => Buffer | null = () => null,
): tls.Server {
  const server = tls.createServer(options);
  server.on('OCSPRequest', (cert: Buffer, _issuer: Buffer, callback: (err: null, response: Buffer | null) => void) =>
    callback(null, staple(cert)),
  );
  server.on('secureConnection', (socket: tls.TLSSocket) => {
    socket.on('error', () => {});
    socket.once('data', (request: Buffer) => {
      heads.push(/\r\nHost: ([^\r]*)/.exec(request.toString('latin1'))?.[1] ?? '?');
      socket.end(`HTTP/1.1 200 OK\r\nServer: ${name}\r\nContent-Length: 0\r\n\r\n`);
    });
  });
  server.on('tlsClientError', () => {});
  return server;
}

const chain = (leaf: string) => `${leaf}\n${INTERMEDIATE}`;

beforeAll(async () => {
  // The fixture intermediate (its own P-256 key) issues an RSA leaf with Must-Staple and no OCSP URL:
  // it is warmed up (it wants a staple) but the responder comparison has no URL to ask.
  const intermediateDer = new Uint8Array(new X509Certificate(INTERMEDIATE).raw);
  const { parseCertificate } = await import('../../src/core/certificate.js');
  const intermediateCert = parseCertificate(intermediateDer);
  if (!intermediateCert) throw new Error('intermediate.pem does not parse');
  const privateKey = await globalThis.crypto.subtle.importKey(
    'pkcs8',
    pkcs8Of(minted('intermediate.key.pem')),
    { name: 'ECDSA', namedCurve: 'P-256' },
    true,
    ['sign'],
  );
  const intermediate = {
    der: intermediateDer,
    pem: INTERMEDIATE,
    cert: intermediateCert,
    keys: { type: 'ecdsa-p256', privateKey, publicKey: privateKey, privateKeyPem: '' },
    commonName: 'intermediate',
    serialNumber: 0n,
    keyId: new Uint8Array(
      createHash('sha1')
        .update(new Uint8Array(intermediateCert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView))
        .digest(),
    ),
  } as MintedCertificate;
  const validity = {
    notBefore: new Date(NOW.getTime() - 86_400_000),
    notAfter: new Date(NOW.getTime() + 86_400_000 * 30),
  };
  rsaLeaf = await mintLeaf({
    ...validity,
    issuer: intermediate,
    commonName: 'localhost',
    keyType: 'rsa-2048',
    ocspUrl: null,
    mustStaple: true,
  });
  // A chain valid now, trusted through `ca`: the only one whose `chain.trusted` is true.
  const now = Date.now();
  const current = { notBefore: new Date(now - 86_400_000), notAfter: new Date(now + 86_400_000 * 30) };
  freshRoot = await mintRootCa({ ...current, commonName: 'fresh root' });
  freshLeaf = await mintLeaf({ ...current, issuer: freshRoot, commonName: 'localhost', ocspUrl: null });

  servers.good = tlsServer('good', { cert: chain(LEAF), key: minted('leaf.key.pem') }, () => GOOD);
  servers.revoked = tlsServer('revoked', { cert: chain(LEAF), key: minted('leaf.key.pem') }, () => REVOKED);
  servers.bare = tlsServer('bare', { cert: chain(LEAF), key: minted('leaf.key.pem') });
  servers.lazy = tlsServer('lazy', { cert: chain(LEAF), key: minted('leaf.key.pem') }, () =>
    ++lazyCount >= lazyFrom ? GOOD : null,
  );
  servers.noOcsp = tlsServer('no-ocsp', {
    cert: chain(minted('leaf-no-ocsp.pem')),
    key: minted('leaf-no-ocsp.key.pem'),
  });
  servers.leafOnly = tlsServer('leaf-only', { cert: LEAF, key: minted('leaf.key.pem') }, () => GOOD);
  // Node hands 'OCSPRequest' the context's last certificate whichever was chosen, so the staple is
  // decided per server: the check's routing sends the RSA-only handshakes to the one without.
  const dual = { cert: [chain(LEAF), chain(rsaLeaf.pem)], key: [minted('leaf.key.pem'), rsaLeaf.keys.privateKeyPem] };
  servers.dual = tlsServer('dual', dual, () => GOOD);
  servers.dualBare = tlsServer('dual', dual);
  servers.fresh = tlsServer('fresh', { cert: freshLeaf.pem, key: freshLeaf.keys.privateKeyPem });
  servers.hangup = createServer((socket) => socket.destroy());
  servers.silent = createServer((socket) => socket.on('error', () => {}));
  for (const s of Object.values(servers)) s.on('connection', (socket: Socket) => open.add(socket));
  await Promise.all(
    Object.values(servers).map((s) => new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve))),
  );
});

function pkcs8Of(pem: string): ArrayBuffer {
  const body = pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, '');
  const bytes = Buffer.from(body, 'base64');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

afterAll(async () => {
  for (const socket of open) socket.destroy();
  await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.close(resolve))));
});

const realSetTimeout = globalThis.setTimeout;
const realPause = (ms: number) => new Promise((resolve) => realSetTimeout(resolve, ms));

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  vi.setSystemTime(NOW);
  lazyCount = 0;
  lazyFrom = Infinity;
  frozen = false;
  dnsAsked.length = 0;
  streams.clear();
  heads.length = 0;
});

afterEach(() => {
  vi.useRealTimers();
});

/** The streams the connector opened; one is busy until it is destroyed or its end is flushed. */
const streams = new Set<Socket>();
const busy = () => [...streams].some((s) => !s.destroyed && !s.writableFinished);

/**
 * Runs `work`, moving the fake clock 50 ms every real 2 ms while no stream is busy (so a pause lasts
 * exactly its length in fake time), and 5 ms a poll once a stream has been busy for half a real second
 * (a silent peer then reaches its fake deadline). A `frozen` row moves the clock itself.
 */
async function drive<T>(work: Promise<T>): Promise<T> {
  let done = false;
  void work.finally(() => (done = true)).catch(() => {});
  let idleAt = performance.now();
  while (!done) {
    await realPause(2);
    if (done || frozen) continue;
    if (!busy()) {
      idleAt = performance.now();
      vi.advanceTimersByTime(50);
    } else if (performance.now() - idleAt > 500) vi.advanceTimersByTime(5);
  }
  return work;
}

/** The connections a check opened, by the address it asked for, in order. */
interface Routed {
  options: Partial<CheckSiteOptions>;
  dialled: string[];
  /** The fake clock at each connection. */
  times: number[];
}

/**
 * Options for a check of `name.example` whose addresses are `routes`' keys, each served by the named
 * server; `hook` runs at each connection (its number counted from 1) before the stream opens.
 */
function routed(
  routes: Record<string, ServerName>,
  hook: (address: string, n: number) => ServerName | void = () => {},
  connected: (n: number) => void = () => {},
): Routed {
  const dialled: string[] = [];
  const times: number[] = [];
  return {
    dialled,
    times,
    options: {
      host: 'name.example',
      port: 443,
      timeoutMs: 30_000,
      now: () => NOW,
      lookup: async () => Object.keys(routes),
      connect: ({ address }) => {
        dialled.push(address);
        times.push(Date.now());
        const n = dialled.length;
        const server = hook(address, n) ?? routes[address] ?? 'hangup';
        const stream = netConnect({ host: '127.0.0.1', port: (servers[server].address() as AddressInfo).port });
        stream.once('connect', () => connected(n));
        streams.add(stream);
        return stream;
      },
    },
  };
}

function check(r: Routed, overrides: Partial<CheckSiteOptions> = {}): Promise<Result> {
  return drive(checkSite({ ...r.options, servername: 'localhost', ...overrides } as CheckSiteOptions));
}

/** Waits (real time, at most `ms`) until `done()`; answers whether it came. */
async function waitFor(done: () => boolean, ms = 2_000): Promise<boolean> {
  const until = performance.now() + ms;
  while (!done() && performance.now() < until) await realPause(5);
  return done();
}

/** The fake time between one connection and the next. */
const gaps = (times: readonly number[]) => times.slice(1).map((t, i) => t - (times[i] ?? 0));
/** A pause of WARM_UP_INTERVAL_MS, give or take what a slow handshake adds to the fake clock. */
const PAUSE = expect.toSatisfy((gap: number) => gap >= WARM_UP_INTERVAL_MS && gap < WARM_UP_INTERVAL_MS + 400);
/** No pause: the next connection starts within what one handshake adds. */
const AT_ONCE = expect.toSatisfy((gap: number) => gap >= 0 && gap < 400);

const codes = (result: { problems: { code: string }[] }) => result.problems.map((p) => p.code);
const problem = (result: { problems: { code: string; severity: string; message: string }[] }, code: string) =>
  result.problems.find((p) => p.code === code);

describe('one address', () => {
  it('a stapled good answer: the evidence, the Server header, the timing', async () => {
    const r = routed({ '192.0.2.1': 'good' });
    const before = performance.now();
    let after = 0;
    const options = { ...r.options, servername: 'localhost', ca: ROOT } as CheckSiteOptions;
    const result = await drive(checkSite(options).then((checked) => ((after = performance.now()), checked)));
    expect(result.verdict).toBe('stapled-good');
    expect(Object.keys(result).slice(0, 6)).toEqual(['host', 'port', 'servername', 'address', 'checkedAt', 'verdict']);
    expect(codes(result)).toEqual(['untrusted-chain']);
    expect(heads).toEqual(['localhost']);
    // The wall time of the whole check, to a tenth of a millisecond.
    expect(result.timing.totalMs).toBeGreaterThanOrEqual(after - before - 5);
    expect(result.timing.totalMs).toBeLessThanOrEqual(after - before + 0.1);
    expect(result.error).toBeNull();
    expect(result.host).toBe('name.example');
    expect(result.port).toBe(443);
    expect(result.servername).toBe('localhost');
    expect(result.address).toBe('192.0.2.1');
    expect(result.checkedAt).toBe(NOW.toISOString());
    expect(result.server).toBe('good');
    expect(result.tls).toEqual({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' });
    expect(result.chain?.length).toBe(3);
    expect(result.chain?.complete).toBe(true);
    expect(result.chain?.trusted).toBe(false);
    expect(result.chain?.trustError).toBe('CERT_HAS_EXPIRED');
    expect(result.chain?.certificates?.length).toBe(3);
    expect(result.certificate?.ocspUrls).toEqual(['http://ocsp.staplecheck.test/']);
    expect(result.ocsp).not.toBeNull();
    // The fixtures' chain expired before today: a warning, with --ca named.
    expect(problem(result, 'untrusted-chain')).toEqual({
      code: 'untrusted-chain',
      severity: 'warning',
      message:
        "The chain is not trusted by this computer's trust store or Node's roots, nor by --ca (CERT_HAS_EXPIRED).",
    });
    expect(codes(result)).not.toContain('incomplete-chain');
    expect(codes(result)).not.toContain('warmed-up');
    // One handshake; the RSA-only offer finds nothing (the server has one ECDSA certificate).
    expect(result.timing.handshakes).toBe(1);
    expect(result.timing.variantHandshakes).toBe(1);
    expect(result.timing.totalMs).toBeGreaterThan(0);
    expect(result.timing.totalMs).toBeLessThan(10_000);
    expect(Math.round(result.timing.totalMs * 10) / 10).toBe(result.timing.totalMs);
    expect(result).not.toHaveProperty('addresses');
    expect(result).not.toHaveProperty('certificates');
    expect(result).not.toHaveProperty('responder');
    expect(Object.keys(result.browsers ?? {})).toEqual(['firefox', 'chromium', 'safari']);
    expect(r.dialled).toEqual(['192.0.2.1', '192.0.2.1']);
  });

  it('the default offer only: one handshake, no Server header when a staple came', async () => {
    const r = routed({ '192.0.2.1': 'good' });
    const result = await check(r, { probe: 'default-offer' });
    expect(result.verdict).toBe('stapled-good');
    expect(result.server).toBeNull();
    expect(result.timing.handshakes).toBe(1);
    expect(result.timing.variantHandshakes).toBe(0);
    expect(r.dialled).toEqual(['192.0.2.1']);
    // Nobody took the socket over, so the handshake closed it.
    expect(await waitFor(() => !busy())).toBe(true);
  });

  it('the default offer only still reads the Server header when no staple came', async () => {
    const r = routed({ '192.0.2.1': 'noOcsp' });
    const result = await check(r, { probe: 'default-offer' });
    expect(result.verdict).toBe('no-ocsp');
    expect(result.server).toBe('no-ocsp');
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 0 });
  });

  it('without --ca the untrusted chain does not name it; a loaded page makes it a note', async () => {
    const r = routed({ '192.0.2.1': 'good' });
    const plain = await check(r);
    // Without the root known, the chain ends at the intermediate: a CA, so complete.
    expect(plain.chain?.length).toBe(2);
    expect(plain.chain?.complete).toBe(true);
    expect(problem(plain, 'untrusted-chain')).toEqual({
      code: 'untrusted-chain',
      severity: 'warning',
      message: "The chain is not trusted by this computer's trust store or Node's roots (CERT_HAS_EXPIRED).",
    });
    const loaded = await check(r, { pageLoaded: true });
    expect(problem(loaded, 'untrusted-chain')).toEqual({
      code: 'untrusted-chain',
      severity: 'info',
      message:
        "The chain is not trusted by this computer's trust store or Node's roots (CERT_HAS_EXPIRED). The browser loaded this page, so it trusts a root this computer's store does not hold (added to the browser or by an administrator).",
    });
    expect(loaded.verdict).toBe('stapled-good');
  });

  it('a trusted chain has no untrusted-chain problem', async () => {
    const r = routed({ '192.0.2.1': 'fresh' });
    const result = await check(r, { ca: [freshRoot.pem] });
    expect(result.chain?.trusted).toBe(true);
    expect(result.chain?.trustError).toBeNull();
    expect(result.chain?.complete).toBe(true);
    expect(codes(result)).not.toContain('untrusted-chain');
    expect(codes(result)).not.toContain('hostname-mismatch');
    expect(result.verdict).toBe('no-ocsp');
  });

  it('a leaf sent without its intermediate: incomplete-chain', async () => {
    const r = routed({ '192.0.2.1': 'leafOnly' });
    const result = await check(r);
    expect(result.chain?.complete).toBe(false);
    expect(result.chain?.length).toBe(1);
    // The staple's own problems come first, then the chain's.
    expect(result.verdict).toBe('stapled-invalid');
    expect(codes(result)).toEqual(['issuer-unavailable', 'incomplete-chain', 'untrusted-chain']);
    // Given the intermediate by --ca, Node puts it after the leaf itself: the staple then verifies.
    const given = await check(r, { ca: [INTERMEDIATE, ROOT] });
    expect(given.verdict).toBe('stapled-good');
    expect(problem(result, 'incomplete-chain')).toEqual({
      code: 'incomplete-chain',
      severity: 'warning',
      message:
        "The chain breaks before a CA certificate: the server does not send the certificate's issuer (a missing intermediate).",
    });
  });

  it('a name the certificate does not cover: hostname-mismatch', async () => {
    const r = routed({ '192.0.2.1': 'good' });
    const result = await check(r, { servername: 'other.example' });
    expect(result.servername).toBe('other.example');
    expect(problem(result, 'hostname-mismatch')).toMatchObject({ severity: 'warning' });
    expect(problem(result, 'hostname-mismatch')?.message).toMatch(/other\.example/);
    const fine = await check(r);
    expect(codes(fine)).not.toContain('hostname-mismatch');
  });

  it('an IP literal is dialled as is, without SNI or a lookup; a host name is its own SNI', async () => {
    const r = routed({ '192.0.2.1': 'good' }, () => 'good');
    const lookup = vi.fn(async () => ['192.0.2.1']);
    const ip = await drive(checkSite({ ...r.options, host: '192.0.2.77', lookup } as CheckSiteOptions));
    expect(lookup).not.toHaveBeenCalled();
    expect(ip.servername).toBeNull();
    expect(ip.address).toBe('192.0.2.77');
    expect(r.dialled[0]).toBe('192.0.2.77');
    // With no SNI the Server-header request names the address.
    expect(heads[0]).toBe('192.0.2.77');
    const named = await drive(checkSite({ ...r.options, host: 'localhost' } as CheckSiteOptions));
    expect(named.servername).toBe('localhost');
    expect(codes(named)).not.toContain('hostname-mismatch');
  });

  it('`address` checks that one address, without a lookup', async () => {
    const r = routed({ '192.0.2.1': 'good' }, () => 'good');
    const lookup = vi.fn(async () => ['192.0.2.1']);
    const result = await check(r, { address: '192.0.2.99', lookup });
    expect(lookup).not.toHaveBeenCalled();
    expect(result.address).toBe('192.0.2.99');
    expect(new Set(r.dialled)).toEqual(new Set(['192.0.2.99']));
  });

  it('the default resolver is dns.lookup with every address, in its order', async () => {
    const r = routed({}, () => 'good');
    const result = await drive(
      checkSite({
        ...r.options,
        host: 'system.example',
        servername: 'localhost',
        lookup: undefined,
      } as CheckSiteOptions),
    );
    expect(dnsAsked).toContainEqual(['system.example', { all: true, verbatim: true }]);
    expect(result.addresses?.map((a) => a.address)).toEqual(['192.0.2.10', '2001:db8::10']);
  });
});

describe('failures', () => {
  it('a server that hangs up: an error result with the handshake error', async () => {
    const r = routed({ '192.0.2.1': 'hangup' });
    const result = await check(r);
    expect(result.verdict).toBe('error');
    expect(result.error?.code).toBe('tls-handshake');
    expect(result.summary).toBe(result.error?.message);
    expect(result.address).toBe('192.0.2.1');
    expect(result.tls).toBeNull();
    expect(result.certificate).toBeNull();
    expect(result.chain).toBeNull();
    expect(result.problems).toEqual([]);
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 0 });
    expect(result.server).toBeNull();
    expect(r.dialled).toEqual(['192.0.2.1']);
  });

  it('a name that does not resolve, or resolves to nothing', async () => {
    const r = routed({});
    const failed = await check(r, {
      lookup: () => Promise.reject(Object.assign(new Error('queryA ENOTFOUND'), { code: 'ENOTFOUND' })),
    });
    expect(failed.verdict).toBe('error');
    expect(failed.error).toEqual({ code: 'dns', message: 'name.example could not be resolved (ENOTFOUND).' });
    expect(failed.servername).toBe('localhost');
    expect(failed.timing.totalMs).toBeGreaterThanOrEqual(0);
    expect(failed.timing.totalMs).toBeLessThan(30_000);
    const uncoded = await check(r, { lookup: () => Promise.reject(new Error('went wrong')) });
    expect(uncoded.error).toEqual({ code: 'dns', message: 'name.example could not be resolved (went wrong).' });
    const empty = await check(r, { lookup: async () => [] });
    expect(empty.error).toEqual({ code: 'dns', message: 'name.example could not be resolved (no addresses).' });
    expect(r.dialled).toEqual([]);
  });

  it('a lookup that never answers ends at the timeout', async () => {
    const r = routed({});
    const started = Date.now();
    const result = await check(r, { lookup: () => new Promise(() => {}), timeoutMs: 3_000 });
    expect(result.error).toEqual({ code: 'timeout', message: 'Looking up name.example took longer than the timeout.' });
    expect(Date.now() - started).toBeGreaterThanOrEqual(3_000);
    expect(Date.now() - started).toBeLessThan(6_000);
  });

  it('a lookup that answers within the budget is waited for', async () => {
    const r = routed({ '192.0.2.1': 'good' });
    const slow = () => new Promise<string[]>((resolve) => setTimeout(() => resolve(['192.0.2.1']), 2_000));
    const result = await check(r, { lookup: slow, timeoutMs: 3_000, probe: 'default-offer' });
    expect(result.verdict).toBe('stapled-good');
  });

  it('options that break their rule: bad-request, before anything is resolved', async () => {
    const lookup = vi.fn(async () => ['192.0.2.1']);
    const badTimeout = await checkSite({ host: 'name.example', port: 8443, timeoutMs: -1, lookup, now: () => NOW });
    expect(badTimeout.verdict).toBe('error');
    expect(badTimeout.error?.code).toBe('bad-request');
    expect(badTimeout.summary).toBe(badTimeout.error?.message);
    expect(badTimeout.host).toBe('name.example');
    expect(badTimeout.port).toBe(8443);
    expect(badTimeout.checkedAt).toBe(NOW.toISOString());
    const badPort = await checkSite({ host: 'name.example', port: 70_000, lookup });
    expect(badPort.error?.code).toBe('bad-request');
    // Without `now`, the clock (fake here).
    expect(badPort.checkedAt).toBe(NOW.toISOString());
    expect(badPort.port).toBeNull();
    const long = 'a'.repeat(400);
    const badHost = await checkSite({ host: long, lookup });
    expect(badHost.error?.code).toBe('bad-request');
    expect(badHost.host).toBe('a'.repeat(300));
    const notText = await checkSite({ host: 42 as unknown as string, lookup });
    expect(notText.error?.code).toBe('bad-request');
    expect(notText.host).toBeNull();
    expect(lookup).not.toHaveBeenCalled();
  });

  it('an exception inside the check is an internal error, its reason cut at 300 characters', async () => {
    const thrown = await checkSite({
      host: 'name.example',
      port: 8443,
      now: () => NOW,
      lookup: () => {
        throw new Error(`boom ${'x'.repeat(400)}`);
      },
    });
    expect(thrown.verdict).toBe('error');
    expect(thrown.host).toBe('name.example');
    expect(thrown.port).toBe(8443);
    expect(thrown.error).toEqual({
      code: 'internal',
      message: `The check failed inside staplecheck (a bug): ${`boom ${'x'.repeat(400)}`.slice(0, 300)}`,
    });
    const text = await checkSite({
      host: 'name.example',
      lookup: () => {
        throw 'not an Error';
      },
    });
    expect(text.error).toEqual({
      code: 'internal',
      message: 'The check failed inside staplecheck (a bug): not an Error',
    });
  });
});

describe('several addresses', () => {
  it('at most 8 addresses, duplicates once', async () => {
    const addresses = Array.from({ length: 10 }, (_, i) => `192.0.2.${i + 1}`);
    const r = routed(Object.fromEntries(addresses.map((a) => [a, 'good' as const])));
    const result = await check(r, {
      lookup: async () => [addresses[0] as string, ...addresses],
      probe: 'default-offer',
    });
    expect(result.addresses?.map((a) => a.address)).toEqual(addresses.slice(0, 8));
    expect(r.dialled.slice().sort()).toEqual(addresses.slice(0, 8).sort());
    expect(result.timing.handshakes).toBe(8);
    expect(result.verdict).toBe('stapled-good');
    expect(codes(result)).not.toContain('backends-disagree');
  });

  it('the addresses disagree: the worst answers, with backends-disagree', async () => {
    const r = routed({ '192.0.2.1': 'good', '192.0.2.2': 'revoked' });
    const result = await check(r, { probe: 'default-offer' });
    expect(result.verdict).toBe('stapled-revoked');
    expect(result.address).toBe('192.0.2.2');
    expect(result.summary).toBe(result.addresses?.[1]?.summary);
    expect(problem(result, 'backends-disagree')).toEqual({
      code: 'backends-disagree',
      severity: 'warning',
      message: 'The addresses disagree: 192.0.2.1 → stapled-good, 192.0.2.2 → stapled-revoked.',
    });
    expect(result.addresses?.map((a) => [a.address, a.verdict, a.error])).toEqual([
      ['192.0.2.1', 'stapled-good', null],
      ['192.0.2.2', 'stapled-revoked', null],
    ]);
    expect(result.addresses?.[0]?.tls).toEqual({ protocol: 'TLSv1.3', cipher: 'TLS_AES_256_GCM_SHA384' });
    expect(result.addresses?.[0]?.ocsp).not.toBeNull();
    expect(result.addresses?.[0]?.problems).toEqual(
      result.addresses?.[0]?.problems.filter((p) => p.code !== 'backends-disagree'),
    );
    expect(result.addresses?.[0]).not.toHaveProperty('certificates');
  });

  it('the Server header is read once per check, not once per address', async () => {
    const r = routed({ '192.0.2.1': 'noOcsp', '192.0.2.2': 'noOcsp', '192.0.2.3': 'noOcsp' });
    const result = await check(r, { probe: 'default-offer' });
    expect(result.server).toBe('no-ocsp');
    expect(heads).toEqual(['localhost']);
    // The other two connections were not taken over: their handshakes closed them.
    expect(await waitFor(() => !busy())).toBe(true);
  });

  it('an address that fails beside one that answers: address-failed, the answer decides', async () => {
    const r = routed({ '192.0.2.1': 'hangup', '192.0.2.2': 'good' });
    const result = await check(r, { probe: 'default-offer' });
    expect(result.verdict).toBe('stapled-good');
    expect(result.error).toBeNull();
    expect(result.address).toBe('192.0.2.2');
    const failed = result.addresses?.[0];
    expect(failed?.verdict).toBe('error');
    expect(failed?.error?.code).toBe('tls-handshake');
    expect(problem(result, 'address-failed')).toEqual({
      code: 'address-failed',
      severity: 'warning',
      message: `192.0.2.1: ${failed?.error?.message}`,
    });
    expect(codes(result)).not.toContain('backends-disagree');
    expect(result.timing.handshakes).toBe(2);
  });

  it('errors only when no address answered, the first error on top', async () => {
    const r = routed({ '192.0.2.1': 'hangup', '192.0.2.2': 'hangup' });
    const result = await check(r);
    expect(result.verdict).toBe('error');
    expect(result.address).toBe('192.0.2.1');
    expect(result.error?.code).toBe('tls-handshake');
    expect(codes(result)).toEqual([]);
    expect(result.addresses?.length).toBe(2);
  });

  it('skip-internal-if-public: only the public addresses, with a note naming the others', async () => {
    const r = routed({ '8.8.4.4': 'good', '10.0.0.1': 'good', 'not-an-address': 'good', '1.1.1.1': 'good' });
    const result = await check(r, { addressPolicy: 'skip-internal-if-public', probe: 'default-offer' });
    expect(r.dialled.slice().sort()).toEqual(['1.1.1.1', '8.8.4.4']);
    const note = problem(result, 'internal-addresses-skipped');
    expect(note).toEqual({
      code: 'internal-addresses-skipped',
      severity: 'info',
      message:
        '2 of 4 addresses were not checked: 10.0.0.1 (private), one that is not an IP address. The name also ' +
        'resolves to public addresses, and a check started by the browser does not follow a name towards this ' +
        'computer or its local networks (DNS rebinding).',
    });
    expect(result.problems.at(-1)).toBe(note);
  });

  it('skip-internal-if-public with nothing to skip, and the cap after the policy', async () => {
    const publics = Array.from({ length: 9 }, (_, i) => `8.8.8.${i + 1}`);
    const r = routed(Object.fromEntries([...publics, '10.0.0.1'].map((a) => [a, 'good' as const])));
    const result = await check(r, {
      lookup: async () => ['10.0.0.1', ...publics],
      addressPolicy: 'skip-internal-if-public',
      probe: 'default-offer',
    });
    expect(result.addresses?.map((a) => a.address)).toEqual(publics.slice(0, 8));
    expect(problem(result, 'internal-addresses-skipped')?.message).toMatch(/^1 of 10 addresses were not checked/);
    const internal = routed({ '10.0.0.1': 'good', '10.0.0.2': 'good' });
    const all = await check(internal, { addressPolicy: 'skip-internal-if-public', probe: 'default-offer' });
    expect(internal.dialled.slice().sort()).toEqual(['10.0.0.1', '10.0.0.2']);
    expect(codes(all)).not.toContain('internal-addresses-skipped');
    const plain = routed({ '8.8.4.4': 'good', '10.0.0.1': 'good' });
    await check(plain, { probe: 'default-offer' });
    expect(plain.dialled.slice().sort()).toEqual(['10.0.0.1', '8.8.4.4']);
  });
});

describe('warm-up', () => {
  it('a lazy stapler: staples on the third handshake, warmed-up', async () => {
    lazyFrom = 3;
    const r = routed({ '192.0.2.1': 'lazy' });
    const started = Date.now();
    const result = await check(r, { probe: 'default-offer' });
    expect(result.verdict).toBe('stapled-good');
    expect(result.timing.handshakes).toBe(3);
    expect(problem(result, 'warmed-up')).toEqual({
      code: 'warmed-up',
      severity: 'info',
      message: 'The staple came only on handshake 3: the server fetches it lazily, so first visitors get none.',
    });
    // A pause of WARM_UP_INTERVAL_MS before each retry.
    expect(gaps(r.times)).toEqual([PAUSE, PAUSE]);
    expect(r.times[0]).toBe(started);
  });

  it('the probe for the other key type runs during the first pause, not after it', async () => {
    lazyFrom = 2;
    const r = routed({ '192.0.2.1': 'lazy' });
    const result = await check(r);
    expect(result.verdict).toBe('stapled-good');
    expect(result.timing).toMatchObject({ handshakes: 2, variantHandshakes: 1 });
    expect(problem(result, 'warmed-up')?.message).toMatch(/^The staple came only on handshake 2:/);
    // The normal offer, the RSA-only offer at once, the retry one pause after the first.
    expect(gaps(r.times)).toEqual([AT_ONCE, PAUSE]);
  });

  it('a probe that takes its whole second still costs the lazy stapler no time', async () => {
    lazyFrom = 2;
    // The RSA-only offer meets a silent peer: it ends at its bound, a second, as the pause does.
    const r = routed({ '192.0.2.1': 'lazy' }, (_a, n) => (n === 2 ? 'silent' : undefined));
    const result = await check(r);
    expect(result.verdict).toBe('stapled-good');
    expect(result.timing).toMatchObject({ handshakes: 2, variantHandshakes: 1 });
    expect(gaps(r.times)).toEqual([AT_ONCE, PAUSE]);
  });

  it('a server that never staples gets WARM_UP_RETRIES more handshakes, then not-stapled', async () => {
    const r = routed({ '192.0.2.1': 'bare' });
    const result = await check(r, { probe: 'default-offer' });
    expect(result.verdict).toBe('not-stapled');
    expect(result.timing.handshakes).toBe(1 + WARM_UP_RETRIES);
    expect(codes(result)).not.toContain('warmed-up');
    expect(r.dialled.length).toBe(4);
    expect(gaps(r.times)).toEqual([PAUSE, PAUSE, PAUSE]);
  });

  it('a certificate without an OCSP URL is not warmed up, and nothing waits', async () => {
    // The clock stands: a pause would never end.
    frozen = true;
    const r = routed({ '192.0.2.1': 'noOcsp' });
    const result = await check(r);
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 1 });
    expect(Date.now()).toBe(NOW.getTime());
  });

  it('a retry that fails keeps the first evidence and is not retried (gaveUp)', async () => {
    const r = routed({ '192.0.2.1': 'bare' }, (_a, n) => (n >= 2 ? 'hangup' : undefined));
    const result = await check(r, { probe: 'default-offer' });
    expect(result.verdict).toBe('not-stapled');
    expect(result.error).toBeNull();
    expect(result.certificate).not.toBeNull();
    expect(result.timing.handshakes).toBe(2);
    expect(r.dialled.length).toBe(2);
  });

  it('the budget bounds the retries: none starts that could not finish', async () => {
    // The second handshake (the first retry) spends the budget but for 500 ms: no third.
    const r = routed({ '192.0.2.1': 'bare' }, (_a, n) => {
      if (n === 2) vi.setSystemTime(Date.now() + 8_000);
    });
    const result = await check(r, { probe: 'default-offer', timeoutMs: 10_000 });
    expect(result.verdict).toBe('not-stapled');
    expect(result.timing.handshakes).toBe(2);
  });

  it('no pause when the budget has no room for one', async () => {
    const r = routed({ '192.0.2.1': 'bare' }, () => {
      vi.setSystemTime(Date.now() + 9_000);
    });
    const started = Date.now();
    const result = await check(r, { probe: 'default-offer', timeoutMs: 10_000 });
    expect(result.timing.handshakes).toBe(1);
    expect(result.verdict).toBe('not-stapled');
    expect(Date.now() - started).toBeLessThan(9_000 + WARM_UP_INTERVAL_MS);
  });

  it('a handshake that ends at the deadline is answered timeout, not judged late', async () => {
    // The clock stands but for one jump to the deadline exactly, once the handshake's own timer is set.
    frozen = true;
    const r = routed({ '192.0.2.1': 'good' }, undefined, () => {
      vi.setSystemTime(Date.now() + 10_000);
    });
    const result = await check(r, { timeoutMs: 10_000 });
    expect(result.verdict).toBe('error');
    expect(result.error).toEqual({
      code: 'timeout',
      message: 'The handshake ended at the timeout, leaving no time to judge it.',
    });
    // No room for the probe of the other key type either.
    expect(result.timing.variantHandshakes).toBe(0);
    expect(r.dialled.length).toBe(1);
  });
});

describe('certificate variants (docs/contract.md §8)', () => {
  it('an ECDSA and an RSA certificate that disagree: both listed, the worse on top', async () => {
    // The normal offer's handshake goes to a server that staples, the RSA-only ones to one that does not.
    const r = routed({ '192.0.2.1': 'dual' }, (_a, n) => (n >= 2 ? 'dualBare' : undefined));
    const result = await check(r, { ca: ROOT });
    expect(result.certificates?.map((c) => [c.keyType, c.offer, c.verdict, c.handshakes])).toEqual([
      ['ecdsa', 'default', 'stapled-good', 1],
      ['rsa', 'rsa-only', 'must-staple-violation', 1 + WARM_UP_RETRIES],
    ]);
    expect(result.verdict).toBe('must-staple-violation');
    expect(result.certificate?.mustStaple).toBe(true);
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 1 + WARM_UP_RETRIES });
    // The RSA certificate alone is warmed up: a pause before each of its retries.
    expect(gaps(r.times)).toEqual([AT_ONCE, PAUSE, PAUSE, PAUSE]);
    expect(problem(result, 'variants-disagree')).toEqual({
      code: 'variants-disagree',
      severity: 'warning',
      message:
        "The server's certificates disagree: ECDSA → stapled-good, RSA → must-staple-violation. Clients get one or the other by the algorithms they offer.",
    });
    const [ecdsa, rsa] = result.certificates ?? [];
    expect(ecdsa?.tls?.protocol).toBe('TLSv1.3');
    expect(ecdsa?.ocsp).not.toBeNull();
    expect(ecdsa?.certificate?.mustStaple).toBe(false);
    expect(ecdsa?.summary.length).toBeGreaterThan(0);
    expect(Object.keys(ecdsa?.browsers ?? {})).toEqual(['firefox', 'chromium', 'safari']);
    expect(ecdsa?.problems).not.toContainEqual(expect.objectContaining({ code: 'variants-disagree' }));
    expect(rsa?.problems.map((p) => p.code)).toContain('untrusted-chain');
  });

  it('a second certificate that came stapled at once is not called warmed up', async () => {
    // Every handshake goes to the server that staples (the fixture staple, for the ECDSA leaf).
    const r = routed({ '192.0.2.1': 'dual' });
    const result = await check(r, { ca: ROOT });
    expect(result.certificates?.map((c) => [c.keyType, c.handshakes])).toEqual([
      ['ecdsa', 1],
      ['rsa', 1],
    ]);
    expect(result.certificates?.[1]?.problems.map((p) => p.code)).not.toContain('warmed-up');
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 1 });
  });

  it('as one of several addresses, the address lists its certificates', async () => {
    const r = routed({ '192.0.2.1': 'dual', '192.0.2.2': 'good' }, (a, n) =>
      a === '192.0.2.1' && n >= 2 ? 'dualBare' : undefined,
    );
    const result = await check(r, { ca: ROOT });
    expect(result.addresses?.[0]?.certificates?.length).toBe(2);
    expect(result.addresses?.[1]).not.toHaveProperty('certificates');
    expect(result.address).toBe('192.0.2.1');
  });

  it('no probe for the other key type when the budget has no room', async () => {
    // The clock stands but for one jump: 40 ms are left after the handshake, under the 50 the probe needs.
    frozen = true;
    const r = routed({ '192.0.2.1': 'good' }, () => {
      vi.setSystemTime(Date.now() + 9_960);
    });
    const result = await check(r, { timeoutMs: 10_000 });
    expect(result.verdict).toBe('stapled-good');
    expect(result.timing).toMatchObject({ handshakes: 1, variantHandshakes: 0 });
    expect(r.dialled.length).toBe(1);
  });

  it('the probe for the other key type takes at most a second of a long budget', async () => {
    const r = routed({ '192.0.2.1': 'good' }, (_a, n) => (n === 2 ? 'silent' : undefined));
    const started = Date.now();
    const result = await check(r, { timeoutMs: 30_000 });
    expect(result.verdict).toBe('stapled-good');
    expect(result.timing.variantHandshakes).toBe(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});

describe('compareResponder', () => {
  it('asks only when asked, and only about a judged certificate', async () => {
    const r = routed({ '192.0.2.1': 'noOcsp' });
    const off = await check(r, { probe: 'default-offer' });
    expect(off).not.toHaveProperty('responder');
    const on = await check(r, { probe: 'default-offer', compareResponder: true });
    expect(on.responder).toEqual({
      url: '',
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: 'The certificate names no OCSP responder.',
    });
    const failed = await check(routed({ '192.0.2.1': 'hangup' }), { compareResponder: true });
    expect(failed).not.toHaveProperty('responder');
  });

  it('asks about the certificate on top (its own chain), through the stubbed resolver here', async () => {
    const r = routed({ '192.0.2.1': 'good' });
    const result = await check(r, { probe: 'default-offer', compareResponder: true });
    expect(result.responder?.url).toBe('http://ocsp.staplecheck.test/');
    expect(result.responder?.error).toMatch(/ENOTFOUND/);
    expect(dnsAsked.map((a) => a[0])).toContain('ocsp.staplecheck.test');
  });
});
