// Real servers on loopback for integration tests: Node TLS, raw TCP misbehaviour, `openssl s_server`,
// `openssl ocsp` and nginx. Each returns a stop() that ends only what it started (by PID).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tls from 'node:tls';

export interface RunningServer {
  port: number;
  host: string;
  stop: () => Promise<void>;
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `staplecheck-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

function listen(server: net.Server, host: string, port = 0): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as net.AddressInfo).port));
  });
}

function closeServer(server: net.Server, sockets: Set<net.Socket>): Promise<void> {
  for (const socket of sockets) socket.destroy();
  return new Promise((resolve) => server.close(() => resolve()));
}

function trackSockets(server: net.Server): Set<net.Socket> {
  const sockets = new Set<net.Socket>();
  server.on('connection', (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return sockets;
}

export interface TlsServerOptions {
  /** Leaf first, then what else the server sends (PEM). */
  certChainPem: string;
  keyPem: string;
  /** The OCSP response to staple, or null for none. A function is asked on every handshake. */
  staple: Uint8Array | null | (() => Uint8Array | null);
  maxVersion?: tls.SecureVersion;
  minVersion?: tls.SecureVersion;
  host?: string;
  /** Default: any free port. */
  port?: number;
}

/** A Node TLS server that staples what it is told to (RFC 6066 §8 via the OCSPRequest event). */
export async function startTlsServer(
  options: TlsServerOptions,
): Promise<RunningServer & { handshakes: () => number; stapleRequests: () => number; resumed: () => number }> {
  let handshakes = 0;
  let stapleRequests = 0;
  let resumed = 0;
  const server = tls.createServer({
    cert: options.certChainPem,
    key: options.keyPem,
    ...(options.maxVersion ? { maxVersion: options.maxVersion } : {}),
    ...(options.minVersion ? { minVersion: options.minVersion } : {}),
    // Let a test server speak old protocol versions when asked to (OpenSSL's level 2 forbids them).
    ...(options.maxVersion === 'TLSv1' || options.maxVersion === 'TLSv1.1' ? { ciphers: 'DEFAULT:@SECLEVEL=0' } : {}),
  });
  server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, callback: (err: Error | null, resp?: Buffer) => void) => {
    stapleRequests++;
    const staple = typeof options.staple === 'function' ? options.staple() : options.staple;
    callback(null, staple ? Buffer.from(staple) : undefined);
  });
  server.on('secureConnection', (socket) => {
    handshakes++;
    if (socket.isSessionReused()) resumed++;
    socket.end('HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok');
  });
  server.on('tlsClientError', () => {});
  const sockets = trackSockets(server);
  const host = options.host ?? '127.0.0.1';
  const port = await listen(server, host, options.port);
  return {
    port,
    host,
    handshakes: () => handshakes,
    stapleRequests: () => stapleRequests,
    resumed: () => resumed,
    stop: () => closeServer(server, sockets),
  };
}

/** A TCP server that misbehaves: answers in plain HTTP, stays silent, or hangs up at once. */
export async function startRawServer(mode: 'http' | 'silent' | 'hang-up'): Promise<RunningServer> {
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    if (mode === 'http') socket.end('HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n');
    else if (mode === 'hang-up') socket.destroy();
    // 'silent': read the ClientHello and say nothing, until the client gives up.
  });
  const sockets = trackSockets(server);
  const port = await listen(server, '127.0.0.1');
  return { port, host: '127.0.0.1', stop: () => closeServer(server, sockets) };
}

/** A port nothing listens on: bind, read the number, close. */
export async function closedPort(): Promise<number> {
  const server = net.createServer();
  const port = await listen(server, '127.0.0.1');
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export async function freePort(): Promise<number> {
  return closedPort();
}

/** Wait until something accepts TCP connections on host:port. */
export async function waitForPort(port: number, host = '127.0.0.1', timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ port, host });
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`nothing listens on ${host}:${port} after ${timeoutMs} ms`);
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

/** Wait until a child's output matches: probing a single-threaded server with a connect can wedge it. */
async function waitForOutput(
  log: () => string,
  pattern: RegExp,
  child: ChildProcess,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (pattern.test(log())) return;
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`no ${pattern} in the output after ${timeoutMs} ms`);
}

function spawnLogged(command: string, args: string[], cwd: string): { child: ChildProcess; log: () => string } {
  let log = '';
  const child = spawn(command, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  return { child, log: () => log };
}

/** `openssl s_server` stapling a fixed response file (`-status_file`). */
export async function startOpensslServer(options: {
  dir: string;
  certFile: string;
  keyFile: string;
  chainFile?: string;
  statusFile?: string;
}): Promise<RunningServer & { log: () => string }> {
  const port = await freePort();
  const args = [
    's_server',
    '-accept',
    `127.0.0.1:${port}`,
    '-cert',
    options.certFile,
    '-key',
    options.keyFile,
    '-www',
    '-quiet',
  ];
  if (options.chainFile) args.push('-cert_chain', options.chainFile);
  if (options.statusFile) args.push('-status_file', options.statusFile);
  const { child, log } = spawnLogged('openssl', args, options.dir);
  try {
    await waitForPort(port);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n${log()}`, { cause: err });
  }
  return { port, host: '127.0.0.1', log, stop: () => stopChild(child) };
}

