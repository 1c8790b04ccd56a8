// Hostile servers on loopback, each one way a site can misbehave during a TLS handshake, and the
// hostile certificates and staples a TLS server can send. Everything is real: Node `net`/`tls`
// servers on 127.0.0.1, certificates and OCSP responses minted by src/pki/mint.ts.
import * as net from 'node:net';
import * as tls from 'node:tls';
import * as asn1js from 'asn1js';
import {
  certificatePem,
  DAY,
  HOUR,
  mintIntermediateCa,
  mintLeaf,
  mintOcspResponse,
  mintScenario,
  pemBundle,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../support/mint.js';
import { startTlsServer, type RunningServer } from '../support/servers.js';

/** How a raw TCP server treats a client once it has accepted it. */
export type RawBehaviour =
  /** Relay a real TLS server's handshake, one byte per second (a slowloris in reverse). */
  | 'trickle'
  /** Accept, read the ClientHello, never write. */
  | 'silent'
  /** Answer the ClientHello with a fatal handshake_failure alert (RFC 8446 §6.2), then stay open. */
  | 'alert'
  /** Answer the ClientHello with a FIN and keep reading (a half-closed connection). */
  | 'half-close'
  /** Answer the ClientHello with a TCP RST. */
  | 'reset';

/** RFC 8446 §5.1/§6: a TLSPlaintext alert record, level fatal (2), handshake_failure (40). */
export const HANDSHAKE_FAILURE_ALERT = Buffer.from([0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 0x28]);

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port));
  });
}

/**
 * A misbehaving TCP server. `trickle` needs `backendPort`: a real TLS server whose answer is
 * relayed at one byte per second, so the handshake is valid but never finishes in time.
 */
