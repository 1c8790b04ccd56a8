// How much of a certificate the engine agrees to parse. pkijs parses by schema comparison, tens of
// microseconds per DER element, synchronously: no timer interrupts it. A server may send a leaf of
// thousands of extensions or names built to cost seconds after its handshake (docs/architecture.md:
// everything a server sends is hostile). These limits are read by a cheap walk of the strict DER
// (src/core/der.ts) before pkijs sees a byte, and sit far above any real WebPKI certificate, so a
// certificate beyond them is refused as `malformed` (docs/contract.md §2). Pure.
import { isStrictDer, readChildren, readElement, type DerElement } from './der.js';

export const CERTIFICATE_LIMITS = {
  /**
   * Bytes of one certificate. Real leaves are 1-3 KB; the largest, with a hundred or more names
   * (commercial CAs cap SANs at 100-250), stay under 16 KB; a post-quantum ML-DSA-87 leaf (FIPS 204:
   * a 2,592-byte key, a 4,627-byte signature) is about 8 KB, and even an SLH-DSA-256f signature
   * (FIPS 205: 49,856 bytes) fits. 64 KiB, like the engine's cap on a staple.
   */
  maxBytes: 64 * 1024,
  /**
   * Extensions of one certificate. RFC 5280 §4.2 allows each extension once, and the CA/Browser
   * Forum Baseline Requirements' subscriber profile (§7.1.2.7) names about ten; real leaves carry
   * 8-15. 512 is thirty times that.
   */
  maxExtensions: 512,
  /**
   * DER elements of one certificate, counting those inside each extension's value (what pkijs
   * builds objects for: a SAN of 3,000 names is 3,000 elements). A real leaf has 100-400; a leaf
   * with 250 names about 600. This bounds the parse of a certificate the two limits above let by.
   */
  maxElements: 4_096,
  /**
   * Certificates of one chain the probe judges (leaf first). Real chains are 2-4 certificates,
   * 5-6 with cross-signs; a server may send more (RFC 8446 §4.4.2 sets no count), and each costs
   * a parse and a digest. The first this many are judged; the leaf's issuer comes right after it.
   */
  maxChainCertificates: 16,
} as const;

interface CertificateShape {
  extensions: number;
  elements: number;
}

/**
 * 1 + the elements inside a constructed element, of bytes already known to be strict DER. Read
 * element by element, with no list of children: it runs over every new certificate.
 */
function countElements(bytes: Uint8Array, element: DerElement): number {
  if ((element.tag & 0x20) === 0) return 1;
  let count = 1;
  for (let child = readElement(bytes, element.contents, element.end); child;) {
    count += countElements(bytes, child);
    child = readElement(bytes, child.end, element.end);
  }
  return count;
}

/**
 * RFC 5280 §4.1: Certificate ::= SEQUENCE { tbsCertificate, ... }, TBSCertificate ends with
 * `extensions [3] EXPLICIT SEQUENCE OF Extension`, Extension ::= SEQUENCE { extnID, critical
 * DEFAULT FALSE, extnValue OCTET STRING } whose value is itself DER (§4.2). `null` when the bytes
 * are not strict DER; the parse that follows refuses those.
 */
function measureCertificate(der: Uint8Array): CertificateShape | null {
  if (!isStrictDer(der)) return null;
  const certificate = readElement(der, 0, der.length);
  if (!certificate) return null;
  let elements = countElements(der, certificate);
  const tbs = readChildren(der, certificate)[0];
  const wrapper = tbs ? readChildren(der, tbs).find((field) => field.tag === 0xa3) : undefined;
  const list = wrapper ? readChildren(der, wrapper)[0] : undefined;
  const extensions = list ? readChildren(der, list) : [];
  for (const extension of extensions) {
    const value = readChildren(der, extension).at(-1);
    if (value?.tag !== 0x04) continue;
    const inner = der.subarray(value.contents, value.end);
    const root = isStrictDer(inner) ? readElement(inner, 0, inner.length) : null;
    if (root) elements += countElements(inner, root);
  }
  return { extensions: extensions.length, elements };
}

/**
 * Why the engine will not parse this certificate, as one sentence for a person; `null` when it is
 * within every limit (or is no strict DER at all, which the parse itself refuses).
 */
export function certificateLimitBreach(der: Uint8Array): string | null {
  const { maxBytes, maxExtensions, maxElements } = CERTIFICATE_LIMITS;
  if (der.length > maxBytes)
    return `The certificate is ${der.length} bytes, more than the ${maxBytes} this check parses (real certificates are a few KB).`;
  const shape = measureCertificate(der);
  if (!shape) return null;
  if (shape.extensions > maxExtensions)
    return `The certificate has ${shape.extensions} extensions, more than the ${maxExtensions} this check parses (real certificates have about ten).`;
  if (shape.elements > maxElements)
    return `The certificate holds ${shape.elements} DER elements, more than the ${maxElements} this check parses (real certificates hold a few hundred).`;
  return null;
}
