// Strict DER (X.690 §10), rule by rule, on hand-written bytes: each row breaks exactly one rule, or
// keeps to all of them near the edge of one. A lenient parser accepts every "false" row; a strict
// client (mozilla::pkix) refuses it, so the engine must too (src/core/der.ts).
import { describe, expect, it } from 'vitest';
import { isStrictDer, isStrictEcdsaSignature } from '../../src/core/der.js';

const bytes = (...parts: (number | number[] | Uint8Array)[]): Uint8Array =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'number' ? [p] : [...p])));
const fill = (length: number, value = 0x41): number[] => Array<number>(length).fill(value);

/** A DER length in the fewest octets (X.690 §10.1). */
function length(n: number): number[] {
  if (n < 0x80) return [n];
  const octets: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) octets.unshift(v % 256);
  return [0x80 | octets.length, ...octets];
}
const tlv = (tag: number, contents: number[] | Uint8Array): Uint8Array => bytes(tag, length(contents.length), contents);

/** `levels` SEQUENCEs around a NULL: the NULL sits at depth `levels` (the outermost is depth 0). */
function nested(levels: number): Uint8Array {
  let inner = bytes(0x05, 0x00);
  for (let i = 0; i < levels; i++) inner = tlv(0x30, inner);
  return inner;
}

describe('isStrictDer', () => {
  it.each<[string, Uint8Array, boolean]>([
    ['an INTEGER', bytes(0x02, 0x01, 0x05), true],
    ['a SEQUENCE holding an INTEGER', bytes(0x30, 0x03, 0x02, 0x01, 0x05), true],
    ['an empty SEQUENCE', bytes(0x30, 0x00), true],
    ['a primitive whose contents look like a broken TLV (not looked into)', bytes(0x04, 0x02, 0x30, 0x05), true],
    ['nothing at all', bytes(), false],
    ['a lone tag', bytes(0x02), false],
    ['trailing bytes after the value', bytes(0x02, 0x01, 0x05, 0x00), false],
    ['one trailing byte after a SEQUENCE', bytes(0x30, 0x03, 0x02, 0x01, 0x05, 0x05), false],
    ['a length past the end', bytes(0x04, 0x05, 0x01), false],
    ['a long-form length under 0x80', bytes(0x04, 0x81, 0x05, fill(5)), false],
    ['a long-form length of 0x7f', bytes(0x04, 0x81, 0x7f, fill(0x7f)), false],
    ['a long-form length of exactly 0x80', bytes(0x04, 0x81, 0x80, fill(0x80)), true],
    ['a two-octet length', bytes(0x04, 0x82, 0x01, 0x00, fill(0x100)), true],
    ['a length with a leading zero octet', bytes(0x04, 0x82, 0x00, 0x80, fill(0x80)), false],
    ['a four-octet length with a leading zero octet', bytes(0x04, 0x84, 0x00, 0x00, 0x00, 0x80, fill(0x80)), false],
    ['a five-octet length', bytes(0x04, 0x85, 0x01, 0x00, 0x00, 0x00, 0x00), false],
    ['a long-form length cut short', bytes(0x04, 0x82, 0x01), false],
    ['0x80 (indefinite) followed by 128 octets, not a length of 128', bytes(0x04, 0x80, fill(0x80)), false],
    ['the indefinite length (BER only)', bytes(0x30, 0x80, 0x02, 0x01, 0x05, 0x00, 0x00), false],
    ['a SEQUENCE longer than its contents', bytes(0x30, 0x04, 0x02, 0x01, 0x05), false],
    ['a SEQUENCE with a stray byte after its child', bytes(0x30, 0x04, 0x02, 0x01, 0x05, 0x00), false],
    ['a SEQUENCE whose child runs past it', bytes(0x30, 0x03, 0x02, 0x02, 0x05, 0x06), false],
    ['a child with a long-form length under 0x80', bytes(0x30, 0x04, 0x02, 0x81, 0x01, 0x05), false],
    ['a context-specific constructed [0] holding an INTEGER', bytes(0xa0, 0x03, 0x02, 0x01, 0x05), true],
    ['a context-specific constructed [0] with a bad child', bytes(0xa0, 0x03, 0x02, 0x05, 0x05), false],
    ['a high tag number (128)', bytes(0x9f, 0x81, 0x00, 0x00), true],
    ['a high tag number (31), constructed, with a child', bytes(0xbf, 0x1f, 0x02, 0x05, 0x00), true],
    ['a high tag number starting 0x80', bytes(0x9f, 0x80, 0x01, 0x00), false],
    ['a high tag number cut short', bytes(0x9f, 0x81), false],
    ['a high tag number with no length', bytes(0x9f, 0x01), false],
    ['a lone high-tag-number tag', bytes(0x1f), false],
  ])('%s: %s', (_name, der, strict) => {
    expect(isStrictDer(der)).toBe(strict);
  });

  it('reads four-octet lengths (a 16 MiB value) and refuses five', () => {
    const huge = new Uint8Array(6 + 0x1000000);
    huge.set([0x04, 0x84, 0x01, 0x00, 0x00, 0x00]);
    expect(isStrictDer(huge)).toBe(true);
    expect(isStrictDer(huge.subarray(0, huge.length - 1))).toBe(false);
  });

  it('caps the nesting depth at 64 levels below the outermost value', () => {
    expect(isStrictDer(nested(64))).toBe(true);
    expect(isStrictDer(nested(65))).toBe(false);
    expect(isStrictDer(nested(400))).toBe(false);
  });
});

