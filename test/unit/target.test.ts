// Targets as users write them (docs/contract.md §3): host, host:port, [v6]:port, https:// URLs,
// IDN. Every row is what a user may type in the CLI or the popup; a refused target must say why.
import { describe, expect, it } from 'vitest';
import { parseTarget } from '../../src/index.js';
import { isIpLiteral, isIpv4, isIpv6, normalizeHost, parsePort } from '../../src/core/target.js';

const label63 = 'a'.repeat(63);

describe('parseTarget: accepted', () => {
  it.each<[string, string, number, boolean]>([
    ['example.com', 'example.com', 443, false],
    ['  example.com\t', 'example.com', 443, false],
    ['Example.COM.', 'example.com', 443, false],
    ['localhost', 'localhost', 443, false],
    ['example.com:8443', 'example.com', 8443, false],
    ['example.com:1', 'example.com', 1, false],
    ['example.com:65535', 'example.com', 65535, false],
    ['127.0.0.1', '127.0.0.1', 443, true],
    ['127.0.0.1:8443', '127.0.0.1', 8443, true],
    ['[::1]:8443', '::1', 8443, true],
    ['[::1]', '::1', 443, true],
    ['::1', '::1', 443, true],
    ['2001:db8::1', '2001:db8::1', 443, true],
    ['[2001:DB8:0:0:0:0:0:1]:444', '2001:db8::1', 444, true],
    ['https://example.com', 'example.com', 443, false],
    ['HTTPS://EXAMPLE.COM', 'example.com', 443, false],
    ['https://example.com:444/path?q=1#frag', 'example.com', 444, false],
    ['https://[::1]:9/', '::1', 9, true],
    ['https://127.0.0.1/', '127.0.0.1', 443, true],
    // IDN → punycode (UTS #46), as browsers send it in SNI.
    ['bücher.example', 'xn--bcher-kva.example', 443, false],
    ['https://bücher.example:8443/', 'xn--bcher-kva.example', 8443, false],
    ['ÄÖ.de', 'xn--4ca0b.de', 443, false],
    ['xn--bcher-kva.example', 'xn--bcher-kva.example', 443, false],
    [`${label63}.com`, `${label63}.com`, 443, false],
    ['a-b.example', 'a-b.example', 443, false],
    // Pasted from an address bar (docs/contract.md §3): the path, query and fragment are ignored.
    ['example.com/path', 'example.com', 443, false],
    ['example.com/', 'example.com', 443, false],
    ['example.com:8443/path?x=1', 'example.com', 8443, false],
    ['example.com?x=1', 'example.com', 443, false],
    ['example.com#top', 'example.com', 443, false],
    ['example.com:8443#top', 'example.com', 8443, false],
    ['https://example.com/path#f', 'example.com', 443, false],
    ['https://example.com:443/', 'example.com', 443, false],
    ['https://example.com:0443/', 'example.com', 443, false],
    ['[::1]:8443/path?x', '::1', 8443, true],
    ['[::1]/path', '::1', 443, true],
    ['127.0.0.1:8443/a/b?c#d', '127.0.0.1', 8443, true],
    ['bücher.example/straße?ä=1', 'xn--bcher-kva.example', 443, false],
  ])('%s → %s port %d', (input, host, port, isIp) => {
    expect(parseTarget(input)).toEqual({ ok: true, target: { host, port, isIp } });
  });

  it('uses the default port it is given when the target names none', () => {
    expect(parseTarget('example.com', 8443)).toEqual({
      ok: true,
      target: { host: 'example.com', port: 8443, isIp: false },
    });
    expect(parseTarget('https://example.com/', 8443)).toMatchObject({ ok: true, target: { port: 8443 } });
    expect(parseTarget('example.com:444', 8443)).toMatchObject({ ok: true, target: { port: 444 } });
  });
});

