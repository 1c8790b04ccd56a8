// The strict-DER readers the staple walk uses (src/core/der.ts), table-driven: OBJECT IDENTIFIER
// (X.690 §8.19), GeneralizedTime in DER (§11.7), small INTEGER/ENUMERATED (§8.3), and the
// bounded cache the engine keeps its pure facts in.
import { describe, expect, it } from 'vitest';
import { BoundedCache, bytesKey } from '../../src/core/bounded-cache.js';
import { decodeGeneralizedTime, decodeOid, decodeSmallInteger, readChildren, readElement } from '../../src/core/der.js';

const ascii = (text: string) => new TextEncoder().encode(text);

describe('decodeOid', () => {
  it.each([
    [[0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01], '1.3.6.1.5.5.7.48.1.1'],
    [[0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b], '1.2.840.113549.1.1.11'],
    [[0x55, 0x1d, 0x25], '2.5.29.37'],
    [[0x88, 0x37, 0x03], '2.999.3'],
  ])('%j is %s', (bytes, text) => expect(decodeOid(Uint8Array.from(bytes))).toBe(text));

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

  it('an element running past its limit is null', () => {
    expect(readElement(Uint8Array.from([0x04, 0x05, 0x00]), 0, 3)).toBeNull();
    expect(readElement(Uint8Array.from([0x04, 0x00]), 2, 2)).toBeNull();
  });
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
