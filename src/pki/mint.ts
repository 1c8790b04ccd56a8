// Mint test PKI: CAs, leaf certificates, OCSP responder certificates and OCSP responses (good
// ones and broken ones), with pkijs + asn1js + WebCrypto. Dates and keys are parameters: nothing
// here reads the clock, so a test decides what "now" is.
//
// Every certificate and every response is real, correctly encoded DER and correctly signed,
// unless an option asks for it to be broken. `openssl ocsp -respin X.der -resp_text -noverify`
// reads all the responses; see test/fixtures/minted/README.md.
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';

const webcrypto: Crypto = globalThis.crypto;

/** pkijs' engine, writing the NULL parameters that RSA signature algorithms carry (RFC 4055 §5). */
class MintEngine extends pkijs.CryptoEngine {
  override async getSignatureParameters(privateKey: CryptoKey, hashAlgorithm?: string) {
    const parameters = await super.getSignatureParameters(privateKey, hashAlgorithm);
    if (privateKey.algorithm.name === 'RSASSA-PKCS1-v1_5') {
      parameters.signatureAlgorithm.algorithmParams = new asn1js.Null();
    }
    return parameters;
  }
}
const engine = new MintEngine({ name: 'staplecheck-mint', crypto: webcrypto });

export const OID = {
  commonName: '2.5.4.3',
  organizationName: '2.5.4.10',
  subjectKeyIdentifier: '2.5.29.14',
  keyUsage: '2.5.29.15',
  subjectAltName: '2.5.29.17',
  basicConstraints: '2.5.29.19',
  crlDistributionPoints: '2.5.29.31',
  authorityKeyIdentifier: '2.5.29.35',
  extKeyUsage: '2.5.29.37',
  authorityInfoAccess: '1.3.6.1.5.5.7.1.1',
  /** RFC 7633 §6: id-pe-tlsfeature. */
  tlsFeature: '1.3.6.1.5.5.7.1.24',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
  /** RFC 6960 §4.2.2.2: id-kp-OCSPSigning. */
  ocspSigning: '1.3.6.1.5.5.7.3.9',
  /** RFC 5280 §4.2.2.1: id-ad-ocsp. */
  ocsp: '1.3.6.1.5.5.7.48.1',
  caIssuers: '1.3.6.1.5.5.7.48.2',
  /** RFC 6960 §4.2.1: id-pkix-ocsp-basic. */
  basicOcspResponse: '1.3.6.1.5.5.7.48.1.1',
  /** RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck. */
  ocspNoCheck: '1.3.6.1.5.5.7.48.1.5',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
} as const;

/** RFC 7633 §6 / RFC 6066 §8: the TLS feature number of status_request. */
export const STATUS_REQUEST = 5;

export const SECOND = 1000;
export const MINUTE = 60 * SECOND;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** `date` moved by `ms` (negative: earlier). */
export function shift(date: Date, ms: number): Date {
  return new Date(date.getTime() + ms);
}

// DER times carry whole seconds (RFC 5280 §4.1.2.5.1/§4.1.2.5.2 forbid fractions in certificates).
function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}

// ---------------------------------------------------------------------------------------------
// Bytes and PEM

export function toPem(der: Uint8Array, label: string): string {
  const base64 = Buffer.from(der).toString('base64');
  const lines = base64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export function certificatePem(minted: { der: Uint8Array }): string {
  return toPem(minted.der, 'CERTIFICATE');
}

/** Several certificates as one PEM bundle (e.g. a chain file for a TLS server). */
export function pemBundle(certs: readonly { der: Uint8Array }[]): string {
  return certs.map(certificatePem).join('');
}

function bufferOf(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}

function derOf(schema: { toBER(sizeOnly?: boolean): ArrayBuffer }): Uint8Array {
  return new Uint8Array(schema.toBER(false));
}

async function sha1(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await webcrypto.subtle.digest('SHA-1', bufferOf(bytes)));
}

/** A serial number as the content octets of a positive DER INTEGER (RFC 5280 §4.1.2.2). */
function serialBytes(serial: bigint): Uint8Array {
  if (serial <= 0n) throw new Error('serial numbers are positive (RFC 5280 §4.1.2.2)');
  let hex = serial.toString(16);
  if (hex.length % 2 === 1) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) >= 0x80) hex = `00${hex}`; // keep it positive
  return Uint8Array.from(Buffer.from(hex, 'hex'));
}

