// Run-time validation of what the extension sends (docs/architecture.md rule 4).
import { describe, expect, it } from 'vitest';
import { parseRequest } from '../../src/protocol/request.js';

const check = (fields: Record<string, unknown>): unknown => ({ id: 7, type: 'check', host: 'example.com', ...fields });

function message(value: unknown): string {
  const parsed = parseRequest(value);
  if (parsed.ok) throw new Error(`expected a bad request: ${JSON.stringify(value)}`);
  return parsed.message;
}

describe('parseRequest', () => {
  it('reads ping and check with defaults', () => {
    expect(parseRequest({ id: 1, type: 'ping' })).toEqual({ ok: true, request: { id: 1, type: 'ping' } });
    expect(parseRequest({ id: 'a', type: 'check', host: 'Example.COM.' })).toEqual({
      ok: true,
      request: { id: 'a', type: 'check', check: { host: 'example.com', port: 443, timeoutMs: 10_000 } },
    });
  });

  it('normalises IDN hosts to punycode and IPv6 literals', () => {
    const idn = parseRequest(check({ host: 'bücher.example' }));
    expect(idn.ok && idn.request.type === 'check' && idn.request.check.host).toBe('xn--bcher-kva.example');
    const v6 = parseRequest(check({ host: '[2001:DB8::1]' }));
    expect(v6.ok && v6.request.type === 'check' && v6.request.check.host).toBe('2001:db8::1');
  });

  it('passes the optional fields through, validated', () => {
    const parsed = parseRequest(
      check({
        port: 8443,
        timeoutMs: 1000,
        servername: 'WWW.example.com',
        address: '::1',
        compareResponder: true,
        addressPolicy: 'skip-internal-if-public',
        pageLoaded: true,
        probe: 'default-offer',
      }),
    );
    expect(parsed.ok && parsed.request.type === 'check' && parsed.request.check).toEqual({
      host: 'example.com',
      port: 8443,
      timeoutMs: 1000,
      servername: 'www.example.com',
      address: '::1',
      compareResponder: true,
      addressPolicy: 'skip-internal-if-public',
      pageLoaded: true,
      probe: 'default-offer',
    });
  });

  it('ignores unknown fields (a newer extension, an older host)', () => {
    expect(parseRequest({ id: 1, type: 'ping', future: true }).ok).toBe(true);
  });

  it.each([
    ['not an object', 'text', null],
    ['an array', [{ id: 1, type: 'ping' }], null],
    ['null', null, null],
    ['missing id', { type: 'ping' }, null],
    ['object id', { id: {}, type: 'ping' }, null],
    ['boolean id', { id: true, type: 'ping' }, null],
    ['NaN-like id', { id: 'x'.repeat(300), type: 'ping' }, null],
  ])('refuses %s with id null', (_name, value, id) => {
    const parsed = parseRequest(value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.id).toBe(id);
  });

  it.each([
    ['unknown type', { id: 3, type: 'reboot' }, /Unknown request type "reboot"/],
    ['missing type', { id: 3 }, /"type" must be/],
    ['missing host', { id: 3, type: 'check' }, /"host" must be a string/],
    ['host with a path', check({ host: 'example.com/x' }), /not a valid host/],
    ['host with a space', check({ host: 'exa mple.com' }), /not a valid host/],
    ['empty host', check({ host: '' }), /not a valid host/],
    ['port 0', check({ port: 0 }), /"port" must be an integer 1-65535/],
    ['port 70000', check({ port: 70000 }), /"port"/],
    ['port as a string', check({ port: '443' }), /"port"/],
    ['fractional port', check({ port: 443.5 }), /"port"/],
    ['timeout too short', check({ timeoutMs: 99 }), /"timeoutMs" must be an integer 100-120000/],
    ['timeout too long', check({ timeoutMs: 120_001 }), /"timeoutMs"/],
    ['timeout as a string', check({ timeoutMs: '5000' }), /"timeoutMs"/],
    ['IP servername', check({ servername: '127.0.0.1' }), /"servername" must be a DNS host name/],
    ['numeric servername', check({ servername: 5 }), /"servername" must be a string/],
    ['address that is a name', check({ address: 'example.com' }), /"address" must be an IPv4 or IPv6 address/],
    ['compareResponder as a string', check({ compareResponder: 'yes' }), /"compareResponder"/],
    [
      'an unknown addressPolicy',
      check({ addressPolicy: 'public-first' }),
      /^"addressPolicy" must be "all" or "skip-internal-if-public"\.$/,
    ],
    ['addressPolicy as a boolean', check({ addressPolicy: true }), /"addressPolicy"/],
    ['pageLoaded as a string', check({ pageLoaded: 'true' }), /^"pageLoaded" must be true or false\.$/],
    ['an unknown probe', check({ probe: 'quick' }), /^"probe" must be "full" or "default-offer"\.$/],
    ['probe as null', check({ probe: null }), /"probe"/],
  ])('refuses %s, keeping the id', (_name, value, pattern) => {
    const parsed = parseRequest(value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.id).toBe((value as { id: unknown }).id);
    expect(message(value)).toMatch(pattern);
  });

  it('says exactly what is wrong, naming each field as the wire does', () => {
    expect(parseRequest([])).toEqual({ ok: false, id: null, message: 'A request must be a JSON object.' });
    expect(parseRequest({ id: Infinity, type: 'ping' })).toEqual({
      ok: false,
      id: null,
      message: '"id" must be a number or a string (at most 256 characters).',
    });
    expect(message({ id: 3, type: 7 })).toBe('"type" must be "ping" or "check".');
    expect(message({ id: 3, type: `${'t'.repeat(64)}MORE` })).toBe(
      `Unknown request type "${'t'.repeat(64)}": expected "ping" or "check".`,
    );
    expect(message(check({ host: 5 }))).toBe('"host" must be a string.');
    expect(message(check({ port: 0 }))).toBe('"port" must be an integer 1-65535.');
    expect(message(check({ timeoutMs: 99 }))).toBe('"timeoutMs" must be an integer 100-120000 (milliseconds).');
    expect(message(check({ servername: '::1' }))).toBe(
      '"servername" must be a DNS host name (RFC 6066 §3: never an IP address).',
    );
    expect(message(check({ address: 'localhost' }))).toBe('"address" must be an IPv4 or IPv6 address.');
    expect(message(check({ compareResponder: 1 }))).toBe('"compareResponder" must be true or false.');
  });

  it('takes a string id of up to 256 characters and any finite number', () => {
    for (const id of ['x'.repeat(256), '', 0, -1.5, Number.MAX_SAFE_INTEGER]) {
      expect(parseRequest({ id, type: 'ping' })).toEqual({ ok: true, request: { id, type: 'ping' } });
    }
  });
});
