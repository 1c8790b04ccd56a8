// How an endpoint is written for people and cache keys alike: the inverse of parseTarget (target.ts).
// Pure.

/**
 * `example.com:443`, `203.0.113.7:443`, `[2001:db8::1]:8443`. RFC 3986 §3.2.2 brackets an IPv6
 * literal so its colons do not read as the port's. Without a port, the host alone (bracketed if IPv6).
 */
export function formatHostPort(host: string, port: number | null): string {
  const shown = host.includes(':') ? `[${host}]` : host;
  return port === null ? shown : `${shown}:${port}`;
}
