// Run-time validation of requests from the extension (docs/architecture.md rule 4: JSON from another process is
// untrusted). Pure: a parsed JSON value in, a typed request or a message for a bad-request answer out.
import { normalizeHost, parsePort } from '../core/target.js';

export type RequestId = number | string;

export const MIN_TIMEOUT_MS = 100;
export const MAX_TIMEOUT_MS = 120_000;
export const DEFAULT_TIMEOUT_MS = 10_000;
const MAX_ID_LENGTH = 256;

export interface CheckRequestOptions {
  host: string;
  port: number;
  timeoutMs: number;
  servername?: string;
  address?: string;
  compareResponder?: boolean;
}

export type HostRequest =
  { id: RequestId; type: 'ping' } | { id: RequestId; type: 'check'; check: CheckRequestOptions };

export type RequestParse = { ok: true; request: HostRequest } | { ok: false; id: RequestId | null; message: string };

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readId(value: unknown): RequestId | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length <= MAX_ID_LENGTH) return value;
  return null;
}

/** Unknown fields are ignored, so a newer extension can talk to an older host. */
export function parseRequest(value: unknown): RequestParse {
  if (!isRecord(value)) {
    return { ok: false, id: null, message: 'A request must be a JSON object.' };
  }
  const id = readId(value.id);
  if (id === null) {
    return { ok: false, id: null, message: '"id" must be a number or a string (at most 256 characters).' };
  }
  const fail = (message: string): RequestParse => ({ ok: false, id, message });
  switch (value.type) {
    case 'ping':
      return { ok: true, request: { id, type: 'ping' } };
    case 'check':
      break;
    default:
      return fail(
        typeof value.type === 'string'
          ? `Unknown request type ${JSON.stringify(value.type.slice(0, 64))}: expected "ping" or "check".`
          : '"type" must be "ping" or "check".',
      );
  }

  if (typeof value.host !== 'string') return fail('"host" must be a string.');
  const host = normalizeHost(value.host);
  if (!host) return fail(`"host" ${JSON.stringify(value.host.slice(0, 300))} is not a valid host name or IP address.`);

  let port = 443;
  if (value.port !== undefined) {
    const parsed = typeof value.port === 'number' ? parsePort(value.port) : null;
    if (parsed === null) return fail('"port" must be an integer 1-65535.');
    port = parsed;
  }

  let timeoutMs = DEFAULT_TIMEOUT_MS;
  if (value.timeoutMs !== undefined) {
    const t = value.timeoutMs;
    if (typeof t !== 'number' || !Number.isInteger(t) || t < MIN_TIMEOUT_MS || t > MAX_TIMEOUT_MS) {
      return fail(`"timeoutMs" must be an integer ${MIN_TIMEOUT_MS}-${MAX_TIMEOUT_MS}.`);
    }
    timeoutMs = t;
  }

  const check: CheckRequestOptions = { host: host.host, port, timeoutMs };

  if (value.servername !== undefined && value.servername !== null) {
    if (typeof value.servername !== 'string') return fail('"servername" must be a string.');
    const servername = normalizeHost(value.servername);
    // RFC 6066 §3: SNI carries a DNS host name, never an IP literal.
    if (!servername || servername.isIp) return fail('"servername" must be a DNS host name.');
    check.servername = servername.host;
  }

  if (value.address !== undefined && value.address !== null) {
    if (typeof value.address !== 'string') return fail('"address" must be a string.');
    const address = normalizeHost(value.address);
    if (!address?.isIp) return fail('"address" must be an IPv4 or IPv6 address.');
    check.address = address.host;
  }

  if (value.compareResponder !== undefined) {
    if (typeof value.compareResponder !== 'boolean') return fail('"compareResponder" must be true or false.');
    check.compareResponder = value.compareResponder;
  }

  return { ok: true, request: { id, type: 'check', check } };
}
