// Byte-level input handling: PEM, base64, DER, hex. What users hand to `inspect` and what the
// probe hands to the engine all pass through here.
import { describe, expect, it } from 'vitest';
import {
  bytesEqual,
  decodeBase64,
  decodePemBlocks,
  toArrayBuffer,
  toCertificateList,
  toDer,
  toHex,
} from '../../src/core/encoding.js';
import { toPem } from '../support/mint.js';

const DER = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x05]); // SEQUENCE { INTEGER 5 }
const OTHER_DER = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x07]);
const base64Of = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const utf8 = (text: string) => new TextEncoder().encode(text);

describe('decodeBase64', () => {
  it('decodes standard base64, ignoring whitespace', () => {
    expect(decodeBase64('MAMC\nAQU=\r\n')).toEqual(DER);
    expect(decodeBase64('  MAMCAQU=  ')).toEqual(DER);
  });

  it('accepts missing padding and the URL-safe alphabet', () => {
    expect(decodeBase64('MAMCAQU')).toEqual(DER);
    const bytes = Uint8Array.from([0xfb, 0xff, 0xbf]);
    expect(decodeBase64('-_-_')).toEqual(bytes);
    expect(decodeBase64('+/+/')).toEqual(bytes);
  });

  it('returns null for what is not base64', () => {
    expect(decodeBase64('')).toBeNull();
    expect(decodeBase64('   ')).toBeNull();
    expect(decodeBase64('not base64!')).toBeNull();
    expect(decodeBase64('MAMC=AQU')).toBeNull(); // padding in the middle
    expect(decodeBase64('MAMCA')).toBeNull(); // one character too many to be whole bytes
    expect(decodeBase64('MA===')).toBeNull();
  });
});

describe('decodePemBlocks', () => {
  it('finds every block, in order, with its label', () => {
    const text = `junk before\n${toPem(DER, 'CERTIFICATE')}between\n${toPem(OTHER_DER, 'OCSP RESPONSE')}after`;
    const blocks = decodePemBlocks(text);
    expect(blocks.map((b) => b.label)).toEqual(['CERTIFICATE', 'OCSP RESPONSE']);
    expect(blocks[0]?.der).toEqual(DER);
    expect(blocks[1]?.der).toEqual(OTHER_DER);
  });

  it('ignores RFC 1421 headers inside a block', () => {
    const text = `-----BEGIN CERTIFICATE-----\nProc-Type: 4,ENCRYPTED\n\n${base64Of(DER)}\n-----END CERTIFICATE-----\n`;
    expect(decodePemBlocks(text)[0]?.der).toEqual(DER);
  });

  it('skips blocks whose body is not base64 and blocks whose END label differs', () => {
    expect(decodePemBlocks('-----BEGIN CERTIFICATE-----\n!!!\n-----END CERTIFICATE-----')).toEqual([]);
    expect(decodePemBlocks(`-----BEGIN CERTIFICATE-----\n${base64Of(DER)}\n-----END X509 CRL-----`)).toEqual([]);
    expect(decodePemBlocks('no pem here')).toEqual([]);
  });
});

describe('toDer', () => {
  const labels = ['OCSP RESPONSE'];

  it('passes DER bytes through unchanged', () => {
    expect(toDer(DER, labels)).toBe(DER);
  });

  it('reads PEM given as text or as bytes, taking the block with a wanted label', () => {
    const pem = `${toPem(OTHER_DER, 'CERTIFICATE')}${toPem(DER, 'OCSP RESPONSE')}`;
    expect(toDer(pem, labels)).toEqual(DER);
    expect(toDer(utf8(pem), labels)).toEqual(DER);
  });

  it('returns null for PEM without a wanted label', () => {
    expect(toDer(toPem(DER, 'CERTIFICATE'), labels)).toBeNull();
  });

  it('reads bare base64 (as OpenSSL .ors files) given as text or bytes', () => {
    expect(toDer(base64Of(DER), labels)).toEqual(DER);
    expect(toDer(utf8(`${base64Of(DER)}\n`), labels)).toEqual(DER);
  });

  it('returns null for base64 that does not decode to a DER SEQUENCE, and for garbage', () => {
    expect(toDer(base64Of(Uint8Array.from([0x04, 0x01, 0x00])), labels)).toBeNull();
    expect(toDer('hello world', labels)).toBeNull();
    expect(toDer(Uint8Array.from([0x42, 0x00, 0xff]), labels)).toBeNull();
    expect(toDer(new Uint8Array(0), labels)).toBeNull();
    expect(toDer('', labels)).toBeNull();
  });
});

