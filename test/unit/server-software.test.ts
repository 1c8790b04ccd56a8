// The Server header is hostile: only a bounded product token survives (src/core/server-software.ts,
// src/probe/server-header.ts), and it picks the fix-it recipe.
import { describe, expect, it } from 'vitest';
import { MAX_PRODUCT_TOKEN, productToken, serverSoftwareOf, FIX_RECIPES } from '../../src/core/server-software.js';
import { serverFieldOf } from '../../src/probe/server-header.js';

describe('productToken', () => {
  it.each([
    ['nginx/1.24.0 (Ubuntu)', 'nginx/1.24.0'],
    ['Apache/2.4.58 (Debian) OpenSSL/3.0.11', 'Apache/2.4.58'],
    ['Caddy', 'Caddy'],
    ['  openresty', 'openresty'],
    ['(comment first)', null],
    ['', null],
    ['nginx\u001b[2J', 'nginx'],
    ['évil', null],
    ['nginx/\u202e1.0', 'nginx'],
  ])('%j → %j', (value, token) => {
    expect(productToken(value)).toBe(token);
  });

  it('is bounded', () => {
    expect(productToken('a'.repeat(10_000))?.length).toBe(MAX_PRODUCT_TOKEN);
  });
});

describe('serverSoftwareOf', () => {
  it('names the recipe, or none (then all are offered)', () => {
    expect(serverSoftwareOf('nginx/1.24.0')).toBe('nginx');
    expect(serverSoftwareOf('openresty')).toBe('nginx');
    expect(serverSoftwareOf('Apache')).toBe('apache');
    expect(serverSoftwareOf('Caddy')).toBe('caddy');
    expect(serverSoftwareOf('HAProxy')).toBe('haproxy');
    expect(serverSoftwareOf('cloudflare')).toBeNull();
    expect(serverSoftwareOf(null)).toBeNull();
    expect(FIX_RECIPES.nginx.lines).toContain('ssl_stapling on;');
    expect(FIX_RECIPES.apache.lines[0]).toBe('SSLUseStapling On');
  });
});

describe('serverFieldOf', () => {
  it('reads the Server field of an HTTP/1.x head, and nothing past the blank line', () => {
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nDate: x\r\nserver: nginx/1.2\r\n\r\n')).toBe('nginx/1.2');
    expect(serverFieldOf('HTTP/1.1 200 OK\r\n\r\nServer: late\r\n')).toBeNull();
    expect(serverFieldOf('SSH-2.0\r\nServer: x\r\n\r\n')).toBeNull();
  });
});
