// The site's `Server` header, read over the TLS connection the check already made (docs/contract.md
// §8: one `HEAD /` on the socket of the first successful handshake, nothing else contacted), so the
// fix-it advice can name the server that answered. Bounded in bytes and time; the answer is hostile
// and only its product token (src/core/server-software.ts) is kept.
import type * as tls from 'node:tls';
import { productToken } from '../core/server-software.js';

/** Enough for any status line and headers a server sends before the blank line. */
export const MAX_HEAD_BYTES = 16 * 1024;
/** The HEAD must never hold the check up for long. */
export const MAX_HEAD_MS = 2_000;

/** The `Server` field's value among raw HTTP/1.x header bytes (RFC 9112 §5), or `null`. */
export function serverFieldOf(head: string): string | null {
  const lines = head.split('\r\n');
  if (!/^HTTP\/1\.[01] \d{3}/.test(lines[0] ?? '')) return null;
  for (const line of lines.slice(1)) {
    if (line === '') break;
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).toLowerCase() === 'server') return line.slice(colon + 1).trim();
  }
  return null;
}

/**
 * Send `HEAD / HTTP/1.1` on `socket` (already through its handshake), read until the end of the
 * headers, `MAX_HEAD_BYTES`, `MAX_HEAD_MS` or `deadline`, then close the socket. Never rejects.
 */
export function readServerHeader(socket: tls.TLSSocket, hostHeader: string, deadline: number): Promise<string | null> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let length = 0;
    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.on('error', () => {});
      socket.destroy();
      const head = Buffer.concat(chunks).toString('latin1');
      const value = serverFieldOf(head);
      resolve(value === null ? null : productToken(value));
    };
    const timer = setTimeout(finish, Math.max(0, Math.min(MAX_HEAD_MS, deadline - Date.now())));
    socket.on('data', (chunk: Buffer) => {
      const room = MAX_HEAD_BYTES - length;
      chunks.push(chunk.subarray(0, room));
      length += Math.min(chunk.length, room);
      if (length >= MAX_HEAD_BYTES || Buffer.concat(chunks).includes('\r\n\r\n')) finish();
    });
    socket.on('error', finish);
    socket.on('close', finish);
    socket.on('end', finish);
    // RFC 9112 §3.2: HTTP/1.1 needs Host; the name is ours (SNI or address), never the server's.
    socket.write(`HEAD / HTTP/1.1\r\nHost: ${hostHeader}\r\nUser-Agent: staplecheck\r\nConnection: close\r\n\r\n`);
  });
}
