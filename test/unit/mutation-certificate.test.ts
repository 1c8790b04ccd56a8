// The X.509 facts the verdict reads (src/core/certificate.ts), the key kind (key-type.ts), the
// parse limits (certificate-limits.ts) and the algorithm names (algorithm-names.ts), on the
// committed minted certificates and single changes to them (an extension replaced, the version
// dropped). The changed certificates no longer verify; they only need to parse. No key generation.
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SIGNATURE_ALGORITHM_NAMES } from '../../src/core/algorithm-names.js';
import { CERTIFICATE_LIMITS, certificateLimitBreach } from '../../src/core/certificate-limits.js';
import {
  certificateFacts,
  certificateParseFailure,
  describeCertificate,
  describeChainCertificate,
  describeNameDer,
  extendedKeyUsages,
  formatName,
  isCaCertificate,
  isMustStaple,
  isSelfIssued,
  nameDer,
  namesEqual,
  ocspUrls,
  parseCertificate,
  publicKeyBits,
  serialHex,
  sha256Hex,
  subjectAltNames,
  validityAt,
} from '../../src/core/certificate.js';
import { keyTypeOf, otherKeyType } from '../../src/core/key-type.js';
import {
  ascii,
  childrenAt,
  clone,
  concat,
  cons,
  decodeTree,
  encodeTree,
  nodeAt,
  oidBytes,
  prim,
  tlv,
  type DerNode,
} from '../support/der-tree.js';
import { OPENSSL, mintedCertificate, mintedCertificateDer, pemDer } from '../support/fixture-pki.js';

const crypto = globalThis.crypto;
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const oid = (text: string) => prim(0x06, oidBytes(text));

const leafDer = mintedCertificateDer('leaf.pem');
const leaf = mintedCertificate('leaf.pem');
const intermediate = mintedCertificate('intermediate.pem');
const root = mintedCertificate('root.pem');
const responder = mintedCertificate('responder.pem');

// Paths in the leaf: tbsCertificate fields (version [0] first) and its extensions.
const TBS = [0];
const EXTENSIONS = [0, 7, 0];
const EXT = { basicConstraints: 2, extKeyUsage: 4, subjectAltName: 5, authorityInfoAccess: 6 };

/** The leaf with `change` applied to a copy of its tree, parsed. */
function leafChanged(change: (cert: DerNode) => void) {
  const tree = clone(decodeTree(leafDer));
  change(tree);
  const der = encodeTree(tree);
  return {
    der,
    get cert() {
      return parseCertificate(der);
    },
  };
}

/** An extension with this OID and this DER value. */
const extension = (id: string, value: Uint8Array) => cons(0x30, oid(id), prim(0x04, value));
const withExtension = (index: number, id: string, value: Uint8Array) =>
  leafChanged((c) => void (childrenAt(c, EXTENSIONS)[index] = extension(id, value))).cert!;

