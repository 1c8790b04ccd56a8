// Take a minted staple apart and put it back together changed: for the cases the minting options
// do not reach (fields outside the signed bytes, or inside them and signed again).
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { encodeOcspResponse } from '../../src/pki/mint.js';

const engine = new pkijs.CryptoEngine({ name: 'staplecheck-test-rewrite', crypto: globalThis.crypto });

export function bufferOf(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}

export function derOf(value: { toSchema(): asn1js.AsnType }): Uint8Array {
  return new Uint8Array(value.toSchema().toBER(false));
}

/** The BasicOCSPResponse inside a successful OCSPResponse (RFC 6960 §4.2.1). */
export function basicOf(staple: Uint8Array): pkijs.BasicOCSPResponse {
  const outer = pkijs.OCSPResponse.fromBER(bufferOf(staple));
  if (!outer.responseBytes) throw new Error('no responseBytes');
  return pkijs.BasicOCSPResponse.fromBER(bufferOf(outer.responseBytes.response.valueBlock.valueHexView));
}

export interface Rewrite {
  /** Change the parsed response; what is inside tbsResponseData only counts if `resignWith` is given. */
  change: (basic: pkijs.BasicOCSPResponse) => void | Promise<void>;
  /** Sign tbsResponseData again (re-encoded from the changed fields) with this key. */
  resignWith?: CryptoKey;
  /** Change the signature fields after (re)signing: they are outside the signed bytes. */
  after?: (basic: pkijs.BasicOCSPResponse) => void;
}

/** `staple` with `rewrite` applied, as a successful OCSPResponse again. */
export async function rewriteStaple(staple: Uint8Array, rewrite: Rewrite): Promise<Uint8Array> {
  const basic = basicOf(staple);
  await rewrite.change(basic);
  if (rewrite.resignWith) await basic.sign(rewrite.resignWith, 'SHA-256', engine);
  rewrite.after?.(basic);
  return encodeOcspResponse('successful', derOf(basic));
}

/** The signature BIT STRING's value, to rewrite it. */
export function signatureBytes(basic: pkijs.BasicOCSPResponse): Uint8Array {
  return Uint8Array.from(basic.signature.valueBlock.valueHexView);
}

/** Re-encode an ECDSA Ecdsa-Sig-Value (RFC 3279 §2.2.3) with each INTEGER's contents changed. */
export function reencodeEcdsa(signature: Uint8Array, change: (integer: Uint8Array) => Uint8Array): Uint8Array {
  const sequence = asn1js.fromBER(bufferOf(signature)).result as asn1js.Sequence;
  const integers = sequence.valueBlock.value.map((v) => (v as asn1js.Integer).valueBlock.valueHexView);
  const changed = integers.map((i) => change(Uint8Array.from(i)));
  const tlv = (contents: Uint8Array) => [0x02, contents.length, ...contents];
  const body = changed.flatMap((c) => tlv(c));
  if (body.length > 0x7f) throw new Error('only short-form signatures (P-256) are re-encoded');
  return Uint8Array.from([0x30, body.length, ...body]);
}
