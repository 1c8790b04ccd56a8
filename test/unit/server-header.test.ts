// The Server header read (src/probe/server-header.ts, docs/contract.md §8): the field parser on raw
// HTTP/1.x heads, and `readServerHeader` on a socket stand-in that records what is written and
// lets the test send the server's bytes, close, fail or stay silent. Its bounds (16 KiB, 2 s, the
// check's deadline) are tested with fake timers: no server, no sleeping.
import { EventEmitter } from 'node:events';
import type * as tls from 'node:tls';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MAX_HEAD_BYTES, MAX_HEAD_MS, readServerHeader, serverFieldOf } from '../../src/probe/server-header.js';

describe('serverFieldOf', () => {
  it('needs an HTTP/1.0 or HTTP/1.1 status line with a three-digit code, at the very start', () => {
    const fields = '\r\nServer: nginx\r\n\r\n';
    expect(serverFieldOf(`HTTP/1.1 200 OK${fields}`)).toBe('nginx');
    expect(serverFieldOf(`HTTP/1.0 404 Not Found${fields}`)).toBe('nginx');
    expect(serverFieldOf(`HTTP/1.1 301${fields}`)).toBe('nginx');
    for (const status of [
      'HTTP/2 200',
      'HTTP/1.2 200',
      'HTTP/1.1 20',
      'HTTP/1.1200 OK',
      'XHTTP/1.1 200',
      'http/1.1 200',
      'HTTP/1.1 2x0',
    ]) {
      expect(serverFieldOf(`${status}${fields}`), status).toBeNull();
    }
    expect(serverFieldOf('')).toBeNull();
    expect(serverFieldOf('Server: nginx\r\n\r\n')).toBeNull();
  });

  it('finds the field in any case, trims its value, and takes the first', () => {
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nDate: x\r\nSERVER:   Apache/2.4 (Debian)  \r\n\r\n')).toBe(
      'Apache/2.4 (Debian)',
    );
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nserver:caddy\r\nServer: nginx\r\n\r\n')).toBe('caddy');
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nServer:\r\n\r\n')).toBe('');
    // A value may hold colons of its own.
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nServer: a:b\r\n\r\n')).toBe('a:b');
  });

  it('reads no field past the blank line, and no line that is not `name: value`', () => {
    expect(serverFieldOf('HTTP/1.1 200 OK\r\n\r\nServer: late\r\n')).toBeNull();
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nX: y\r\n\r\nServer: late\r\n')).toBeNull();
    // No colon: "Servers" would be "server" if the last character were cut as a name.
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nServers\r\n\r\n')).toBeNull();
    expect(serverFieldOf('HTTP/1.1 200 OK\r\n: Server: x\r\n\r\n')).toBeNull();
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nX-Server: shadow\r\nServer-Timing: x\r\n\r\n')).toBeNull();
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nServer : spaced\r\n\r\n')).toBeNull();
  });

  it('reads a head without its blank line (cut at the byte bound)', () => {
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nServer: nginx')).toBe('nginx');
  });
});

/** What `readServerHeader` uses of a TLS socket. */
class FakeSocket extends EventEmitter {
  written = '';
  destroyed = 0;
  write(text: string): boolean {
    this.written += text;
    return true;
  }
  destroy(): this {
    this.destroyed += 1;
    return this;
  }
}

