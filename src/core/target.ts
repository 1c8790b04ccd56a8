// Targets as users write them (docs/contract.md §3): host, host:port, [v6]:port, https:// URL, and
// any of these pasted from an address bar with a path, query or fragment (ignored).
// Pure; the WHATWG URL parser (in Node and browsers) does IDN → punycode (UTS #46).

export interface Target {
  /** ASCII host name (punycode) or IP literal without brackets. */
  host: string;
  port: number;
  isIp: boolean;
}

export type TargetParse = { ok: true; target: Target } | { ok: false; message: string };

const IPV4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;
const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

export function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

export function isIpv6(text: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(text) || !text.includes(':')) return false;
  try {
    return new URL(`https://[${text}]/`).hostname.length > 2;
  } catch {
    return false;
  }
}

/** An IPv4 or IPv6 literal (without brackets). */
export function isIpLiteral(text: string): boolean {
  return isIpv4(text) || isIpv6(text);
}

export function parsePort(text: string | number): number | null {
  const port = typeof text === 'number' ? text : /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  return Number.isInteger(port) && port >= 1 && port <= 65535 ? port : null;
}

/** A DNS host name (IDN allowed) or an IP literal; returns the ASCII form or `null`. */
export function normalizeHost(input: string): { host: string; isIp: boolean } | null {
  let text = input.trim();
  if (text.startsWith('[') && text.endsWith(']')) text = text.slice(1, -1);
  if (isIpv4(text)) return { host: text, isIp: true };
  if (isIpv6(text)) return { host: new URL(`https://[${text}]/`).hostname.slice(1, -1), isIp: true };
  if (text.length === 0 || text.length > 253 || /[\s/\\?#@:%[\]]/.test(text)) return null;
  let ascii: string;
  try {
    ascii = new URL(`https://${text}/`).hostname;
  } catch {
    return null;
  }
  ascii = ascii.replace(/\.$/, '');
  if (ascii.length === 0 || ascii.length > 253 || isIpv4(ascii))
    return isIpv4(ascii) ? { host: ascii, isIp: true } : null;
  if (!ascii.split('.').every((label) => LABEL.test(label))) return null;
  return { host: ascii, isIp: false };
}

/** Where the authority of an address-bar text ends: a path, a query or a fragment (RFC 3986 §3.2). */
const AFTER_AUTHORITY = /[/?#]/;

export function parseTarget(input: string, defaultPort = 443): TargetParse {
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) return parseUrlTarget(input, text, defaultPort);
  // Pasted from an address bar without the scheme (`example.com:8443/path?q#f`): only the
  // authority names the server; the path, query and fragment never reach the TLS handshake.
  const authority = text.split(AFTER_AUTHORITY, 1)[0] ?? '';
  let hostPart = authority;
  let portPart: string | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d*))?$/.exec(authority);
  if (bracketed) {
    hostPart = bracketed[1] ?? '';
    portPart = bracketed[2] ?? null;
  } else if ((authority.match(/:/g) ?? []).length === 1) {
    [hostPart, portPart] = authority.split(':') as [string, string];
  }
  const host = normalizeHost(hostPart);
  if (!host) return { ok: false, message: `"${hostPart}" is not a valid host name or IP address.` };
  const port = portPart === null ? defaultPort : parsePort(portPart);
  if (port === null) return { ok: false, message: `"${portPart}" is not a port (1-65535).` };
  return { ok: true, target: { ...host, port } };
}

/** `https://host[:port]/…`; any other scheme is refused with the https:// form to try instead. */
function parseUrlTarget(input: string, text: string, defaultPort: number): TargetParse {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: `"${input}" is not a valid URL.` };
  }
  if (url.protocol !== 'https:') {
    const suggestion = `https://${text.slice(text.indexOf('://') + 3)}`;
    return {
      ok: false,
      message: `Staple Check checks HTTPS sites, not ${url.protocol}//; did you mean ${suggestion}?`,
    };
  }
  const host = normalizeHost(url.hostname);
  if (!host) return { ok: false, message: `"${url.hostname}" is not a valid host name.` };
  // The URL parser leaves `port` empty for the scheme's default (443) and keeps any other number
  // as written, 0 included; parsePort applies the same 1-65535 rule as `host:port`.
  if (url.port === '') return { ok: true, target: { ...host, port: defaultPort } };
  const port = parsePort(url.port);
  if (port === null) return { ok: false, message: `"${url.port}" is not a port (1-65535).` };
  return { ok: true, target: { ...host, port } };
}