describe('parseCertificate and certificateFacts', () => {
  it('bytes parsed during a check are kept too: the same certificate the second time', () => {
    const { der } = leafChanged((c) => void (childrenAt(c, TBS)[1] = prim(0x02, [0x42])));
    const first = parseCertificate(der);
    expect(first).not.toBeNull();
    expect(parseCertificate(Uint8Array.from(der))).toBe(first);
  });

  it('one certificate per bytes, parsed once', () => {
    expect(parseCertificate(leafDer)).toBe(leaf);
    expect(parseCertificate(Uint8Array.from(leafDer))).toBe(leaf);
    expect(certificateFacts(leaf)).toBe(certificateFacts(leaf));
  });

  it.each([
    ['trailing bytes', concat(leafDer, [0])],
    ['cut short', leafDer.subarray(0, leafDer.length - 1)],
    [
      'a long-form length under 0x80 inside',
      (() => {
        const tree = decodeTree(leafDer);
        const der = encodeTree(nodeAt(tree, [1]));
        const loose = concat([der[0] ?? 0, 0x81], der.subarray(1));
        const tbs = encodeTree(nodeAt(tree, TBS));
        const bits = encodeTree(nodeAt(tree, [2]));
        return tlv(0x30, concat(tbs, loose, bits));
      })(),
    ],
    ['a SEQUENCE holding an INTEGER', tlv(0x30, tlv(0x02, [1]))],
    ['nothing', new Uint8Array(0)],
  ])('%s: null', (_name, der) => {
    expect(parseCertificate(der)).toBeNull();
  });

  it('reads the issuer, subject and key as the exact DER signed, and the outer algorithm', () => {
    const tree = decodeTree(leafDer);
    const facts = certificateFacts(leaf);
    expect(hex(facts.issuer)).toBe(hex(encodeTree(nodeAt(tree, [0, 3]))));
    expect(hex(facts.subject)).toBe(hex(encodeTree(nodeAt(tree, [0, 5]))));
    expect(hex(facts.publicKey)).toBe(hex(encodeTree(nodeAt(tree, [0, 6]))));
    expect(hex(facts.issuer)).toBe(hex(certificateFacts(intermediate).subject));
    expect(facts.publicKeyBits).toHaveLength(65);
    expect(facts.publicKeyBits[0]).toBe(0x04);
    expect(facts.subjectText).toBe('O=Staple Check Test, CN=localhost');
    expect(facts.signatureAlgorithm).toEqual({ oid: '1.2.840.10045.4.3.2', parameters: null });
    expect(facts.certIdHashes).toBeInstanceOf(Map);
  });

  it('a v1 certificate (no version field): the same fields, one place earlier', () => {
    const v1 = leafChanged((c) => {
      const tbs = childrenAt(c, TBS);
      tbs.splice(0, 1);
      tbs.splice(6); // v1 has no extensions
    }).cert!;
    const facts = certificateFacts(v1);
    expect(hex(facts.issuer)).toBe(hex(certificateFacts(leaf).issuer));
    expect(hex(facts.subject)).toBe(hex(certificateFacts(leaf).subject));
    expect(hex(facts.publicKey)).toBe(hex(certificateFacts(leaf).publicKey));
  });

  it('an RSA certificate: the outer algorithm with its NULL parameters', () => {
    const rsa = parseCertificate(pemDer(`${OPENSSL}ND1_Cert_EE.pem`))!;
    const algorithm = certificateFacts(rsa).signatureAlgorithm;
    expect(algorithm?.oid).toBe('1.2.840.113549.1.1.5');
    expect([...(algorithm?.parameters ?? [])]).toEqual([0x05, 0x00]);
  });

  it('says why a certificate does not parse', () => {
    expect(certificateParseFailure(new Uint8Array(3))).toBe('The certificate does not parse as X.509.');
    expect(certificateParseFailure(new Uint8Array(CERTIFICATE_LIMITS.maxBytes + 1))).toMatch(
      /^The certificate is 65537 bytes/,
    );
  });
});

