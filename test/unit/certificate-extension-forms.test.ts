// The extensions the verdict reads (src/core/certificate.ts): a strict-DER walk reads the usual
// form, and every other form (BER lengths, unexpected shapes) goes to pkijs as before. Each reader
// gets the same answer either way, and a hostile value gets no names, no URLs, no CA and no
// Must-Staple it does not plainly carry. Then the two places the walk leaves to pkijs: a Name in
// BER, and the pkijs fields of a parsed certificate, which pkijs fills only when first read.
// Certificates are the committed minted leaf with one
// extension replaced (they no longer verify; they only need to parse).
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';
import {
  altNamesFromDer,
  describeCertificate,
  describeChainCertificate,
  describeNameDer,
  extendedKeyUsages,
  formatName,
  isCaCertificate,
  isCaFromDer,
  isMustStaple,
  keyPurposesFromDer,
  ocspUrls,
  ocspUrlsFromDer,
  parseCertificate,
  subjectAltNames,
} from '../../src/core/certificate.js';
import { sequenceElements } from '../../src/core/der-walk.js';
import {
  ascii,
  childrenAt,
  clone,
  cons,
  decodeTree,
  encodeTree,
  oidBytes,
  prim,
  type DerNode,
} from '../support/der-tree.js';
import { mintedCertificateDer } from '../support/fixture-pki.js';

const oid = (text: string) => prim(0x06, oidBytes(text));

const leafDer = mintedCertificateDer('leaf.pem');
const EXTENSIONS = [0, 7, 0];
const EXT = { basicConstraints: 2, extKeyUsage: 4, subjectAltName: 5, authorityInfoAccess: 6 };

/** The leaf with extension `index` replaced by one with this OID and these value bytes. */
function withExtension(index: number, id: string, value: ArrayLike<number>) {
  const tree = clone(decodeTree(leafDer));
  childrenAt(tree, EXTENSIONS)[index] = cons(0x30, oid(id), prim(0x04, value));
  const cert = parseCertificate(encodeTree(tree));
  if (!cert) throw new Error('the changed leaf must still parse');
  return cert;
}

/** `der` (one TLV with a short-form length) with its length in long form: valid BER, not DER (X.690 §10.1). */
function berLength(der: Uint8Array): number[] {
  const [tag, length, ...rest] = der;
  if (length === undefined || length >= 0x80) throw new Error('short-form lengths only');
  return [tag!, 0x81, length, ...rest];
}
const der = (node: DerNode) => encodeTree(node);

describe('subjectAltName (RFC 5280 §4.2.1.6)', () => {
  const san = (value: ArrayLike<number>) => subjectAltNames(withExtension(EXT.subjectAltName, '2.5.29.17', value));
  const names = cons(
    0x30,
    prim(0x82, ascii('a.test')),
    prim(0x87, [192, 0, 2, 1]),
    prim(0x87, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]),
  );

  it.each<[string, ArrayLike<number>, string[]]>([
    ['DER', der(names), ['a.test', '192.0.2.1', '2001:db8::1']],
    ['the same names in BER (a long-form length)', berLength(der(names)), ['a.test', '192.0.2.1', '2001:db8::1']],
    [
      'other name kinds (rfc822Name, URI, registeredID) beside a DNS name',
      der(
        cons(
          0x30,
          prim(0x81, ascii('x@a.test')),
          prim(0x86, ascii('http://a.test/')),
          prim(0x88, oidBytes('1.2.3')),
          prim(0x82, ascii('b.test')),
        ),
      ),
      ['b.test'],
    ],
    ['an empty SEQUENCE (GeneralNames is SIZE (1..MAX))', [0x30, 0x00], []],
    ['a name of a kind no GeneralName has ([9])', der(cons(0x30, prim(0x89, [1]), prim(0x82, ascii('c.test')))), []],
    ['no SEQUENCE at all', [0x04, 0x01, 0x00], []],
    ['bytes that are not ASN.1', [0xff, 0xff, 0xff], []],
  ])('%s', (_name, value, expected) => {
    expect(san(value)).toEqual(expected);
  });
});

