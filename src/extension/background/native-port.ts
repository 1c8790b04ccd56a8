// One native-messaging connection to `staplecheck-host`, shared by every check (PROTOCOL.md:
// the host serves many requests on one connection, several at once, answering by id, possibly out
// of order). Opened on demand, closed after an idle period, opened again after the host exits.
// Every request has an id and its own deadline; every answer is validated before anyone sees it.
// `request` never rejects: each way it can end is an outcome (docs/architecture.md rule 3).
import type { NativePort } from '../browser-api.js';
import type { HostAnswer } from '../../protocol/answer.js';
import { parseHostAnswer } from '../../protocol/answer.js';
import type { RequestBody, WireRequest } from '../../protocol/request.js';
import type { Clock, TimerHandle } from './clock.js';

/** What a caller asks the host (PROTOCOL.md); the client numbers it. */
export type HostRequestBody = RequestBody;

export type HostOutcome =
  | { kind: 'answer'; answer: HostAnswer }
  /** The host could not be started: not registered for this browser, not allowed, or it cannot run. */
  | { kind: 'host-missing'; message: string }
  | { kind: 'failed'; code: 'timeout' | 'host-exited' | 'malformed-answer'; message: string };

export interface HostClientOptions {
  /** Close the port after this long without pending requests (the host exits when stdin closes). */
  idleMs: number;
}

export const DEFAULT_IDLE_MS = 60_000;

// What the browsers say when the host is not registered or not allowed (BROWSER-TESTING.md):
// Chromium "Specified native messaging host not found." / "Access to the specified native
// messaging host is forbidden."; Firefox "No such native application …".
const MISSING_PATTERNS = [/not found/i, /forbidden/i, /no such native application/i, /not allowed/i];

interface Pending {
  resolve: (outcome: HostOutcome) => void;
  timer: TimerHandle;
}

interface Connection {
  port: NativePort;
  /** Whether anything came back on this port: a host that answered once was installed. */
  answered: boolean;
  closed: boolean;
}

export class HostClient {
  private connection: Connection | null = null;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private idleTimer: TimerHandle | null = null;

  constructor(
    private readonly connect: () => NativePort,
    private readonly clock: Clock,
    private readonly options: HostClientOptions = { idleMs: DEFAULT_IDLE_MS },
    private readonly log: (message: string) => void = () => {},
  ) {}

  /** Whether a port is open now (for tests and diagnostics). */
  get isConnected(): boolean {
    return this.connection !== null && !this.connection.closed;
  }

  get pendingCount(): number {
    return this.pending.size;
  }

  request(body: HostRequestBody, timeoutMs: number): Promise<HostOutcome> {
    this.cancelIdle();
    let connection: Connection;
    try {
      connection = this.ensureConnection();
    } catch (err) {
      this.scheduleIdle();
      return Promise.resolve({ kind: 'host-missing', message: err instanceof Error ? err.message : String(err) });
    }
    const id = this.nextId++;
    return new Promise<HostOutcome>((resolve) => {
      const timer = this.clock.setTimeout(() => {
        this.settle(id, {
          kind: 'failed',
          code: 'timeout',
          message: `The helper did not answer within ${Math.round(timeoutMs / 1000)} s.`,
        });
      }, timeoutMs);
      this.pending.set(id, { resolve, timer });
      try {
        const request: WireRequest = { id, ...body };
        connection.port.postMessage(request);
      } catch (err) {
        // Posting on a port that just died: the disconnect handler settles it (or the timeout does).
        this.log(`postMessage failed: ${err instanceof Error ? err.message : String(err)}`);
      }
    });
  }

  /** Close the port now (pending requests end as host-exited). */
  close(): void {
    const connection = this.connection;
    if (!connection) return;
    this.connection = null;
    connection.closed = true;
    try {
      connection.port.disconnect();
    } catch {
      // already gone
    }
    this.failAll({ kind: 'failed', code: 'host-exited', message: 'The connection to the helper was closed.' });
  }

  private ensureConnection(): Connection {
    if (this.connection && !this.connection.closed) return this.connection;
    const port = this.connect();
    const connection: Connection = { port, answered: false, closed: false };
    this.connection = connection;
    port.onMessage((message) => this.onMessage(connection, message));
    port.onDisconnect((error) => this.onDisconnect(connection, error));
    return connection;
  }

  private onMessage(connection: Connection, message: unknown): void {
    if (connection.closed) return;
    connection.answered = true;
    const parsed = parseHostAnswer(message);
    if (parsed.ok) {
      const id = parsed.answer.id;
      if (typeof id === 'number' && this.pending.has(id)) {
        this.settle(id, { kind: 'answer', answer: parsed.answer });
      } else {
        // A late answer to a request that timed out, or the host's `id: null` complaint.
        this.log(`ignoring an answer for unknown request ${JSON.stringify(id)}`);
      }
      return;
    }
    const outcome: HostOutcome = {
      kind: 'failed',
      code: 'malformed-answer',
      message: `The helper sent an invalid answer: ${parsed.reason}.`,
    };
    if (typeof parsed.id === 'number' && this.pending.has(parsed.id)) {
      this.settle(parsed.id, outcome);
    } else {
      // Unattributable garbage: the stream cannot be trusted for anyone waiting on it.
      this.failAll(outcome);
    }
  }

  private onDisconnect(connection: Connection, error: string | null): void {
    if (connection.closed) return;
    connection.closed = true;
    if (this.connection === connection) this.connection = null;
    const message = error ?? 'The helper exited.';
    const missing = MISSING_PATTERNS.some((p) => p.test(message)) || !connection.answered;
    this.log(`native port closed: ${message}`);
    this.failAll(
      missing
        ? { kind: 'host-missing', message }
        : { kind: 'failed', code: 'host-exited', message: `The helper stopped: ${message}` },
    );
  }

  private settle(id: number, outcome: HostOutcome): void {
    const entry = this.pending.get(id);
    if (!entry) return;
    this.pending.delete(id);
    this.clock.clearTimeout(entry.timer);
    entry.resolve(outcome);
    if (this.pending.size === 0) this.scheduleIdle();
  }

  private failAll(outcome: HostOutcome): void {
    for (const id of [...this.pending.keys()]) this.settle(id, outcome);
  }

  private cancelIdle(): void {
    if (this.idleTimer !== null) {
      this.clock.clearTimeout(this.idleTimer);
      this.idleTimer = null;
    }
  }

  private scheduleIdle(): void {
    this.cancelIdle();
    if (!this.connection) return;
    this.idleTimer = this.clock.setTimeout(() => {
      this.idleTimer = null;
      if (this.pending.size === 0) this.close();
    }, this.options.idleMs);
  }
}