describe('toCertificateList', () => {
  it('returns a single DER certificate as a list of one', () => {
    expect(toCertificateList(DER)).toEqual([DER]);
  });

  it('returns every CERTIFICATE / TRUSTED CERTIFICATE block of a bundle and nothing else', () => {
    const bundle = [
      toPem(DER, 'CERTIFICATE'),
      toPem(OTHER_DER, 'PRIVATE KEY'),
      toPem(OTHER_DER, 'TRUSTED CERTIFICATE'),
    ].join('');
    expect(toCertificateList(bundle)).toEqual([DER, OTHER_DER]);
    expect(toCertificateList(utf8(bundle))).toEqual([DER, OTHER_DER]);
  });

  it('returns an empty list for what holds no certificate', () => {
    expect(toCertificateList('nothing')).toEqual([]);
    expect(toCertificateList(new Uint8Array(0))).toEqual([]);
  });
});

describe('toHex / bytesEqual / toArrayBuffer', () => {
  it('writes lower-case hex with two digits per byte', () => {
    expect(toHex(Uint8Array.from([0x00, 0x0f, 0xa0, 0xff]))).toBe('000fa0ff');
    expect(toHex(Uint8Array.from([1, 2]).buffer)).toBe('0102');
    expect(toHex(new Uint8Array(0))).toBe('');
  });

  it('compares bytes, views and buffers alike', () => {
    expect(bytesEqual(DER, Uint8Array.from(DER))).toBe(true);
    expect(bytesEqual(DER, Uint8Array.from(DER).buffer)).toBe(true);
    expect(bytesEqual(DER, OTHER_DER)).toBe(false);
    expect(bytesEqual(DER, DER.subarray(1))).toBe(false);
    expect(bytesEqual(DER.subarray(1), DER)).toBe(false);
    expect(bytesEqual(DER.subarray(0, 1), DER)).toBe(false);
  });

  it('finds a difference at any byte of a long array, whatever the views are offset by', () => {
    // Long arrays are compared four bytes at a time (sameBytes): every position, the tail past the
    // last whole word included, and views starting at every alignment.
    for (const length of [31, 32, 33, 63, 64, 67]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 37 + 11) & 0xff);
      for (const offset of [0, 1, 2, 3]) {
        const pool = new Uint8Array(length + offset);
        const view = pool.subarray(offset);
        view.set(bytes);
        expect(bytesEqual(view, bytes), `length ${length}, offset ${offset}`).toBe(true);
        for (let at = 0; at < length; at++) {
          view[at] = (bytes[at]! ^ 0x80) & 0xff;
          expect(bytesEqual(view, bytes), `length ${length}, offset ${offset}, byte ${at}`).toBe(false);
          expect(bytesEqual(bytes, view), `length ${length}, offset ${offset}, byte ${at}`).toBe(false);
          view[at] = bytes[at]!;
        }
      }
    }
  });

  it('copies a view into a standalone buffer (not the pool behind it)', () => {
    const pool = Uint8Array.from([9, 9, 1, 2, 3, 9]);
    const view = pool.subarray(2, 5);
    const buffer = toArrayBuffer(view);
    expect(buffer.byteLength).toBe(3);
    expect(new Uint8Array(buffer)).toEqual(Uint8Array.from([1, 2, 3]));
    pool[2] = 7;
    expect(new Uint8Array(buffer)[0]).toBe(1);
  });
});

describe('edges', () => {
  const THIRD_DER = Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x09]);

  it('a bundle keeps exactly the certificate blocks, told apart by their bytes', () => {
    const bundle = [
      toPem(DER, 'CERTIFICATE'),
      toPem(OTHER_DER, 'PRIVATE KEY'),
      toPem(THIRD_DER, 'TRUSTED CERTIFICATE'),
    ];
    expect(toCertificateList(bundle.join(''))).toEqual([DER, THIRD_DER]);
  });

  it('DER bytes are two octets at least: one 0x30 alone is no DER', () => {
    expect(toDer(Uint8Array.of(0x30), ['CERTIFICATE'])).toBeNull();
    const empty = Uint8Array.of(0x30, 0x00);
    expect(toDer(empty, ['CERTIFICATE'])).toBe(empty);
    expect(toCertificateList(empty)).toEqual([empty]);
  });

  it('an RFC 1421 header starts its line; an indented one is not a header and spoils the block', () => {
    const body = base64Of(DER);
    expect(decodePemBlocks(`-----BEGIN X-----\nProc-Type: 4,CRL\n${body}\n-----END X-----\n`)).toEqual([
      { label: 'X', der: DER },
    ]);
    expect(decodePemBlocks(`-----BEGIN X-----\n Proc-Type: 4,CRL\n${body}\n-----END X-----\n`)).toEqual([]);
  });
});
