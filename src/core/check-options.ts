// The options of one site check, validated in one place for every way in: `staplecheck check`
// (docs/contract.md §3), the host's `check` request (PROTOCOL.md) and `checkSite` itself
// (docs/contract.md §6). The ranges, the defaults and the wording live here only; each caller names
// the fields its own way (`--timeout`, `"timeoutMs"`, `timeoutMs`) through a label table. Pure.
import { normalizeHost, parsePort } from './target.js';

export const DEFAULT_PORT = 443;
/** One budget for DNS, connect, handshakes and warm-up retries. */
export const DEFAULT_TIMEOUT_MS = 10_000;
/** Less cannot hold even one loopback handshake. */
export const MIN_TIMEOUT_MS = 100;
/**
 * Two minutes: far beyond a real handshake plus the warm-up retries (docs/contract.md §2), and short
 * enough that a forgotten check cannot hold a host slot or a CLI run for long.
 */
export const MAX_TIMEOUT_MS = 120_000;

/**
 * Which of a name's addresses a check dials (SECURITY.md "Network"; PROTOCOL.md). `all` (the
 * default: the CLI, the library) checks every address (docs/contract.md §7).
 * `skip-internal-if-public` (the extension, for the page a tab is on) drops the loopback,
 * link-local, private and reserved answers when the name also has a public one, so a DNS answer
 * that rebinds a public name cannot turn the check towards this computer or its networks; a name
 * with internal answers only (an intranet site, localhost development) is still checked.
 */
export const ADDRESS_POLICIES = ['all', 'skip-internal-if-public'] as const;
export type AddressPolicy = (typeof ADDRESS_POLICIES)[number];
export const DEFAULT_ADDRESS_POLICY: AddressPolicy = 'all';

/**
 * How much a check asks of the server besides the staple (PROTOCOL.md; docs/contract.md §8). `full`
 * (the default: the CLI, the library, the popup's explicit checks) also makes the handshake offering
 * the other key type and reads the `Server` header. `default-offer` (the extension's automatic
 * check when a tab navigates) makes only the normal offer's handshake, what a browser gets, and its
 * warm-up retries: no second certificate is looked for, so a check costs one handshake, and the
 * `Server` header is read (on that handshake's socket) only when no staple came.
 */
export const PROBE_MODES = ['full', 'default-offer'] as const;
export type ProbeMode = (typeof PROBE_MODES)[number];
export const DEFAULT_PROBE_MODE: ProbeMode = 'full';

/** The fields of a check, as `checkSite` and the host request name them. */
export type CheckOptionName =
  | 'host'
  | 'port'
  | 'timeoutMs'
  | 'servername'
  | 'address'
  | 'compareResponder'
  | 'addressPolicy'
  | 'pageLoaded'
  | 'probe';

/** How a caller writes each field in its messages. */
export type CheckOptionLabels = Readonly<Record<CheckOptionName, string>>;

/** `checkSite`'s own option names (the library, docs/contract.md §6). */
export const OPTION_LABELS: CheckOptionLabels = {
  host: 'host',
  port: 'port',
  timeoutMs: 'timeoutMs',
  servername: 'servername',
  address: 'address',
  compareResponder: 'compareResponder',
  addressPolicy: 'addressPolicy',
  pageLoaded: 'pageLoaded',
  probe: 'probe',
};

/** A check's options once valid: names in ASCII (punycode), IP literals without brackets. */
export interface CheckOptions {
  host: string;
  port: number;
  timeoutMs: number;
  /** The SNI name; absent: the host name (no SNI for an IP literal). */
  servername?: string;
  /** Check this one address only (docs/contract.md §7). */
  address?: string;
  compareResponder?: boolean;
  /** Absent: `all` ({@link DEFAULT_ADDRESS_POLICY}). */
  addressPolicy?: AddressPolicy;
  /**
   * The browser already loaded this page over HTTPS (the extension, for the page a tab is on), so it
   * placed the chain: `untrusted-chain` is then a note, not a warning (docs/contract.md §2).
   */
  pageLoaded?: boolean;
  /** Absent: `full` ({@link DEFAULT_PROBE_MODE}). */
  probe?: ProbeMode;
}

export type FieldRead<T> = { ok: true; value: T } | { ok: false; message: string };

const fail = (message: string): { ok: false; message: string } => ({ ok: false, message });

/** A DNS name (IDN allowed) or an IP literal, brackets optional. */
export function readHost(value: unknown, label = OPTION_LABELS.host): FieldRead<{ host: string; isIp: boolean }> {
  if (typeof value !== 'string') return fail(`${label} must be a string.`);
  const host = normalizeHost(value);
  if (!host) return fail(`${label} ${JSON.stringify(value.slice(0, 300))} is not a valid host name or IP address.`);
  return { ok: true, value: host };
}

/** An integer 1-65535: port 0 means "any port" to a socket API, never a server to dial. */
export function readPort(value: unknown, label = OPTION_LABELS.port): FieldRead<number> {
  const port = typeof value === 'number' ? parsePort(value) : null;
  return port === null ? fail(`${label} must be an integer 1-65535.`) : { ok: true, value: port };
}

