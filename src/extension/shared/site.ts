// Which site a tab shows, from its URL, and whether the user excluded it. Pure.
import { formatHostPort, normalizeHost, parseTarget } from '../../protocol/target.js';

/** A TLS endpoint: what the host checks and what the cache is keyed by. */
export interface Site {
  /** ASCII host name (punycode) or IP literal without brackets. */
  host: string;
  port: number;
}

export type SiteOfUrl = { kind: 'https'; site: Site } | { kind: 'not-https'; scheme: string | null };

/** `https:` pages only: `http:`, `file:`, `chrome:`, `about:`, `moz-extension:`… have no TLS handshake to check. */
export function siteOfUrl(url: string | null | undefined): SiteOfUrl {
  if (!url) return { kind: 'not-https', scheme: null };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { kind: 'not-https', scheme: null };
  }
  if (parsed.protocol !== 'https:') return { kind: 'not-https', scheme: parsed.protocol };
  const host = normalizeHost(parsed.hostname);
  if (!host) return { kind: 'not-https', scheme: parsed.protocol };
  // The WHATWG parser drops the default port, so an empty port means 443.
  return { kind: 'https', site: { host: host.host, port: parsed.port ? Number(parsed.port) : 443 } };
}

/** `example.com:443`, `[2001:db8::1]:8443`: the cache key and what the popup shows. */
export function siteLabel(site: Site): string {
  return formatHostPort(site.host, site.port);
}

export function sameSite(a: Site | null | undefined, b: Site | null | undefined): boolean {
  return !!a && !!b && a.host === b.host && a.port === b.port;
}

/** One line of the excluded-sites list, parsed. */
export interface ExcludePattern {
  host: string;
  /** `null`: every port. */
  port: number | null;
  /** `example.com` also covers `www.example.com`; an IP address only itself. */
  subdomains: boolean;
}

/**
 * Accepts what people paste: `example.com`, `*.example.com`, `example.com:8443`, `[::1]:8443`,
 * `https://example.com/path`. Returns `null` for anything else.
 */
export function parseExcludePattern(text: string): ExcludePattern | null {
  let rest = text.trim().toLowerCase();
  if (rest.length === 0) return null;
  let port: number | null = null;
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(rest)) {
    try {
      const url = new URL(rest);
      rest = url.hostname;
      if (url.port) port = Number(url.port);
    } catch {
      return null;
    }
  } else {
    const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(rest);
    const hostPort = /^([^:]+):(\d{1,5})$/.exec(rest);
    if (bracketed) {
      rest = bracketed[1] ?? '';
      port = bracketed[2] ? Number(bracketed[2]) : null;
    } else if (hostPort) {
      rest = hostPort[1] ?? '';
      port = Number(hostPort[2]);
    }
  }
  if (port !== null && (port < 1 || port > 65535)) return null;
  const wildcard = rest.startsWith('*.');
  if (wildcard) rest = rest.slice(2);
  const host = normalizeHost(rest);
  if (!host || (wildcard && host.isIp)) return null;
  return { host: host.host, port, subdomains: !host.isIp };
}

export function isExcluded(site: Site, patterns: readonly string[]): boolean {
  return patterns.some((line) => {
    const pattern = parseExcludePattern(line);
    if (!pattern) return false;
    if (pattern.port !== null && pattern.port !== site.port) return false;
    return site.host === pattern.host || (pattern.subdomains && site.host.endsWith(`.${pattern.host}`));
  });
}

/** `key`: a catalogue key saying what is wrong. */
export type SiteInputParse = { ok: true; site: Site } | { ok: false; key: string };

/**
 * What a person types into "Check a site": `example.com`, `example.com:8443`, `[2001:db8::1]:443`,
 * or a pasted URL with a path and query (only its host and port count). http: URLs are refused:
 * they name no TLS site. The host parsing is the CLI's (core/target.ts, docs/contract.md §3).
 */
export function parseSiteInput(text: string): SiteInputParse {
  let trimmed = text.trim();
  if (/^http:\/\//i.test(trimmed)) return { ok: false, key: 'site_input_http' };
  // `example.com/path?q`: a URL pasted without its scheme.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) && /[/?#]/.test(trimmed)) trimmed = `https://${trimmed}`;
  const parsed = parseTarget(trimmed);
  if (!parsed.ok) return { ok: false, key: 'site_input_invalid' };
  return { ok: true, site: { host: parsed.target.host, port: parsed.target.port } };
}
