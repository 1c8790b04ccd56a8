// Strict DER (X.690 §10) checks that asn1js does not make. asn1js accepts a constructed value whose
// declared length disagrees with its contents, and pkijs reads ECDSA signatures loosely; a strict
// client (mozilla::pkix, the one that enforces Must-Staple) rejects both, so a staple that only a
// lenient parser can read must never be called valid. Pure.

const MAX_DEPTH = 64;

/** Parse one TLV at `offset` within `limit`; return the offset after it, or -1 if it is not DER. */
function walk(bytes: Uint8Array, offset: number, limit: number, depth: number): number {
  if (depth > MAX_DEPTH || offset >= limit) return -1;
  const first = bytes[offset] ?? 0;
  let at = offset + 1;
  if ((first & 0x1f) === 0x1f) {
    // High tag number form (X.690 §8.1.2.4): base-128 digits, no leading 0x80 digit.
    if (at >= limit || bytes[at] === 0x80) return -1;
    while (at < limit && ((bytes[at] ?? 0) & 0x80) !== 0) at++;
    at++;
    if (at > limit) return -1;
  }
  if (at >= limit) return -1;
  const lengthByte = bytes[at++] ?? 0;
  let length: number;
  if (lengthByte < 0x80) {
    length = lengthByte;
  } else {
    const count = lengthByte & 0x7f;
    // X.690 §10.1: definite form only, in the fewest octets.
    if (count === 0 || count > 4 || at + count > limit || bytes[at] === 0) return -1;
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (bytes[at++] ?? 0);
    if (length < 0x80) return -1;
  }
  const end = at + length;
  if (end > limit) return -1;
  if ((first & 0x20) !== 0) {
    // Constructed: the children must fill the contents exactly.
    let child = at;
    while (child < end) {
      child = walk(bytes, child, end, depth + 1);
      if (child === -1) return -1;
    }
  }
  return end;
}

/** Exactly one DER value, nothing after it, every length definite, minimal and consistent. */
export function isStrictDer(bytes: Uint8Array): boolean {
  return bytes.length > 0 && walk(bytes, 0, bytes.length, 0) === bytes.length;
}

/** DER INTEGER contents: non-empty, minimal (X.690 §8.3.2), and positive for ECDSA's r and s. */
function isPositiveMinimalInteger(bytes: Uint8Array, offset: number, end: number): boolean {
  const length = end - offset;
  if (length < 1) return false;
  const b0 = bytes[offset] ?? 0;
  const b1 = bytes[offset + 1] ?? 0;
  if (b0 & 0x80) return false; // negative
  if (length > 1 && b0 === 0 && (b1 & 0x80) === 0) return false; // a needless leading zero
  return true;
}

/** RFC 3279 §2.2.3 Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }, strictly. */
export function isStrictEcdsaSignature(bytes: Uint8Array): boolean {
  if (!isStrictDer(bytes) || bytes[0] !== 0x30) return false;
  let at = (bytes[1] ?? 0) < 0x80 ? 2 : 2 + ((bytes[1] ?? 0) & 0x7f);
  for (let i = 0; i < 2; i++) {
    if (bytes[at] !== 0x02) return false;
    const end = walk(bytes, at, bytes.length, 1);
    if (end === -1) return false;
    const lengthByte = bytes[at + 1] ?? 0;
    const contents = at + 2 + (lengthByte < 0x80 ? 0 : lengthByte & 0x7f);
    if (!isPositiveMinimalInteger(bytes, contents, end)) return false;
    at = end;
  }
  return at === bytes.length;
}

/** One element of a DER value: its first identifier octet, where its contents start and end. */
export interface DerElement {
  /** The first identifier octet (class, constructed bit, low tag number). */
  tag: number;
  /** Offset of the first identifier octet. */
  start: number;
  /** Offset of the first contents octet. */
  contents: number;
  /** Offset just after the contents. */
  end: number;
}

/**
 * The element at `offset` of bytes already known to be strict DER (`isStrictDer`), or `null` past
 * `limit`. The lengths were checked by the walk above; this only reads them.
 */
export function readElement(bytes: Uint8Array, offset: number, limit: number): DerElement | null {
  if (offset >= limit) return null;
  const tag = bytes[offset] ?? 0;
  let at = offset + 1;
  if ((tag & 0x1f) === 0x1f) {
    while (at < limit && ((bytes[at] ?? 0) & 0x80) !== 0) at++;
    at++;
  }
  const lengthByte = bytes[at++] ?? 0;
  let length = lengthByte;
  if (lengthByte >= 0x80) {
    length = 0;
    for (let i = 0; i < (lengthByte & 0x7f); i++) length = length * 256 + (bytes[at++] ?? 0);
  }
  const end = at + length;
  return end > limit ? null : { tag, start: offset, contents: at, end };
}

/** The children of a constructed element, in order. */
export function readChildren(bytes: Uint8Array, parent: DerElement): DerElement[] {
  const children: DerElement[] = [];
  let at = parent.contents;
  while (at < parent.end) {
    const child = readElement(bytes, at, parent.end);
    if (!child) return children;
    children.push(child);
    at = child.end;
  }
  return children;
}

