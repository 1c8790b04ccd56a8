// isReadableAny (src/core/x509.ts) answers for an ANY field (algorithm parameters, a name's
// attribute values) what asn1js answers when it reads the element, without asking asn1js for the
// forms it knows pass. This sweep holds it to asn1js's own answer over every universal tag with a
// range of contents, other classes, constructed forms, nesting past the depth bound and high tag
// numbers: a fast path that said "readable" where asn1js refuses would let a certificate through
// that pkijs refused.
import * as asn1js from 'asn1js';
import { describe, expect, it } from 'vitest';
import { readElement } from '../../src/core/der.js';
import { isReadableAny } from '../../src/core/x509.js';

/** One TLV with a definite length (short form below 0x80, one-octet long form above). */
function tlv(tag: number | number[], contents: number[]): number[] {
  const tags = Array.isArray(tag) ? tag : [tag];
  const length = contents.length < 0x80 ? [contents.length] : [0x81, contents.length];
  return [...tags, ...length, ...contents];
}

function asn1jsReads(bytes: Uint8Array): boolean {
  try {
    const asn1 = asn1js.fromBER(bytes.slice().buffer, { parseEmbedded: false });
    return asn1.offset === bytes.length && !asn1.result.error;
  } catch {
    return false;
  }
}

function readable(encoded: number[]): boolean {
  const bytes = Uint8Array.from(encoded);
  const element = readElement(bytes, 0, bytes.length);
  if (!element) throw new Error(`not one element: ${encoded.join(' ')}`);
  return isReadableAny(bytes, element);
}

const CONTENTS: number[][] = [
  [],
  [0x00],
  [0x01],
  [0x07],
  [0x08],
  [0xff],
  [0x00, 0x00],
  [0x00, 0x41],
  [0x2a, 0x03],
  [0x2a, 0x86, 0x48],
  [0x80, 0x01],
  [0x2a, 0x80],
  [0x31, 0x32, 0x33],
  [0x41, 0xc3, 0xa9],
  [0xd8, 0x00, 0x00, 0x41],
];

const cases: Array<[string, number[]]> = [];
for (let tag = 0x00; tag <= 0x1e; tag++) {
  for (const contents of CONTENTS) cases.push([`universal ${tag}`, tlv(tag, contents)]);
}
for (const tag of [0x40, 0x45, 0x80, 0x81, 0x86, 0xc2]) {
  for (const contents of CONTENTS) cases.push([`class tag ${tag}`, tlv(tag, contents)]);
}
// Constructed: universal types asn1js does not allow constructed, SEQUENCE/SET and other classes,
// each around readable and unreadable children.
const GOOD_CHILD = tlv(0x05, []);
const BAD_CHILD = tlv(0x05, [0x00]);
for (const tag of [0x21, 0x22, 0x23, 0x24, 0x25, 0x26, 0x2c, 0x30, 0x31, 0x60, 0xa0, 0xa3, 0xe1]) {
  cases.push([`constructed ${tag}, empty`, tlv(tag, [])]);
  cases.push([`constructed ${tag}, a NULL`, tlv(tag, GOOD_CHILD)]);
  cases.push([`constructed ${tag}, a NULL with contents`, tlv(tag, BAD_CHILD)]);
  cases.push([`constructed ${tag}, good then bad`, tlv(tag, [...GOOD_CHILD, ...BAD_CHILD])]);
  cases.push([`constructed ${tag}, an odd BMPString`, tlv(tag, tlv(0x1e, [0x00]))]);
}
// High tag numbers (identifier 0x1f, 0x3f, 0x9f, 0xbf followed by the number).
for (const first of [0x1f, 0x3f, 0x5f, 0x9f, 0xbf]) {
  cases.push([`high tag ${first} 31`, tlv([first, 0x1f], [0x00])]);
  cases.push([`high tag ${first} 200`, tlv([first, 0x81, 0x48], [])]);
}
// Nesting around the depth bound (32), readable and not at the bottom.
function nest(depth: number, inner: number[]): number[] {
  let encoded = inner;
  for (let i = 0; i < depth; i++) encoded = tlv(0x30, encoded);
  return encoded;
}
for (const depth of [30, 31, 32, 33, 40]) {
  cases.push([`${depth} SEQUENCEs around a NULL`, nest(depth, GOOD_CHILD)]);
  cases.push([`${depth} SEQUENCEs around a bad NULL`, nest(depth, BAD_CHILD)]);
}

describe('isReadableAny agrees with asn1js', () => {
  it.each(cases)('%s: %j', (_name, encoded) => {
    expect(readable(encoded)).toBe(asn1jsReads(Uint8Array.from(encoded)));
  });

  it('refuses what asn1js refuses among the forms it reads itself (a sample the sweep must hold)', () => {
    // Checks that the sweep above is not vacuous: both answers occur.
    const answers = new Set(cases.map(([, encoded]) => readable(encoded)));
    expect(answers).toEqual(new Set([true, false]));
  });
});
