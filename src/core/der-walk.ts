// What the strict DER walks of an OCSP response (ocsp-response.ts) and of a certificate (x509.ts)
// share: the X.690 identifier octets they read, a cursor over a constructed value's elements that
// fails on the first one the ASN.1 module does not allow, and the entry that runs a walk over
// bytes that pass `isStrictDer` (X.690 §10) first. A walk either returns what it read or `null`;
// it never throws for bad input. Pure.
import { isStrictDer, readChildren, readElement, type DerElement } from './der.js';

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

/**
 * `read` over the fields of `bytes`, which must be strict DER and one SEQUENCE; `null` when they are
 * not, or when `read` meets an element its structure does not allow (`fail`).
 */
export function walkSequence<T>(bytes: Uint8Array, read: (fields: Fields) => T): T | null {
  if (!isStrictDer(bytes)) return null;
  try {
    const outer = readElement(bytes, 0, bytes.length) ?? fail();
    if (outer.tag !== SEQUENCE) fail();
    return read(new Fields(bytes, outer));
  } catch (err) {
    if (err instanceof NotTheStructure) return null;
    throw err;
  }
}
