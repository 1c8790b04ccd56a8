// Servers holding an ECDSA and an RSA certificate at once, on loopback, for the variant tests
// (docs/contract.md §8): a Node TLS front that picks the certificate by the client's
// signature_algorithms, each with its own staple. (nginx with `ssl_certificate` twice: startNginx's
// `certificates`, in test/support/servers.ts.)
// Each stop() ends only what it started (by PID / by its own server objects).
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { RunningServer } from '../support/servers.js';

export interface KeyedCertificate {
  certChainPem: string;
  keyPem: string;
  /** The staple for this certificate; a function is asked on every handshake. */
  staple: Uint8Array | null | (() => Uint8Array | null);
}

/** RFC 8446 §4.2.3 SignatureScheme values that sign with an ECDSA key (incl. TLS 1.2's ecdsa+sha1). */
const ECDSA_SCHEMES = new Set([0x0403, 0x0503, 0x0603, 0x0203]);

/**
 * The signature_algorithms (RFC 8446 §4.2.3) a ClientHello offers, or `null` while the record is
 * incomplete. Only for tests: a well-formed hello from Node is assumed, malformed input gives [].
 */
export function offeredSignatureSchemes(bytes: Buffer): number[] | null {
  if (bytes.length < 5) return null;
  const recordLength = bytes.readUInt16BE(3);
  if (bytes.length < 5 + recordLength) return null;
  const hello = bytes.subarray(5, 5 + recordLength);
  try {
    let at = 4 + 2 + 32; // handshake header, legacy_version, random
    at += 1 + hello.readUInt8(at); // session id
    at += 2 + hello.readUInt16BE(at); // cipher suites
    at += 1 + hello.readUInt8(at); // compression methods
    const end = at + 2 + hello.readUInt16BE(at);
    at += 2;
    while (at + 4 <= end) {
      const type = hello.readUInt16BE(at);
      const length = hello.readUInt16BE(at + 2);
      if (type === 0x000d) {
        const schemes: number[] = [];
        const listEnd = at + 6 + hello.readUInt16BE(at + 4);
        for (let i = at + 6; i + 2 <= listEnd; i += 2) schemes.push(hello.readUInt16BE(i));
        return schemes;
      }
      at += 4 + length;
    }
  } catch {
    // a short or odd hello: no schemes
  }
  return [];
}

/**
 * A Node TLS server with two certificates: it reads the ClientHello, hands the connection to the
 * ECDSA server when ECDSA schemes are offered (as OpenSSL prefers the client's first usable
 * scheme, and clients list ECDSA first) and to the RSA server otherwise. Each certificate has its
 * own OCSPRequest handler, so each staples its own response.
 */
export async function startDualTlsServer(options: {
  ecdsa: KeyedCertificate;
  rsa: KeyedCertificate;
}): Promise<RunningServer & { handshakes: () => { ecdsa: number; rsa: number } }> {
  const counts = { ecdsa: 0, rsa: 0 };
  const backends = {} as Record<'ecdsa' | 'rsa', tls.Server>;
  for (const kind of ['ecdsa', 'rsa'] as const) {
    const keyed = options[kind];
    const backend = tls.createServer({ cert: keyed.certChainPem, key: keyed.keyPem });
    backend.on('OCSPRequest', (_c: Buffer, _i: Buffer, callback: (err: Error | null, resp?: Buffer) => void) => {
      const staple = typeof keyed.staple === 'function' ? keyed.staple() : keyed.staple;
      callback(null, staple ? Buffer.from(staple) : undefined);
    });
    backend.on('secureConnection', (socket) => {
      counts[kind]++;
      socket.on('error', () => {});
      socket.end('HTTP/1.1 200 OK\r\nServer: NodeDual/1.0\r\ncontent-length: 2\r\n\r\nok');
    });
    backend.on('tlsClientError', () => {});
    backends[kind] = backend;
  }
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let buffered = Buffer.alloc(0);
    const onData = (chunk: Buffer): void => {
      buffered = Buffer.concat([buffered, chunk]);
      const schemes = offeredSignatureSchemes(buffered);
      if (schemes === null && buffered.length < 20_000) return;
      socket.removeListener('data', onData);
      const kind = (schemes ?? []).some((s) => ECDSA_SCHEMES.has(s)) ? 'ecdsa' : 'rsa';
      // A net.Socket handed to a TLS server is read through its native handle, which would miss
      // the bytes already read: hand over a plain Duplex instead (Node then reads it in JS).
      const relay = new Duplex({
        read() {},
        write(chunk: Buffer, _encoding, callback) {
          socket.write(chunk, callback);
        },
        final(callback) {
          socket.end();
          callback();
        },
        destroy(error, callback) {
          socket.destroy();
          callback(error);
        },
      });
      relay.push(buffered);
      socket.on('data', (more: Buffer) => relay.push(more));
      socket.on('end', () => relay.push(null));
      socket.on('close', () => relay.destroy());
      backends[kind].emit('connection', relay);
    };
    socket.on('data', onData);
  });
  const port = await new Promise<number>((resolve, reject) => {
    front.once('error', reject);
    front.listen(0, '127.0.0.1', () => resolve((front.address() as net.AddressInfo).port));
  });
  return {
    port,
    host: '127.0.0.1',
    handshakes: () => ({ ...counts }),
    stop: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => front.close(() => resolve()));
    },
  };
}
