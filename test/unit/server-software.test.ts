// The Server header is hostile: only a bounded product token survives (src/core/server-software.ts,
// src/probe/server-header.ts), and it picks the fix-it recipe.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  MAX_PRODUCT_TOKEN,
  SERVER_SOFTWARE,
  productToken,
  serverSoftwareOf,
  FIX_RECIPES,
} from '../../src/core/server-software.js';
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

describe('productToken keeps only `token ["/" token]` (RFC 9110 §5.6.2)', () => {
  it.each([
    ['\t nginx/1.2', 'nginx/1.2'],
    ['nginx/ 1.2', 'nginx'],
    ['nginx/(x)', 'nginx'],
    ['nginx /1.2', 'nginx'],
    ['nginx/1.2/3', 'nginx/1.2'],
    ['x nginx', 'x'],
  ])('%j → %j', (value, token) => {
    expect(productToken(value)).toBe(token);
  });

  it('reads no further than the first 512 characters, and keeps at most 64 of a name with a version', () => {
    expect(productToken(`${' '.repeat(512)}nginx`)).toBeNull();
    expect(productToken(`${' '.repeat(511)}nginx`)).toBe('n');
    expect(productToken(`nginx/${'1'.repeat(100)}`)).toBe(`nginx/${'1'.repeat(MAX_PRODUCT_TOKEN - 6)}`);
    expect(MAX_PRODUCT_TOKEN).toBe(64);
  });
});

describe('every server software has its recipe, as docs/browsers.md "Fix it" cites it', () => {
  const fixIt = readFileSync(new URL('../../docs/browsers.md', import.meta.url), 'utf8').split('## Fix it')[1] ?? '';

  it('names the four servers, nginx builds as nginx', () => {
    expect(SERVER_SOFTWARE).toEqual(['nginx', 'apache', 'caddy', 'haproxy']);
    expect(serverSoftwareOf('Tengine/2.3')).toBe('nginx');
    expect(serverSoftwareOf('OpenResty/1.21')).toBe('nginx');
    expect(serverSoftwareOf('')).toBeNull();
    expect(serverSoftwareOf(undefined)).toBeNull();
    expect(serverSoftwareOf('/1.0')).toBeNull();
  });

  it.each(SERVER_SOFTWARE)('%s', (server) => {
    const recipe = FIX_RECIPES[server];
    expect(recipe.server).toBe(server);
    expect(fixIt).toContain(`(${recipe.documentation})`);
    expect(recipe.lines.length).toBeGreaterThan(0);
    for (const line of recipe.lines) {
      // Each directive the recipe names is one the documentation section names.
      const directive = line.startsWith('#') ? /"([^"]+)"/.exec(line)?.[1] : line.split(' ')[0];
      expect(directive, line).toBeTruthy();
      expect(fixIt, line).toContain(directive === 'crt' ? 'ocsp-update on' : directive);
    }
  });

  it('says each directive in full', () => {
    expect(FIX_RECIPES.nginx.lines).toEqual([
      'ssl_stapling on;',
      'ssl_stapling_verify on;',
      'ssl_trusted_certificate /path/to/issuer-and-root.pem;',
      'resolver 127.0.0.53;',
    ]);
    expect(FIX_RECIPES.apache.lines).toEqual([
      'SSLUseStapling On',
      'SSLStaplingCache "shmcb:logs/ssl_stapling(32768)"',
    ]);
    expect(FIX_RECIPES.caddy.lines).toEqual([
      '# Caddy staples by default: remove any "ocsp_stapling off" from the tls options.',
    ]);
    expect(FIX_RECIPES.haproxy.lines).toEqual(['crt /path/to/site.pem ocsp-update on']);
  });
});

describe('serverFieldOf', () => {
  it('reads the Server field of an HTTP/1.x head, and nothing past the blank line', () => {
    expect(serverFieldOf('HTTP/1.1 200 OK\r\nDate: x\r\nserver: nginx/1.2\r\n\r\n')).toBe('nginx/1.2');
    expect(serverFieldOf('HTTP/1.1 200 OK\r\n\r\nServer: late\r\n')).toBeNull();
    expect(serverFieldOf('SSH-2.0\r\nServer: x\r\n\r\n')).toBeNull();
  });
});