/** SEQUENCE { r INTEGER, s INTEGER } from the INTEGERs' contents. */
const ecdsaSig = (r: number[], s: number[]): Uint8Array => tlv(0x30, [...tlv(0x02, r), ...tlv(0x02, s)]);

describe('isStrictEcdsaSignature (RFC 3279 §2.2.3 Ecdsa-Sig-Value)', () => {
  const r32 = [0x11, ...fill(31)];
  it.each<[string, Uint8Array, boolean]>([
    ['small r and s', ecdsaSig([0x01], [0x01]), true],
    ['P-256 sized r and s', ecdsaSig(r32, r32), true],
    ['r with a needed leading zero (high bit set)', ecdsaSig([0x00, 0x80], [0x01]), true],
    ['s with a needed leading zero (high bit set)', ecdsaSig([0x01], [0x00, 0xff, 0x01]), true],
    ['r with a needless leading zero', ecdsaSig([0x00, 0x01], [0x01]), false],
    ['s with a needless leading zero', ecdsaSig([0x01], [0x00, 0x7f]), false],
    ['r of a single zero octet', ecdsaSig([0x00], [0x01]), true],
    ['a negative r', ecdsaSig([0x80], [0x01]), false],
    ['a negative s', ecdsaSig([0x01], [0xff, 0x01]), false],
    ['an empty r', ecdsaSig([], [0x01]), false],
    ['an empty s', ecdsaSig([0x01], []), false],
    ['r only', tlv(0x30, [...tlv(0x02, [0x01])]), false],
    ['three INTEGERs', tlv(0x30, [...tlv(0x02, [0x01]), ...tlv(0x02, [0x01]), ...tlv(0x02, [0x01])]), false],
    ['r retagged as an OCTET STRING', tlv(0x30, [...tlv(0x04, [0x01]), ...tlv(0x02, [0x01])]), false],
    ['s retagged as an OCTET STRING', tlv(0x30, [...tlv(0x02, [0x01]), ...tlv(0x04, [0x01])]), false],
    ['a SET instead of a SEQUENCE', tlv(0x31, [...tlv(0x02, [0x01]), ...tlv(0x02, [0x01])]), false],
    ['trailing bytes after the SEQUENCE', bytes(ecdsaSig([0x01], [0x01]), 0x00), false],
    [
      'a long-form length under 0x80 on the SEQUENCE',
      bytes(0x30, 0x81, 0x06, 0x02, 0x01, 0x01, 0x02, 0x01, 0x01),
      false,
    ],
    ['a long-form length under 0x80 on r', bytes(0x30, 0x07, 0x02, 0x81, 0x01, 0x01, 0x02, 0x01, 0x01), false],
    // P-521-sized values: the SEQUENCE and the INTEGERs need long-form lengths.
    ['long r and s (long-form lengths)', ecdsaSig([0x01, ...fill(0x80)], [0x01, ...fill(0x80)]), true],
    ['a long r with a needless leading zero', ecdsaSig([0x00, 0x01, ...fill(0x80)], [0x01]), false],
    ['a long negative s', ecdsaSig([0x01], [0x80, ...fill(0x80)]), false],
    [
      'a long SEQUENCE with small r and s',
      tlv(0x30, [...tlv(0x02, [0x01, ...fill(0x80)]), ...tlv(0x02, [0x01])]),
      true,
    ],
    ['nothing', bytes(), false],
  ])('%s: %s', (_name, der, strict) => {
    expect(isStrictEcdsaSignature(der)).toBe(strict);
  });
});
