// X.509 facts the verdict needs: names, validity, OCSP URLs, Must-Staple, EKU. Pure.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { BoundedCache, bytesKey } from './bounded-cache.js';
import { certificateLimitBreach } from './certificate-limits.js';
import { decodeOid, decodeSmallInteger, isStrictDer, readChildren, type DerElement } from './der.js';
import { sequenceElements } from './der-walk.js';
import { bytesEqual, toArrayBuffer, toHex } from './encoding.js';
import type { CertificateInfo, ChainCertificate } from './result.js';
import type { HashName, SignatureVerifier } from './signature-verifier.js';
import { formatSimpleName, readCertificate, type CertificateFields, type ExtensionFields } from './x509.js';

export const OID = {
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  ocspAccessMethod: '1.3.6.1.5.5.7.48.1',
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  extKeyUsage: '2.5.29.37',
  subjectAltName: '2.5.29.17',
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  basicOcspResponse: '1.3.6.1.5.5.7.48.1.1',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  sha384: '2.16.840.1.101.3.4.2.2',
  sha512: '2.16.840.1.101.3.4.2.3',
} as const;

/** RFC 7633 §6: the TLS feature number of status_request (RFC 6066 extension type 5). */
const TLS_FEATURE_STATUS_REQUEST = 5;

const NAME_ATTRIBUTE: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
};

// A certificate is read once per distinct bytes: issuers and responders recur across thousands of
// sites, and one check meets the same certificate several times (issuer search, chain description,
// staple signer). Parsed certificates are never mutated, so they are shared, keyed by their bytes.
// The facts kept about a certificate as text (names, fingerprints, descriptions) are small: up to
// this many.
const MAX_CACHED_CERTIFICATES = 256;
// A parsed certificate is the strict walk's fields, and once a pkijs field is read (OCSP request
// building, details) a tree of pkijs and asn1js objects, ~24 KB of heap for a 1 KB root: 256 such
// trees would keep 6-8 MB in a host that has met many sites (issue #11, bounded memory). 64 still hold the shared intermediates and the
// chains of the last few dozen sites, so a site visited again is judged with no parse.
const MAX_PARSED_CERTIFICATES = 64;
const parsedCertificates = new BoundedCache<string, { cert: pkijs.Certificate | null }>(MAX_PARSED_CERTIFICATES);

/** Parse one DER certificate; `null` when the bytes are not exactly one certificate. */
export function parseCertificate(der: Uint8Array, key = bytesKey(der)): pkijs.Certificate | null {
  const cached = parsedCertificates.get(key);
  if (cached) return cached.cert;
  const cert = parseCertificateUncached(der);
  parsedCertificates.set(key, { cert });
  return cert;
}

/**
 * What the verdict reads of a certificate (x509.ts: RFC 5280 §4.1 by a strict DER walk, every
 * field the exact DER signed, so names compare byte for byte with no re-encoding), and what is
 * derived from it once.
 */
export interface CertificateFacts extends CertificateFields {
  subjectText: string;
  issuerText: string;
  /** The serial as CAs and OpenSSL print it: without the DER sign octet. */
  serialHex: string;
  /** Digests of the subject name and the key bits, per hash, as CertIDs use them (RFC 6960 §4.1.1). */
  certIdHashes: Map<HashName, { name: Uint8Array; key: Uint8Array }>;
}

const facts = new WeakMap<pkijs.Certificate, CertificateFacts>();
/** The fields read by `parseCertificate`, for each certificate it returned. */
const readFields = new WeakMap<pkijs.Certificate, CertificateFields>();

function factsOf(fields: CertificateFields): CertificateFacts {
  return {
    ...fields,
    subjectText: describeNameDer(fields.subject) ?? '',
    issuerText: describeNameDer(fields.issuer) ?? '',
    serialHex: serialText(fields.serialNumber),
    certIdHashes: new Map(),
  };
}

/**
 * The facts of a parsed certificate, computed once. One made by pkijs elsewhere (the minting
 * tools, tests) is read from its DER the same way; one whose DER does not read is no certificate
 * the engine can judge, and says so by throwing.
 */
