// The openssl command that shows the same staple by hand, for the popup's "Copy command" button.
// Pure. `-status` asks for the staple (RFC 6066 §8 status_request); `</dev/null` ends the session
// after the handshake.
import type { Site } from './site.js';

const SAFE = /^[A-Za-z0-9.:[\]_-]+$/;

function shellWord(word: string): string {
  return SAFE.test(word) ? word : `'${word.replace(/'/g, `'\\''`)}'`;
}

/** `servername`: the SNI name; omitted for IP literals (RFC 6066 §3: SNI carries DNS names only). */
export function opensslCommand(site: Site, servername: string | null = site.host): string {
  const isIp = /^[\d.]+$/.test(site.host) || site.host.includes(':');
  const connect = site.host.includes(':') ? `[${site.host}]:${site.port}` : `${site.host}:${site.port}`;
  const sni = servername && !(isIp && servername === site.host) ? ` -servername ${shellWord(servername)}` : '';
  return `openssl s_client -connect ${shellWord(connect)}${sni} -status </dev/null`;
}
