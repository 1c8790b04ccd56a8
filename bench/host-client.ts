// The host as the browser runs it (as the launcher starts it: Node, no flags, bin/staplecheck-host.js,
// which sets its V8 flags itself): a child process spoken to in
// native-messaging frames (PROTOCOL.md), answers matched by id. Also reads the child's RSS and CPU time from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeFrame, NATIVE_BYTE_ORDER } from '../src/protocol/framing.js';

export const HOST_BIN = join(import.meta.dirname, '..', 'bin', 'staplecheck-host.js');
/** The least any host can do per check on this Node (bench/floor-host.cjs): the reference rows' floor. */
export const FLOOR_HOST = join(import.meta.dirname, 'floor-host.cjs');

export interface HostAnswer {
  id: number | string | null;
  ok: boolean;
  result?: { verdict?: string } & Record<string, unknown>;
  error?: { code: string; message: string };
}

export class HostClient {
  readonly child: ChildProcess;
  readonly #waiting = new Map<number | string, (answer: HostAnswer) => void>();
  #buffer: Buffer = Buffer.alloc(0);
  #nextId = 1;
  readonly exited: Promise<number | null>;

  /**
   * `nodeArgs`: Node's flags (the launcher passes none); `script`: the host (or FLOOR_HOST); `env`:
   * the child's environment (default: this process's).
   */
  constructor(
    args: readonly string[] = [],
    nodeArgs: readonly string[] = [],
    script = HOST_BIN,
    env: NodeJS.ProcessEnv = process.env,
  ) {
    this.child = spawn(process.execPath, [...nodeArgs, script, ...args], { stdio: ['pipe', 'pipe', 'pipe'], env });
    this.child.stderr!.on('data', () => {}); // diagnostics: drained, not measured
    this.child.stdout!.on('data', (chunk: Buffer) => this.#receive(chunk));
    this.exited = new Promise((resolve) => this.child.once('exit', (code) => resolve(code)));
  }

  #receive(chunk: Buffer): void {
    this.#buffer = this.#buffer.length ? Buffer.concat([this.#buffer, chunk]) : chunk;
    while (this.#buffer.length >= 4) {
      const length = NATIVE_BYTE_ORDER === 'LE' ? this.#buffer.readUInt32LE(0) : this.#buffer.readUInt32BE(0);
      if (this.#buffer.length < 4 + length) break;
      const answer = JSON.parse(this.#buffer.subarray(4, 4 + length).toString('utf8')) as HostAnswer;
      this.#buffer = this.#buffer.subarray(4 + length);
      const resolve = answer.id === null ? undefined : this.#waiting.get(answer.id);
      if (answer.id !== null) this.#waiting.delete(answer.id);
      resolve?.(answer);
    }
  }

  request(message: Record<string, unknown>): Promise<HostAnswer> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#waiting.set(id, resolve);
      this.child.stdin!.write(encodeFrame({ id, ...message }), (err) => err && reject(err));
    });
  }

  /**
   * A check of a loopback site (no DNS: the address is given). `probe`: as the extension asks
   * (PROTOCOL.md): `default-offer` for the automatic check a page load starts, `full` otherwise.
   */
  check(port: number, probe: 'full' | 'default-offer', timeoutMs = 10_000): Promise<HostAnswer> {
    return this.request({ type: 'check', host: 'localhost', address: '127.0.0.1', port, timeoutMs, probe });
  }

  /** Resident set size in bytes, from /proc (Linux). */
  rss(): number {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : NaN;
  }

  /** User + system CPU time in ms (clock ticks of 10 ms). */
  cpuMs(): number {
    return procCpuMs(this.child.pid!);
  }

  async close(): Promise<number | null> {
    this.child.stdin!.end();
    return this.exited;
  }
}

export function procCpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the parenthesised command name; utime and stime are fields 14 and 15.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}
