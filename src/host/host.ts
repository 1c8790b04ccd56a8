// The native-messaging host (PROTOCOL.md): frames in, one answer per request out, by `id`,
// several checks at once. A shell: it validates, calls `checkSite`, and frames what comes back.
import type { CheckSiteOptions } from '../probe/check-site.js';
import type { Result } from '../core/result.js';
import { failureAnswer, successAnswer, type WireAnswer } from '../protocol/answer.js';
import { encodeFrame, FrameDecoder, parseFramePayload } from '../protocol/framing.js';
import {
  HOST_WATCHDOG_GRACE_MS,
  MAX_ANSWER_BYTES,
  MAX_CONCURRENT_CHECKS,
  MAX_QUEUED_CHECKS,
  MAX_REQUEST_BYTES,
} from '../protocol/limits.js';
import { parseRequest, type HostRequest, type RequestId } from '../protocol/request.js';

export interface HostOptions {
  version: string;
  check: (options: CheckSiteOptions) => Promise<Result>;
  /** Writes one complete frame to the browser. */
  write: (frame: Uint8Array) => void;
  /** Diagnostics for a person (stderr); never the browser's channel. */
  log: (message: string) => void;
  /** Checks run at once; the rest wait their turn. */
  maxConcurrent?: number;
  /** Requests allowed to wait; beyond that, `busy`. */
  maxQueued?: number;
  /** Extra time past a check's own timeout before the host gives up on it (a bug guard). */
  watchdogGraceMs?: number;
}

export type ReceiveOutcome = 'continue' | 'fatal';

/** One connection: everything the host knows between start and EOF. */
export class HostSession {
  readonly #options: Required<HostOptions>;
  readonly #decoder = new FrameDecoder({ limit: MAX_REQUEST_BYTES });
  readonly #queue: Array<() => Promise<void>> = [];
  readonly #inFlightIds = new Set<RequestId>();
  #running = 0;
  #idleWaiters: Array<() => void> = [];