/** One arc's base-128 digits, `contents[start..end)`: a number while it is exact (7 digits, 49 bits), else a bigint. */
function oidArc(contents: Uint8Array, start: number, end: number): number | bigint {
  if (end - start <= 7) {
    let value = 0;
    for (let i = start; i < end; i++) value = value * 128 + ((contents[i] ?? 0) & 0x7f);
    return value;
  }
  let value = 0n;
  for (let i = start; i < end; i++) value = (value << 7n) | BigInt((contents[i] ?? 0) & 0x7f);
  return value;
}

/**
 * X.690 §8.19: an OBJECT IDENTIFIER's contents as dotted text; `null` when not minimal or cut short.
 * Index loops and plain numbers: every certificate holds a dozen OIDs, and on the host's
 * interpreter-only V8 a `for…of` over bytes and a BigInt per digit were most of their cost.
 */
export function decodeOid(contents: Uint8Array): string | null {
  const length = contents.length;
  if (length === 0 || ((contents[length - 1] ?? 0) & 0x80) !== 0) return null;
  let text = '';
  let arcStart = 0;
  for (let i = 0; i < length; i++) {
    if (((contents[i] ?? 0) & 0x80) !== 0) continue;
    if (contents[arcStart] === 0x80) return null; // a needless leading zero digit
    const arc = oidArc(contents, arcStart, i + 1);
    if (arcStart === 0) {
      // The first subidentifier holds two arcs (X.690 §8.19.4).
      if (typeof arc === 'number') {
        const top = arc < 40 ? 0 : arc < 80 ? 1 : 2;
        text = `${top}.${arc - top * 40}`;
      } else text = `2.${arc - 80n}`;
    } else text += `.${arc}`;
    arcStart = i + 1;
  }
  return text;
}

const GENERALIZED_TIME = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.(\d*[1-9]))?Z$/;

/**
 * X.690 §11.7 GeneralizedTime in DER: UTC ("Z"), seconds present, fractions without trailing
 * zeros. `null` when it is anything else or names no real instant (month 13, February 30).
 */
export function decodeGeneralizedTime(contents: Uint8Array): Date | null {
  const match = GENERALIZED_TIME.exec(String.fromCharCode(...contents));
  if (!match) return null;
  const millis = Number((match[7] ?? '').slice(0, 3).padEnd(3, '0'));
  return utcInstant(...timeFields(match), millis);
}

const UTC_TIME = /^(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})Z$/;

/**
 * RFC 5280 §4.1.2.5.1 UTCTime: YYMMDDHHMMSSZ, seconds present, in UTC; YY from 50 is 19YY, else
 * 20YY. `null` for anything else or no real instant.
 */
export function decodeUtcTime(contents: Uint8Array): Date | null {
  const match = UTC_TIME.exec(String.fromCharCode(...contents));
  if (!match) return null;
  const [yy, ...rest] = timeFields(match);
  return utcInstant(yy >= 50 ? 1900 + yy : 2000 + yy, ...rest, 0);
}

type TimeFields = [year: number, month: number, day: number, hour: number, minute: number, second: number];

/** The first six groups of a time pattern's match, as numbers. */
const timeFields = (match: RegExpExecArray) => match.slice(1, 7).map(Number) as TimeFields;

/**
 * The instant the fields name in UTC, or `null` when one is out of range: Date.UTC carries an
 * hour 24 or a February 30 into the next field, which then differs from the one written.
 */
function utcInstant(...[year, month, day, hour, minute, second, millis]: [...TimeFields, number]): Date | null {
  const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis));
  date.setUTCFullYear(year); // Date.UTC maps years 0-99 to 1900-1999
  if (
    date.getUTCMonth() !== month - 1 ||
    date.getUTCDate() !== day ||
    date.getUTCHours() !== hour ||
    date.getUTCMinutes() !== minute ||
    date.getUTCSeconds() !== second
  )
    return null;
  return date;
}

/** A small INTEGER or ENUMERATED (X.690 §8.3, two's complement), at most 4 octets; `null` otherwise. */
export function decodeSmallInteger(contents: Uint8Array): number | null {
  if (contents.length === 0 || contents.length > 4) return null;
  let value = 0;
  for (const byte of contents) value = value * 256 + byte;
  return (contents[0] ?? 0) & 0x80 ? value - 2 ** (8 * contents.length) : value;
}

/** An AlgorithmIdentifier (RFC 5280 §4.1.1.2): the OID and the DER of its parameters, if any. */
export interface AlgorithmId {
  oid: string;
  parameters: Uint8Array | null;
}

/** Read an AlgorithmIdentifier SEQUENCE { OID, parameters ANY OPTIONAL } from strict DER; `null` if it is not one. */
export function readAlgorithmId(bytes: Uint8Array, at: { contents: number; end: number }): AlgorithmId | null {
  const children = readChildren(bytes, { tag: 0x30, start: at.contents, contents: at.contents, end: at.end });
  const [oid, parameters, extra] = children;
  if (!oid || oid.tag !== 0x06 || extra) return null;
  const text = decodeOid(bytes.subarray(oid.contents, oid.end));
  if (!text) return null;
  return { oid: text, parameters: parameters ? bytes.subarray(parameters.start, parameters.end) : null };
}
