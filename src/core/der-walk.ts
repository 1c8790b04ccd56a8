// What the strict DER walks of an OCSP response (ocsp-response.ts), of a certificate (x509.ts) and
// of a certificate's extensions (certificate.ts) share: the X.690 identifier octets they read, a
// cursor over a constructed value's elements that fails on the first one the ASN.1 module does not
// allow, the forms both documents use (an EXPLICIT wrapper, a BIT STRING, RFC 5280 Extensions),
// and the entry that runs a walk over bytes that pass `isStrictDer` (X.690 §10) first. A walk
// either returns what it read or `null`; it never throws for bad input. Pure.
import { decodeOid, isStrictDer, readChildren, readElement, type DerElement } from './der.js';

// X.690 §8 universal tags, as identifier octets.
export const BOOLEAN = 0x01;
export const INTEGER = 0x02;
export const BIT_STRING = 0x03;
export const OCTET_STRING = 0x04;
export const OBJECT_IDENTIFIER = 0x06;
export const ENUMERATED = 0x0a;
export const UTC_TIME = 0x17;
export const GENERALIZED_TIME = 0x18;
export const SEQUENCE = 0x30;
export const SET = 0x31;

/** Thrown inside a walk only, on the first element that is not what the ASN.1 module says. */
class NotTheStructure extends Error {}

export function fail(): never {
  throw new NotTheStructure();
}

/** The elements of a constructed value, read in order, each of a stated tag. */
export class Fields {
  #index = 0;
  readonly #children: DerElement[];
  constructor(bytes: Uint8Array, parent: DerElement) {
    this.#children = readChildren(bytes, parent);
  }
  /** The next element, which must have `tag`. */
  take(tag: number): DerElement {
    return this.optional(tag) ?? fail();
  }
  /** The next element if it has `tag`. */
  optional(tag: number): DerElement | null {
    const next = this.#children[this.#index];
    if (!next || next.tag !== tag) return null;
    this.#index++;
    return next;
  }
  /** The next element, whichever of `tags` it has. */
  either(tags: readonly number[]): DerElement {
    const next = this.#children[this.#index];
    if (!next || !tags.includes(next.tag)) fail();
    this.#index++;
    return next;
  }
  /** Nothing may follow. */
  end(): void {
    if (this.#index !== this.#children.length) fail();
  }
}

export const contentsOf = (bytes: Uint8Array, e: DerElement) => bytes.subarray(e.contents, e.end);
export const whole = (bytes: Uint8Array, e: DerElement) => bytes.subarray(e.start, e.end);

/** The one SEQUENCE that strict-DER `bytes` are (`isStrictDer` leaves nothing after it), or `null`. */
function outerSequence(bytes: Uint8Array): DerElement | null {
  if (!isStrictDer(bytes)) return null;
  const outer = readElement(bytes, 0, bytes.length);
  return outer?.tag === SEQUENCE ? outer : null;
}

/** The elements of `bytes` when they are strict DER and one SEQUENCE (a `SEQUENCE OF`), else `null`. */
export function sequenceElements(bytes: Uint8Array): DerElement[] | null {
  const outer = outerSequence(bytes);
  return outer ? readChildren(bytes, outer) : null;
}

/**
 * `read` over the fields of `bytes`, which must be strict DER and one SEQUENCE; `null` when they are
 * not, or when `read` meets an element its structure does not allow (`fail`).
 */
export function walkSequence<T>(bytes: Uint8Array, read: (fields: Fields) => T): T | null {
  const outer = outerSequence(bytes);
  if (!outer) return null;
  try {
    return read(new Fields(bytes, outer));
  } catch (err) {
    if (err instanceof NotTheStructure) return null;
    throw err;
  }
}

/** `[n] EXPLICIT` wrapping exactly one element of `tag` (X.690 §8.14). */
export function explicit(bytes: Uint8Array, wrapper: DerElement, tag: number): DerElement {
  const inner = new Fields(bytes, wrapper);
  const element = inner.take(tag);
  inner.end();
  return element;
}

/** A BIT STRING's unused-bits octet and value (X.690 §8.6.2: 0-7, and 0 for an empty value). */
export function bitString(bytes: Uint8Array, e: DerElement): { unusedBits: number; value: Uint8Array } {
  const contents = contentsOf(bytes, e);
  const unusedBits = contents[0] ?? fail();
  if (unusedBits > 7 || (contents.length === 1 && unusedBits !== 0)) fail();
  return { unusedBits, value: contents.subarray(1) };
}

/** One extension (RFC 5280 §4.1.2.9): its OID, criticality and the contents of extnValue. */
export interface ExtensionFields {
  oid: string;
  critical: boolean;
  /** The extnValue OCTET STRING's contents: the DER of the extension's own value. */
  value: Uint8Array;
}

/**
 * RFC 5280 §4.1 (and RFC 6960 §4.4, which uses the same): `wrapper` is `[n] EXPLICIT Extensions`;
 * Extensions ::= SEQUENCE OF Extension; Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER,
 * critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }.
 */
export function readExtensions(bytes: Uint8Array, wrapper: DerElement): ExtensionFields[] {
  return readChildren(bytes, explicit(bytes, wrapper, SEQUENCE)).map((extension) => {
    if (extension.tag !== SEQUENCE) fail();
    const fields = new Fields(bytes, extension);
    const oid = decodeOid(contentsOf(bytes, fields.take(OBJECT_IDENTIFIER))) ?? fail();
    const critical = fields.optional(BOOLEAN);
    if (critical && critical.end - critical.contents !== 1) fail();
    const value = contentsOf(bytes, fields.take(OCTET_STRING));
    fields.end();
    return { oid, critical: critical ? bytes[critical.contents] !== 0 : false, value };
  });
}
