// Byte-level helpers: PEM / base64 / DER input, hex output. Pure, no Node APIs.

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

export interface PemBlock {
  label: string;
  der: Uint8Array;
}

/** Every PEM block in `text`, in order. Blocks whose body is not base64 are skipped. */
export function decodePemBlocks(text: string): PemBlock[] {
  const blocks: PemBlock[] = [];
  for (const match of text.matchAll(PEM_BLOCK)) {
    const body = (match[2] ?? '').replace(/^[A-Za-z-]+:.*$/gm, ''); // RFC 1421 headers
    const der = decodeBase64(body);
    if (der && match[1]) blocks.push({ label: match[1], der });
  }
  return blocks;
}

/** Strict base64 (standard or URL alphabet, whitespace ignored). `null` when it is not base64. */
export function decodeBase64(text: string): Uint8Array | null {
  const compact = text.replace(/\s+/g, '').replace(/-/g, '+').replace(/_/g, '/');
  if (compact.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(compact)) return null;
  if (compact.replace(/=+$/, '').length % 4 === 1) return null;
  try {
    const binary = atob(compact.padEnd(Math.ceil(compact.length / 4) * 4, '='));
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
    return bytes;
  } catch {
    return null;
  }
}

const textDecoder = new TextDecoder('utf-8', { fatal: false });

function looksLikeDer(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x30;
}

/**
 * Turn what a user hands us (DER bytes, PEM text with one of `labels`, or bare base64) into DER.
 * Returns `null` when nothing usable is there; the caller says what was expected.
 */
export function toDer(input: Uint8Array | string, labels: readonly string[]): Uint8Array | null {
  if (typeof input !== 'string' && looksLikeDer(input)) return input;
  const text = typeof input === 'string' ? input : textDecoder.decode(input);
  if (text.includes('-----BEGIN')) {
    const block = decodePemBlocks(text).find((b) => labels.includes(b.label));
    return block ? block.der : null;
  }
  const der = decodeBase64(text);
  return der && looksLikeDer(der) ? der : null;
}

/** All certificates in a PEM bundle, or the single DER certificate given. */
export function toCertificateList(input: Uint8Array | string): Uint8Array[] {
  if (typeof input !== 'string' && looksLikeDer(input)) return [input];
  const text = typeof input === 'string' ? input : textDecoder.decode(input);
  return decodePemBlocks(text)
    .filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE')
    .map((b) => b.der);
}

export function toHex(bytes: ArrayBuffer | Uint8Array): string {
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes);
  let out = '';
  for (const b of view) out += b.toString(16).padStart(2, '0');
  return out;
}

export function bytesEqual(a: ArrayBuffer | Uint8Array, b: ArrayBuffer | Uint8Array): boolean {
  const x = a instanceof Uint8Array ? a : new Uint8Array(a);
  const y = b instanceof Uint8Array ? b : new Uint8Array(b);
  return sameBytes(x, y);
}

/** Below this many bytes a plain loop is as quick as setting up the word views. */
const WORDWISE_FROM = 32;

/**
 * Whether two byte arrays hold exactly the same bytes. Compared four bytes at a time through
 * DataViews (any alignment): the host runs without an optimising compiler (HOST_V8_FLAGS, bin/staplecheck-host.js), where
 * an indexed load costs about as much as a DataView read, so a quarter of the reads is about a
 * third of the time (issue 11: every check compares its certificates and signed data several times
 * against the cached ones).
 */
export function sameBytes(x: Uint8Array, y: Uint8Array): boolean {
  const length = x.length;
  if (length !== y.length) return false;
  let i = 0;
  if (length >= WORDWISE_FROM) {
    const xv = new DataView(x.buffer, x.byteOffset, length);
    const yv = new DataView(y.buffer, y.byteOffset, length);
    for (const end = length - 3; i < end; i += 4) if (xv.getUint32(i) !== yv.getUint32(i)) return false;
  }
  for (; i < length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** A copy as a standalone ArrayBuffer (pkijs/asn1js want ArrayBuffer, not a view into a pool). */
export function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  const copy = new Uint8Array(bytes.length);
  copy.set(bytes);
  return copy.buffer;
}