/** A random 64-bit positive serial, for when the test does not care which. */
export function randomSerial(): bigint {
  const bytes = webcrypto.getRandomValues(new Uint8Array(8));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return BigInt(`0x${Buffer.from(bytes).toString('hex')}`);
}

// ---------------------------------------------------------------------------------------------
// Keys

export type KeyType = 'ecdsa-p256' | 'rsa-2048';

export interface KeyPair {
  type: KeyType;
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  /** PKCS#8 `PRIVATE KEY` PEM, as Node TLS, nginx and openssl read it. */
  privateKeyPem: string;
}

export async function generateKeyPair(type: KeyType = 'ecdsa-p256'): Promise<KeyPair> {
  const algorithm: EcKeyGenParams | RsaHashedKeyGenParams =
    type === 'ecdsa-p256'
      ? { name: 'ECDSA', namedCurve: 'P-256' }
      : {
          name: 'RSASSA-PKCS1-v1_5',
          modulusLength: 2048,
          publicExponent: new Uint8Array([1, 0, 1]),
          hash: 'SHA-256',
        };
  const pair = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as CryptoKeyPair;
  const pkcs8 = new Uint8Array(await webcrypto.subtle.exportKey('pkcs8', pair.privateKey));
  return { type, privateKey: pair.privateKey, publicKey: pair.publicKey, privateKeyPem: toPem(pkcs8, 'PRIVATE KEY') };
}

// ---------------------------------------------------------------------------------------------
// Certificates (RFC 5280)

export interface MintedCertificate {
  der: Uint8Array;
  pem: string;
  /** Parsed back from `der`, as the engine would see it. */
  cert: pkijs.Certificate;
  keys: KeyPair;
  commonName: string;
  serialNumber: bigint;
  /** RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value. */
  keyId: Uint8Array;
}

export interface CertificateOptions {
  commonName: string;
  /** O= in the subject; the default marks everything as test material. */
  organization?: string;
  notBefore: Date;
  notAfter: Date;
  serialNumber?: bigint;
  /** Reuse a key pair (e.g. a CA re-issued with the same key); default: a fresh one of `keyType`. */
  keys?: KeyPair;
  keyType?: KeyType;
}

interface CertificateProfile extends CertificateOptions {
  /** `null`: self-signed. */
  issuer: MintedCertificate | null;
  extensions: (subjectKeyId: Uint8Array) => pkijs.Extension[];
}

/**
 * RFC 5280 §4.1.2.4: Name ::= SEQUENCE OF RelativeDistinguishedName (a SET). One attribute per RDN,
 * as CAs write them; pkijs alone would put every attribute into one multi-valued RDN ("O=.. + CN=..").
 */
function subjectName(commonName: string, organization: string): pkijs.RelativeDistinguishedNames {
  const rdn = (type: string, value: string) =>
    new asn1js.Set({
      value: [new pkijs.AttributeTypeAndValue({ type, value: new asn1js.Utf8String({ value }) }).toSchema()],
    });
  const name = new asn1js.Sequence({
    value: [rdn(OID.organizationName, organization), rdn(OID.commonName, commonName)],
  });
  return new pkijs.RelativeDistinguishedNames({ schema: asn1js.fromBER(name.toBER(false)).result });
}

/** RFC 5280 §4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050. */
function certificateTime(date: Date): pkijs.Time {
  const value = wholeSeconds(date);
  return new pkijs.Time({ type: value.getUTCFullYear() < 2050 ? 0 : 1, value });
}

function extension(extnID: string, critical: boolean, value: { toBER(sizeOnly?: boolean): ArrayBuffer }) {
  return new pkijs.Extension({ extnID, critical, extnValue: value.toBER(false) });
}

/** RFC 5280 §4.2.1.9, critical. */
function basicConstraintsExtension(ca: boolean, pathLength?: number): pkijs.Extension {
  const value = new pkijs.BasicConstraints(
    ca && pathLength !== undefined ? { cA: true, pathLenConstraint: pathLength } : { cA: ca },
  );
  return extension(OID.basicConstraints, true, value.toSchema());
}

// RFC 5280 §4.2.1.3 KeyUsage bit numbers.
const KEY_USAGE = { digitalSignature: 0, keyEncipherment: 2, keyCertSign: 5, cRLSign: 6 } as const;

