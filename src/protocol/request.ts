// Requests to `staplecheck-host` (PROTOCOL.md "Requests and answers"): the wire shapes the extension
// sends and the host's run-time validation of them (docs/architecture.md rule 4: JSON from another
// process is untrusted). Pure: a parsed JSON value in, a typed request or a bad-request message out.
import {
  validateCheckOptions,
  type AddressPolicy,
  type CheckOptionLabels,
  type CheckOptions,
  type ProbeMode,
} from '../core/check-options.js';
import { isRecord } from './is-record.js';
import { MAX_ID_LENGTH } from './limits.js';

export type RequestId = number | string;

/** `ping` on the wire: is the host there, which version? */
export interface PingRequest {
  id: RequestId;
  type: 'ping';
}

/** `check` on the wire: only `id`, `type` and `host` are required (PROTOCOL.md, the field table). */
export interface CheckRequest {
  id: RequestId;
  type: 'check';
  host: string;
  port?: number;
  timeoutMs?: number;
  servername?: string;
  address?: string;
  compareResponder?: boolean;
  /** Absent: "all". The extension sends "skip-internal-if-public" for the page a tab is on (PROTOCOL.md). */
  addressPolicy?: AddressPolicy;
  /** The browser already loaded this page (PROTOCOL.md): an untrusted chain is then a note. */
  pageLoaded?: boolean;
  /** Absent: "full". The extension sends "default-offer" for its automatic check on navigation (PROTOCOL.md). */
  probe?: ProbeMode;
}

export type WireRequest = PingRequest | CheckRequest;

/** A request without its `id`: what a client asks; its connection numbers it. */
export type RequestBody = Omit<PingRequest, 'id'> | Omit<CheckRequest, 'id'>;

/** A request the host accepted: a check's fields validated, normalised and defaulted. */
export type HostRequest = { id: RequestId; type: 'ping' } | { id: RequestId; type: 'check'; check: CheckOptions };

export type RequestParse = { ok: true; request: HostRequest } | { ok: false; id: RequestId | null; message: string };

/** The request fields, named as they are on the wire. */
const WIRE_LABELS: CheckOptionLabels = {
  host: '"host"',
  port: '"port"',
  timeoutMs: '"timeoutMs"',
  servername: '"servername"',
  address: '"address"',
  compareResponder: '"compareResponder"',
  addressPolicy: '"addressPolicy"',
  pageLoaded: '"pageLoaded"',
  probe: '"probe"',
};

/** A finite number or a string of at most MAX_ID_LENGTH characters; anything else is no id. */
export function readRequestId(value: unknown): RequestId | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'string' && value.length <= MAX_ID_LENGTH) return value;
  return null;
}

/** Unknown fields are ignored, so a newer extension can talk to an older host. */
export function parseRequest(value: unknown): RequestParse {
  if (!isRecord(value)) {
    return { ok: false, id: null, message: 'A request must be a JSON object.' };
  }
  const id = readRequestId(value.id);
  if (id === null) {
    return {
      ok: false,
      id: null,
      message: `"id" must be a number or a string (at most ${MAX_ID_LENGTH} characters).`,
    };
  }
  switch (value.type) {
    case 'ping':
      return { ok: true, request: { id, type: 'ping' } };
    case 'check': {
      const check = validateCheckOptions(
        {
          host: value.host,
          port: value.port,
          timeoutMs: value.timeoutMs,
          servername: value.servername,
          address: value.address,
          compareResponder: value.compareResponder,
          addressPolicy: value.addressPolicy,
          pageLoaded: value.pageLoaded,
          probe: value.probe,
        },
        WIRE_LABELS,
      );
      return check.ok
        ? { ok: true, request: { id, type: 'check', check: check.options } }
        : { ok: false, id, message: check.message };
    }
    default:
      return {
        ok: false,
        id,
        message:
          typeof value.type === 'string'
            ? `Unknown request type ${JSON.stringify(value.type.slice(0, 64))}: expected "ping" or "check".`
            : '"type" must be "ping" or "check".',
      };
  }
}