export function certificateFacts(cert: pkijs.Certificate): CertificateFacts {
  const known = facts.get(cert);
  if (known) return known;
  const fields = readFields.get(cert) ?? readCertificate(new Uint8Array(cert.toSchema().toBER(false)));
  if (!fields) throw new TypeError('The certificate does not read as strict DER X.509.');
  const made = factsOf(fields);
  facts.set(cert, made);
  return made;
}

const nameTexts = new BoundedCache<string, { text: string | null }>(MAX_CACHED_CERTIFICATES);

/** A DER Name (RFC 5280 §4.1.2.4) as text, as `formatName` writes it; `null` when it is not a Name. */
export function describeNameDer(der: Uint8Array): string | null {
  const key = bytesKey(der);
  const cached = nameTexts.get(key);
  if (cached) return cached.text;
  // The common forms by a DER walk (asn1js costs ~0.5 ms a name on the host); the rest as before.
  let text = isStrictDer(der) ? formatSimpleName(der, NAME_ATTRIBUTE) : null;
  if (text === null) text = describeNameWithPkijs(der);
  nameTexts.set(key, { text });
  return text;
}

function describeNameWithPkijs(der: Uint8Array): string | null {
  let text: string | null = null;
  try {
    const asn1 = asn1js.fromBER(toArrayBuffer(der));
    if (asn1.offset === der.length) text = formatName(new pkijs.RelativeDistinguishedNames({ schema: asn1.result }));
  } catch {
    text = null;
  }
  return text;
}

/** Why `parseCertificate` gave `null` for these bytes, as one sentence for a person. */
export function certificateParseFailure(der: Uint8Array): string {
  return certificateLimitBreach(der) ?? 'The certificate does not parse as X.509.';
}

function parseCertificateUncached(der: Uint8Array): pkijs.Certificate | null {
  // The limits first (certificate-limits.ts), then the strict walk of x509.ts; both the caller's
  // array and later changes to it stay out of what is kept.
  if (certificateLimitBreach(der) !== null) return null;
  const own = new Uint8Array(der);
  const fields = readCertificate(own);
  if (!fields) return null;
  const cert = deferredPkijsCertificate(own);
  readFields.set(cert, fields);
  return cert;
}

/** The fields pkijs.Certificate has of its own (the rest are on its prototype). */
const PKIJS_CERTIFICATE_FIELDS = [
  'tbsView',
  'version',
  'serialNumber',
  'signature',
  'issuer',
  'notBefore',
  'notAfter',
  'subject',
  'subjectPublicKeyInfo',
  'issuerUniqueID',
  'subjectUniqueID',
  'extensions',
  'signatureAlgorithm',
  'signatureValue',
] as const;

/** The DER of each certificate `deferredPkijsCertificate` made, until pkijs has parsed it. */
const unparsedDer = new WeakMap<object, Uint8Array>();

/** Parse `cert`'s DER with pkijs and give it the fields as its own, hiding the accessors below. */
function parseDeferred(cert: object): void {
  const der = unparsedDer.get(cert);
  if (!der) return;
  // `parseEmbedded: false`: pkijs never reads what asn1js would find inside OCTET and BIT STRINGs.
  const asn1 = asn1js.fromBER(toArrayBuffer(der), { parseEmbedded: false, copyInput: false });
  const parsed = new pkijs.Certificate({ schema: asn1.result }) as unknown as Record<string, unknown>;
  unparsedDer.delete(cert);
  for (const name of PKIJS_CERTIFICATE_FIELDS) {
    if (name in parsed)
      Object.defineProperty(cert, name, { value: parsed[name], writable: true, enumerable: true, configurable: true });
  }
}

/**
 * Stands for pkijs.Certificate.prototype until something asks it a question (a method, a property
 * pkijs has, `instanceof`, `in`): it then puts the real prototype in its place behind
 * DEFERRED_CERTIFICATE and answers as that does. The programs' bundles evaluate pkijs on first use
 * (vite.node.config.ts), and a check that only reads the facts of common certificates (the
 * badge's) never needs it: reading `pkijs.Certificate` here, when this module loads, would
 * evaluate all of pkijs on every start.
 */
