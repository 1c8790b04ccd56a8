// X.509 facts the verdict rests on, read from freshly minted certificates.
import { createHash } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  OID as ENGINE_OID,
  describeCertificate,
  describeChainCertificate,
  extendedKeyUsages,
  formatName,
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
import { toHex } from '../../src/core/encoding.js';
import {
  DAY,
  OID,
  STATUS_REQUEST,
  garbage,
  mintLeaf,
  mintResponder,
  mintRootCa,
  mintScenario,
  shift,
  truncate,
  withTrailingBytes,
  type MintedCertificate,
  type Scenario,
} from '../support/mint.js';

const NOW = new Date('2026-01-15T12:00:00Z');
const crypto = globalThis.crypto;

let s: Scenario;
let leafDates: { notBefore: Date; notAfter: Date };
const leafWith = (more: Partial<Parameters<typeof mintLeaf>[0]>): Promise<MintedCertificate> =>
  mintLeaf({ issuer: s.intermediate, commonName: 'x.test', ...leafDates, ...more });

beforeAll(async () => {
  s = await mintScenario({ now: NOW });
  leafDates = { notBefore: shift(NOW, -DAY), notAfter: shift(NOW, 30 * DAY) };
});

describe('parseCertificate', () => {
  it('parses exactly one DER certificate', () => {
    const cert = parseCertificate(s.leaf.der);
    expect(cert).not.toBeNull();
    expect(serialHex(cert!.serialNumber)).toBe('3001');
  });

  it('returns null, never throws, for garbage, truncated DER, trailing bytes and nothing', () => {
    expect(parseCertificate(garbage())).toBeNull();
    expect(parseCertificate(truncate(s.leaf.der))).toBeNull();
    expect(parseCertificate(withTrailingBytes(s.leaf.der))).toBeNull();
    expect(parseCertificate(new Uint8Array(0))).toBeNull();
    expect(parseCertificate(Uint8Array.from([0x30, 0x00]))).toBeNull();
  });
});

describe('names', () => {
  it('formats a name as key=value pairs in order', () => {
    expect(formatName(s.leaf.cert.subject)).toBe('O=Staple Check Test, CN=localhost');
    expect(formatName(s.leaf.cert.issuer)).toBe('O=Staple Check Test, CN=Staple Check Test Intermediate');
  });

  it('compares names byte for byte', () => {
    expect(namesEqual(s.leaf.cert.issuer, s.intermediate.cert.subject)).toBe(true);
    expect(namesEqual(s.leaf.cert.issuer, s.root.cert.subject)).toBe(false);
    expect(toHex(nameDer(s.leaf.cert.issuer))).toBe(toHex(nameDer(s.intermediate.cert.subject)));
  });

  it('tells a self-issued certificate', () => {
    expect(isSelfIssued(s.root.cert)).toBe(true);
    expect(isSelfIssued(s.intermediate.cert)).toBe(false);
    expect(isSelfIssued(s.leaf.cert)).toBe(false);
  });
});

describe('serialHex', () => {
  it('drops the DER sign octet of a serial whose top bit is set', async () => {
    const leaf = await leafWith({ serialNumber: 0x80ff01n });
    expect(toHex(leaf.cert.serialNumber.valueBlock.valueHexView)).toBe('0080ff01');
    expect(serialHex(leaf.cert.serialNumber)).toBe('80ff01');
  });

  it('keeps a serial without a sign octet as it is', () => {
    expect(serialHex(s.intermediate.cert.serialNumber)).toBe('2001');
  });
});

describe('publicKeyBits', () => {
  it('is the subjectPublicKey BIT STRING value without the unused-bits octet', () => {
    const bits = publicKeyBits(s.leaf.cert);
    expect(bits.length).toBe(65); // uncompressed P-256 point
    expect(bits[0]).toBe(0x04);
    // RFC 5280 §4.2.1.2 method 1, as minted into the subjectKeyIdentifier.
    expect(createHash('sha1').update(bits).digest('hex')).toBe(toHex(s.leaf.keyId));
  });
});

