// formatHostPort (src/core/host-port.ts): the endpoint as people read it and caches key it, the
// inverse of parseTarget (RFC 3986 §3.2.2 brackets an IPv6 literal).
import { describe, expect, it } from 'vitest';
import { formatHostPort } from '../../src/core/host-port.js';
import { parseTarget } from '../../src/core/target.js';

describe('formatHostPort', () => {
  it.each<[string, number | null, string]>([
    ['example.com', 443, 'example.com:443'],
    ['203.0.113.7', 8443, '203.0.113.7:8443'],
    ['2001:db8::1', 8443, '[2001:db8::1]:8443'],
    ['::1', null, '[::1]'],
    ['example.com', null, 'example.com'],
  ])('%s, %s → %s', (host, port, text) => {
    expect(formatHostPort(host, port)).toBe(text);
  });

  it('reads back as the same endpoint', () => {
    for (const [host, port] of [
      ['example.com', 8443],
      ['::1', 443],
      ['2001:db8::1', 1],
      ['127.0.0.1', 65535],
    ] as const) {
      expect(parseTarget(formatHostPort(host, port))).toMatchObject({ ok: true, target: { host, port } });
    }
  });
});