describe('readServerHeader', () => {
  let socket: FakeSocket;
  const start = (host = 'example.test', deadline = Date.now() + 60_000) =>
    readServerHeader(socket as unknown as tls.TLSSocket, host, deadline);
  /** Whether `promise` has settled, after the microtasks already queued. */
  const settled = async (promise: Promise<unknown>) => {
    let done = false;
    void promise.then(() => (done = true));
    await Promise.resolve();
    await Promise.resolve();
    return done;
  };

  beforeEach(() => {
    socket = new FakeSocket();
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('sends one HEAD / with our Host, then answers the product token once the head is complete', async () => {
    const answer = start('site.example:8443');
    expect(socket.written).toBe(
      'HEAD / HTTP/1.1\r\nHost: site.example:8443\r\nUser-Agent: staplecheck\r\nConnection: close\r\n\r\n',
    );
    socket.emit('data', Buffer.from('HTTP/1.1 200 OK\r\nServer: nginx/1.25.3 (Ubuntu)\r\n'));
    expect(await settled(answer)).toBe(false);
    socket.emit('data', Buffer.from('Content-Length: 5\r\n\r\nhello'));
    await expect(answer).resolves.toBe('nginx/1.25.3');
    expect(socket.destroyed).toBe(1);
    // Nothing more is read once answered, and a late error is swallowed.
    expect(socket.listenerCount('data')).toBe(0);
    expect(() => socket.emit('error', new Error('late'))).not.toThrow();
  });

  it('answers null for a head without a Server field, or a value with no product token', async () => {
    const none = start();
    socket.emit('data', Buffer.from('HTTP/1.1 200 OK\r\nDate: x\r\n\r\n'));
    await expect(none).resolves.toBeNull();
    socket = new FakeSocket();
    const odd = start();
    socket.emit('data', Buffer.from('HTTP/1.1 200 OK\r\nServer: (hidden)\r\n\r\n'));
    await expect(odd).resolves.toBeNull();
  });

  it('finds the end of the head across chunks', async () => {
    const answer = start();
    socket.emit('data', Buffer.from('HTTP/1.1 200 OK\r\nServer: caddy\r\n\r'));
    expect(await settled(answer)).toBe(false);
    socket.emit('data', Buffer.from('\n'));
    await expect(answer).resolves.toBe('caddy');
  });

  it.each(['end', 'close', 'error'] as const)('answers with what it has when the socket says %s', async (event) => {
    const answer = start();
    socket.emit('data', Buffer.from('HTTP/1.1 200 OK\r\nServer: haproxy\r\n'));
    socket.emit(event, event === 'error' ? new Error('reset') : undefined);
    await expect(answer).resolves.toBe('haproxy');
    expect(socket.destroyed).toBe(1);
    // A second event finds it answered.
    socket.emit('close');
    expect(socket.destroyed).toBe(1);
  });

  it('keeps at most 16 KiB, and stops reading there without waiting', async () => {
    expect(MAX_HEAD_BYTES).toBe(16 * 1024);
    const status = 'HTTP/1.1 200 OK\r\n';
    const filler = `X-Pad: ${'a'.repeat(MAX_HEAD_BYTES - status.length - 'X-Pad: \r\n'.length - 'Server: x'.length)}\r\n`;
    // "Server: x" ends exactly at the bound; "Server: xy" is cut to "Server: x".
    const answer = start();
    socket.emit('data', Buffer.from(`${status}${filler}Server: xy\r\n`));
    await expect(answer).resolves.toBe('x');
    // The same bytes in two chunks, the bound falling inside the second.
    socket = new FakeSocket();
    const split = start();
    socket.emit('data', Buffer.from(`${status}${filler}`));
    expect(await settled(split)).toBe(false);
    socket.emit('data', Buffer.from('Server: xy\r\n'));
    await expect(split).resolves.toBe('x');
  });

  it('a field past 16 KiB is never read', async () => {
    const answer = start();
    socket.emit(
      'data',
      Buffer.from(`HTTP/1.1 200 OK\r\nX-Pad: ${'a'.repeat(MAX_HEAD_BYTES)}\r\nServer: nginx\r\n\r\n`),
    );
    await expect(answer).resolves.toBeNull();
  });

  it('one byte under the bound without a blank line keeps waiting', async () => {
    const answer = start();
    socket.emit(
      'data',
      Buffer.from(`HTTP/1.1 200 OK\r\nServer: nginx\r\nX: ${'a'.repeat(MAX_HEAD_BYTES)}`.slice(0, MAX_HEAD_BYTES - 1)),
    );
    expect(await settled(answer)).toBe(false);
    socket.emit('data', Buffer.from('ab'));
    await expect(answer).resolves.toBe('nginx');
  });

  it('gives up after 2 s on a silent server, answering with what it has', async () => {
    expect(MAX_HEAD_MS).toBe(2_000);
    const answer = start();
    socket.emit('data', Buffer.from('HTTP/1.1 200 OK\r\nServer: apache\r\n'));
    await vi.advanceTimersByTimeAsync(MAX_HEAD_MS - 1);
    expect(await settled(answer)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toBe('apache');
    expect(socket.destroyed).toBe(1);
  });

  it('gives up at the check deadline when it comes first, and at once when it has passed', async () => {
    const answer = start('h', Date.now() + 300);
    await vi.advanceTimersByTimeAsync(299);
    expect(await settled(answer)).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    await expect(answer).resolves.toBeNull();

    socket = new FakeSocket();
    const late = start('h', Date.now() - 5_000);
    await vi.advanceTimersByTimeAsync(0);
    await expect(late).resolves.toBeNull();
    expect(socket.destroyed).toBe(1);
  });
});
