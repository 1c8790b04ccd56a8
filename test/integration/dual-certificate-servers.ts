// Servers holding an ECDSA and an RSA certificate at once, on loopback, for the variant tests
// (docs/contract.md §8): a Node TLS front that picks the certificate by the client's
// signature_algorithms, each with its own staple; and nginx with `ssl_certificate` twice.
// Each stop() ends only what it started (by PID / by its own server objects).
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { Duplex } from 'node:stream';
import { join } from 'node:path';
import * as tls from 'node:tls';
import { freePort, waitForPort, type RunningServer } from '../support/servers.js';

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

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

/**
 * nginx with both certificates on one server block (`ssl_certificate` twice: nginx ≥ 1.11.0 picks
 * by the client's offer) and `ssl_stapling` fetching each one's staple from `responderUrl`.
 */
export async function startDualNginx(options: {
  binary: string;
  dir: string;
  certificates: { chainFile: string; keyFile: string }[];
  trustedFile: string;
  stapling: boolean;
  responderUrl?: string;
}): Promise<RunningServer & { log: () => string }> {
  const port = await freePort();
  const tmp = (name: string) => join(options.dir, `dual-${port}-${name}`);
  const conf = tmp('nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${tmp('nginx.pid')};
error_log ${tmp('error.log')} info;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${tmp('client_body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};
  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
${options.certificates.map((c) => `    ssl_certificate ${c.chainFile};\n    ssl_certificate_key ${c.keyFile};`).join('\n')}
    ssl_stapling ${options.stapling ? 'on' : 'off'};
    ssl_stapling_verify on;
    ssl_trusted_certificate ${options.trustedFile};
    ${options.responderUrl ? `ssl_stapling_responder ${options.responderUrl};` : ''}
    location / { return 200 "ok\\n"; }
  }
}
`,
  );
  let output = '';
  const child = spawn(options.binary, ['-c', conf, '-p', options.dir, '-e', tmp('error.log')], {
    cwd: options.dir,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const log = (): string => {
    try {
      return output + readFileSync(tmp('error.log'), 'utf8');
    } catch {
      return output;
    }
  };
  try {
    await waitForPort(port);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n${log()}`, { cause: err });
  }
  return { port, host: '127.0.0.1', log, stop: () => stopChild(child) };
}