const PKIJS_CERTIFICATE_PROTOTYPE_ON_FIRST_USE: object = new Proxy(
  {},
  {
    get: (_, key, receiver) => Reflect.get(settleCertificatePrototype(), key, receiver),
    set: (_, key, value, receiver) => Reflect.set(settleCertificatePrototype(), key, value, receiver),
    has: (_, key) => Reflect.has(settleCertificatePrototype(), key),
    // A walk up the chain (`instanceof`) that reached the stand-in goes on from the real prototype.
    getPrototypeOf: () => settleCertificatePrototype(),
    ownKeys: () => Reflect.ownKeys(settleCertificatePrototype()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(settleCertificatePrototype(), key),
  },
);

/** pkijs.Certificate.prototype, now behind DEFERRED_CERTIFICATE in place of its stand-in. */
function settleCertificatePrototype(): object {
  const real = pkijs.Certificate.prototype;
  Object.setPrototypeOf(DEFERRED_CERTIFICATE, real);
  return real;
}

/**
 * The prototype of deferred certificates: pkijs.Certificate's (first its stand-in above), with an
 * accessor per field that parses on first use. Defined once, so a certificate the verdict reads
 * costs one small object.
 */
const DEFERRED_CERTIFICATE: object = Object.create(
  PKIJS_CERTIFICATE_PROTOTYPE_ON_FIRST_USE,
  Object.fromEntries(
    PKIJS_CERTIFICATE_FIELDS.map((name): [string, PropertyDescriptor] => [
      name,
      {
        configurable: true,
        get(this: Record<string, unknown>) {
          parseDeferred(this);
          return Object.prototype.hasOwnProperty.call(this, name) ? this[name] : undefined;
        },
        set(this: Record<string, unknown>, value: unknown) {
          parseDeferred(this);
          Object.defineProperty(this, name, { value, writable: true, enumerable: true, configurable: true });
        },
      },
    ]),
  ),
);

/**
 * A pkijs.Certificate whose fields are parsed by pkijs only when one is first read. The verdict
 * reads `certificateFacts` and never touches them; building an OCSP request (the full probe) and
 * callers that want pkijs objects still get them. The bytes passed the strict walk, which refuses
 * everything pkijs's schema refuses (test/unit/x509.test.ts), so the deferred parse succeeds.
 */
function deferredPkijsCertificate(der: Uint8Array): pkijs.Certificate {
  const cert = Object.create(DEFERRED_CERTIFICATE) as pkijs.Certificate;
  unparsedDer.set(cert, der);
  return cert;
}

export function formatName(name: pkijs.RelativeDistinguishedNames): string {
  return name.typesAndValues
    .map((tv) => {
      const key = NAME_ATTRIBUTE[tv.type] ?? tv.type;
      const block = tv.value.valueBlock as { value?: unknown };
      const value = typeof block.value === 'string' ? block.value : toHex(tv.value.valueBeforeDecodeView);
      return `${key}=${value}`;
    })
    .join(', ');
}

// Encoding a name again through pkijs's schema costs more than the rest of a warm check's judging
// (`npm run bench`), and the same names (a leaf's issuer, a CA's subject) are compared on every
// check. Parsed structures are never mutated (see `parsedCertificates`), so each one's encoding is
// kept beside it, and goes when it goes.
const nameEncodings = new WeakMap<pkijs.RelativeDistinguishedNames, Uint8Array>();

/** The name's exact DER: names are compared byte for byte (RFC 5280 §7.1 allows more, OpenSSL does this). */
export function nameDer(name: pkijs.RelativeDistinguishedNames): Uint8Array {
  let der = nameEncodings.get(name);
  if (!der) {
    der = new Uint8Array(name.toSchema().toBER(false));
    nameEncodings.set(name, der);
  }
  return der;
}

export function namesEqual(a: pkijs.RelativeDistinguishedNames, b: pkijs.RelativeDistinguishedNames): boolean {
  return bytesEqual(nameDer(a), nameDer(b));
}

/** The subjectPublicKey BIT STRING's value, without the unused-bits octet (RFC 6960 §4.1.1 hashes this). */
export function publicKeyBits(cert: pkijs.Certificate): Uint8Array {
  return certificateFacts(cert).publicKeyBits;
}

/** The serial INTEGER's contents without the DER sign octet, as CAs and OpenSSL print it. */
function serialText(bytes: Uint8Array): string {
  const start = bytes.length > 1 && bytes[0] === 0 ? 1 : 0;
  return toHex(bytes.subarray(start));
}

export function serialHex(serial: asn1js.Integer): string {
  return serialText(serial.valueBlock.valueHexView);
}

function findExtension(cert: pkijs.Certificate, oid: string): ExtensionFields | undefined {
  return certificateFacts(cert).extensions.find((e) => e.oid === oid);
}

/** What pkijs reads an extension's value as (its ExtensionValueFactory), for the forms the walks below leave to it. */
function pkijsExtensionValue(extension: ExtensionFields): unknown {
  return new pkijs.Extension({ extnID: extension.oid, extnValue: toArrayBuffer(extension.value) }).parsedValue;
}

/** RFC 7633: the TLS Feature extension is a SEQUENCE OF INTEGER; Must-Staple lists 5. */
export function isMustStaple(cert: pkijs.Certificate): boolean {
  const ext = findExtension(cert, OID.tlsFeature);
  if (!ext) return false;
  const items = sequenceElements(ext.value);
  if (items?.every((item) => item.tag === 0x02 && item.end - item.contents <= 4)) {
    return items.some(
      (item) => decodeSmallInteger(ext.value.subarray(item.contents, item.end)) === TLS_FEATURE_STATUS_REQUEST,
    );
  }
  // Any other form is read by asn1js, as before: leniently, but never as Must-Staple unless it lists 5.
  const asn1 = asn1js.fromBER(toArrayBuffer(ext.value));
  if (asn1.offset === -1 || !(asn1.result instanceof asn1js.Sequence)) return false;
  return asn1.result.valueBlock.value.some(
    (item) => item instanceof asn1js.Integer && item.valueBlock.valueDec === TLS_FEATURE_STATUS_REQUEST,
  );
}

// The extensions every check reads of every new leaf (and a responder's EKU, a CA's basic
// constraints), walked over their strict-DER bytes: pkijs's schema parse of them cost more than the
// handshake on a first-seen site (`npm run bench`). Any value that is not strict DER or not of the
// expected shape (`sequenceElements` gives `null`) goes the pkijs way, as before. The walks are exported for their tests
// (test/unit/certificate-extension-forms.test.ts), which hold which forms each one takes.

/** A GeneralName's IA5String contents (dNSName, uniformResourceIdentifier) as pkijs gives them: one character per octet. */
function ia5Text(bytes: Uint8Array, element: DerElement): string {
  let text = '';
  for (let i = element.contents; i < element.end; i++) text += String.fromCharCode(bytes[i] ?? 0);
  return text;
}

/** RFC 5280 §4.2.2.1 AccessDescription: accessMethod OID, accessLocation [6] URI; `null`: not this shape. */
export function ocspUrlsFromDer(value: Uint8Array): string[] | null {
  const items = sequenceElements(value);
  if (!items) return null;
  const urls: string[] = [];
  for (const item of items) {
    if (item.tag !== 0x30) return null;
    const [method, location, extra] = readChildren(value, item);
    if (!method || !location || extra || method.tag !== 0x06) return null;
    const oid = decodeOid(value.subarray(method.contents, method.end));
    if (oid === null) return null;
    if (oid === OID.ocspAccessMethod && location.tag === 0x86) urls.push(ia5Text(value, location));
  }
  return urls;
}

/** The other GeneralName choices (RFC 5280 §4.2.1.6): otherName [0] … registeredID [8], as DER tags them. */
const OTHER_GENERAL_NAME_TAGS = new Set([0xa0, 0x81, 0xa3, 0xa4, 0xa5, 0x86, 0x88]);

/** RFC 5280 §4.2.1.6 GeneralNames: dNSName [2] and iPAddress [7]; `null`: not this shape. */
export function altNamesFromDer(value: Uint8Array): string[] | null {
  const items = sequenceElements(value);
  if (!items || items.length === 0) return null;
  const names: string[] = [];
  for (const item of items) {
    if (item.tag === 0x82) names.push(ia5Text(value, item));
    else if (item.tag === 0x87) names.push(formatIpBytes(value.subarray(item.contents, item.end)));
    else if (!OTHER_GENERAL_NAME_TAGS.has(item.tag)) return null;
  }
  return names;
}

/** RFC 5280 §4.2.2.1: the id-ad-ocsp URIs of the Authority Information Access extension. */
export function ocspUrls(cert: pkijs.Certificate): string[] {
  const ext = findExtension(cert, OID.authorityInfoAccess);
  if (!ext) return [];
  const fast = ocspUrlsFromDer(ext.value);
  if (fast) return fast;
  const parsed = pkijsExtensionValue(ext) as pkijs.InfoAccess | undefined;
  if (!parsed?.accessDescriptions) return [];
  return parsed.accessDescriptions
    .filter((d) => d.accessMethod === OID.ocspAccessMethod && d.accessLocation.type === 6)
    .map((d) => String(d.accessLocation.value));
}

/** RFC 5280 §4.2.1.12 ExtKeyUsageSyntax ::= SEQUENCE SIZE (1..MAX) OF KeyPurposeId; `null`: not this shape. */
export function keyPurposesFromDer(value: Uint8Array): string[] | null {
  const items = sequenceElements(value);
  if (!items || items.length === 0) return null;
  const purposes: string[] = [];
  for (const item of items) {
    const oid = item.tag === 0x06 ? decodeOid(value.subarray(item.contents, item.end)) : null;
    if (oid === null) return null;
    purposes.push(oid);
  }
  return purposes;
}

/** RFC 5280 §4.2.1.12, read for responder authorization (RFC 6960 §4.2.2.2: id-kp-OCSPSigning). */
export function extendedKeyUsages(cert: pkijs.Certificate): string[] {
  const ext = findExtension(cert, OID.extKeyUsage);
  if (!ext) return [];
  const fast = keyPurposesFromDer(ext.value);
  if (fast) return fast;
  const parsed = pkijsExtensionValue(ext) as pkijs.ExtKeyUsage | undefined;
  return parsed?.keyPurposes ?? [];
}

export function subjectAltNames(cert: pkijs.Certificate): string[] {
  const ext = findExtension(cert, OID.subjectAltName);
  if (!ext) return [];
  const fast = altNamesFromDer(ext.value);
  if (fast) return fast;
  const parsed = pkijsExtensionValue(ext) as pkijs.AltName | undefined;
  const names: string[] = [];
  for (const name of parsed?.altNames ?? []) {
    if (name.type === 2) names.push(String(name.value));
    else if (name.type === 7) names.push(formatIpAddress(name.value as asn1js.OctetString));
  }
  return names;
}

function formatIpAddress(octets: asn1js.OctetString): string {
  return formatIpBytes(octets.valueBlock.valueHexView);
}

function formatIpBytes(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: string[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2)
    groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16));
  const full = groups.join(':');
  try {
    // The WHATWG URL parser writes IPv6 in its RFC 5952 canonical form (::1, not 0:0:0:0:0:0:0:1).
    return new URL(`http://[${full}]/`).hostname.slice(1, -1);
  } catch {
    return full;
  }
}

