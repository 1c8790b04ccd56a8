// The address classifier and the "skip-internal-if-public" split (SECURITY.md "Network policy"),
// as pure functions: each range's edges on both sides, each spelling of an IPv6 address that embeds
// an IPv4 one, and the split on whole answers. No resolver or connection is involved.
import { describe, expect, it } from 'vitest';
import type * as AddressPolicy from '../../src/probe/address-policy.js';

// Loaded afresh (a query makes a new module instance) by the first test that needs it, not imported
// at the top: the range tables are built while the module loads, and a table that cannot be built
// must fail these tests, not stop the file from loading (which reports no failing test) or be
// skipped by a module cached from before (docs/mutation.md, static mutants).
let loaded: Promise<typeof AddressPolicy> | undefined;
const policy = () =>
  (loaded ??= import(/* @vite-ignore */ `../../src/probe/address-policy.js?load=${Date.now()}`) as Promise<
    typeof AddressPolicy
  >);
const addressKind = async (address: string) => (await policy()).addressKind(address);
const isInternalAddress = async (address: string) => (await policy()).isInternalAddress(address);
const skipInternalIfPublic = async (addresses: readonly string[]) => (await policy()).skipInternalIfPublic(addresses);

describe('addressKind: each range and its edges', () => {
  it.each([
    // RFC 1122 §3.2.1.3: 127/8 and 0/8 reach this computer.
    ['127.0.0.0', 'loopback'],
    ['127.255.255.255', 'loopback'],
    ['126.255.255.255', 'public'],
    ['128.0.0.0', 'public'],
    ['0.0.0.0', 'loopback'],
    ['0.255.255.255', 'loopback'],
    ['1.0.0.0', 'public'],
    ['::1', 'loopback'],
    ['::', 'loopback'],
    ['::2', 'public'],
    // RFC 3927, RFC 4291 §2.5.6.
    ['169.254.0.0', 'link-local'],
    ['169.254.255.255', 'link-local'],
    ['169.253.255.255', 'public'],
    ['169.255.0.0', 'public'],
    ['fe80::1', 'link-local'],
    ['febf:ffff::1', 'link-local'],
    ['fec0::1', 'public'],
    ['fe7f::1', 'public'],
    // RFC 1918, RFC 6598, RFC 4193.
    ['10.0.0.0', 'private'],
    ['10.255.255.255', 'private'],
    ['9.255.255.255', 'public'],
    ['11.0.0.0', 'public'],
    ['172.16.0.0', 'private'],
    ['172.31.255.255', 'private'],
    ['172.15.255.255', 'public'],
    ['172.32.0.0', 'public'],
    ['192.168.0.0', 'private'],
    ['192.168.255.255', 'private'],
    ['192.167.255.255', 'public'],
    ['192.169.0.0', 'public'],
    ['100.64.0.0', 'private'],
    ['100.127.255.255', 'private'],
    ['100.63.255.255', 'public'],
    ['100.128.0.0', 'public'],
    ['fc00::1', 'private'],
    ['fdff:ffff::1', 'private'],
    ['fbff:ffff::1', 'public'],
    ['fe00::1', 'public'],
    // RFC 5771, RFC 1112 §4 (240/4), RFC 4291 §2.7, RFC 919.
    ['224.0.0.0', 'reserved'],
    ['239.255.255.255', 'reserved'],
    ['223.255.255.255', 'public'],
    ['240.0.0.0', 'reserved'],
    ['255.255.255.254', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['ff00::1', 'reserved'],
    ['ff02::1', 'reserved'],
    ['feff::1', 'public'],
    // Ordinary public addresses.
    ['8.8.8.8', 'public'],
    ['203.0.113.7', 'public'],
    ['2001:db8::7', 'public'],
    ['2606:4700::1111', 'public'],
  ])('%s is %s', async (address, kind) => {
    expect(await addressKind(address)).toBe(kind);
  });
});

describe('addressKind: the spellings dns.lookup and URLs give', () => {
  it('reads a bracketed IPv6 literal, and only a whole one', async () => {
    expect(await addressKind('[::1]')).toBe('loopback');
    expect(await addressKind('[fe80::1]')).toBe('link-local');
    expect(await addressKind('[2001:db8::7]')).toBe('public');
    // Half a bracket is no address.
    expect(await addressKind('[::1')).toBeNull();
    expect(await addressKind('::1]')).toBeNull();
    expect(await addressKind('x[::1]')).toBeNull();
    expect(await addressKind('[::1]x')).toBeNull();
    // Text around the brackets would make another address if the brackets were dropped anyway.
    expect(await addressKind('1[::1]')).toBeNull();
    expect(await addressKind('[::1]1')).toBeNull();
  });

  it('drops a zone index (fe80::1%eth0), but nothing before it', async () => {
    expect(await addressKind('fe80::1%eth0')).toBe('link-local');
    expect(await addressKind('[fe80::1%25eth0]')).toBe('link-local');
    expect(await addressKind('::1%lo')).toBe('loopback');
    expect(await addressKind('2001:db8::7%eth0')).toBe('public');
    // The embedded IPv4 address is read after the zone is gone.
    expect(await addressKind('64:ff9b::127.0.0.1%eth0')).toBe('loopback');
    expect(await addressKind('64:ff9b::10.20.30.40%12')).toBe('private');
  });

  it('classifies an IPv4-mapped or NAT64 address by the IPv4 address inside it, dotted or in hex', async () => {
    expect(await addressKind('::ffff:127.0.0.1')).toBe('loopback');
    expect(await addressKind('::FFFF:127.0.0.1')).toBe('loopback');
    expect(await addressKind('::ffff:10.1.2.3')).toBe('private');
    expect(await addressKind('::ffff:169.254.169.254')).toBe('link-local');
    expect(await addressKind('::ffff:8.8.8.8')).toBe('public');
    expect(await addressKind('64:ff9b::127.0.0.1')).toBe('loopback');
    expect(await addressKind('64:FF9B::10.0.0.1')).toBe('private');
    expect(await addressKind('64:ff9b::8.8.8.8')).toBe('public');
    // Octets of two and three digits.
    expect(await addressKind('64:ff9b::10.20.30.40')).toBe('private');
    expect(await addressKind('64:ff9b::169.254.169.254')).toBe('link-local');
    expect(await addressKind('64:ff9b::192.168.100.200')).toBe('private');
    expect(await addressKind('[::ffff:127.0.0.1]')).toBe('loopback');
    // 7f00:0001 is 127.0.0.1, a9fe:a9fe is 169.254.169.254, 0a00:0001 is 10.0.0.1.
    expect(await addressKind('::ffff:7f00:1')).toBe('loopback');
    expect(await addressKind('::ffff:7F00:1')).toBe('loopback');
    expect(await addressKind('::ffff:a9fe:a9fe')).toBe('link-local');
    expect(await addressKind('64:ff9b::a9fe:a9fe')).toBe('link-local');
    expect(await addressKind('64:ff9b::a00:1')).toBe('private');
    expect(await addressKind('::ffff:ffff:ffff')).toBe('reserved');
    expect(await addressKind('::ffff:808:808')).toBe('public');
    // The low half alone decides nothing: 0808:7f00 is 8.8.127.0, public.
    expect(await addressKind('::ffff:808:7f00')).toBe('public');
    // 0.0.x.y in hex: high half 0.
    expect(await addressKind('::ffff:0:1')).toBe('loopback');
  });

  it('reads the embedded address only at the start of the address', async () => {
    // 1::ffff:127.0.0.1 is an ordinary public IPv6 address that merely ends like a mapped one.
    expect(await addressKind('1::ffff:127.0.0.1')).toBe('public');
    expect(await addressKind('1::ffff:7f00:1')).toBe('public');
    expect(await addressKind('1:64:ff9b::7f00:1')).toBe('public');
    // A mapped prefix followed by more than an address is not the mapped form either.
    expect(await addressKind('::ffff:1:7f00:1')).toBe('public');
  });

  it('is null for anything that is not an IP address', async () => {
    for (const text of [
      '',
      'localhost',
      'example.com',
      '1.2.3',
      '1.2.3.4.5',
      '256.0.0.1',
      '::g',
      'fe80::1 ',
      ' 10.0.0.1',
    ]) {
      expect(await addressKind(text), text).toBeNull();
    }
  });
});

describe('isInternalAddress', () => {
  it('is false only for a public address; anything else, non-addresses included, is internal', async () => {
    expect(await isInternalAddress('8.8.8.8')).toBe(false);
    expect(await isInternalAddress('2001:db8::7')).toBe(false);
    for (const text of [
      '127.0.0.1',
      '0.0.0.0',
      '169.254.169.254',
      '10.0.0.1',
      '224.0.0.1',
      '::ffff:7f00:1',
      'localhost',
    ]) {
      expect(await isInternalAddress(text), text).toBe(true);
    }
  });
});

describe('skipInternalIfPublic', () => {
  it('keeps only the public answers, in order, and names each one skipped with its kind', async () => {
    expect(
      await skipInternalIfPublic(['10.0.0.5', '203.0.113.7', '127.0.0.1', 'not-an-ip', '2001:db8::7', 'fe80::1']),
    ).toEqual({
      dial: ['203.0.113.7', '2001:db8::7'],
      skipped: [
        { address: '10.0.0.5', kind: 'private' },
        { address: '127.0.0.1', kind: 'loopback' },
        { address: 'not-an-ip', kind: null },
        { address: 'fe80::1', kind: 'link-local' },
      ],
    });
  });

  it('dials every answer, skipping none, when none is public (an intranet or localhost site)', async () => {
    const answers = ['127.0.0.1', '::1', '10.0.0.5'];
    const split = await skipInternalIfPublic(answers);
    expect(split).toEqual({ dial: ['127.0.0.1', '::1', '10.0.0.5'], skipped: [] });
    // A copy: the caller's list is not handed back to be changed.
    expect(split.dial).not.toBe(answers);
    expect(await skipInternalIfPublic([])).toEqual({ dial: [], skipped: [] });
  });

  it('changes nothing for public answers only', async () => {
    expect(await skipInternalIfPublic(['203.0.113.7', '198.51.100.1'])).toEqual({
      dial: ['203.0.113.7', '198.51.100.1'],
      skipped: [],
    });
  });
});