export async function startRawHostile(behaviour: RawBehaviour, backendPort?: number): Promise<RunningServer> {
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  const server = net.createServer({ allowHalfOpen: true }, (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    if (behaviour === 'trickle') {
      if (backendPort === undefined) throw new Error('trickle needs a backend');
      const backend = net.connect({ host: '127.0.0.1', port: backendPort });
      sockets.add(backend);
      backend.on('error', () => socket.destroy());
      backend.on('close', () => sockets.delete(backend));
      socket.on('close', () => backend.destroy());
      socket.pipe(backend);
      const pending: number[] = [];
      backend.on('data', (chunk: Buffer) => pending.push(...chunk));
      const drip = setInterval(() => {
        const byte = pending.shift();
        if (byte !== undefined && !socket.destroyed) socket.write(Buffer.from([byte]));
      }, 1000);
      timers.add(drip);
      socket.on('close', () => {
        clearInterval(drip);
        timers.delete(drip);
      });
      return;
    }
    socket.once('data', () => {
      if (behaviour === 'alert') socket.write(HANDSHAKE_FAILURE_ALERT);
      else if (behaviour === 'half-close') socket.end();
      else if (behaviour === 'reset') socket.resetAndDestroy();
      // 'silent': nothing, ever.
    });
  });
  const port = await listen(server);
  return {
    port,
    host: '127.0.0.1',
    stop: () => {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/** A SEQUENCE nested `depth` times around an empty one, definite lengths (X.690 §8.1.3). */
export function nestedSequences(depth: number): Uint8Array {
  let inner = Uint8Array.from([0x30, 0x00]);
  for (let i = 0; i < depth; i++) {
    const n = inner.length;
    const lengthBytes = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : n < 0x10000 ? [0x82, n >> 8, n & 0xff] : null;
    if (!lengthBytes) throw new Error('too deep for a staple');
    const outer = new Uint8Array(1 + lengthBytes.length + n);
    outer[0] = 0x30;
    outer.set(lengthBytes, 1);
    outer.set(inner, 1 + lengthBytes.length);
    inner = outer;
  }
  return inner;
}

/** Deterministic bytes that are no DER (xorshift32), `length` long. */
export function garbageBytes(length: number, seed = 0x5eed): Uint8Array {
  const out = new Uint8Array(length);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    out[i] = x & 0xff;
  }
  out[0] = 0x42; // not a SEQUENCE tag
  return out;
}

/** What a TLS server presents: PEM chain (leaf first), key, staple. */
export interface TlsPresentation {
  certChainPem: string;
  keyPem: string;
  staple: Uint8Array;
}

export interface HostilePki {
  scenario: Scenario;
  /** 60 KB of garbage as the staple (under the engine's 64 KiB cap, so it is parsed). */
  garbageStaple: TlsPresentation;
  /** A staple of SEQUENCEs nested far deeper than any OCSP response (a parser-stack attack). */
  nestedStaple: TlsPresentation;
  /** Leaf + 49 intermediates (50 certificates), stapling a response whose signature is broken. */
  longChain: TlsPresentation;
  /** A leaf with hundreds of private extensions, stapling a response for another serial. */
  manyExtensions: TlsPresentation;
  /**
   * Two leaves with thousands of extensions (about 60 KB each): costly to parse, so they test the
   * budget after the handshake. Two, with different bytes (own keys and serials): parsed
   * certificates are cached by their bytes (src/core/certificate.ts), so a check that meets the
   * same leaf a second time does not parse it again; the first leaf measures the machine, the
   * second is the one timed.
   */
  costlyCertificates: readonly [TlsPresentation, TlsPresentation];
}

export const LONG_CHAIN_LENGTH = 50;
export const EXTENSION_COUNT = 400;
export const COSTLY_EXTENSION_COUNT = 2_000;
export const GARBAGE_STAPLE_BYTES = 60 * 1024;
export const NESTING_DEPTH = 12_000;

async function goodishResponse(
  scenario: Scenario,
  leaf: MintedCertificate,
  issuer: MintedCertificate,
  options: { serialNumber?: bigint; corruptSignature?: boolean } = {},
): Promise<Uint8Array> {
  const now = scenario.now;
  return mintOcspResponse({
    responses: [
      {
        certificate: leaf,
        issuer,
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, DAY),
        ...(options.serialNumber ? { serialNumber: options.serialNumber } : {}),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: issuer,
    ...(options.corruptSignature ? { corruptSignature: true } : {}),
  });
}

/** Mint everything the hostile TLS servers present. `now` is the real clock: checkSite reads it. */
export async function mintHostilePki(now: Date): Promise<HostilePki> {
  const scenario = await mintScenario({ now });
  const plain = { certChainPem: scenario.chainPem(scenario.leaf), keyPem: scenario.keys.leaf.privateKeyPem };

  // 49 intermediates, each issued by the one before, under the scenario's root.
  const intermediates: MintedCertificate[] = [];
  let issuer = scenario.root;
  for (let i = 1; i < LONG_CHAIN_LENGTH; i++) {
    issuer = await mintIntermediateCa({
      issuer,
      commonName: `Hostile Intermediate ${i}`,
      notBefore: shift(now, -DAY),
      notAfter: shift(now, 30 * DAY),
      pathLength: LONG_CHAIN_LENGTH,
    });
    intermediates.push(issuer);
  }
  const deepLeaf = await mintLeaf({
    issuer,
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1'],
    notBefore: shift(now, -DAY),
    notAfter: shift(now, 30 * DAY),
  });

  // RFC 5280 §4.1.2.9 sets no bound on the number of extensions; a hostile leaf uses that.
  const crowdedLeafWith = (count: number) =>
    mintLeaf({
      issuer: scenario.intermediate,
      commonName: 'localhost',
      dnsNames: ['localhost'],
      ipAddresses: ['127.0.0.1'],
      notBefore: shift(now, -DAY),
      notAfter: shift(now, 30 * DAY),
      extraExtensions: Array.from({ length: count }, (_, i) => ({
        oid: `1.3.6.1.4.1.55555.1.${i + 1}`,
        der: new Uint8Array(new asn1js.Utf8String({ value: `extension ${i + 1}` }).toBER(false)),
      })),
    });
  const crowdedLeaf = await crowdedLeafWith(EXTENSION_COUNT);
  const costlyPresentation = async (): Promise<TlsPresentation> => {
    const costlyLeaf = await crowdedLeafWith(COSTLY_EXTENSION_COUNT);
    return {
      certChainPem: pemBundle([costlyLeaf, scenario.intermediate]),
      keyPem: costlyLeaf.keys.privateKeyPem,
      staple: await goodishResponse(scenario, costlyLeaf, scenario.intermediate, {
        serialNumber: costlyLeaf.serialNumber + 1n,
      }),
    };
  };

  return {
    scenario,
    garbageStaple: { ...plain, staple: garbageBytes(GARBAGE_STAPLE_BYTES) },
    nestedStaple: { ...plain, staple: nestedSequences(NESTING_DEPTH) },
    longChain: {
      certChainPem: certificatePem(deepLeaf) + pemBundle([...intermediates].reverse()),
      keyPem: deepLeaf.keys.privateKeyPem,
      staple: await goodishResponse(scenario, deepLeaf, issuer, { corruptSignature: true }),
    },
    manyExtensions: {
      certChainPem: pemBundle([crowdedLeaf, scenario.intermediate]),
      keyPem: crowdedLeaf.keys.privateKeyPem,
      staple: await goodishResponse(scenario, crowdedLeaf, scenario.intermediate, {
        serialNumber: crowdedLeaf.serialNumber + 1n,
      }),
    },
    costlyCertificates: [await costlyPresentation(), await costlyPresentation()],
  };
}

/**
 * A Node TLS server presenting `presentation`. TLS 1.2 sends the staple in its own CertificateStatus
 * message (RFC 6066 §8), TLS 1.3 in the Certificate message (RFC 8446 §4.4.2.1). `holdMs`, asked on
 * each handshake, delays the staple and with it the rest of the server's handshake.
 */
export async function startPresentingServer(
  presentation: TlsPresentation,
  maxVersion?: 'TLSv1.2',
  holdMs?: () => number,
): Promise<RunningServer> {
  if (!holdMs) {
    return startTlsServer({
      certChainPem: presentation.certChainPem,
      keyPem: presentation.keyPem,
      staple: presentation.staple,
      ...(maxVersion ? { maxVersion } : {}),
    });
  }
  const server = tls.createServer({
    cert: presentation.certChainPem,
    key: presentation.keyPem,
    ...(maxVersion ? { maxVersion } : {}),
  });
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, done: (err: Error | null, resp?: Buffer) => void) => {
    setTimeout(() => done(null, Buffer.from(presentation.staple)), holdMs());
  });
  server.on('secureConnection', (socket) => socket.end());
  server.on('tlsClientError', () => {});
  const port = await listen(server);
  return {
    port,
    host: '127.0.0.1',
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