export function readTimeoutMs(value: unknown, label = OPTION_LABELS.timeoutMs): FieldRead<number> {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < MIN_TIMEOUT_MS || value > MAX_TIMEOUT_MS) {
    return fail(`${label} must be an integer ${MIN_TIMEOUT_MS}-${MAX_TIMEOUT_MS} (milliseconds).`);
  }
  return { ok: true, value };
}

/** RFC 6066 §3: the server_name extension carries a DNS host name; "Literal IPv4 and IPv6 addresses are not permitted". */
export function readServername(value: unknown, label = OPTION_LABELS.servername): FieldRead<string> {
  if (typeof value !== 'string') return fail(`${label} must be a string.`);
  const name = normalizeHost(value);
  if (!name || name.isIp) return fail(`${label} must be a DNS host name (RFC 6066 §3: never an IP address).`);
  return { ok: true, value: name.host };
}

/** The address to dial instead of resolving the host: an IP literal, never a name (that would be resolved). */
export function readAddress(value: unknown, label = OPTION_LABELS.address): FieldRead<string> {
  if (typeof value !== 'string') return fail(`${label} must be a string.`);
  const address = normalizeHost(value);
  if (!address?.isIp) return fail(`${label} must be an IPv4 or IPv6 address.`);
  return { ok: true, value: address.host };
}

export function readCompareResponder(value: unknown, label = OPTION_LABELS.compareResponder): FieldRead<boolean> {
  return typeof value === 'boolean' ? { ok: true, value } : fail(`${label} must be true or false.`);
}

/** Exactly one of {@link ADDRESS_POLICIES}: an unknown policy is refused, never read as the default. */
export function readAddressPolicy(value: unknown, label = OPTION_LABELS.addressPolicy): FieldRead<AddressPolicy> {
  return (ADDRESS_POLICIES as readonly unknown[]).includes(value)
    ? { ok: true, value: value as AddressPolicy }
    : fail(`${label} must be ${ADDRESS_POLICIES.map((p) => JSON.stringify(p)).join(' or ')}.`);
}

export function readPageLoaded(value: unknown, label = OPTION_LABELS.pageLoaded): FieldRead<boolean> {
  return typeof value === 'boolean' ? { ok: true, value } : fail(`${label} must be true or false.`);
}

/** Exactly one of {@link PROBE_MODES}: an unknown mode is refused, never read as the default. */
export function readProbeMode(value: unknown, label = OPTION_LABELS.probe): FieldRead<ProbeMode> {
  return (PROBE_MODES as readonly unknown[]).includes(value)
    ? { ok: true, value: value as ProbeMode }
    : fail(`${label} must be ${PROBE_MODES.map((p) => JSON.stringify(p)).join(' or ')}.`);
}

/** The fields as they arrive (JSON from another process, or a library caller's object). */
export type CheckOptionsInput = Partial<Record<CheckOptionName, unknown>>;

export type CheckOptionsParse = { ok: true; options: CheckOptions } | { ok: false; message: string };

/**
 * Validate and normalise a check's options, filling in the defaults. `port` and `timeoutMs` may be
 * absent (`undefined`); `servername` and `address` may also be `null` (absent); the first field that
 * breaks its rule is named in the message.
 */
export function validateCheckOptions(
  input: CheckOptionsInput,
  labels: CheckOptionLabels = OPTION_LABELS,
): CheckOptionsParse {
  const host = readHost(input.host, labels.host);
  if (!host.ok) return host;
  const port =
    input.port === undefined ? { ok: true as const, value: DEFAULT_PORT } : readPort(input.port, labels.port);
  if (!port.ok) return port;
  const timeoutMs =
    input.timeoutMs === undefined
      ? { ok: true as const, value: DEFAULT_TIMEOUT_MS }
      : readTimeoutMs(input.timeoutMs, labels.timeoutMs);
  if (!timeoutMs.ok) return timeoutMs;
  const options: CheckOptions = { host: host.value.host, port: port.value, timeoutMs: timeoutMs.value };
  if (input.servername !== undefined && input.servername !== null) {
    const servername = readServername(input.servername, labels.servername);
    if (!servername.ok) return servername;
    options.servername = servername.value;
  }
  if (input.address !== undefined && input.address !== null) {
    const address = readAddress(input.address, labels.address);
    if (!address.ok) return address;
    options.address = address.value;
  }
  if (input.compareResponder !== undefined) {
    const compare = readCompareResponder(input.compareResponder, labels.compareResponder);
    if (!compare.ok) return compare;
    options.compareResponder = compare.value;
  }
  if (input.addressPolicy !== undefined) {
    const policy = readAddressPolicy(input.addressPolicy, labels.addressPolicy);
    if (!policy.ok) return policy;
    options.addressPolicy = policy.value;
  }
  if (input.pageLoaded !== undefined) {
    const loaded = readPageLoaded(input.pageLoaded, labels.pageLoaded);
    if (!loaded.ok) return loaded;
    options.pageLoaded = loaded.value;
  }
  if (input.probe !== undefined) {
    const probe = readProbeMode(input.probe, labels.probe);
    if (!probe.ok) return probe;
    options.probe = probe.value;
  }
  return { ok: true, options };
}