describe('authorityInfoAccess (RFC 5280 §4.2.2.1)', () => {
  const urls = (value: ArrayLike<number>) =>
    ocspUrls(withExtension(EXT.authorityInfoAccess, '1.3.6.1.5.5.7.1.1', value));
  const OCSP = '1.3.6.1.5.5.7.48.1';
  const CA_ISSUERS = '1.3.6.1.5.5.7.48.2';
  const access = (method: DerNode, location: DerNode, ...extra: DerNode[]) => cons(0x30, method, location, ...extra);
  const two = cons(
    0x30,
    access(oid(CA_ISSUERS), prim(0x86, ascii('http://ca.test/'))),
    access(oid(OCSP), prim(0x86, ascii('http://ocsp.test/'))),
  );

  it.each<[string, ArrayLike<number>, string[]]>([
    ['DER', der(two), ['http://ocsp.test/']],
    ['the same in BER (a long-form length)', berLength(der(two)), ['http://ocsp.test/']],
    ['an empty SEQUENCE', [0x30, 0x00], []],
    // Not the walk's shape, so pkijs reads it, as before the walk: its schema takes the first two
    // elements and leaves the rest. The URL only decides whether to wait for a lazy stapler.
    [
      'an AccessDescription with a third element (read by pkijs, which ignores it)',
      der(cons(0x30, access(oid(OCSP), prim(0x86, ascii('http://x.test/')), prim(0x05, [])))),
      ['http://x.test/'],
    ],
    [
      'an accessMethod that is no OID',
      der(cons(0x30, access(prim(0x02, [1]), prim(0x86, ascii('http://x.test/'))))),
      [],
    ],
    ['an AccessDescription with no location', der(cons(0x30, cons(0x30, oid(OCSP)))), []],
    ['an element that is no SEQUENCE', der(cons(0x30, oid(OCSP))), []],
    [
      'an accessMethod OID cut short (its last arc never ends)',
      der(cons(0x30, access(prim(0x06, [0x2b, 0x86]), prim(0x86, ascii('http://x.test/'))))),
      [],
    ],
    ['bytes that are not ASN.1', [0x30, 0x05, 0x30], []],
  ])('%s', (_name, value, expected) => {
    expect(urls(value)).toEqual(expected);
  });
});