describe('names (RFC 5280 §4.1.2.4)', () => {
  const atv = (type: string, value: DerNode) => cons(0x31, cons(0x30, oid(type), value));
  const utf8 = (text: string) => prim(0x0c, ascii(text));

  it('every attribute the engine names, in order', () => {
    const name = cons(
      0x30,
      atv('2.5.4.3', utf8('cn')),
      atv('2.5.4.6', prim(0x13, ascii('DE'))),
      atv('2.5.4.7', utf8('l')),
      atv('2.5.4.8', utf8('st')),
      atv('2.5.4.10', utf8('o')),
      atv('2.5.4.11', utf8('ou')),
      atv('2.5.4.5', prim(0x13, ascii('42'))),
      atv('1.2.840.113549.1.9.1', prim(0x16, ascii('a@b'))),
      atv('0.9.2342.19200300.100.1.25', prim(0x16, ascii('dc'))),
      atv('1.2.3.4', utf8('other')),
    );
    expect(describeNameDer(encodeTree(name))).toBe(
      'CN=cn, C=DE, L=l, ST=st, O=o, OU=ou, serialNumber=42, emailAddress=a@b, DC=dc, 1.2.3.4=other',
    );
  });

  it('a value that is not a string is shown as the hex of its DER', () => {
    const name = cons(0x30, atv('2.5.4.3', prim(0x04, [0xab, 0xcd])));
    expect(describeNameDer(encodeTree(name))).toBe('CN=0402abcd');
  });

  it.each([
    ['not DER', Uint8Array.of(0x30, 0x05, 0x31)],
    ['a Name and a trailing byte', concat(encodeTree(cons(0x30)), [0])],
  ])('%s: null, also the second time', (_name, der) => {
    expect(describeNameDer(der)).toBeNull();
    expect(describeNameDer(der)).toBeNull();
  });

  it('DER that is no Name: null', () => {
    expect(describeNameDer(Uint8Array.of(0x02, 0x01, 0x05))).toBeNull();
  });

  it('an empty Name is the empty text', () => {
    expect(describeNameDer(Uint8Array.of(0x30, 0x00))).toBe('');
  });

  it('formats, encodes and compares the fixtures’ names', () => {
    expect(formatName(leaf.issuer)).toBe('O=Staple Check Test, CN=Staple Check Test Intermediate');
    expect(hex(nameDer(leaf.subject))).toBe(hex(certificateFacts(leaf).subject));
    expect(namesEqual(leaf.issuer, intermediate.subject)).toBe(true);
    expect(namesEqual(leaf.issuer, root.subject)).toBe(false);
    expect(isSelfIssued(root)).toBe(true);
    expect(isSelfIssued(intermediate)).toBe(false);
  });
});

describe('serialHex and publicKeyBits', () => {
  const withSerial = (octets: number[]) => leafChanged((c) => void (childrenAt(c, TBS)[1] = prim(0x02, octets))).cert!;

  it.each([
    [[0x30, 0x01], '3001'],
    [[0x00, 0x80], '80'],
    [[0x00], '00'],
    [[0x7f], '7f'],
    [[0x01, 0x00], '0100'],
  ])('serial %j: %s', (octets, text) => {
    expect(serialHex(withSerial(octets).serialNumber)).toBe(text);
  });

  it('publicKeyBits is the BIT STRING value', () => {
    expect(hex(publicKeyBits(leaf))).toBe(hex(certificateFacts(leaf).publicKeyBits));
  });
});

