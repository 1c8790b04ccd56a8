// The committed minted fixtures (test/fixtures/minted) and OpenSSL vectors (test/fixtures/openssl-ocsp)
// as parsed certificates and staple bytes, plus signing with the fixtures' own test keys: fast
// tables over real responses, with no key generation (the fixtures' keys are P-256, so a re-sign
// costs a millisecond).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as pkijs from 'pkijs';
import { parseCertificate } from '../../src/core/certificate.js';
import { decodeBase64, decodePemBlocks, toArrayBuffer } from '../../src/core/encoding.js';
import { concat, decodeTree, encodeTree, nodeAt, prim, tlv, type DerNode } from './der-tree.js';

export const MINTED = fileURLToPath(new URL('../fixtures/minted/', import.meta.url));
export const OPENSSL = fileURLToPath(new URL('../fixtures/openssl-ocsp/', import.meta.url));

/** NOW of the minted fixtures (their README). */
export const MINTED_NOW = new Date('2026-01-15T12:00:00Z');

export const mintedBytes = (name: string) => new Uint8Array(readFileSync(`${MINTED}${name}`));

/** The first certificate of a PEM file, as DER. */
export function pemDer(path: string): Uint8Array {
  const block = decodePemBlocks(readFileSync(path, 'utf8'))[0];
  if (!block) throw new Error(`no PEM block in ${path}`);
  return block.der;
}

export function certificateAt(path: string): pkijs.Certificate {
  const cert = parseCertificate(pemDer(path));
  if (!cert) throw new Error(`${path} does not parse`);
  return cert;
}

export const mintedCertificate = (name: string) => certificateAt(`${MINTED}${name}`);
export const mintedCertificateDer = (name: string) => pemDer(`${MINTED}${name}`);

/** An OpenSSL .ors file (bare base64 DER). */
export function opensslResponse(name: string): Uint8Array {
  const der = decodeBase64(readFileSync(`${OPENSSL}${name}`, 'utf8'));
  if (!der) throw new Error(`${name} is not base64`);
  return der;
}

/** The BasicOCSPResponse inside a successful OCSPResponse, as a tree. */
export function basicTreeOf(staple: Uint8Array): DerNode {
  const octets = nodeAt(decodeTree(staple), [1, 0, 1]);
  if (!('contents' in octets)) throw new Error('no response OCTET STRING');
  return decodeTree(octets.contents);
}

const BASIC_OID = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01];

/** A successful OCSPResponse around a BasicOCSPResponse tree. */
export function stapleOf(basic: DerNode): Uint8Array {
  return tlv(
    0x30,
    concat(tlv(0x0a, [0]), tlv(0xa0, tlv(0x30, concat(tlv(0x06, BASIC_OID), tlv(0x04, encodeTree(basic)))))),
  );
}

/** A DER INTEGER's contents for an unsigned big-endian value: minimal, positive. */
function positiveInteger(value: Uint8Array): number[] {
  let start = 0;
  while (start < value.length - 1 && value[start] === 0) start++;
  const digits = [...value.subarray(start)];
  return (digits[0] ?? 0) & 0x80 ? [0, ...digits] : digits;
}

/** Sign with a fixture's P-256 key (ecdsa-with-SHA256), as a DER Ecdsa-Sig-Value (RFC 3279 §2.2.3). */
export async function signWith(keyFile: string, data: Uint8Array): Promise<Uint8Array> {
  const pkcs8 = decodePemBlocks(readFileSync(`${MINTED}${keyFile}`, 'utf8'))[0]?.der;
  if (!pkcs8) throw new Error(`no key in ${keyFile}`);
  const key = await globalThis.crypto.subtle.importKey(
    'pkcs8',
    toArrayBuffer(pkcs8),
    { name: 'ECDSA', namedCurve: 'P-256' },
    false,
    ['sign'],
  );
  const raw = new Uint8Array(
    await globalThis.crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, key, toArrayBuffer(data)),
  );
  return tlv(
    0x30,
    concat(tlv(0x02, positiveInteger(raw.subarray(0, 32))), tlv(0x02, positiveInteger(raw.subarray(32)))),
  );
}

/**
 * A signed structure (a BasicOCSPResponse or a Certificate: SEQUENCE { tbs, algorithm, BIT STRING, ... })
 * with its first child signed again by `keyFile`, ecdsa-with-SHA256.
 */
export async function resign(signed: DerNode, keyFile: string): Promise<DerNode> {
  if (!('children' in signed)) throw new Error('not constructed');
  const [tbs, algorithm, , ...rest] = signed.children;
  if (!tbs || !algorithm) throw new Error('not a signed structure');
  const signature = await signWith(keyFile, encodeTree(tbs));
  return { tag: signed.tag, children: [tbs, algorithm, prim(0x03, [0, ...signature]), ...rest] };
}