  constructor(options: HostOptions) {
    this.#options = {
      maxConcurrent: MAX_CONCURRENT_CHECKS,
      maxQueued: MAX_QUEUED_CHECKS,
      watchdogGraceMs: HOST_WATCHDOG_GRACE_MS,
      ...options,
    };
  }

  /** Feed bytes from stdin. `fatal`: the stream can no longer be framed; the host must stop. */
  receive(chunk: Uint8Array): ReceiveOutcome {
    const { frames, error } = this.#decoder.push(chunk);
    for (const frame of frames) this.#handleFrame(frame);
    if (error) {
      this.#answer(
        failureAnswer(
          null,
          'frame-too-large',
          `A message announced ${error.length} bytes; the limit is ${error.limit}. The host stops.`,
        ),
      );
      return 'fatal';
    }
    return 'continue';
  }

  /** Bytes of a frame that never completed (a truncated stream, when asked at EOF). */
  get pendingBytes(): number {
    return this.#decoder.pendingBytes;
  }

  /** Resolves once every accepted request has been answered. */
  idle(): Promise<void> {
    if (this.#running === 0 && this.#queue.length === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  #handleFrame(payload: Uint8Array): void {
    const parsed = parseFramePayload(payload);
    if (!parsed.ok) {
      this.#answer(failureAnswer(null, 'bad-request', parsed.message));
      return;
    }
    const request = parseRequest(parsed.value);
    if (!request.ok) {
      this.#answer(failureAnswer(request.id, 'bad-request', request.message));
      return;
    }
    this.#dispatch(request.request);
  }

  #dispatch(request: HostRequest): void {
    if (request.type === 'ping') {
      this.#answer(successAnswer(request.id, { version: this.#options.version }));
      return;
    }
    // Answers are matched by id; two in flight under one id could not be told apart.
    if (this.#inFlightIds.has(request.id)) {
      this.#answer(
        failureAnswer(request.id, 'bad-request', `A request with id ${JSON.stringify(request.id)} is still running.`),
      );
      return;
    }
    if (this.#queue.length >= this.#options.maxQueued) {
      this.#answer(
        failureAnswer(request.id, 'busy', `${this.#queue.length} checks are already waiting; try again later.`),
      );
      return;
    }
    this.#inFlightIds.add(request.id);
    this.#queue.push(() => this.#runCheck(request));
    this.#pump();
  }

  #pump(): void {
    while (this.#running < this.#options.maxConcurrent) {
      const job = this.#queue.shift();
      if (!job) break;
      this.#running++;
      void job().finally(() => {
        this.#running--;
        this.#pump();
        if (this.#running === 0 && this.#queue.length === 0) {
          const waiters = this.#idleWaiters;
          this.#idleWaiters = [];
          for (const resolve of waiters) resolve();
        }
      });
    }
  }

  async #runCheck(request: Extract<HostRequest, { type: 'check' }>): Promise<void> {
    const { id, check } = request;
    let timer: NodeJS.Timeout | undefined;
    // checkSite keeps to its own timeout; this only guards against a bug that would hold a slot forever.
    const watchdog = new Promise<'watchdog'>((resolve) => {
      timer = setTimeout(() => resolve('watchdog'), check.timeoutMs + this.#options.watchdogGraceMs);
    });
    try {
      const result = await Promise.race([this.#options.check(check), watchdog]);
      if (result === 'watchdog') {
        this.#answer(failureAnswer(id, 'internal', `The check did not finish within ${check.timeoutMs} ms.`));
      } else {
        this.#answer(successAnswer(id, result));
      }
    } catch (err) {
      // checkSite never throws for bad input; this is a bug. Say so, keep serving.
      this.#options.log(
        `check ${JSON.stringify(id)} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      );
      this.#answer(failureAnswer(id, 'internal', 'The check failed inside the host.'));
    } finally {
      clearTimeout(timer);
      this.#inFlightIds.delete(id);
    }
  }

  #answer(answer: WireAnswer): void {
    let frame: Uint8Array;
    try {
      frame = encodeFrame(answer);
    } catch (err) {
      this.#options.log(`cannot encode answer: ${String(err)}`);
      frame = encodeFrame(failureAnswer(answer.id, 'internal', 'Unencodable answer.'));
    }
    if (frame.length - 4 > MAX_ANSWER_BYTES) {
      frame = encodeFrame(
        failureAnswer(
          answer.id,
          'answer-too-large',
          `The answer is ${frame.length - 4} bytes; browsers take 1 MB at most.`,
        ),
      );
    }
    this.#options.write(frame);
  }
}

export interface ServeStreams {
  input: NodeJS.ReadableStream;
  /**
   * Exit (status 0) after this long with nothing to do: no request running or waiting and no
   * input. Off when absent. The host uses DEFAULT_IDLE_EXIT_MS.
   */
  idleExitMs?: number;
}

/**
 * Twice the extension's own idle disconnect (one minute): the extension closes an unused port first,
 * so this only ends hosts nobody closes (a stuck caller, a forgotten manual run), and never races a
 * request the extension is about to send. The browser starts the host again on the next check.
 */
export const DEFAULT_IDLE_EXIT_MS = 120_000;

/**
 * Serve one connection until EOF (exit status 0, after every answer) or an unframeable stream
 * (status 1, right after the error answer: nothing after a bad length can be trusted).
 */
export function serve({ input, idleExitMs }: ServeStreams, options: HostOptions): Promise<number> {
  const session = new HostSession(options);
  return new Promise((resolve) => {
    let done = false;
    let idleTimer: NodeJS.Timeout | undefined;
    // Bumped by every chunk: an idle wait that began before newer input must not arm the timer.
    let activity = 0;
    // One wait for the session to fall idle at a time: a busy host gets a chunk per request, and a
    // wait per chunk (a promise and a closure each) would pile up until the first moment nothing
    // runs, which steady load may never bring (bounded memory).
    let waitingForIdle = false;
    const waitForIdle = (): void => {
      waitingForIdle = true;
      const seen = activity;
      void session.idle().then(() => {
        waitingForIdle = false;
        if (done) return;
        // Input came while this wait was pending and may have started work: wait again from it.
        if (seen !== activity) {
          waitForIdle();
          return;
        }
        idleTimer = setTimeout(() => {
          options.log(`idle for ${idleExitMs} ms; exiting`);
          finish(0);
        }, idleExitMs);
        idleTimer.unref?.();
      });
    };
    const armIdleExit = (): void => {
      if (idleExitMs === undefined) return;
      activity++;
      clearTimeout(idleTimer);
      if (!waitingForIdle) waitForIdle();
    };
    const finish = (status: number): void => {
      if (done) return;
      done = true;
      clearTimeout(idleTimer);
      input.removeListener('data', onData);
      resolve(status);
    };
    const onData = (chunk: Buffer | string): void => {
      if (done) return;
      const outcome = session.receive(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk);
      // After the chunk's requests are accepted: armed before, the idle wait would see none running.
      armIdleExit();
      if (outcome === 'fatal') {
        // No more requests can be framed, but the ones already accepted still get their answers.
        input.pause();
        input.removeListener('data', onData);
        void session.idle().then(() => finish(1));
      }
    };
    input.on('data', onData);
    armIdleExit();
    input.once('end', () => {
      if (done) return;
      if (session.pendingBytes > 0) options.log(`input ended inside a frame (${session.pendingBytes} bytes dropped)`);
      void session.idle().then(() => finish(0));
    });
    input.once('error', (err: Error) => {
      options.log(`stdin failed: ${err.message}`);
      void session.idle().then(() => finish(1));
    });
  });
}