describe('extensions', () => {
  it.each<[string, number[], boolean]>([
    ['{5}', [0x30, 0x03, 0x02, 0x01, 0x05], true],
    ['{17, 5}', [0x30, 0x06, 0x02, 0x01, 0x11, 0x02, 0x01, 0x05], true],
    ['{6}', [0x30, 0x03, 0x02, 0x01, 0x06], false],
    ['{}', [0x30, 0x00], false],
    ['a bare INTEGER 5', [0x02, 0x01, 0x05], false],
    ['a SEQUENCE of an OCTET STRING 5', [0x30, 0x03, 0x04, 0x01, 0x05], false],
    ['no DER', [0x30, 0x05, 0x02], false],
    ['a 5, then an INTEGER cut short', [0x30, 0x05, 0x02, 0x01, 0x05, 0x02, 0x05], false],
  ])('TLS Feature %s: Must-Staple %s', (_name, value, mustStaple) => {
    expect(isMustStaple(withExtension(EXT.basicConstraints, '1.3.6.1.5.5.7.1.24', Uint8Array.from(value)))).toBe(
      mustStaple,
    );
  });

  it('the fixtures: Must-Staple only where minted so', () => {
    expect(isMustStaple(mintedCertificate('leaf-must-staple.pem'))).toBe(true);
    expect(isMustStaple(leaf)).toBe(false);
  });

  const aia = (...descriptions: DerNode[]) => encodeTree(cons(0x30, ...descriptions));
  const access = (method: string, location: DerNode) => cons(0x30, oid(method), location);
  const OCSP = '1.3.6.1.5.5.7.48.1';
  const CA_ISSUERS = '1.3.6.1.5.5.7.48.2';

  it.each<[string, Uint8Array, string[]]>([
    [
      'two OCSP URLs',
      aia(access(OCSP, prim(0x86, ascii('http://a.test/'))), access(OCSP, prim(0x86, ascii('http://b.test/')))),
      ['http://a.test/', 'http://b.test/'],
    ],
    ['caIssuers only', aia(access(CA_ISSUERS, prim(0x86, ascii('http://ca.test/')))), []],
    [
      'an OCSP location that is a DNS name, then a URL',
      aia(access(OCSP, prim(0x82, ascii('ocsp.test'))), access(OCSP, prim(0x86, ascii('http://c.test/')))),
      ['http://c.test/'],
    ],
  ])('AIA with %s', (_name, value, urls) => {
    expect(ocspUrls(withExtension(EXT.authorityInfoAccess, '1.3.6.1.5.5.7.1.1', value))).toEqual(urls);
  });

  it('the fixtures: the leaf names its responder; a CRL-only leaf and a CA none', () => {
    expect(ocspUrls(leaf)).toEqual(['http://ocsp.staplecheck.test/']);
    expect(ocspUrls(mintedCertificate('leaf-no-ocsp.pem'))).toEqual([]);
    expect(ocspUrls(root)).toEqual([]);
  });

  it('extended key usages of the fixtures', () => {
    expect(extendedKeyUsages(leaf)).toEqual(['1.3.6.1.5.5.7.3.1']);
    expect(extendedKeyUsages(responder)).toEqual(['1.3.6.1.5.5.7.3.9']);
    expect(extendedKeyUsages(root)).toEqual([]);
  });

  it('subjectAltNames: DNS names and IP addresses in order, other kinds left out', () => {
    const san = encodeTree(
      cons(
        0x30,
        prim(0x82, ascii('a.test')),
        prim(0x81, ascii('x@a.test')),
        prim(0x87, [192, 0, 2, 1]),
        prim(0x87, [0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01]),
        prim(0x87, [0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0, 0, 0, 0, 0xab, 0xcd]),
        prim(0x87, [1, 2, 3]),
        prim(0x82, ascii('b.test')),
      ),
    );
    expect(subjectAltNames(withExtension(EXT.subjectAltName, '2.5.29.17', san))).toEqual([
      'a.test',
      '192.0.2.1',
      '2001:db8::1',
      'fe80::1234:0:0:abcd',
      '102',
      'b.test',
    ]);
    expect(subjectAltNames(leaf)).toEqual(['localhost', '127.0.0.1', '::1']);
    expect(subjectAltNames(root)).toEqual([]);
  });

  it('isCaCertificate: basicConstraints cA TRUE only', () => {
    expect(isCaCertificate(root)).toBe(true);
    expect(isCaCertificate(intermediate)).toBe(true);
    expect(isCaCertificate(leaf)).toBe(false);
    const noConstraints = leafChanged((c) => void childrenAt(c, EXTENSIONS).splice(EXT.basicConstraints, 1)).cert!;
    expect(isCaCertificate(noConstraints)).toBe(false);
  });
});

describe('validityAt (inclusive at both ends)', () => {
  it.each([
    ['2025-12-16T11:59:59.999Z', 'not-yet-valid'],
    ['2025-12-16T12:00:00.000Z', 'valid'],
    ['2026-03-16T12:00:00.000Z', 'valid'],
    ['2026-03-16T12:00:00.001Z', 'expired'],
  ])('%s: %s', (at, validity) => {
    expect(validityAt(leaf, new Date(at))).toBe(validity);
  });
});