describe('isMustStaple (RFC 7633)', () => {
  it('is true for a TLS Feature extension listing status_request (5)', () => {
    expect(isMustStaple(s.mustStapleLeaf.cert)).toBe(true);
  });

  it('is false without the extension', () => {
    expect(isMustStaple(s.leaf.cert)).toBe(false);
    expect(isMustStaple(s.root.cert)).toBe(false);
  });

  it('is false for a TLS Feature with other numbers but not 5', async () => {
    const leaf = await leafWith({ tlsFeatures: [17] }); // status_request_v2 only
    expect(isMustStaple(leaf.cert)).toBe(false);
    const empty = await leafWith({ tlsFeatures: [] });
    expect(isMustStaple(empty.cert)).toBe(false);
  });

  it('is true when 5 is one of several features', async () => {
    const leaf = await leafWith({ tlsFeatures: [17, STATUS_REQUEST] });
    expect(isMustStaple(leaf.cert)).toBe(true);
  });

  it('is false, without throwing, for a TLS Feature value that is not a SEQUENCE OF INTEGER', async () => {
    const notASequence = await leafWith({
      extraExtensions: [{ oid: OID.tlsFeature, der: Uint8Array.from([0x02, 0x01, 0x05]) }],
    });
    expect(isMustStaple(notASequence.cert)).toBe(false);
    const notDer = await leafWith({ extraExtensions: [{ oid: OID.tlsFeature, der: garbage(8) }] });
    expect(isMustStaple(notDer.cert)).toBe(false);
    const strings = await leafWith({
      extraExtensions: [{ oid: OID.tlsFeature, der: Uint8Array.from([0x30, 0x03, 0x04, 0x01, 0x05]) }],
    });
    expect(isMustStaple(strings.cert)).toBe(false);
  });
});

describe('ocspUrls (RFC 5280 §4.2.2.1)', () => {
  it('lists the id-ad-ocsp URL', () => {
    expect(ocspUrls(s.leaf.cert)).toEqual([s.ocspUrl]);
  });

  it('is empty for a CRL-only certificate and for a CA without AIA', () => {
    expect(ocspUrls(s.noOcspLeaf.cert)).toEqual([]);
    expect(ocspUrls(s.root.cert)).toEqual([]);
  });
});

describe('extendedKeyUsages', () => {
  it('reads serverAuth on a leaf and id-kp-OCSPSigning on a delegated responder', () => {
    expect(extendedKeyUsages(s.leaf.cert)).toEqual([OID.serverAuth]);
    expect(extendedKeyUsages(s.responder.cert)).toEqual([ENGINE_OID.ocspSigning]);
  });

  it('is empty without the extension', () => {
    expect(extendedKeyUsages(s.root.cert)).toEqual([]);
  });

  it('shows a responder certificate without OCSPSigning', async () => {
    const responder = await mintResponder({
      issuer: s.intermediate,
      commonName: 'not a responder',
      ...leafDates,
      extendedKeyUsages: [OID.serverAuth, OID.clientAuth],
    });
    expect(extendedKeyUsages(responder.cert)).not.toContain(ENGINE_OID.ocspSigning);
  });
});

describe('subjectAltNames', () => {
  it('lists DNS names and IPv4/IPv6 addresses', () => {
    const names = subjectAltNames(s.leaf.cert);
    expect(names.slice(0, 2)).toEqual(['localhost', '127.0.0.1']);
    expect(names).toHaveLength(3);
    // Whatever spelling of ::1 the engine prints, it must be the loopback address.
    expect(new URL(`http://[${names[2]}]/`).hostname).toBe('[::1]');
  });

  it('is empty for a certificate without the extension', () => {
    expect(subjectAltNames(s.root.cert)).toEqual([]);
  });
});

