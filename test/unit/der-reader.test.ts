// The strict-DER readers the staple walk uses (src/core/der.ts), table-driven: OBJECT IDENTIFIER
// (X.690 §8.19), GeneralizedTime in DER (§11.7), small INTEGER/ENUMERATED (§8.3), and the
// bounded cache the engine keeps its pure facts in.
import { describe, expect, it } from 'vitest';
import { BoundedCache, bytesKey } from '../../src/core/bounded-cache.js';
import {
  decodeGeneralizedTime,
  decodeOid,
  decodeSmallInteger,
  readAlgorithmId,
  readChildren,
  readElement,
} from '../../src/core/der.js';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('decodeOid', () => {
  it.each([
    [[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01], '1.3.6.1.5.5.7.48.1.1'],
    [[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b], '1.2.840.113549.1.1.11'],
    [[0x55, 0x1d, 0x25], '2.5.29.37'],
    [[0x88, 0x37, 0x03], '2.999.3'],
    // The first octet holds two arcs (X.690 §8.19.4): 40 and 80 start the second and third top arcs.
    [[0x27], '0.39'],
    [[0x28], '1.0'],
    [[0x4f], '1.39'],
    [[0x50], '2.0'],
  ])('%j is %s', (bytes, text) => expect(decodeOid(Uint8Array.from(bytes))).toBe(text));

  /** Base-128 digits of one subidentifier (X.690 §8.19.2), for arcs past 2^53. */
  const digits = (value: bigint): number[] => {
    const out = [Number(value & 0x7fn)];
    for (let v = value >> 7n; v > 0n; v >>= 7n) out.unshift(0x80 | Number(v & 0x7fn));
    return out;
  };
  it.each([
    [
      'a UUID arc (2.25, 128 bits)',
      [0x69, ...digits(0xf81d4fae7dec11d0a76500a0c91e6bf6n)],
      '2.25.329800735698586629295641978511506172918',
    ],
    ['the largest 7-digit arc', [0x2a, ...digits(2n ** 49n - 1n)], `1.2.${2n ** 49n - 1n}`],
    ['the smallest 8-digit arc', [0x2a, ...digits(2n ** 49n)], `1.2.${2n ** 49n}`],
    ['an arc past 2^53', [0x2a, ...digits(2n ** 53n + 1n)], `1.2.${2n ** 53n + 1n}`],
    ['a first subidentifier past 2^53', digits(2n ** 60n), `2.${2n ** 60n - 80n}`],
    ['a 7-digit first subidentifier', digits(2n ** 48n), `2.${2n ** 48n - 80n}`],
  ])('%s', (_name, bytes, text) => expect(decodeOid(Uint8Array.from(bytes))).toBe(text));

  it.each([
    ['empty', []],
    ['cut inside an arc', [0x2b, 0x86]],
    ['a leading 0x80 digit', [0x2b, 0x80, 0x01]],
    ['a leading 0x80 digit first', [0x80, 0x2b]],
  ])('%s: null', (_name, bytes) => expect(decodeOid(Uint8Array.from(bytes))).toBeNull());
});

describe('decodeGeneralizedTime', () => {
  it.each([
    ['20260115120000Z', '2026-01-15T12:00:00.000Z'],
    ['20260115120000.5Z', '2026-01-15T12:00:00.500Z'],
    ['20240229235959Z', '2024-02-29T23:59:59.000Z'],
    ['00500101000000Z', '0050-01-01T00:00:00.000Z'],
    ['20260115120000.05Z', '2026-01-15T12:00:00.050Z'],
    ['20260115120000.1239Z', '2026-01-15T12:00:00.123Z'],
  ])('%s is %s', (text, iso) => expect(decodeGeneralizedTime(ascii(text))?.toISOString()).toBe(iso));

  it.each([
    ['local time (no Z)', '20260115120000'],
    ['an offset', '20260115120000+0100'],
    ['no seconds', '202601151200Z'],
    ['a trailing zero in the fraction', '20260115120000.50Z'],
    ['an empty fraction', '20260115120000.Z'],
    ['month 13', '20261315120000Z'],
    ['February 30', '20260230120000Z'],
    ['hour 24', '20260115240000Z'],
    ['a leap second', '20261231235960Z'],
    ['minute 60', '20260115126000Z'],
    ['something before', 'x20260115120000Z'],
    ['something after', '20260115120000Zx'],
    ['a fraction that is not digits', '20260115120000.a5Z'],
  ])('%s: null', (_name, text) => expect(decodeGeneralizedTime(ascii(text))).toBeNull());
});

describe('decodeSmallInteger', () => {
  it.each([
    [[0x00], 0],
    [[0x06], 6],
    [[0x7f], 127],
    [[0x00, 0x80], 128],
    [[0xff], -1],
    [[0x80], -128],
    [[0x01, 0x00, 0x00, 0x00], 16777216],
    [[0xff, 0x7f], -129],
    [[0x80, 0x00], -32768],
    [[0xff, 0xff, 0xff, 0xfe], -2],
  ])('%j is %d', (bytes, value) => expect(decodeSmallInteger(Uint8Array.from(bytes))).toBe(value));

  it('empty or over four octets: null', () => {
    expect(decodeSmallInteger(new Uint8Array(0))).toBeNull();
    expect(decodeSmallInteger(new Uint8Array(5))).toBeNull();
  });
});