describe('parseTarget: refused, with a reason', () => {
  it.each<[string, RegExp]>([
    ['', /"" is not a valid host name or IP address/],
    ['   ', /is not a valid host name or IP address/],
    ['example .com', /"example \.com" is not a valid host name/],
    ['-bad.example', /is not a valid host name/],
    ['bad-.example', /is not a valid host name/],
    ['a..b', /is not a valid host name/],
    ['exa_mple.com', /is not a valid host name/],
    [`${'a'.repeat(64)}.com`, /is not a valid host name/],
    ['256.1.1.1', /is not a valid host name/],
    ['a:b:c', /"a:b:c" is not a valid host name/],
    ['[::1]:', /"" is not a port/],
    ['[::1]x', /is not a valid host name/],
    ['user@example.com', /is not a valid host name/],
    ['/path', /"" is not a valid host name/],
    ['?x', /"" is not a valid host name/],
    ['example.com:0/path', /"0" is not a port/],
    ['example.com:99999/path', /"99999" is not a port/],
    ['example.com:x/path', /"x" is not a port/],
    ['user@example.com/path', /is not a valid host name/],
    ['a:b:c/path', /"a:b:c" is not a valid host name/],
    ['example.com:0', /"0" is not a port \(1-65535\)/],
    ['example.com:65536', /"65536" is not a port/],
    ['example.com:123456', /"123456" is not a port/],
    ['example.com:-1', /"-1" is not a port/],
    ['example.com:', /"" is not a port/],
    ['example.com:https', /is not a port/],
    ['[::1]:70000', /"70000" is not a port/],
    ['http://example.com', /^Staple Check checks HTTPS sites, not http:\/\/; did you mean https:\/\/example\.com\?$/],
    ['HTTP://example.com:8080/a?b', /not http:\/\/; did you mean https:\/\/example\.com:8080\/a\?b\?$/],
    ['ftp://example.com/file', /not ftp:\/\/; did you mean https:\/\/example\.com\/file\?/],
    ['wss://example.com', /not wss:\/\//],
    ['https://example.com:0/', /"0" is not a port \(1-65535\)/],
    ['https://example.com:65536/', /is not a valid URL/],
    ['https://', /"https:\/\/" is not a valid URL/],
    ['https://exa mple.com/', /is not a valid URL/],
    ['https://-bad.example/', /"-bad\.example" is not a valid host name/],
  ])('%j', (input, message) => {
    const parsed = parseTarget(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  // The URL parser gives port "0" for "https://example.com:0/" as written; it is refused as
  // "example.com:0" is (it once came through as port 0).
  it('refuses port 0 in an https:// URL as it does in host:port', () => {
    expect(parseTarget('https://example.com:0/').ok).toBe(false);
    expect(parseTarget('example.com:0').ok).toBe(false);
  });
});

describe('parsePort', () => {
  it.each<[string | number, number | null]>([
    ['443', 443],
    [443, 443],
    ['1', 1],
    ['65535', 65535],
    [65535, 65535],
    ['08443', 8443],
    ['0', null],
    [0, null],
    ['65536', null],
    [65536, null],
    [-1, null],
    ['-1', null],
    ['', null],
    [' 443', null],
    ['+443', null],
    ['1e3', null],
    ['1.5', null],
    [1.5, null],
    ['123456', null],
    [Number.NaN, null],
  ])('%j → %j', (input, port) => {
    expect(parsePort(input)).toBe(port);
  });
});

describe('normalizeHost', () => {
  it.each<[string, { host: string; isIp: boolean } | null]>([
    [' example.com ', { host: 'example.com', isIp: false }],
    ['example.com.', { host: 'example.com', isIp: false }],
    ['A.B', { host: 'a.b', isIp: false }],
    ['[::1]', { host: '::1', isIp: true }],
    ['[127.0.0.1]', { host: '127.0.0.1', isIp: true }],
    ['FE80::A', { host: 'fe80::a', isIp: true }],
    ['::', { host: '::', isIp: true }],
    ['1:2:3:4:5:6:7:8', { host: '1:2:3:4:5:6:7:8', isIp: true }],
    ['::ffff:127.0.0.1', { host: '::ffff:7f00:1', isIp: true }],
    ['0.0.0.0', { host: '0.0.0.0', isIp: true }],
    ['255.255.255.255', { host: '255.255.255.255', isIp: true }],
    ['1.2.3.4.', { host: '1.2.3.4', isIp: true }],
    [
      `${label63}.${label63}.${label63}.${'a'.repeat(61)}`,
      { host: `${label63}.${label63}.${label63}.${'a'.repeat(61)}`, isIp: false },
    ],
    [`${label63}.${label63}.${label63}.${'a'.repeat(62)}`, null],
    ['x'.repeat(254), null],
    ['', null],
    [':', null],
    ['[]', null],
    ['[', null],
    ['1::2::3', null],
    ['1:2:3:4:5:6:7:8:9', null],
    ['gg::1', null],
    ['fe80::1%eth0', null],
    ['a/b', null],
    ['a\\b', null],
    ['a?b', null],
    ['a#b', null],
    ['a@b', null],
    ['a%b', null],
    ['a:b', null],
    ['a[b', null],
    ['a b', null],
    ['a-.com', null],
    ['-a.com', null],
    ['xn--', null],
  ])('%j → %j', (input, expected) => {
    expect(normalizeHost(input)).toEqual(expected);
  });
});

describe('isIpv4 / isIpv6', () => {
  it.each<[string, boolean]>([
    ['127.0.0.1', true],
    ['250.255.249.199', true],
    ['256.0.0.1', false],
    ['1.2.3', false],
    ['01.2.3.4', false],
    ['1.2.3.4.', false],
    [' 1.2.3.4', false],
  ])('isIpv4(%j) is %s', (text, expected) => {
    expect(isIpv4(text)).toBe(expected);
  });
  it.each<[string, boolean]>([
    ['::1', true],
    ['2001:db8::1', true],
    ['::ffff:1.2.3.4', true],
    ['1.2.3.4', false],
    ['example.com', false],
    ['[::1]', false],
    ['1::2::3', false],
    [':::', false],
  ])('isIpv6(%j) is %s', (text, expected) => {
    expect(isIpv6(text)).toBe(expected);
  });
});

describe('the edges of each rule (docs/contract.md §3)', () => {
  // Five labels of 40 letters with umlauts: 204 characters as typed, each label 50 in punycode.
  const umlauts = 'äöüß'.repeat(10);
  const idn = (labels: string[]) => labels.join('.');

  it('limits a name to 253 characters in its ASCII (punycode) form, and as typed', () => {
    const longest = idn([umlauts, umlauts, umlauts, umlauts, 'a'.repeat(49)]);
    expect(normalizeHost(longest)).toMatchObject({ isIp: false });
    expect(normalizeHost(longest)?.host).toHaveLength(253);
    expect(normalizeHost(idn([umlauts, umlauts, umlauts, umlauts, 'a'.repeat(50)]))).toBeNull();
    expect(normalizeHost(idn([umlauts, umlauts, umlauts, umlauts, umlauts]))).toBeNull();
    // Typed longer than 253 characters is refused before any mapping could shorten it (U+00AD maps to nothing).
    expect(normalizeHost(`${'a'.repeat(60)}${'\u00ad'.repeat(200)}.com`)).toBeNull();
  });

  it('strips brackets only as a pair', () => {
    for (const text of ['[example.com', 'example.com]', '[::1', '::1]', '[127.0.0.1', '127.0.0.1]'])
      expect(normalizeHost(text), text).toBeNull();
  });

  it('an IPv6 literal is only what it looks like: tabs and newlines inside are refused, not dropped', () => {
    // The WHATWG URL parser removes every tab and newline; these must not turn into ::1.
    for (const text of [':\t:1', '::1\t', '\t::1', '::\n1', '\n::1', '::1\n'])
      expect(isIpv6(text), JSON.stringify(text)).toBe(false);
    expect(normalizeHost('::\t1')).toBeNull();
    expect(parseTarget('[::\n1]:443').ok).toBe(false);
  });

  it('reads every octet range of IPv4 (RFC 791 dotted decimal, no leading zeros)', () => {
    for (const text of ['200.1.1.1', '249.1.1.1', '1.2.3.45', '1.2.3.99', '10.200.249.9', '199.100.0.255'])
      expect(isIpv4(text), text).toBe(true);
    expect(normalizeHost('1.2.3.45')).toEqual({ host: '1.2.3.45', isIp: true });
  });

  it('a scheme counts only at the start, after trimming', () => {
    expect(parseTarget('  https://example.com:8443/ ')).toEqual({
      ok: true,
      target: { host: 'example.com', port: 8443, isIp: false },
    });
    // A URL in the query of an address-bar text is not the target's scheme.
    expect(parseTarget('example.com/login?next=https://other.example/')).toEqual({
      ok: true,
      target: { host: 'example.com', port: 443, isIp: false },
    });
  });
});

describe('isIpLiteral and bracketed authorities', () => {
  it('is true for an IPv4 or IPv6 literal only (checkSite sends no SNI for one)', () => {
    expect(['127.0.0.1', '::1', '2001:db8::1', '::ffff:1.2.3.4'].map(isIpLiteral)).toEqual([true, true, true, true]);
    expect(['example.com', '[::1]', '1.2.3', '', 'localhost'].map(isIpLiteral)).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);
  });

  it('reads brackets only around the whole host, and names the bracketed host when it refuses it', () => {
    expect(parseTarget('x[::1]:443').ok).toBe(false);
    expect(parseTarget('[a:b]')).toEqual({ ok: false, message: '"a:b" is not a valid host name or IP address.' });
    expect(parseTarget('[a:b]:8443')).toEqual({ ok: false, message: '"a:b" is not a valid host name or IP address.' });
  });
});