describe('validityAt', () => {
  it('is valid between notBefore and notAfter, inclusive', () => {
    const { cert } = s.leaf;
    expect(validityAt(cert, NOW)).toBe('valid');
    expect(validityAt(cert, cert.notBefore.value)).toBe('valid');
    expect(validityAt(cert, cert.notAfter.value)).toBe('valid');
  });

  it('is not-yet-valid before notBefore and expired after notAfter', () => {
    const { cert } = s.leaf;
    expect(validityAt(cert, shift(cert.notBefore.value, -1000))).toBe('not-yet-valid');
    expect(validityAt(cert, shift(cert.notAfter.value, 1000))).toBe('expired');
  });

  it('reads GeneralizedTime dates from 2050 on (RFC 5280 §4.1.2.5)', async () => {
    const root = await mintRootCa({
      commonName: 'long-lived',
      notBefore: NOW,
      notAfter: new Date('2061-01-01T00:00:00Z'),
    });
    expect(root.cert.notAfter.type).toBe(1);
    expect(root.cert.notAfter.value.toISOString()).toBe('2061-01-01T00:00:00.000Z');
    expect(validityAt(root.cert, new Date('2055-01-01T00:00:00Z'))).toBe('valid');
  });
});

describe('sha256Hex / describeCertificate / describeChainCertificate', () => {
  it('hashes the DER with the injected WebCrypto', async () => {
    expect(await sha256Hex(s.leaf.der, crypto)).toBe(createHash('sha256').update(s.leaf.der).digest('hex'));
  });

  it('describes a leaf with the fields of docs/contract.md §2', async () => {
    const info = await describeCertificate(s.mustStapleLeaf.der, s.mustStapleLeaf.cert, crypto);
    expect(info).toMatchObject({
      subject: 'O=Staple Check Test, CN=localhost',
      issuer: 'O=Staple Check Test, CN=Staple Check Test Intermediate',
      serialNumber: '3002',
      notBefore: shift(NOW, -30 * DAY).toISOString(),
      notAfter: shift(NOW, 60 * DAY).toISOString(),
      mustStaple: true,
      ocspUrls: [s.ocspUrl],
      sha256: createHash('sha256').update(s.mustStapleLeaf.der).digest('hex'),
    });
    expect(info.subjectAltNames.slice(0, 2)).toEqual(['localhost', '127.0.0.1']);
  });

  it('describes a CRL-only leaf as naming no OCSP responder and not Must-Staple', async () => {
    const info = await describeCertificate(s.noOcspLeaf.der, s.noOcspLeaf.cert, crypto);
    expect(info.ocspUrls).toEqual([]);
    expect(info.mustStaple).toBe(false);
  });

  it('describes a chain certificate, and returns null for one that does not parse', async () => {
    expect(await describeChainCertificate(s.intermediate.der, crypto)).toEqual({
      subject: 'O=Staple Check Test, CN=Staple Check Test Intermediate',
      issuer: 'O=Staple Check Test, CN=Staple Check Test Root',
      notAfter: s.intermediate.cert.notAfter.value.toISOString(),
      sha256: createHash('sha256').update(s.intermediate.der).digest('hex'),
    });
    expect(await describeChainCertificate(garbage(), crypto)).toBeNull();
  });
});

describe('RSA certificates', () => {
  it('are read the same way', async () => {
    const root = await mintRootCa({ commonName: 'RSA root', ...leafDates, keyType: 'rsa-2048' });
    const leaf = await mintLeaf({
      issuer: root,
      commonName: 'rsa.test',
      ...leafDates,
      keyType: 'rsa-2048',
      mustStaple: true,
    });
    expect(isMustStaple(leaf.cert)).toBe(true);
    expect(ocspUrls(leaf.cert)).toHaveLength(1);
    expect(await leaf.cert.verify(root.cert)).toBe(true);
  });
});
