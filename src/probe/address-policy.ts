// What kind of address an IP is, for the network policy (SECURITY.md "Network policy"): a check
// of a public site must not be turned inward, towards this computer (loopback), its link
// (link-local, e.g. the cloud metadata service at 169.254.169.254) or its private network, by a
// responder URL in a certificate or by a DNS answer that rebinds the name.
//
// Ranges: RFC 1122 §3.2.1.3 (0/8, 127/8), RFC 1918 (10/8, 172.16/12, 192.168/16), RFC 6598
// (100.64/10, carrier-grade NAT), RFC 3927 (169.254/16), RFC 4291 §2.5.2-2.5.6 (::, ::1, fe80::/10,
// IPv4-mapped ::ffff:0:0/96), RFC 4193 (fc00::/7), RFC 6052 (64:ff9b::/96 embeds an IPv4 address),
// RFC 5771 / RFC 4291 §2.7 (multicast), RFC 919 (255.255.255.255).
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export type AddressKind = 'public' | 'loopback' | 'link-local' | 'private' | 'reserved';

function listOf(entries: ReadonlyArray<[string, number, 'ipv4' | 'ipv6']>): BlockList {
  const list = new BlockList();
  for (const [network, prefix, family] of entries) list.addSubnet(network, prefix, family);
  return list;
}

const KINDS: ReadonlyArray<[Exclude<AddressKind, 'public'>, BlockList]> = [
  [
    'loopback',
    listOf([
      ['127.0.0.0', 8, 'ipv4'],
      ['::1', 128, 'ipv6'],
    ]),
  ],
  // 0.0.0.0 and :: reach this computer when dialled (Linux treats them as loopback).
  [
    'loopback',
    listOf([
      ['0.0.0.0', 8, 'ipv4'],
      ['::', 128, 'ipv6'],
    ]),
  ],
  [
    'link-local',
    listOf([
      ['169.254.0.0', 16, 'ipv4'],
      ['fe80::', 10, 'ipv6'],
    ]),
  ],
  [
    'private',
    listOf([
      ['10.0.0.0', 8, 'ipv4'],
      ['172.16.0.0', 12, 'ipv4'],
      ['192.168.0.0', 16, 'ipv4'],
      ['100.64.0.0', 10, 'ipv4'],
      ['fc00::', 7, 'ipv6'],
    ]),
  ],
  [
    'reserved',
    listOf([
      ['224.0.0.0', 4, 'ipv4'],
      ['240.0.0.0', 4, 'ipv4'],
      ['ff00::', 8, 'ipv6'],
    ]),
  ],
];

/** The IPv4 address inside an IPv4-mapped (::ffff:a.b.c.d) or NAT64 (64:ff9b::a.b.c.d) IPv6 address. */
function embeddedIPv4(address: string): string | null {
  const lower = address.toLowerCase();
  const dotted = /^(?:::ffff:|64:ff9b::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(lower);
  if (dotted?.[1]) return dotted[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(lower);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return null;
}

/** The kind of an IP address (text as `dns.lookup` or `net.isIP` accept it); `null` if it is none. */
export function addressKind(address: string): AddressKind | null {
  const bare = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const inner = isIPv6(bare) ? embeddedIPv4(bare) : null;
  const text = inner ?? bare;
  const family = isIPv4(text) ? 'ipv4' : isIPv6(text) ? 'ipv6' : null;
  if (!family) return null;
  if (family === 'ipv4' && text === '255.255.255.255') return 'reserved';
  for (const [kind, list] of KINDS) if (list.check(text, family)) return kind;
  return 'public';
}

/** Loopback, link-local, private or reserved: anything a public site's check must not reach. */
export function isInternalAddress(address: string): boolean {
  const kind = addressKind(address);
  return kind !== 'public';
}

/** An address a check left out, and why. */
export interface SkippedAddress {
  address: string;
  /** `null`: the resolver gave something that is not an IP address. */
  kind: Exclude<AddressKind, 'public'> | null;
}

/**
 * The addresses a check of a name may dial under `skip-internal-if-public` (core/check-options.ts):
 * when at least one answer is public, only the public ones; when none is (an intranet site, localhost
 * development), all of them, since that is where the browser itself connected. Decided on the whole
 * answer, before any connection and before the cap on addresses, so internal answers cannot crowd a
 * public one out and then be dialled as "the only ones".
 */
export function skipInternalIfPublic(addresses: readonly string[]): { dial: string[]; skipped: SkippedAddress[] } {
  const kinds = addresses.map((address) => ({ address, kind: addressKind(address) }));
  if (!kinds.some((a) => a.kind === 'public')) return { dial: [...addresses], skipped: [] };
  return {
    dial: kinds.filter((a) => a.kind === 'public').map((a) => a.address),
    skipped: kinds.flatMap(({ address, kind }) => (kind === 'public' ? [] : [{ address, kind }])),
  };
}