/** RFC 5280 §4.2.1.3, critical. A named BIT STRING: trailing zero bits are dropped (X.690 §11.2.2). */
function keyUsageExtension(usages: (keyof typeof KEY_USAGE)[]): pkijs.Extension {
  const bits = usages.map((u) => KEY_USAGE[u]);
  const highest = Math.max(...bits);
  const bytes = new Uint8Array(Math.floor(highest / 8) + 1);
  for (const bit of bits) bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) | (0x80 >> (bit & 7));
  const unusedBits = bytes.length * 8 - (highest + 1);
  return extension(OID.keyUsage, true, new asn1js.BitString({ valueHex: bufferOf(bytes), unusedBits }));
}

/** RFC 5280 §4.2.1.12. */
function extKeyUsageExtension(purposes: readonly string[]): pkijs.Extension {
  return extension(OID.extKeyUsage, false, new pkijs.ExtKeyUsage({ keyPurposes: [...purposes] }).toSchema());
}

/** RFC 5280 §4.2.1.2. */
function subjectKeyIdExtension(keyId: Uint8Array): pkijs.Extension {
  return extension(OID.subjectKeyIdentifier, false, new asn1js.OctetString({ valueHex: bufferOf(keyId) }));
}

/** RFC 5280 §4.2.1.1. */
function authorityKeyIdExtension(keyId: Uint8Array): pkijs.Extension {
  const value = new pkijs.AuthorityKeyIdentifier({
    keyIdentifier: new asn1js.OctetString({ valueHex: bufferOf(keyId) }),
  });
  return extension(OID.authorityKeyIdentifier, false, value.toSchema());
}

/** An IPv4 or IPv6 address as the octets of a SAN iPAddress (RFC 5280 §4.2.1.6). */
export function ipAddressBytes(text: string): Uint8Array {
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(text)) {
    const parts = text.split('.').map(Number);
    if (parts.some((p) => p > 255)) throw new Error(`not an IPv4 address: ${text}`);
    return Uint8Array.from(parts);
  }
  const halves = text.split('::');
  if (halves.length > 2 || !/^[0-9a-fA-F:]+$/.test(text)) throw new Error(`not an IP address: ${text}`);
  const groupsOf = (part: string | undefined) => (part ? part.split(':') : []);
  const head = groupsOf(halves[0]);
  const tail = groupsOf(halves[1]);
  const groups =
    halves.length === 2 ? [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail] : head;
  if (groups.length !== 8 || groups.some((g) => g.length === 0 || g.length > 4)) {
    throw new Error(`not an IPv6 address: ${text}`);
  }
  const bytes = new Uint8Array(16);
  groups.forEach((g, i) => {
    const value = parseInt(g, 16);
    bytes[2 * i] = value >> 8;
    bytes[2 * i + 1] = value & 0xff;
  });
  return bytes;
}

/** RFC 5280 §4.2.1.6: dNSName [2] and iPAddress [7]. */
function subjectAltNameExtension(dnsNames: readonly string[], ipAddresses: readonly string[]): pkijs.Extension {
  const altNames = [
    ...dnsNames.map((value) => new pkijs.GeneralName({ type: 2, value })),
    ...ipAddresses.map(
      (ip) =>
        new pkijs.GeneralName({ type: 7, value: new asn1js.OctetString({ valueHex: bufferOf(ipAddressBytes(ip)) }) }),
    ),
  ];
  return extension(OID.subjectAltName, false, new pkijs.AltName({ altNames }).toSchema());
}

/** RFC 5280 §4.2.2.1: where to ask about this certificate (id-ad-ocsp) and where its issuer lives. */
function authorityInfoAccessExtension(ocspUrls: readonly string[], caIssuersUrls: readonly string[]): pkijs.Extension {
  const describe = (accessMethod: string, url: string) =>
    new pkijs.AccessDescription({ accessMethod, accessLocation: new pkijs.GeneralName({ type: 6, value: url }) });
  const value = new pkijs.InfoAccess({
    accessDescriptions: [
      ...ocspUrls.map((url) => describe(OID.ocsp, url)),
      ...caIssuersUrls.map((url) => describe(OID.caIssuers, url)),
    ],
  });
  return extension(OID.authorityInfoAccess, false, value.toSchema());
}