/** An `openssl ocsp` responder answering from an index file (the OpenSSL `ca` database format). */
export async function startOcspResponder(options: {
  dir: string;
  indexFile: string;
  caFile: string;
  signerCertFile: string;
  signerKeyFile: string;
}): Promise<RunningServer & { log: () => string }> {
  const port = await freePort();
  const args = [
    'ocsp',
    '-index',
    options.indexFile,
    // OpenSSL 3.0 takes a bare port here (it listens on every interface); only loopback talks to it.
    '-port',
    String(port),
    '-CA',
    options.caFile,
    '-rsigner',
    options.signerCertFile,
    '-rkey',
    options.signerKeyFile,
    '-ndays',
    '1',
    // A bounded number of requests: the responder stops by itself if a test forgets it.
    '-nrequest',
    '50',
  ];
  const { child, log } = spawnLogged('openssl', args, options.dir);
  try {
    await waitForOutput(log, /waiting for OCSP client connections/, child);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n${log()}`, { cause: err });
  }
  return { port, host: '127.0.0.1', log, stop: () => stopChild(child) };
}

/** One line of OpenSSL's index.txt for a certificate (V valid, R revoked). */
export function indexLine(options: {
  serialHex: string;
  notAfter: Date;
  subject: string;
  revokedAt?: Date;
  reason?: string;
}): string {
  const time = (d: Date) => d.toISOString().replace(/[-:T]/g, '').slice(2, 14) + 'Z';
  const serial = options.serialHex.toUpperCase().padStart(2, '0');
  const revoked = options.revokedAt ? `${time(options.revokedAt)}${options.reason ? `,${options.reason}` : ''}` : '';
  return `${options.revokedAt ? 'R' : 'V'}\t${time(options.notAfter)}\t${revoked}\t${serial}\tunknown\t${options.subject}\n`;
}

export const NGINX_BINARY = '/usr/sbin/nginx';

/**
 * nginx on loopback with `ssl_stapling` (on: fetches lazily from `responderUrl`). One certificate
 * (`chainFile`, `keyFile`), or several on one server block (`certificates`: `ssl_certificate`
 * repeated, nginx ≥ 1.11.0 picks by the client's offer, each stapled on its own).
 */
export async function startNginx(options: {
  dir: string;
  chainFile?: string;
  keyFile?: string;
  certificates?: { chainFile: string; keyFile: string }[];
  trustedFile: string;
  stapling: boolean;
  responderUrl?: string;
}): Promise<RunningServer & { log: () => string }> {
  const port = await freePort();
  // Named by port, so several nginx can share one directory.
  const tmp = (name: string) => join(options.dir, `nginx-${port}-${name}`);
  const conf = tmp('nginx.conf');
  const certificates =
    options.certificates ??
    (options.chainFile && options.keyFile ? [{ chainFile: options.chainFile, keyFile: options.keyFile }] : []);
  if (certificates.length === 0) throw new Error('startNginx: a chainFile and keyFile, or certificates');
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
${certificates.map((c) => `    ssl_certificate ${c.chainFile};\n    ssl_certificate_key ${c.keyFile};`).join('\n')}
    ssl_stapling ${options.stapling ? 'on' : 'off'};
    ssl_stapling_verify on;
    ssl_trusted_certificate ${options.trustedFile};
    ${options.responderUrl ? `ssl_stapling_responder ${options.responderUrl};` : ''}
    location / { return 200 "ok\\n"; }
  }
}
`,
  );
  const spawned = spawnLogged(NGINX_BINARY, ['-c', conf, '-p', options.dir, '-e', tmp('error.log')], options.dir);
  const child = spawned.child;
  // nginx writes to its error log, not to stdout: read both.
  const log = () => {
    let errorLog = '';
    try {
      errorLog = readFileSync(tmp('error.log'), 'utf8');
    } catch {
      // not written yet
    }
    return `${spawned.log()}${errorLog}`;
  };
  try {
    await waitForPort(port);
  } catch (err) {
    await stopChild(child);
    throw new Error(`${(err as Error).message}\n${log()}`, { cause: err });
  }
  return { port, host: '127.0.0.1', log, stop: () => stopChild(child) };
}
