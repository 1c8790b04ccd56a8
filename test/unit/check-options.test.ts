// The one check-options validator (core/check-options.ts) that the CLI, the host and checkSite share:
// ranges at their bounds, what each field refuses, the defaults, and the same message under each
// caller's name for the field.
import { describe, expect, it } from 'vitest';
import {
  ADDRESS_POLICIES,
  DEFAULT_ADDRESS_POLICY,
  DEFAULT_PORT,
  DEFAULT_TIMEOUT_MS,
  MAX_TIMEOUT_MS,
  MIN_TIMEOUT_MS,
  validateCheckOptions,
  type CheckOptionsInput,
} from '../../src/core/check-options.js';

const base = { host: 'example.com' };

describe('validateCheckOptions', () => {
  it('fills in the defaults, in one place', () => {
    expect(validateCheckOptions(base)).toEqual({
      ok: true,
      options: { host: 'example.com', port: DEFAULT_PORT, timeoutMs: DEFAULT_TIMEOUT_MS },
    });
    expect([DEFAULT_PORT, DEFAULT_TIMEOUT_MS, MIN_TIMEOUT_MS, MAX_TIMEOUT_MS]).toEqual([443, 10_000, 100, 120_000]);
  });

  it('normalises names to punycode and IP literals to their canonical form', () => {
    expect(
      validateCheckOptions({ host: 'Bücher.Example.', servername: 'WWW.bücher.example', address: '[2001:DB8::1]' }),
    ).toEqual({
      ok: true,
      options: {
        host: 'xn--bcher-kva.example',
        port: 443,
        timeoutMs: 10_000,
        servername: 'www.xn--bcher-kva.example',
        address: '2001:db8::1',
      },
    });
  });

  it('treats null servername and address as absent', () => {
    expect(validateCheckOptions({ ...base, servername: null, address: null })).toEqual(validateCheckOptions(base));
  });

  const accepted: [string, CheckOptionsInput][] = [
    ['the shortest timeout', { ...base, timeoutMs: MIN_TIMEOUT_MS }],
    ['the longest timeout', { ...base, timeoutMs: MAX_TIMEOUT_MS }],
    ['port 1', { ...base, port: 1 }],
    ['port 65535', { ...base, port: 65535 }],
    ['an IPv4 host', { host: '127.0.0.1' }],
    ['an IPv6 host', { host: '::1' }],
    ['an IPv4 address', { ...base, address: '127.0.0.1' }],
    ['an IPv6 address', { ...base, address: '::1' }],
    ['a DNS servername', { host: '127.0.0.1', servername: 'localhost' }],
    ['compareResponder', { ...base, compareResponder: true }],
    ['addressPolicy all', { ...base, addressPolicy: 'all' }],
    ['addressPolicy skip-internal-if-public', { ...base, addressPolicy: 'skip-internal-if-public' }],
    ['pageLoaded', { ...base, pageLoaded: true }],
    ['probe full', { ...base, probe: 'full' }],
    ['probe default-offer', { ...base, probe: 'default-offer' }],
  ];
  it.each(accepted)('accepts %s', (_what, input) => {
    expect(validateCheckOptions(input).ok).toBe(true);
  });

  const refused: [string, CheckOptionsInput, RegExp][] = [
    ['a host that is not a string', { host: 5 }, /^host must be a string\.$/],
    [
      'a host with a path',
      { host: 'example.com/x' },
      /^host "example\.com\/x" is not a valid host name or IP address\.$/,
    ],
    ['an empty host', { host: '' }, /not a valid host name/],
    ['port 0', { ...base, port: 0 }, /^port must be an integer 1-65535\.$/],
    ['port 65536', { ...base, port: 65536 }, /^port must be an integer 1-65535\.$/],
    ['a port as a string', { ...base, port: '443' }, /^port must be an integer 1-65535\.$/],
    ['a fractional port', { ...base, port: 443.5 }, /^port must be an integer/],
    [
      'a timeout 1 ms too short',
      { ...base, timeoutMs: MIN_TIMEOUT_MS - 1 },
      /^timeoutMs must be an integer 100-120000/,
    ],
    ['a timeout 1 ms too long', { ...base, timeoutMs: MAX_TIMEOUT_MS + 1 }, /^timeoutMs must be an integer 100-120000/],
    ['a fractional timeout', { ...base, timeoutMs: 1000.5 }, /^timeoutMs must be an integer/],
    ['an infinite timeout', { ...base, timeoutMs: Infinity }, /^timeoutMs must be an integer/],
    ['a timeout as a string', { ...base, timeoutMs: '5000' }, /^timeoutMs must be an integer/],
    // RFC 6066 §3: "Literal IPv4 and IPv6 addresses are not permitted in HostName."
    ['an IPv4 address as SNI', { ...base, servername: '127.0.0.1' }, /^servername must be a DNS host name/],
    ['an IPv6 address as SNI', { ...base, servername: '::1' }, /^servername must be a DNS host name/],
    ['a bracketed IPv6 address as SNI', { ...base, servername: '[::1]' }, /^servername must be a DNS host name/],
    ['an empty SNI', { ...base, servername: '' }, /^servername must be a DNS host name/],
    ['an SNI that is not a string', { ...base, servername: 5 }, /^servername must be a string\.$/],
    ['a host name as address', { ...base, address: 'example.com' }, /^address must be an IPv4 or IPv6 address\.$/],
    ['localhost as address', { ...base, address: 'localhost' }, /^address must be an IPv4 or IPv6 address\.$/],
    ['an address that is not a string', { ...base, address: 2130706433 }, /^address must be a string\.$/],
    [
      'compareResponder as a string',
      { ...base, compareResponder: 'yes' },
      /^compareResponder must be true or false\.$/,
    ],
    ['an unknown probe mode', { ...base, probe: 'quick' }, /^probe must be "full" or "default-offer"\.$/],
    ['probe in another case', { ...base, probe: 'FULL' }, /^probe must be "full" or "default-offer"\.$/],
    ['probe as null', { ...base, probe: null }, /^probe must be "full" or "default-offer"\.$/],
    ['probe as a boolean', { ...base, probe: true }, /^probe must be "full" or "default-offer"\.$/],
  ];
  it.each(refused)('refuses %s', (_what, input, message) => {
    const parsed = validateCheckOptions(input);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.message).toMatch(message);
  });

  it('names each field the caller’s way, with the same rule', () => {
    const labels = {
      host: 'TARGET',
      port: 'PORT',
      timeoutMs: '--timeout',
      servername: '--servername',
      address: '--address',
      compareResponder: '--compare-responder',
      addressPolicy: 'POLICY',
      pageLoaded: 'LOADED',
      probe: 'PROBE',
    };
    const refusal = (input: CheckOptionsInput) => {
      const parsed = validateCheckOptions(input, labels);
      return parsed.ok ? 'accepted' : parsed.message;
    };
    expect(refusal({ ...base, timeoutMs: 99 })).toBe('--timeout must be an integer 100-120000 (milliseconds).');
    expect(refusal({ ...base, servername: '10.0.0.1' })).toBe(
      '--servername must be a DNS host name (RFC 6066 §3: never an IP address).',
    );
    expect(refusal({ ...base, address: 'example.com' })).toBe('--address must be an IPv4 or IPv6 address.');
    expect(refusal({ ...base, port: 0 })).toBe('PORT must be an integer 1-65535.');
    expect(refusal({ ...base, addressPolicy: 'none' })).toBe('POLICY must be "all" or "skip-internal-if-public".');
    expect(refusal({ ...base, pageLoaded: 'yes' })).toBe('LOADED must be true or false.');
    expect(refusal({ ...base, probe: 'none' })).toBe('PROBE must be "full" or "default-offer".');
  });

  it('keeps the value of each optional field it accepts', () => {
    const read = (input: CheckOptionsInput) => {
      const parsed = validateCheckOptions(input);
      return parsed.ok ? parsed.options : parsed.message;
    };
    expect(read({ ...base, compareResponder: false })).toMatchObject({ compareResponder: false });
    expect(read({ ...base, compareResponder: true })).toMatchObject({ compareResponder: true });
    expect(read({ ...base, addressPolicy: 'skip-internal-if-public' })).toMatchObject({
      addressPolicy: 'skip-internal-if-public',
    });
    // Absent means `all` (docs/contract.md §7): the default is the one policy that checks every address.
    expect(DEFAULT_ADDRESS_POLICY).toBe('all');
    expect(ADDRESS_POLICIES[0]).toBe(DEFAULT_ADDRESS_POLICY);
    expect(read(base)).not.toHaveProperty('addressPolicy');
  });

  it('names the fields checkSite’s way by default', () => {
    const refusal = (input: CheckOptionsInput) => {
      const parsed = validateCheckOptions(input);
      return parsed.ok ? 'accepted' : parsed.message;
    };
    expect(refusal({ ...base, addressPolicy: 'none' })).toBe(
      'addressPolicy must be "all" or "skip-internal-if-public".',
    );
    expect(refusal({ ...base, compareResponder: 1 })).toBe('compareResponder must be true or false.');
    expect(refusal({ ...base, timeoutMs: 99 })).toBe('timeoutMs must be an integer 100-120000 (milliseconds).');
  });

  it('refuses an address that is no host at all with its message, not a throw', () => {
    for (const address of ['', 'a/b', 'exa mple.com', '[::1']) {
      expect(validateCheckOptions({ ...base, address })).toEqual({
        ok: false,
        message: 'address must be an IPv4 or IPv6 address.',
      });
    }
  });

  it('echoes at most 300 characters of a refused host (the value may come from another process)', () => {
    const host = `${'a'.repeat(400)}/`;
    const parsed = validateCheckOptions({ host });
    expect(parsed).toEqual({
      ok: false,
      message: `host ${JSON.stringify('a'.repeat(300))} is not a valid host name or IP address.`,
    });
  });
});