/** RFC 5280 §4.2.1.13: one distribution point with a fullName URI. */
function crlDistributionPointsExtension(url: string): pkijs.Extension {
  const value = new pkijs.CRLDistributionPoints({
    distributionPoints: [
      new pkijs.DistributionPoint({ distributionPoint: [new pkijs.GeneralName({ type: 6, value: url })] }),
    ],
  });
  return extension(OID.crlDistributionPoints, false, value.toSchema());
}

/** RFC 7633 §2: Features ::= SEQUENCE OF INTEGER; Must-Staple is the list {5}. */
function tlsFeatureExtension(features: readonly number[]): pkijs.Extension {
  const value = new asn1js.Sequence({ value: features.map((f) => new asn1js.Integer({ value: f })) });
  return extension(OID.tlsFeature, false, value);
}

/** RFC 6960 §4.2.2.2.1: id-pkix-ocsp-nocheck, a NULL, tells clients not to check the responder itself. */
function ocspNoCheckExtension(): pkijs.Extension {
  return extension(OID.ocspNoCheck, false, new asn1js.Null());
}

async function mintCertificate(profile: CertificateProfile): Promise<MintedCertificate> {
  const keys = profile.keys ?? (await generateKeyPair(profile.keyType));
  const serialNumber = profile.serialNumber ?? randomSerial();
  const subject = subjectName(profile.commonName, profile.organization ?? 'Staple Check Test');

  const cert = new pkijs.Certificate();
  cert.version = 2; // v3, RFC 5280 §4.1.2.1
  cert.serialNumber = new asn1js.Integer({ valueHex: bufferOf(serialBytes(serialNumber)) });
  cert.subject = subject;
  // The issuer name is the issuer's subject, byte for byte (RFC 5280 §4.1.2.4).
  cert.issuer = profile.issuer
    ? new pkijs.RelativeDistinguishedNames({
        schema: asn1js.fromBER(profile.issuer.cert.subject.toSchema().toBER()).result,
      })
    : subject;
  cert.notBefore = certificateTime(profile.notBefore);
  cert.notAfter = certificateTime(profile.notAfter);
  await cert.subjectPublicKeyInfo.importKey(keys.publicKey, engine);
  const keyId = await sha1(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  cert.extensions = [
    subjectKeyIdExtension(keyId),
    authorityKeyIdExtension(profile.issuer ? profile.issuer.keyId : keyId),
    ...profile.extensions(keyId),
  ];
  await cert.sign(profile.issuer ? profile.issuer.keys.privateKey : keys.privateKey, 'SHA-256', engine);

  const der = derOf(cert.toSchema()); // the signed TBS bytes, as they are
  return {
    der,
    pem: toPem(der, 'CERTIFICATE'),
    cert: pkijs.Certificate.fromBER(bufferOf(der)),
    keys,
    commonName: profile.commonName,
    serialNumber,
    keyId,
  };
}

/** A self-signed root CA (RFC 5280 §4.2.1.9: cA TRUE; §4.2.1.3: keyCertSign, cRLSign). */
export async function mintRootCa(options: CertificateOptions): Promise<MintedCertificate> {
  return mintCertificate({
    ...options,
    issuer: null,
    extensions: () => [
      basicConstraintsExtension(true),
      keyUsageExtension(['digitalSignature', 'keyCertSign', 'cRLSign']),
    ],
  });
}

export interface IntermediateOptions extends CertificateOptions {
  issuer: MintedCertificate;
  /** basicConstraints pathLenConstraint; default 0 (issues leaves only). */
  pathLength?: number;
}

/** A CA certificate issued by another CA. */
export async function mintIntermediateCa(options: IntermediateOptions): Promise<MintedCertificate> {
  return mintCertificate({
    ...options,
    extensions: () => [
      basicConstraintsExtension(true, options.pathLength ?? 0),
      keyUsageExtension(['digitalSignature', 'keyCertSign', 'cRLSign']),
    ],
  });
}

export const DEFAULT_OCSP_URL = 'http://ocsp.staplecheck.test/';

export interface LeafOptions extends CertificateOptions {
  issuer: MintedCertificate;
  dnsNames?: string[];
  ipAddresses?: string[];
  /** The id-ad-ocsp URL; `null` for none (a CRL-only certificate). Default: DEFAULT_OCSP_URL. */
  ocspUrl?: string | null;
  /** A CRL distribution point, e.g. for a CRL-only certificate. */
  crlUrl?: string;
  /** RFC 7633 Must-Staple: the TLS Feature extension listing status_request (5). */
  mustStaple?: boolean;
  /** The TLS Feature extension with exactly these numbers (overrides `mustStaple`). */
  tlsFeatures?: number[];
  /** Default [serverAuth]. */
  extendedKeyUsages?: string[];
  /** Extensions appended as given, for odd cases: `[{ oid, der }]` (the extnValue contents). */
  extraExtensions?: { oid: string; der: Uint8Array; critical?: boolean }[];
}

/** A TLS server certificate (RFC 5280 §4.2.1.12 serverAuth) issued by `options.issuer`. */
export async function mintLeaf(options: LeafOptions): Promise<MintedCertificate> {
  const keyType = options.keys?.type ?? options.keyType ?? 'ecdsa-p256';
  const ocspUrl = options.ocspUrl === undefined ? DEFAULT_OCSP_URL : options.ocspUrl;
  const tlsFeatures = options.tlsFeatures ?? (options.mustStaple ? [STATUS_REQUEST] : null);
  return mintCertificate({
    ...options,
    keyType,
    extensions: () => [
      basicConstraintsExtension(false),
      // An RSA key also enciphers the pre-master secret in TLS 1.2 RSA key exchange.
      keyUsageExtension(keyType === 'rsa-2048' ? ['digitalSignature', 'keyEncipherment'] : ['digitalSignature']),
      extKeyUsageExtension(options.extendedKeyUsages ?? [OID.serverAuth]),
      subjectAltNameExtension(options.dnsNames ?? [options.commonName], options.ipAddresses ?? []),
      ...(ocspUrl ? [authorityInfoAccessExtension([ocspUrl], [])] : []),
      ...(options.crlUrl ? [crlDistributionPointsExtension(options.crlUrl)] : []),
      ...(tlsFeatures ? [tlsFeatureExtension(tlsFeatures)] : []),
      ...(options.extraExtensions ?? []).map(
        (e) => new pkijs.Extension({ extnID: e.oid, critical: e.critical ?? false, extnValue: bufferOf(e.der) }),
      ),
    ],
  });
}

export interface ResponderOptions extends CertificateOptions {
  /** The CA that delegates; RFC 6960 §4.2.2.2 wants the CA that issued the certificates in question. */
  issuer: MintedCertificate;
  /** Default [id-kp-OCSPSigning]; anything without it models an unauthorized signer. */
  extendedKeyUsages?: string[];
  /** id-pkix-ocsp-nocheck (RFC 6960 §4.2.2.2.1); default true, as real responders do. */
  noCheck?: boolean;
}

/** A delegated OCSP responder certificate (RFC 6960 §4.2.2.2). */
export async function mintResponder(options: ResponderOptions): Promise<MintedCertificate> {
  return mintCertificate({
    ...options,
    extensions: () => [
      basicConstraintsExtension(false),
      keyUsageExtension(['digitalSignature']),
      extKeyUsageExtension(options.extendedKeyUsages ?? [OID.ocspSigning]),
      ...(options.noCheck === false ? [] : [ocspNoCheckExtension()]),
    ],
  });
}

// ---------------------------------------------------------------------------------------------
// OCSP responses (RFC 6960 §4.2)

/** RFC 6960 §4.2.1 OCSPResponseStatus (4 is not used). */
export const RESPONSE_STATUS = {
  successful: 0,
  malformedRequest: 1,
  internalError: 2,
  tryLater: 3,
  sigRequired: 5,
  unauthorized: 6,
} as const;
export type ResponseStatusName = keyof typeof RESPONSE_STATUS;

/** RFC 5280 §5.3.1 CRLReason (7 is not used). */
export const CRL_REASON = {
  unspecified: 0,
  keyCompromise: 1,
  cACompromise: 2,
  affiliationChanged: 3,
  superseded: 4,
  cessationOfOperation: 5,
  certificateHold: 6,
  removeFromCRL: 8,
  privilegeWithdrawn: 9,
  aACompromise: 10,
} as const;
export type CrlReasonName = keyof typeof CRL_REASON;

export interface Revoked {
  revokedAt: Date;
  reason?: CrlReasonName;
}
export type CertStatusOption = 'good' | 'unknown' | Revoked;

export type CertIdHash = 'SHA-1' | 'SHA-256';

export interface SingleResponseOptions {
  /** The certificate whose status this is (its serial goes in the CertID). */
  certificate: { serialNumber: bigint };
  /** The CA that issued it (its name and key are hashed into the CertID, RFC 6960 §4.1.1). */
  issuer: MintedCertificate;
  certStatus?: CertStatusOption;
  thisUpdate: Date;
  /** `null`: no nextUpdate (RFC 6960 §2.4: newer information is always available). */
  nextUpdate: Date | null;
  /** Default SHA-1, what RFC 5019 §2.1.1 clients send and what most responders answer with. */
  hashAlgorithm?: CertIdHash;
  /** Overrides, to make a CertID that does not match. */
  serialNumber?: bigint;
  issuerNameHash?: Uint8Array;
  issuerKeyHash?: Uint8Array;
}

/** RFC 6960 §4.1.1: CertID = hashAlgorithm, hash(issuer name DER), hash(issuer key BIT STRING value), serial. */
async function certId(options: SingleResponseOptions): Promise<pkijs.CertID> {
  const hash = options.hashAlgorithm ?? 'SHA-1';
  const digest = async (bytes: Uint8Array) => new Uint8Array(await webcrypto.subtle.digest(hash, bufferOf(bytes)));
  const issuer = options.issuer.cert;
  const nameHash = options.issuerNameHash ?? (await digest(derOf(issuer.subject.toSchema())));
  const keyHash =
    options.issuerKeyHash ?? (await digest(issuer.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView));
  return new pkijs.CertID({
    // OpenSSL and most responders write the NULL parameters for SHA-1/SHA-256.
    hashAlgorithm: new pkijs.AlgorithmIdentifier({
      algorithmId: hash === 'SHA-1' ? OID.sha1 : OID.sha256,
      algorithmParams: new asn1js.Null(),
    }),
    issuerNameHash: new asn1js.OctetString({ valueHex: bufferOf(nameHash) }),
    issuerKeyHash: new asn1js.OctetString({ valueHex: bufferOf(keyHash) }),
    serialNumber: new asn1js.Integer({
      valueHex: bufferOf(serialBytes(options.serialNumber ?? options.certificate.serialNumber)),
    }),
  });
}

/**
 * RFC 6960 §4.2.1 CertStatus ::= CHOICE { good [0] IMPLICIT NULL, revoked [1] IMPLICIT RevokedInfo,
 * unknown [2] IMPLICIT UnknownInfo }; RevokedInfo ::= SEQUENCE { revocationTime GeneralizedTime,
 * revocationReason [0] EXPLICIT CRLReason OPTIONAL }.
 */
function certStatus(status: CertStatusOption): asn1js.AsnType {
  if (status === 'good' || status === 'unknown') {
    return new asn1js.Primitive({ idBlock: { tagClass: 3, tagNumber: status === 'good' ? 0 : 2 } });
  }
  const revokedInfo: asn1js.AsnType[] = [new asn1js.GeneralizedTime({ valueDate: wholeSeconds(status.revokedAt) })];
  if (status.reason !== undefined) {
    revokedInfo.push(
      new asn1js.Constructed({
        idBlock: { tagClass: 3, tagNumber: 0 },
        value: [new asn1js.Enumerated({ value: CRL_REASON[status.reason] })],
      }),
    );
  }
  return new asn1js.Constructed({ idBlock: { tagClass: 3, tagNumber: 1 }, value: revokedInfo });
}

async function singleResponse(options: SingleResponseOptions): Promise<pkijs.SingleResponse> {
  return new pkijs.SingleResponse({
    certID: await certId(options),
    certStatus: certStatus(options.certStatus ?? 'good'),
    thisUpdate: wholeSeconds(options.thisUpdate),
    ...(options.nextUpdate ? { nextUpdate: wholeSeconds(options.nextUpdate) } : {}),
  });
}

/** RFC 6960 §4.2.2.3: ResponderID byName [1] Name, or byKey [2] SHA-1 of the subjectPublicKey BIT STRING value. */
async function responderId(signer: MintedCertificate, form: 'byName' | 'byKey') {
  if (form === 'byName') return signer.cert.subject;
  const keyHash = await sha1(signer.cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView);
  return new asn1js.OctetString({ valueHex: bufferOf(keyHash) });
}

export interface OcspResponseOptions {
  /** One SingleResponse per entry, in this order. */
  responses: SingleResponseOptions[];
  producedAt: Date;
  /** Named in responderID; its key signs unless `signingKey` says otherwise. */
  signer: MintedCertificate;
  /** Sign with another key than the signer's (the signature then does not verify). */
  signingKey?: CryptoKey;
  responderId?: 'byName' | 'byKey';
  /**
   * The `certs` field. Default: none when the signer is the issuer of every SingleResponse (the
   * client has the issuer already), else the signer (RFC 6960 §4.2.2.2: the client needs it).
   */
  certificates?: MintedCertificate[];
  /** Default SHA-256. */
  signatureHash?: 'SHA-256' | 'SHA-384';
  /** Flip a bit in the signature after signing. */
  corruptSignature?: boolean;
}

/** A BasicOCSPResponse (RFC 6960 §4.2.1), signed, as DER. */
export async function mintBasicOcspResponse(options: OcspResponseOptions): Promise<Uint8Array> {
  const { signer } = options;
  const signerIsIssuer = options.responses.every((r) => r.issuer === signer);
  const certificates = options.certificates ?? (signerIsIssuer ? [] : [signer]);
  const basic = new pkijs.BasicOCSPResponse({
    tbsResponseData: new pkijs.ResponseData({
      responderID: await responderId(signer, options.responderId ?? 'byName'),
      producedAt: wholeSeconds(options.producedAt),
      responses: await Promise.all(options.responses.map(singleResponse)),
    }),
    // Omitted when empty: `certs [0] EXPLICIT SEQUENCE OF Certificate OPTIONAL`.
    ...(certificates.length > 0 ? { certs: certificates.map((c) => c.cert) } : {}),
  });
  await basic.sign(options.signingKey ?? signer.keys.privateKey, options.signatureHash ?? 'SHA-256', engine);
  if (options.corruptSignature) {
    const signature = Uint8Array.from(basic.signature.valueBlock.valueHexView);
    // The last octet of an ECDSA DER signature is inside s, of an RSA one inside the integer:
    // the encoding stays valid, only the value is wrong.
    signature[signature.length - 1] = (signature[signature.length - 1] ?? 0) ^ 0x01;
    basic.signature = new asn1js.BitString({ valueHex: bufferOf(signature) });
  }
  return derOf(basic.toSchema());
}

/**
 * RFC 6960 §4.2.1: OCSPResponse ::= SEQUENCE { responseStatus, responseBytes [0] EXPLICIT OPTIONAL }.
 * `response` is the DER inside responseBytes (absent: no responseBytes).
 */
export function encodeOcspResponse(
  status: ResponseStatusName | number,
  response?: Uint8Array,
  responseType: string = OID.basicOcspResponse,
): Uint8Array {
  const ocspResponse = new pkijs.OCSPResponse({
    responseStatus: new asn1js.Enumerated({ value: typeof status === 'number' ? status : RESPONSE_STATUS[status] }),
    ...(response
      ? {
          responseBytes: new pkijs.ResponseBytes({
            responseType,
            response: new asn1js.OctetString({ valueHex: bufferOf(response) }),
          }),
        }
      : {}),
  });
  return derOf(ocspResponse.toSchema());
}

/** A successful, signed OCSPResponse as DER (what a server staples). */
export async function mintOcspResponse(options: OcspResponseOptions): Promise<Uint8Array> {
  return encodeOcspResponse('successful', await mintBasicOcspResponse(options));
}

/** RFC 6960 §2.3: an error response is unsigned and carries no responseBytes. */
export function mintUnsuccessfulResponse(status: Exclude<ResponseStatusName, 'successful'>): Uint8Array {
  return encodeOcspResponse(status);
}

export function ocspResponsePem(der: Uint8Array): string {
  return toPem(der, 'OCSP RESPONSE');
}

// ---------------------------------------------------------------------------------------------
// Broken bytes

/** The first `keep` bytes (default: all but the last 10). */
export function truncate(der: Uint8Array, keep = der.length - 10): Uint8Array {
  return der.slice(0, Math.max(0, keep));
}

/** `der` followed by bytes that belong to nothing (a DER parser must refuse them). */
export function withTrailingBytes(der: Uint8Array, extra: Uint8Array = Uint8Array.from([0x00, 0x00])): Uint8Array {
  const out = new Uint8Array(der.length + extra.length);
  out.set(der);
  out.set(extra, der.length);
  return out;
}

/** Bytes that are no DER at all (a fixed pattern, so fixtures are reproducible). */
export function garbage(length = 64): Uint8Array {
  const out = new Uint8Array(length);
  for (let i = 0; i < length; i++) out[i] = (i * 37 + 11) & 0xff;
  out[0] = 0x42; // not a SEQUENCE tag
  return out;
}

// ---------------------------------------------------------------------------------------------
// A whole set, for a test or a TLS server

export interface Scenario {
  now: Date;
  ocspUrl: string;
  root: MintedCertificate;
  intermediate: MintedCertificate;
  /** localhost, 127.0.0.1, ::1; names DEFAULT_OCSP_URL. */
  leaf: MintedCertificate;
  mustStapleLeaf: MintedCertificate;
  /** No AIA OCSP URL, a CRL distribution point instead. */
  noOcspLeaf: MintedCertificate;
  /** Issued by `intermediate` with id-kp-OCSPSigning. */
  responder: MintedCertificate;
  /** The same keys as on each certificate, by name, for servers and signing. */
  keys: Record<'root' | 'intermediate' | 'leaf' | 'mustStapleLeaf' | 'noOcspLeaf' | 'responder', KeyPair>;
  /** Leaf + intermediate, PEM, what a TLS server sends. */
  chainPem: (leaf: MintedCertificate) => string;
}

export interface ScenarioOptions {
  now: Date;
  keyType?: KeyType;
  ocspUrl?: string;
  dnsNames?: string[];
  ipAddresses?: string[];
}

export async function mintScenario(options: ScenarioOptions): Promise<Scenario> {
  const { now } = options;
  const keyType = options.keyType ?? 'ecdsa-p256';
  const ocspUrl = options.ocspUrl ?? DEFAULT_OCSP_URL;
  const names = {
    dnsNames: options.dnsNames ?? ['localhost'],
    ipAddresses: options.ipAddresses ?? ['127.0.0.1', '::1'],
  };
  const root = await mintRootCa({
    commonName: 'Staple Check Test Root',
    notBefore: shift(now, -365 * DAY),
    notAfter: shift(now, 10 * 365 * DAY),
    serialNumber: 0x1001n,
    keyType,
  });
  const intermediate = await mintIntermediateCa({
    issuer: root,
    commonName: 'Staple Check Test Intermediate',
    notBefore: shift(now, -365 * DAY),
    notAfter: shift(now, 5 * 365 * DAY),
    serialNumber: 0x2001n,
    keyType,
  });
  const leafDates = { notBefore: shift(now, -30 * DAY), notAfter: shift(now, 60 * DAY) };
  const leaf = await mintLeaf({
    issuer: intermediate,
    commonName: 'localhost',
    ...names,
    ...leafDates,
    ocspUrl,
    serialNumber: 0x3001n,
    keyType,
  });
  const mustStapleLeaf = await mintLeaf({
    issuer: intermediate,
    commonName: 'localhost',
    ...names,
    ...leafDates,
    ocspUrl,
    mustStaple: true,
    serialNumber: 0x3002n,
    keyType,
  });
  const noOcspLeaf = await mintLeaf({
    issuer: intermediate,
    commonName: 'localhost',
    ...names,
    ...leafDates,
    ocspUrl: null,
    crlUrl: 'http://crl.staplecheck.test/intermediate.crl',
    serialNumber: 0x3003n,
    keyType,
  });
  const responder = await mintResponder({
    issuer: intermediate,
    commonName: 'Staple Check Test OCSP Responder',
    notBefore: shift(now, -DAY),
    notAfter: shift(now, 30 * DAY),
    serialNumber: 0x4001n,
    keyType,
  });
  return {
    now,
    ocspUrl,
    root,
    intermediate,
    leaf,
    mustStapleLeaf,
    noOcspLeaf,
    responder,
    keys: {
      root: root.keys,
      intermediate: intermediate.keys,
      leaf: leaf.keys,
      mustStapleLeaf: mustStapleLeaf.keys,
      noOcspLeaf: noOcspLeaf.keys,
      responder: responder.keys,
    },
    chainPem: (which) => pemBundle([which, intermediate]),
  };
}