describe('descriptions', () => {
  const sha256 = createHash('sha256').update(leafDer).digest('hex');

  it('sha256Hex and describeCertificate', async () => {
    expect(await sha256Hex(leafDer, crypto)).toBe(sha256);
    expect(await describeCertificate(leafDer, leaf, crypto)).toEqual({
      subject: 'O=Staple Check Test, CN=localhost',
      issuer: 'O=Staple Check Test, CN=Staple Check Test Intermediate',
      serialNumber: '3001',
      notBefore: '2025-12-16T12:00:00.000Z',
      notAfter: '2026-03-16T12:00:00.000Z',
      subjectAltNames: ['localhost', '127.0.0.1', '::1'],
      mustStaple: false,
      ocspUrls: ['http://ocsp.staplecheck.test/'],
      sha256,
    });
  });

  it('describeChainCertificate, and null for what does not parse', async () => {
    expect(await describeChainCertificate(leafDer, crypto)).toEqual({
      subject: 'O=Staple Check Test, CN=localhost',
      issuer: 'O=Staple Check Test, CN=Staple Check Test Intermediate',
      notAfter: '2026-03-16T12:00:00.000Z',
      sha256,
    });
    expect(await describeChainCertificate(new Uint8Array(4), crypto)).toBeNull();
  });
});

describe('keyTypeOf and otherKeyType', () => {
  const withKeyAlgorithm = (id: string) => leafChanged((c) => void (childrenAt(c, [0, 6, 0])[0] = oid(id))).der;

  it.each<[string, Uint8Array, string]>([
    ['the P-256 leaf', leafDer, 'ecdsa'],
    ['an RSA certificate', pemDer(`${OPENSSL}ND1_Cert_EE.pem`), 'rsa'],
    ['an RSASSA-PSS key', withKeyAlgorithm('1.2.840.113549.1.1.10'), 'rsa'],
    ['an rsaEncryption key', withKeyAlgorithm('1.2.840.113549.1.1.1'), 'rsa'],
    ['an Ed25519 key', withKeyAlgorithm('1.3.101.112'), 'ed25519'],
    ['an Ed448 key', withKeyAlgorithm('1.3.101.113'), 'other'],
    ['bytes that do not parse', new Uint8Array(8), 'other'],
  ])('%s: %s', (_name, der, keyType) => {
    expect(keyTypeOf(der)).toBe(keyType);
  });

  it.each([
    ['ecdsa', 'rsa'],
    ['rsa', 'ecdsa'],
    ['ed25519', null],
    ['other', null],
  ] as const)('%s: %s', (keyType, other) => {
    expect(otherKeyType(keyType)).toBe(other);
  });
});

describe('SIGNATURE_ALGORITHM_NAMES', () => {
  it('names what staples use', () => {
    expect(SIGNATURE_ALGORITHM_NAMES).toEqual({
      '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
      '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
      '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
      '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
      '1.2.840.113549.1.1.10': 'RSASSA-PSS',
      '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
      '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
      '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
      '1.3.101.112': 'Ed25519',
    });
  });
});