describe('readElement and readChildren', () => {
  it('read tags, contents and ends, long-form lengths included', () => {
    const long = new Uint8Array(3 + 3 + 0x80);
    long.set([0x30, 0x81, 3 + 0x80, 0x04, 0x81, 0x80]);
    const outer = readElement(long, 0, long.length);
    expect(outer).toEqual({ tag: 0x30, start: 0, contents: 3, end: long.length });
    const children = readChildren(long, outer!);
    expect(children).toEqual([{ tag: 0x04, start: 3, contents: 6, end: long.length }]);
  });

  it('short-form and two-octet lengths', () => {
    expect(readElement(Uint8Array.from([0x04, 0x01, 0x05]), 0, 3)).toEqual({
      tag: 0x04,
      start: 0,
      contents: 2,
      end: 3,
    });
    const long = new Uint8Array(4 + 0x100);
    long.set([0x04, 0x82, 0x01, 0x00]);
    expect(readElement(long, 0, long.length)).toEqual({ tag: 0x04, start: 0, contents: 4, end: long.length });
  });

  it('high tag numbers (X.690 §8.1.2.4): the tag octets are skipped', () => {
    expect(readElement(Uint8Array.from([0x9f, 0x1f, 0x00]), 0, 3)).toEqual({
      tag: 0x9f,
      start: 0,
      contents: 3,
      end: 3,
    });
    expect(readElement(Uint8Array.from([0x9f, 0x81, 0x00, 0x01, 0x05]), 0, 5)).toEqual({
      tag: 0x9f,
      start: 0,
      contents: 4,
      end: 5,
    });
    expect(readElement(Uint8Array.from([0xbf, 0x81, 0x82, 0x03, 0x00]), 0, 5)).toEqual({
      tag: 0xbf,
      start: 0,
      contents: 5,
      end: 5,
    });
  });

  it('children that run past their parent: those read before them', () => {
    const bytes = Uint8Array.from([0x05, 0x00, 0x04, 0x05, 0x00]);
    expect(readChildren(bytes, { tag: 0x30, start: 0, contents: 0, end: 5 })).toEqual([
      { tag: 0x05, start: 0, contents: 2, end: 2 },
    ]);
  });

  it('an element running past its limit is null', () => {
    expect(readElement(Uint8Array.from([0x04, 0x05, 0x00]), 0, 3)).toBeNull();
    expect(readElement(Uint8Array.from([0x04, 0x00]), 2, 2)).toBeNull();
  });
});

describe('readAlgorithmId (RFC 5280 §4.1.1.2)', () => {
  const read = (...contents: number[]) =>
    readAlgorithmId(Uint8Array.from([0x30, contents.length, ...contents]), { contents: 2, end: 2 + contents.length });
  const sha256WithRsa = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b];
  it('an OID alone: no parameters', () => {
    expect(read(...sha256WithRsa)).toEqual({ oid: '1.2.840.113549.1.1.11', parameters: null });
  });
  it('an OID and NULL: the DER of the parameters', () => {
    const id = read(...sha256WithRsa, 0x05, 0x00);
    expect(id?.oid).toBe('1.2.840.113549.1.1.11');
    expect([...(id?.parameters ?? [])]).toEqual([0x05, 0x00]);
  });
  it.each([
    ['empty', []],
    ['no OID first', [0x05, 0x00, ...sha256WithRsa]],
    ['OID octets in an OCTET STRING', [0x04, 0x02, 0x2a, 0x03]],
    ['a third field', [...sha256WithRsa, 0x05, 0x00, 0x05, 0x00]],
    ['an OID that is not minimal', [0x06, 0x02, 0x80, 0x01]],
  ])('%s: null', (_name, contents) => expect(read(...contents)).toBeNull());
});

describe('BoundedCache', () => {
  it('keeps at most its capacity, dropping the least recently used', () => {
    const cache = new BoundedCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    expect(cache.get('a')).toBe(1); // a is now the most recent
    cache.set('c', 3);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe(1);
    expect(cache.get('c')).toBe(3);
    expect(cache.size).toBe(2);
  });

  it('bytesKey differs for different bytes, and for a longer array with the same prefix', () => {
    expect(bytesKey(Uint8Array.of(1, 2))).not.toBe(bytesKey(Uint8Array.of(1, 3)));
    expect(bytesKey(Uint8Array.of(1, 2))).not.toBe(bytesKey(Uint8Array.of(1, 2, 0)));
    expect(bytesKey(new Uint8Array(10000).fill(7))).toBe(bytesKey(new Uint8Array(10000).fill(7)));
  });
});