export function validityAt(cert: pkijs.Certificate, at: Date): 'valid' | 'expired' | 'not-yet-valid' {
  const { notBefore, notAfter } = certificateFacts(cert);
  if (at.getTime() < notBefore.getTime()) return 'not-yet-valid';
  if (at.getTime() > notAfter.getTime()) return 'expired';
  return 'valid';
}

/**
 * RFC 5280 §4.2.1.9 BasicConstraints ::= SEQUENCE { cA BOOLEAN DEFAULT FALSE, pathLenConstraint
 * INTEGER OPTIONAL }: whether cA is TRUE; `null`: not this shape.
 */
export function isCaFromDer(value: Uint8Array): boolean | null {
  const items = sequenceElements(value);
  if (!items || items.length > 2) return null;
  const [first, second] = items;
  if (!first) return false;
  if (first.tag === 0x02 && !second) return false;
  if (first.tag !== 0x01 || first.end - first.contents !== 1 || (second && second.tag !== 0x02)) return null;
  return value[first.contents] !== 0;
}

/** RFC 5280 §4.2.1.9: basicConstraints cA TRUE. */
export function isCaCertificate(cert: pkijs.Certificate): boolean {
  const ext = findExtension(cert, '2.5.29.19');
  if (!ext) return false;
  const fast = isCaFromDer(ext.value);
  if (fast !== null) return fast;
  const parsed = pkijsExtensionValue(ext) as pkijs.BasicConstraints | undefined;
  return parsed?.cA === true;
}

