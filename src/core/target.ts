// Targets as users write them (docs/contract.md §3): host, host:port, [v6]:port, https:// URL.
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

export function parseTarget(input: string, defaultPort = 443): TargetParse {
  const text = input.trim();
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(text)) {
    let url: URL;
    try {
      url = new URL(text);
    } catch {
      return { ok: false, message: `"${input}" is not a valid URL.` };
    }
    if (url.protocol !== 'https:')
      return { ok: false, message: `Only https:// URLs can be checked, not ${url.protocol}//.` };
    const host = normalizeHost(url.hostname);
    if (!host) return { ok: false, message: `"${url.hostname}" is not a valid host name.` };
    return { ok: true, target: { ...host, port: url.port ? Number(url.port) : defaultPort } };
  }
  let hostPart = text;
  let portPart: string | null = null;
  const bracketed = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  if (bracketed) {
    hostPart = bracketed[1] ?? '';
    portPart = bracketed[2] ?? null;
  } else if ((text.match(/:/g) ?? []).length === 1) {
    [hostPart, portPart] = text.split(':') as [string, string];
  }
  const host = normalizeHost(hostPart);
  if (!host) return { ok: false, message: `"${hostPart}" is not a valid host name or IP address.` };
  const port = portPart === null ? defaultPort : parsePort(portPart);
  if (port === null) return { ok: false, message: `"${portPart}" is not a port (1-65535).` };
  return { ok: true, target: { ...host, port } };
}
