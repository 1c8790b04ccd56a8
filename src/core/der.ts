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
