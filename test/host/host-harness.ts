// Test harness for the native host as a real child process: frames written by hand (independent of
// src/protocol/framing.ts), a strict parser for everything the host writes to stdout, and a loopback
// TLS server that staples, with a self-signed certificate minted by `openssl req -x509`.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { AddressInfo, Socket } from 'node:net';
import { endianness, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import * as tls from 'node:tls';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const HOST_BIN = join(ROOT, 'bin', 'staplecheck-host.js');
export const BUILT_HOST = join(ROOT, 'build', 'src', 'host', 'main.js');

/** The child-process tests run the built host, as browsers do. */
export function assertBuilt(): void {
  if (!existsSync(BUILT_HOST)) {
    throw new Error(`${BUILT_HOST} is missing: run \`npm run build\` before these tests (npm test does).`);
  }
}

export function tempDir(prefix: string): { path: string; remove: () => void } {
  const path = mkdtempSync(join(tmpdir(), `staplecheck-${prefix}-`));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** A 32-bit length in native byte order, then the bytes. */
export function header(length: number): Buffer {
  const h = Buffer.alloc(4);
  if (endianness() === 'LE') h.writeUInt32LE(length);
  else h.writeUInt32BE(length);
  return h;
}

export function frame(payload: unknown): Buffer {
  const body = Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload), 'utf8');
  return Buffer.concat([header(body.length), body]);
}

export interface Answer {
  id: unknown;
  ok: boolean;
  result?: Record<string, unknown>;
  error?: { code: string; message: string };
}

/** Every byte must belong to a well-formed frame holding a JSON object; anything else throws. */
export function parseAllFrames(bytes: Buffer): Answer[] {
  const answers: Answer[] = [];
  let offset = 0;
  while (offset < bytes.length) {
    if (bytes.length - offset < 4) throw new Error(`stdout ends with ${bytes.length - offset} stray bytes`);
    const length = endianness() === 'LE' ? bytes.readUInt32LE(offset) : bytes.readUInt32BE(offset);
    if (bytes.length - offset - 4 < length) throw new Error(`stdout ends inside a frame of ${length} bytes`);
    const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(offset + 4, offset + 4 + length));
    const value = JSON.parse(text) as unknown;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error(`not an object: ${text}`);
    answers.push(value as Answer);
    offset += 4 + length;
  }
  return answers;
}

export interface HostExit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A running host: write requests, wait for answers by count or id, see everything it wrote. */
export class HostProcess {
  readonly child: ChildProcess;
  stdout = Buffer.alloc(0);
  stderr = '';
  readonly exited: Promise<HostExit>;
  #waiters: Array<() => void> = [];

  private constructor(child: ChildProcess) {
    this.child = child;
    child.stdout?.on('data', (chunk: Buffer) => {
      this.stdout = Buffer.concat([this.stdout, chunk]);
      for (const w of this.#waiters) w();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString('utf8');
    });
    child.stdin?.on('error', () => undefined); // the host may exit first (oversized frame)
    this.exited = new Promise((resolveExit) => {
      child.on('close', (code, signal) => {
        resolveExit({ code, signal });
        for (const w of this.#waiters) w();
      });
    });
  }

  /** `node bin/staplecheck-host.js ARGS`, or any command (a launcher) with `command`. */
  static start(
    options: { args?: string[]; command?: string; env?: NodeJS.ProcessEnv; script?: string } = {},
  ): HostProcess {
    const child = options.command
      ? spawn(options.command, options.args ?? [], { env: options.env ?? process.env })
      : spawn(process.execPath, [options.script ?? HOST_BIN, ...(options.args ?? [])], {
          env: options.env ?? process.env,
          cwd: ROOT,
        });
    return new HostProcess(child);
  }

  send(bytes: Buffer): void {
    this.child.stdin?.write(bytes);
  }

  request(value: unknown): void {
    this.send(frame(value));
  }

  end(): void {
    this.child.stdin?.end();
  }

  /** Everything answered so far (throws if stdout is not purely frames). */
  answers(): Answer[] {
    return parseAllFrames(this.completeFrames());
  }

  private completeFrames(): Buffer {
    // Cut at the last complete frame: the host may be mid-write.
    let offset = 0;
    while (this.stdout.length - offset >= 4) {
      const length = endianness() === 'LE' ? this.stdout.readUInt32LE(offset) : this.stdout.readUInt32BE(offset);
      if (this.stdout.length - offset - 4 < length) break;
      offset += 4 + length;
    }
    return this.stdout.subarray(0, offset);
  }

  /** Resolves when `predicate(answers)` holds; rejects after `timeoutMs` with what was seen. */
  waitFor(predicate: (answers: Answer[]) => boolean, timeoutMs = 20_000): Promise<Answer[]> {
    return new Promise((resolveWait, reject) => {
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out; answers so far: ${JSON.stringify(this.answers())}; stderr: ${this.stderr}`));
      }, timeoutMs);
      const check = (): void => {
        const answers = this.answers();
        if (predicate(answers)) {
          cleanup();
          resolveWait(answers);
        }
      };
      const cleanup = (): void => {
        clearTimeout(timer);
        this.#waiters = this.#waiters.filter((w) => w !== check);
      };
      this.#waiters.push(check);
      check();
    });
  }

  async answerFor(id: unknown, timeoutMs?: number): Promise<Answer> {
    const answers = await this.waitFor((all) => all.some((a) => a.id === id), timeoutMs);
    return answers.find((a) => a.id === id) as Answer;
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill();
  }
}

export interface StaplingServer {
  port: number;
  stop: () => Promise<void>;
}

/** Self-signed EC certificate for localhost/127.0.0.1, minted with `openssl req -x509`. */
export function mintSelfSigned(dir: string): { certPem: string; keyPem: string } {
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { certPem: readFileSync(cert, 'utf8'), keyPem: readFileSync(key, 'utf8') };
}

/**
 * A loopback TLS server that staples `staple` on every handshake (RFC 6066 §8 via Node's
 * OCSPRequest event), optionally after a delay, to make one check slower than another.
 */
export async function startStaplingServer(options: {
  certPem: string;
  keyPem: string;
  staple?: Buffer;
  delayMs?: number;
}): Promise<StaplingServer> {
  const server = tls.createServer({ cert: options.certPem, key: options.keyPem });
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on(
    'OCSPRequest',
    (_cert: Buffer, _issuer: Buffer, callback: (err: Error | null, response?: Buffer) => void) => {
      setTimeout(() => callback(null, options.staple ?? Buffer.from('not an OCSP response')), options.delayMs ?? 0);
    },
  );
  server.on('secureConnection', (socket) => socket.end());
  server.on('tlsClientError', () => undefined);
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    stop: () =>
      new Promise((resolveStop) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolveStop());
      }),
  };
}