export function isSelfIssued(cert: pkijs.Certificate): boolean {
  const { subject, issuer } = certificateFacts(cert);
  return bytesEqual(subject, issuer);
}

// A certificate's fingerprint is asked for twice a check (the result's `certificate` and its
// `chain`), and the CA's on every check of every site it issued; each WebCrypto digest is an
// asynchronous job costing far more than the hash. A digest is a pure fact of the bytes.
const fingerprints = new BoundedCache<string, string>(MAX_CACHED_CERTIFICATES);

/**
 * Where a SHA-256 comes from: WebCrypto (the browser, pure tests) or an injected
 * SignatureVerifier's `digest` (the Node shells pass node:crypto, synchronous, far cheaper than a
 * WebCrypto job per new certificate).
 */
export type DigestSource = Crypto | Pick<SignatureVerifier, 'digest'>;

async function sha256Of(bytes: Uint8Array, source: DigestSource): Promise<Uint8Array | ArrayBuffer> {
  return 'digest' in source ? source.digest('SHA-256', bytes) : source.subtle.digest('SHA-256', toArrayBuffer(bytes));
}

export async function sha256Hex(bytes: Uint8Array, source: DigestSource, key = bytesKey(bytes)): Promise<string> {
  const known = fingerprints.get(key);
  if (known !== undefined) return known;
  const hex = toHex(await sha256Of(bytes, source));
  fingerprints.set(key, hex);
  return hex;
}