describe('certificateLimitBreach', () => {
  /** Elements as the limit counts them: every TLV, and those inside each extension's value. */
  function countElements(node: DerNode): number {
    return 'children' in node ? 1 + node.children.reduce((n, c) => n + countElements(c), 0) : 1;
  }
  function elementsOf(der: Uint8Array): number {
    const tree = decodeTree(der);
    let count = countElements(tree);
    for (const ext of childrenAt(tree, EXTENSIONS)) {
      const value = 'children' in ext ? ext.children.at(-1) : undefined;
      if (value && 'contents' in value && value.tag === 0x04) count += countElements(decodeTree(value.contents));
    }
    return count;
  }
  const base = elementsOf(leafDer);
  /** The leaf with `extra` more elements, as DNS names added to its subjectAltName. */
  const withMoreElements = (extra: number) =>
    leafChanged((c) => {
      const san = nodeAt(c, [...EXTENSIONS, EXT.subjectAltName, 1]);
      if (!('contents' in san)) throw new Error('SAN');
      const names = decodeTree(san.contents);
      if (!('children' in names)) throw new Error('SAN');
      for (let i = 0; i < extra; i++) names.children.push(prim(0x82, ascii('n.test')));
      san.contents = encodeTree(names);
    }).der;

  it('the leaf is within every limit', () => {
    expect(certificateLimitBreach(leafDer)).toBeNull();
    expect(base).toBeGreaterThan(40);
  });

  it(`exactly ${CERTIFICATE_LIMITS.maxElements} elements pass; one more does not`, () => {
    const at = withMoreElements(CERTIFICATE_LIMITS.maxElements - base);
    expect(elementsOf(at)).toBe(4096);
    expect(certificateLimitBreach(at)).toBeNull();
    const over = withMoreElements(CERTIFICATE_LIMITS.maxElements - base + 1);
    expect(certificateLimitBreach(over)).toBe(
      'The certificate holds 4097 DER elements, more than the 4096 this check parses (real certificates hold a few hundred).',
    );
  });

  it('an extension value that is no strict DER is not walked', () => {
    const names = encodeTree(cons(0x30, ...Array.from({ length: 5000 }, () => prim(0x82, ascii('n')))));
    const withValue = (value: Uint8Array) =>
      leafChanged((c) => void childrenAt(c, EXTENSIONS).push(extension('1.2.3.4', value))).der;
    expect(certificateLimitBreach(withValue(names))).toMatch(/^The certificate holds 50\d\d DER elements/);
    expect(certificateLimitBreach(withValue(concat(names, [0])))).toBeNull();
  });

  it('an extension that is an empty SEQUENCE is measured without its value', () => {
    const der = leafChanged((c) => void childrenAt(c, EXTENSIONS).push(cons(0x30))).der;
    expect(certificateLimitBreach(der)).toBeNull();
  });

  it('bytes that are no strict DER are left to the parse, however many elements they hold', () => {
    const over = withMoreElements(CERTIFICATE_LIMITS.maxElements - base + 1);
    expect(certificateLimitBreach(over)).not.toBeNull();
    expect(certificateLimitBreach(concat(over, [0]))).toBeNull();
  });

  it('an extension whose last field is not an OCTET STRING: its contents are not walked', () => {
    const names = encodeTree(cons(0x30, ...Array.from({ length: 5000 }, () => prim(0x82, ascii('n')))));
    const der = leafChanged((c) => {
      childrenAt(c, EXTENSIONS).push(cons(0x30, oid('1.2.3.4'), prim(0x03, names)));
    }).der;
    expect(certificateLimitBreach(der)).toBeNull();
  });

  it(`exactly ${CERTIFICATE_LIMITS.maxExtensions} extensions pass; one more does not`, () => {
    const withExtensions = (total: number) =>
      leafChanged((c) => {
        const list = childrenAt(c, EXTENSIONS);
        while (list.length < total) list.push(extension('1.2.3.4', Uint8Array.of(0x05, 0x00)));
      }).der;
    expect(certificateLimitBreach(withExtensions(512))).toBeNull();
    expect(certificateLimitBreach(withExtensions(513))).toBe(
      'The certificate has 513 extensions, more than the 512 this check parses (real certificates have about ten).',
    );
  });

  it(`${CERTIFICATE_LIMITS.maxBytes} bytes are measured; one more is refused unread`, () => {
    expect(CERTIFICATE_LIMITS).toEqual({
      maxBytes: 65536,
      maxExtensions: 512,
      maxElements: 4096,
      maxChainCertificates: 16,
    });
    expect(certificateLimitBreach(new Uint8Array(65536))).toBeNull();
    expect(certificateLimitBreach(new Uint8Array(65537))).toBe(
      'The certificate is 65537 bytes, more than the 65536 this check parses (real certificates are a few KB).',
    );
  });

  it('a certificate beyond a limit does not parse', () => {
    expect(parseCertificate(withMoreElements(CERTIFICATE_LIMITS.maxElements - base + 1))).toBeNull();
  });

  it('a certificate without extensions is measured too', () => {
    const bare = leafChanged((c) => void childrenAt(c, TBS).splice(7)).der;
    expect(certificateLimitBreach(bare)).toBeNull();
    const cert = parseCertificate(bare)!;
    expect(cert).not.toBeNull();
    expect([
      isMustStaple(cert),
      ocspUrls(cert),
      extendedKeyUsages(cert),
      subjectAltNames(cert),
      isCaCertificate(cert),
    ]).toEqual([false, [], [], [], false]);
  });
});