describe('extKeyUsage (RFC 5280 §4.2.1.12)', () => {
  const purposes = (value: ArrayLike<number>) => extendedKeyUsages(withExtension(EXT.extKeyUsage, '2.5.29.37', value));
  const both = cons(0x30, oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.9'));

  it.each<[string, ArrayLike<number>, string[]]>([
    ['DER', der(both), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.9']],
    ['the same in BER (a long-form length)', berLength(der(both)), ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.9']],
    ['an empty SEQUENCE (SIZE (1..MAX))', [0x30, 0x00], []],
    ['a purpose that is no OID', der(cons(0x30, oid('1.3.6.1.5.5.7.3.9'), prim(0x02, [9]))), []],
    ['bytes that are not ASN.1', [0x30, 0x81], []],
  ])('%s', (_name, value, expected) => {
    expect(purposes(value)).toEqual(expected);
  });
});

describe('basicConstraints (RFC 5280 §4.2.1.9)', () => {
  const isCa = (value: ArrayLike<number>) => isCaCertificate(withExtension(EXT.basicConstraints, '2.5.29.19', value));

  it.each<[string, ArrayLike<number>, boolean]>([
    ['cA TRUE', [0x30, 0x03, 0x01, 0x01, 0xff], true],
    ['cA TRUE and a pathLenConstraint', [0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00], true],
    ['cA TRUE in BER (a long-form length)', [0x30, 0x81, 0x03, 0x01, 0x01, 0xff], true],
    ['empty: cA defaults to FALSE', [0x30, 0x00], false],
    ['a pathLenConstraint alone', [0x30, 0x03, 0x02, 0x01, 0x00], false],
    ['cA FALSE written out', [0x30, 0x03, 0x01, 0x01, 0x00], false],
    ['cA TRUE followed by something that is no INTEGER', [0x30, 0x06, 0x01, 0x01, 0xff, 0x04, 0x01, 0x00], false],
    // pkijs reads cA and pathLenConstraint and leaves a third element, as before the walk; cA only
    // decides whether a chain that ends at this certificate is complete, never trust.
    [
      'three elements (read by pkijs, which ignores the third)',
      [0x30, 0x09, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00],
      true,
    ],
    ['bytes that are not ASN.1', [0x01, 0x01], false],
  ])('%s', (_name, value, expected) => {
    expect(isCa(value)).toBe(expected);
  });
});

describe('TLS Feature (RFC 7633 §6): Must-Staple', () => {
  const mustStaple = (value: ArrayLike<number>) =>
    isMustStaple(withExtension(EXT.basicConstraints, '1.3.6.1.5.5.7.1.24', value));

  it.each<[string, ArrayLike<number>, boolean]>([
    ['{5} in BER (a long-form length)', [0x30, 0x81, 0x03, 0x02, 0x01, 0x05], true],
    [
      '{2^32, 5}: an INTEGER too wide for the walk, then 5',
      [0x30, 0x0a, 0x02, 0x05, 0x01, 0, 0, 0, 0, 0x02, 0x01, 0x05],
      true,
    ],
    ['{2^32} alone', [0x30, 0x07, 0x02, 0x05, 0x01, 0, 0, 0, 0], false],
    ['{5 + 2^32}: five only in its low bits', [0x30, 0x07, 0x02, 0x05, 0x01, 0, 0, 0, 0x05], false],
    ['{5, an OCTET STRING}', [0x30, 0x06, 0x02, 0x01, 0x05, 0x04, 0x01, 0x05], true],
    ['{an OCTET STRING 5, 17}', [0x30, 0x06, 0x04, 0x01, 0x05, 0x02, 0x01, 0x11], false],
    ['{0x01000005}: four octets', [0x30, 0x06, 0x02, 0x04, 0x01, 0x00, 0x00, 0x05], false],
  ])('%s', (_name, value, expected) => {
    expect(mustStaple(value)).toBe(expected);
  });
});

describe('a Name the walk leaves to pkijs (RFC 5280 §4.1.2.4)', () => {
  const name = cons(
    0x30,
    cons(0x31, cons(0x30, oid('2.5.4.10'), prim(0x0c, ascii('Staple Check Test')))),
    cons(0x31, cons(0x30, oid('2.5.4.3'), prim(0x0c, ascii('a.test')))),
  );

  it('in BER (a long-form length): the same text as in DER', () => {
    expect(describeNameDer(der(name))).toBe('O=Staple Check Test, CN=a.test');
    expect(describeNameDer(Uint8Array.from(berLength(der(name))))).toBe('O=Staple Check Test, CN=a.test');
  });

  it('in BER with a byte after it: null', () => {
    expect(describeNameDer(Uint8Array.from([...berLength(der(name)), 0]))).toBeNull();
  });
});

describe('the pkijs fields of a parsed certificate, read on first use', () => {
  /** A certificate no other test parsed: the leaf with its serial number changed. */
  function freshLeaf(serial: number) {
    const tree = clone(decodeTree(leafDer));
    childrenAt(tree, [0])[1] = prim(0x02, [0x7f, serial]);
    const bytes = encodeTree(tree);
    const cert = parseCertificate(bytes);
    if (!cert) throw new Error('the changed leaf must still parse');
    return { bytes, cert };
  }

  it('are what pkijs reads from the same bytes, and the certificate is a pkijs.Certificate', () => {
    const { bytes, cert } = freshLeaf(1);
    const direct = pkijs.Certificate.fromBER(new Uint8Array(bytes));
    expect(cert).toBeInstanceOf(pkijs.Certificate);
    expect('subject' in cert).toBe(true);
    expect(Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex')).toBe('7f01');
    expect(formatName(cert.subject)).toBe(formatName(direct.subject));
    expect(formatName(cert.issuer)).toBe(formatName(direct.issuer));
    expect(cert.extensions?.map((e) => e.extnID)).toEqual(direct.extensions?.map((e) => e.extnID));
    // A field the certificate does not have (RFC 5280 §4.1.2.8: v3 leaves rarely carry one).
    expect(cert.issuerUniqueID).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(cert, 'issuerUniqueID')).toBe(false);
    // Once read, the fields are the certificate's own, as on a pkijs.Certificate.
    expect(Object.keys(cert)).toEqual(expect.arrayContaining(['serialNumber', 'subject', 'issuer', 'extensions']));
    expect(Buffer.from(cert.toSchema().toBER(false)).equals(Buffer.from(bytes))).toBe(true);
  });

  it('a field written before any is read keeps the value written; the others are still read', () => {
    const { cert } = freshLeaf(2);
    cert.version = 7;
    expect(cert.version).toBe(7);
    expect(Object.keys(cert)).toContain('version');
    expect(Buffer.from(cert.serialNumber.valueBlock.valueHexView).toString('hex')).toBe('7f02');
    cert.version = 2; // still writable
    expect(cert.version).toBe(2);
    delete (cert as Partial<pkijs.Certificate>).version; // and configurable, as pkijs's own fields
    expect(cert.version).toBeUndefined();
  });
});

describe('which forms the walks take (the rest is pkijs’s: `null`)', () => {
  // What each walk answers, apart from the answer the reader gives: the common DER forms must be
  // read by the walk (pkijs's schema parse of them cost more than a handshake on a first-seen site).
  const u8 = (bytes: ArrayLike<number>) => Uint8Array.from(bytes);
  const OCSP = '1.3.6.1.5.5.7.48.1';

  it.each<[string, number[], number | null]>([
    ['a SEQUENCE of two', [0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x06], 2],
    ['an empty SEQUENCE', [0x30, 0x00], 0],
    ['a SET', [0x31, 0x03, 0x02, 0x01, 0x05], null],
    ['a SEQUENCE in BER', [0x30, 0x81, 0x03, 0x02, 0x01, 0x05], null],
    ['a SEQUENCE and a byte after it', [0x30, 0x03, 0x02, 0x01, 0x05, 0x00], null],
    ['nothing', [], null],
  ])('sequenceElements: %s', (_name, bytes, count) => {
    expect(sequenceElements(u8(bytes))?.length ?? null).toBe(count);
  });

  const access = (method: DerNode, location: DerNode, ...extra: DerNode[]) => cons(0x30, method, location, ...extra);
  it.each<[string, Uint8Array, string[] | null]>([
    [
      'OCSP and caIssuers URLs',
      der(
        cons(
          0x30,
          access(oid(OCSP), prim(0x86, ascii('http://o.test/'))),
          access(oid('1.3.6.1.5.5.7.48.2'), prim(0x86, ascii('http://ca.test/'))),
        ),
      ),
      ['http://o.test/'],
    ],
    ['an OCSP location that is a DNS name', der(cons(0x30, access(oid(OCSP), prim(0x82, ascii('o.test'))))), []],
    ['none', der(cons(0x30)), []],
    ['a third element', der(cons(0x30, access(oid(OCSP), prim(0x86, ascii('http://x/')), prim(0x05, [])))), null],
    ['no location', der(cons(0x30, cons(0x30, oid(OCSP)))), null],
    ['a method that is no OID', der(cons(0x30, access(prim(0x02, [1]), prim(0x86, ascii('http://x/'))))), null],
    ['an OID cut short', der(cons(0x30, access(prim(0x06, [0x2b, 0x86]), prim(0x86, ascii('http://x/'))))), null],
    ['an element that is no SEQUENCE', der(cons(0x30, oid(OCSP))), null],
    ['BER', u8(berLength(der(cons(0x30, access(oid(OCSP), prim(0x86, ascii('http://x/'))))))), null],
  ])('ocspUrlsFromDer: %s', (_name, bytes, urls) => {
    expect(ocspUrlsFromDer(bytes)).toEqual(urls);
  });

  it.each<[string, Uint8Array, string[] | null]>([
    [
      'DNS names and addresses; the other kinds skipped',
      der(
        cons(
          0x30,
          prim(0x82, ascii('a.test')),
          prim(0x87, [192, 0, 2, 1]),
          cons(0xa0, oid('1.2.3'), cons(0xa0, prim(0x0c, ascii('x')))),
          prim(0x81, ascii('x@a.test')),
          cons(0xa3, prim(0x04, [])),
          cons(0xa4, cons(0x30)),
          cons(0xa5, prim(0x04, [])),
          prim(0x86, ascii('http://a.test/')),
          prim(0x88, oidBytes('1.2.3')),
        ),
      ),
      ['a.test', '192.0.2.1'],
    ],
    ['an empty SEQUENCE', der(cons(0x30)), null],
    ['a kind no GeneralName has', der(cons(0x30, prim(0x89, [1]))), null],
    ['an IA5String where a tagged name belongs', der(cons(0x30, prim(0x16, ascii('a.test')))), null],
    ['BER', u8(berLength(der(cons(0x30, prim(0x82, ascii('a.test')))))), null],
  ])('altNamesFromDer: %s', (_name, bytes, names) => {
    expect(altNamesFromDer(bytes)).toEqual(names);
  });

  it.each<[string, Uint8Array, string[] | null]>([
    [
      'two purposes',
      der(cons(0x30, oid('1.3.6.1.5.5.7.3.1'), oid('1.3.6.1.5.5.7.3.2'))),
      ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'],
    ],
    ['an empty SEQUENCE', der(cons(0x30)), null],
    ['a purpose that is no OID', der(cons(0x30, prim(0x02, [1]))), null],
    ['an OID cut short', der(cons(0x30, prim(0x06, [0x2b, 0x86]))), null],
    ['BER', u8(berLength(der(cons(0x30, oid('1.3.6.1.5.5.7.3.9'))))), null],
  ])('keyPurposesFromDer: %s', (_name, bytes, purposes) => {
    expect(keyPurposesFromDer(bytes)).toEqual(purposes);
  });

  it.each<[string, number[], boolean | null]>([
    ['cA TRUE', [0x30, 0x03, 0x01, 0x01, 0xff], true],
    ['cA TRUE, pathLenConstraint 0', [0x30, 0x06, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00], true],
    ['cA FALSE written out', [0x30, 0x03, 0x01, 0x01, 0x00], false],
    ['empty', [0x30, 0x00], false],
    ['a pathLenConstraint alone', [0x30, 0x03, 0x02, 0x01, 0x00], false],
    ['three elements', [0x30, 0x09, 0x01, 0x01, 0xff, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00], null],
    ['a BOOLEAN of two octets', [0x30, 0x04, 0x01, 0x02, 0xff, 0xff], null],
    ['cA TRUE, then an OCTET STRING', [0x30, 0x06, 0x01, 0x01, 0xff, 0x04, 0x01, 0x00], null],
    ['an OCTET STRING first', [0x30, 0x03, 0x04, 0x01, 0xff], null],
    ['two INTEGERs', [0x30, 0x06, 0x02, 0x01, 0x00, 0x02, 0x01, 0x00], null],
    ['BER', [0x30, 0x81, 0x03, 0x01, 0x01, 0xff], null],
  ])('isCaFromDer: %s', (_name, bytes, isCa) => {
    expect(isCaFromDer(u8(bytes))).toBe(isCa);
  });
});

describe('descriptions kept by their bytes', () => {
  const digests = globalThis.crypto;

  it('a certificate described again gives an equal description, a copy of its own', async () => {
    const tree = clone(decodeTree(leafDer));
    childrenAt(tree, [0])[1] = prim(0x02, [0x7f, 0x10]);
    const bytes = encodeTree(tree);
    const cert = parseCertificate(bytes)!;
    const first = await describeCertificate(bytes, cert, digests);
    const second = await describeCertificate(bytes, cert, digests);
    expect(second).toEqual(first);
    expect(second.serialNumber).toBe('7f10');
    second.subjectAltNames.push('changed.test');
    second.ocspUrls.push('http://changed.test/');
    expect((await describeCertificate(bytes, cert, digests)).subjectAltNames).toEqual(first.subjectAltNames);
    expect((await describeCertificate(bytes, cert, digests)).ocspUrls).toEqual(first.ocspUrls);
  });

  it('bytes that are no certificate describe as null, also the second time', async () => {
    const bytes = Uint8Array.of(0x30, 0x03, 0x02, 0x01, 0x07);
    expect(await describeChainCertificate(bytes, digests)).toBeNull();
    expect(await describeChainCertificate(bytes, digests)).toBeNull();
  });

  it('a pkijs field read first, then written, keeps what was written', () => {
    const tree = clone(decodeTree(leafDer));
    childrenAt(tree, [0])[1] = prim(0x02, [0x7f, 0x11]);
    const cert = parseCertificate(encodeTree(tree))!;
    expect(cert.version).toBe(2);
    cert.version = 1;
    expect(cert.version).toBe(1);
  });
});