// What describes a certificate is a pure fact of its bytes, asked for on every check of a site
// (its leaf, and its CA's on every check of every site that CA issued); formatting names, the
// subjectAltName walk and the digest are computed once per distinct certificate. Each caller gets
// its own copy: results are the caller's to change.
const certificateDescriptions = new BoundedCache<string, CertificateInfo>(MAX_CACHED_CERTIFICATES);
const chainDescriptions = new BoundedCache<string, { described: ChainCertificate | null }>(MAX_CACHED_CERTIFICATES);

function copyCertificateInfo(info: CertificateInfo): CertificateInfo {
  return { ...info, subjectAltNames: [...info.subjectAltNames], ocspUrls: [...info.ocspUrls] };
}

/**
 * `cert` is `der` parsed (`parseCertificate`); the description is kept by `der`'s bytes. `key`:
 * `bytesKey(der)`, when the caller has it (taken in the same synchronous run as the call).
 */
export async function describeCertificate(
  der: Uint8Array,
  cert: pkijs.Certificate,
  digests: DigestSource,
  key = bytesKey(der),
): Promise<CertificateInfo> {
  const known = certificateDescriptions.get(key);
  if (known) return copyCertificateInfo(known);
  const read = certificateFacts(cert);
  const info: CertificateInfo = {
    subject: read.subjectText,
    issuer: read.issuerText,
    serialNumber: read.serialHex,
    notBefore: read.notBefore.toISOString(),
    notAfter: read.notAfter.toISOString(),
    subjectAltNames: subjectAltNames(cert),
    mustStaple: isMustStaple(cert),
    ocspUrls: ocspUrls(cert),
    sha256: await sha256Hex(der, digests, key),
  };
  certificateDescriptions.set(key, copyCertificateInfo(info));
  return info;
}

/** `key`: `bytesKey(der)`, when the caller has it (taken in the same synchronous run as the call). */
export async function describeChainCertificate(
  der: Uint8Array,
  digests: DigestSource,
  key = bytesKey(der),
): Promise<ChainCertificate | null> {
  const known = chainDescriptions.get(key);
  if (known) return known.described && { ...known.described };
  const cert = parseCertificate(der, key);
  const read = cert && certificateFacts(cert);
  const described = read && {
    subject: read.subjectText,
    issuer: read.issuerText,
    notAfter: read.notAfter.toISOString(),
    sha256: await sha256Hex(der, digests, key),
  };
  chainDescriptions.set(key, { described: described && { ...described } });
  return described;
}
