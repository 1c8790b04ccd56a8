// The numbers both sides of the host protocol rely on (PROTOCOL.md), written once. The check's own
// timeout range lives with the other check options in core and is named here for the protocol.
export { DEFAULT_TIMEOUT_MS, MAX_TIMEOUT_MS, MIN_TIMEOUT_MS } from '../core/check-options.js';

/** Requests are small; a larger length prefix is a broken or hostile stream (PROTOCOL.md "Framing"). */
export const MAX_REQUEST_BYTES = 1024 * 1024;
/** Chromium refuses a message from a host above 1 MB and drops the connection. */
export const MAX_ANSWER_BYTES = 1024 * 1024;
/** A string `id` longer than this is refused (an id is echoed in every answer). */
export const MAX_ID_LENGTH = 256;
/** Checks the host runs at once; the rest wait their turn. */
export const MAX_CONCURRENT_CHECKS = 8;
/** Checks allowed to wait; beyond that the answer is `busy`. */
export const MAX_QUEUED_CHECKS = 256;
/** How long past a check's `timeoutMs` the host waits before answering `internal` (a bug guard). */
export const HOST_WATCHDOG_GRACE_MS = 5_000;
/** How long past a check's `timeoutMs` the extension waits for its answer (host start-up, queueing). */
export const ANSWER_GRACE_MS = 5_000;
/** How long the extension waits for a `ping` answer. */
export const PING_TIMEOUT_MS = 5_000;
