// The strict walk of an OCSPResponse (RFC 6960 §4.2.1, src/core/ocsp-response.ts) and step 1 of a
// check (src/core/ocsp-parse.ts), field by field on the committed minted fixtures: each row changes
// one element of a real staple and says whether the walk must still read it, and what it reads.
// No signature is checked here, so nothing is re-signed; the fast tables mutation testing runs.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MAX_RESPONSE_BYTES, parseStaple } from '../../src/core/ocsp-parse.js';
import { readBasicResponse, readOcspResponse } from '../../src/core/ocsp-response.js';
import {
  childrenAt,
  clone,
  concat,
  cons,
  decodeTree,
  encodeTree,
  nodeAt,
  prim,
  tlv,
  type DerNode,
} from '../support/der-tree.js';

const DIR = fileURLToPath(new URL('../fixtures/minted/', import.meta.url));
const fixture = (name: string) => new Uint8Array(readFileSync(`${DIR}${name}`));

const BASIC_OID = [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x01]; // 1.3.6.1.5.5.7.48.1.1
const ascii = (text: string) => [...new TextEncoder().encode(text)];
const time = (text: string) => prim(0x18, ascii(text));

/** The BasicOCSPResponse inside a successful OCSPResponse, as a tree. */
function basicTreeOf(staple: Uint8Array): DerNode {
  const octets = nodeAt(decodeTree(staple), [1, 0, 1]);
  if (!('contents' in octets)) throw new Error('no response OCTET STRING');
  return decodeTree(octets.contents);
}

/** An OCSPResponse: status, and (if given) responseBytes of `type` around `response`. */
function ocspResponse(status: number, response?: Uint8Array, type: number[] = BASIC_OID): Uint8Array {
  const fields = [tlv(0x0a, [status])];
  if (response) fields.push(tlv(0xa0, tlv(0x30, concat(tlv(0x06, type), tlv(0x04, response)))));
  return tlv(0x30, concat(...fields));
}

const good = basicTreeOf(fixture('good.der'));
const revoked = basicTreeOf(fixture('revoked.der'));
const delegated = basicTreeOf(fixture('delegated-good.der'));
const byKey = basicTreeOf(fixture('by-key.der'));
const noNextUpdate = basicTreeOf(fixture('no-next-update.der'));
const unknown = basicTreeOf(fixture('unknown.der'));

/** `tree` (cloned) changed by `change`, encoded. */
function edited(tree: DerNode, change: (basic: DerNode) => void): Uint8Array {
  const copy = clone(tree);
  change(copy);
  return encodeTree(copy);
}

// Paths in a BasicOCSPResponse of these fixtures (no version field, one SingleResponse).
const TBS = [0];
const RESPONSES = [0, 2];
const SINGLE = [0, 2, 0];
const CERT_ID = [0, 2, 0, 0];
const REVOKED_INFO = [0, 2, 0, 1];

const set = (tree: DerNode, path: number[], node: DerNode) => {
  const parent = childrenAt(tree, path.slice(0, -1));
  parent[path.at(-1) ?? 0] = node;
};
const insert = (tree: DerNode, path: number[], node: DerNode) =>
  childrenAt(tree, path.slice(0, -1)).splice(path.at(-1) ?? 0, 0, node);
const remove = (tree: DerNode, path: number[]) => childrenAt(tree, path.slice(0, -1)).splice(path.at(-1) ?? 0, 1);

const anExtension = (...fields: DerNode[]) => cons(0x30, ...fields);
const extnId = prim(0x06, [0x2b, 0x06, 0x01, 0x05, 0x05, 0x07, 0x30, 0x01, 0x02]); // id-pkix-ocsp-nonce
const extnValue = prim(0x04, [0x04, 0x02, 0x01, 0x02]);

describe('readBasicResponse: what the fixtures read as', () => {
  it('good.der: byName, one good SingleResponse with SHA-1 CertID, thisUpdate and nextUpdate', () => {
    const basic = readBasicResponse(encodeTree(good));
    expect(basic).not.toBeNull();
    expect('byName' in basic!.responderId).toBe(true);
    expect(basic!.producedAt.toISOString()).toBe('2026-01-15T11:00:00.000Z');
    expect(basic!.responses).toHaveLength(1);
    const [single] = basic!.responses;
    expect(single!.status).toBe('good');
    expect(single!.certId.hashAlgorithm).toBe('1.3.14.3.2.26');
    expect(single!.certId.issuerNameHash).toHaveLength(20);
    expect(single!.certId.issuerKeyHash).toHaveLength(20);
    expect([...single!.certId.serialNumber]).toEqual([0x30, 0x01]);
    expect(single!.thisUpdate.toISOString()).toBe('2026-01-15T11:00:00.000Z');
    expect(single!.nextUpdate?.toISOString()).toBe('2026-01-19T12:00:00.000Z');
    expect(single!.revocationTime).toBeNull();
    expect(single!.revocationReason).toBeNull();
    expect(basic!.signatureAlgorithm).toEqual({ oid: '1.2.840.10045.4.3.2', parameters: null });
    expect(basic!.signatureUnusedBits).toBe(0);
    expect(basic!.certificates).toEqual([]);
  });

  it('tbs is exactly the DER of tbsResponseData, and the signature is the BIT STRING after its unused-bits octet', () => {
    const bytes = encodeTree(good);
    const basic = readBasicResponse(bytes)!;
    expect([...basic.tbs]).toEqual([...encodeTree(nodeAt(good, TBS))]);
    const bitString = nodeAt(good, [2]);
    if (!('contents' in bitString)) throw new Error('BIT STRING');
    expect([...basic.signature]).toEqual([...bitString.contents.subarray(1)]);
    expect(basic.signature[0]).toBe(0x30); // an Ecdsa-Sig-Value
  });

  it('revoked.der: revoked, with its time and reason (keyCompromise)', () => {
    const [single] = readBasicResponse(encodeTree(revoked))!.responses;
    expect(single!.status).toBe('revoked');
    expect(single!.revocationTime?.toISOString()).toBe('2026-01-14T12:00:00.000Z');
    expect(single!.revocationReason).toBe('keyCompromise');
  });

  it('unknown.der: unknown; no-next-update.der: nextUpdate null', () => {
    expect(readBasicResponse(encodeTree(unknown))!.responses[0]!.status).toBe('unknown');
    expect(readBasicResponse(encodeTree(noNextUpdate))!.responses[0]!.nextUpdate).toBeNull();
  });

  it('by-key.der: byKey, the 20-octet KeyHash; delegated-good.der: byName, with its certificate parsed', () => {
    const key = readBasicResponse(encodeTree(byKey))!.responderId;
    expect('byKey' in key && key.byKey.length).toBe(20);
    const withCert = readBasicResponse(encodeTree(delegated))!;
    expect(withCert.certificates).toHaveLength(1);
    expect(withCert.certificates[0]!.subject.typesAndValues.at(-1)?.value.valueBlock.value).toBe(
      'Staple Check Test OCSP Responder',
    );
  });
});

describe('readBasicResponse: one field changed', () => {
  const cases: [string, DerNode, (b: DerNode) => void, boolean][] = [
    ['unchanged (the control)', good, () => {}, true],
    ['a SET instead of the outer SEQUENCE', good, (b) => void (b.tag = 0x31), false],
    ['tbsResponseData as a SET', good, (b) => void (nodeAt(b, TBS).tag = 0x31), false],
    ['signatureAlgorithm missing', good, (b) => remove(b, [1]), false],
    ['signatureAlgorithm as a SET', good, (b) => void (nodeAt(b, [1]).tag = 0x31), false],
    [
      'signatureAlgorithm with a third field',
      good,
      (b) => childrenAt(b, [1]).push(prim(0x05, []), prim(0x05, [])),
      false,
    ],
    [
      'signatureAlgorithm with an OID that is not minimal',
      good,
      (b) => set(b, [1, 0], prim(0x06, [0x2a, 0x80, 0x01])),
      false,
    ],
    ['the signature as an OCTET STRING', good, (b) => void (nodeAt(b, [2]).tag = 0x04), false],
    ['an empty signature BIT STRING (no unused-bits octet)', good, (b) => set(b, [2], prim(0x03, [])), false],
    ['a signature BIT STRING of only its unused-bits octet, 0', good, (b) => set(b, [2], prim(0x03, [0])), true],
    ['a signature BIT STRING of only its unused-bits octet, 1', good, (b) => set(b, [2], prim(0x03, [1])), false],
    ['8 unused bits', good, (b) => set(b, [2], prim(0x03, [8, 0x30, 0x00])), false],
    [
      '7 unused bits, the most a BIT STRING has (step 3 refuses any)',
      good,
      (b) => set(b, [2], prim(0x03, [7, 0x80])),
      true,
    ],
    ['something after certs', delegated, (b) => childrenAt(b, []).push(prim(0x05, [])), false],
    ['certs as [1]', delegated, (b) => void (nodeAt(b, [3]).tag = 0xa1), false],
    ['certs [0] holding two SEQUENCEs', delegated, (b) => childrenAt(b, [3]).push(cons(0x30)), false],
    [
      'certs holding a SEQUENCE that is no certificate',
      delegated,
      (b) => childrenAt(b, [3, 0]).push(cons(0x30)),
      false,
    ],
    ['certs holding nothing', delegated, (b) => void (childrenAt(b, [3, 0]).length = 0), true],
    ['version v1 (0) stated', good, (b) => insert(b, [0, 0], cons(0xa0, prim(0x02, [0]))), true],
    ['version v2 (1)', good, (b) => insert(b, [0, 0], cons(0xa0, prim(0x02, [1]))), false],
    ['version as an ENUMERATED', good, (b) => insert(b, [0, 0], cons(0xa0, prim(0x0a, [0]))), false],
    [
      'version [0] with two INTEGERs',
      good,
      (b) => insert(b, [0, 0], cons(0xa0, prim(0x02, [0]), prim(0x02, [0]))),
      false,
    ],
    ['no responderID', good, (b) => remove(b, [0, 0]), false],
    ['responderID byName holding a SET', good, (b) => void (nodeAt(b, [0, 0, 0]).tag = 0x31), false],
    ['responderID byName holding a Name and more', good, (b) => childrenAt(b, [0, 0]).push(cons(0x30)), false],
    ['responderID [3]', good, (b) => void (nodeAt(b, [0, 0]).tag = 0xa3), false],
    ['responderID byKey holding a BIT STRING', byKey, (b) => void (nodeAt(b, [0, 0, 0]).tag = 0x03), false],
    ['responderID byKey, primitive [2]', byKey, (b) => set(b, [0, 0], prim(0x82, new Uint8Array(20))), false],
    ['producedAt as UTCTime', good, (b) => void (nodeAt(b, [0, 1]).tag = 0x17), false],
    ['producedAt with an offset', good, (b) => set(b, [0, 1], time('20260115110000+0100')), false],
    ['responses as a SET', good, (b) => void (nodeAt(b, RESPONSES).tag = 0x31), false],
    ['no responses at all (an empty SEQUENCE)', good, (b) => void (childrenAt(b, RESPONSES).length = 0), true],
    [
      'responseExtensions [1] with a nonce',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30, anExtension(extnId, extnValue)))),
      true,
    ],
    [
      'responseExtensions [2]',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa2, cons(0x30, anExtension(extnId, extnValue)))),
      false,
    ],
    [
      'something after responseExtensions',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30)), prim(0x05, [])),
      false,
    ],
    [
      'an extension that is a SET',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30, cons(0x31, extnId, extnValue)))),
      false,
    ],
    [
      'an extension with critical TRUE',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30, anExtension(extnId, prim(0x01, [0xff]), extnValue)))),
      true,
    ],
    [
      'an extension with a two-octet BOOLEAN',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30, anExtension(extnId, prim(0x01, [0xff, 0xff]), extnValue)))),
      false,
    ],
    [
      'an extension with an empty BOOLEAN',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30, anExtension(extnId, prim(0x01, []), extnValue)))),
      false,
    ],
    [
      'an extension without its value',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30, anExtension(extnId)))),
      false,
    ],
    [
      'an extension whose extnID is not minimal',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30, anExtension(prim(0x06, [0x2b, 0x80, 0x01]), extnValue)))),
      false,
    ],
    [
      'an extension with a field after its value',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30, anExtension(extnId, extnValue, prim(0x05, []))))),
      false,
    ],
    [
      'Extensions [1] holding two SEQUENCEs',
      good,
      (b) => childrenAt(b, TBS).push(cons(0xa1, cons(0x30), cons(0x30))),
      false,
    ],
    ['Extensions [1] holding an OCTET STRING', good, (b) => childrenAt(b, TBS).push(cons(0xa1, prim(0x04, []))), false],
    // SingleResponse
    ['a SingleResponse that is a SET', good, (b) => void (nodeAt(b, SINGLE).tag = 0x31), false],
    [
      'a second SingleResponse that is a SET',
      good,
      (b) => childrenAt(b, RESPONSES).push({ ...clone(nodeAt(b, SINGLE)), tag: 0x31 }),
      false,
    ],
    ['a CertID that is a SET', good, (b) => void (nodeAt(b, CERT_ID).tag = 0x31), false],
    [
      'a CertID hashAlgorithm with an OID that is cut short',
      good,
      (b) => set(b, [...CERT_ID, 0, 0], prim(0x06, [0x2b, 0x0e, 0x83])),
      false,
    ],
    ['a CertID issuerNameHash as a BIT STRING', good, (b) => void (nodeAt(b, [...CERT_ID, 1]).tag = 0x03), false],
    ['a CertID issuerKeyHash as a BIT STRING', good, (b) => void (nodeAt(b, [...CERT_ID, 2]).tag = 0x03), false],
    ['a CertID serialNumber as an OCTET STRING', good, (b) => void (nodeAt(b, [...CERT_ID, 3]).tag = 0x04), false],
    ['a CertID with an empty serialNumber', good, (b) => set(b, [...CERT_ID, 3], prim(0x02, [])), false],
    ['a CertID with a one-octet serialNumber', good, (b) => set(b, [...CERT_ID, 3], prim(0x02, [0x07])), true],
    ['a CertID with a field after the serial', good, (b) => childrenAt(b, CERT_ID).push(prim(0x05, [])), false],
    ['good [0] with contents', good, (b) => set(b, [...SINGLE, 1], prim(0x80, [0])), false],
    ['unknown [2] with contents', unknown, (b) => set(b, [...SINGLE, 1], prim(0x82, [0])), false],
    ['a certStatus [3]', good, (b) => set(b, [...SINGLE, 1], prim(0x83, [])), false],
    ['good [0], constructed', good, (b) => set(b, [...SINGLE, 1], cons(0xa0)), false],
    ['revoked [1], primitive', revoked, (b) => set(b, REVOKED_INFO, prim(0x81, [])), false],
    ['revoked without a time', revoked, (b) => remove(b, [...REVOKED_INFO, 0]), false],
    [
      'revoked with a time that names no instant',
      revoked,
      (b) => set(b, [...REVOKED_INFO, 0], time('20261315120000Z')),
      false,
    ],
    ['revoked without a reason', revoked, (b) => remove(b, [...REVOKED_INFO, 1]), true],
    ['a reason as an INTEGER', revoked, (b) => set(b, [...REVOKED_INFO, 1], cons(0xa0, prim(0x02, [1]))), false],
    [
      'a reason of five octets',
      revoked,
      (b) => set(b, [...REVOKED_INFO, 1], cons(0xa0, prim(0x0a, [0, 0, 0, 0, 1]))),
      false,
    ],
    ['an empty reason', revoked, (b) => set(b, [...REVOKED_INFO, 1], cons(0xa0, prim(0x0a, []))), false],
    ['a reason [1]', revoked, (b) => set(b, [...REVOKED_INFO, 1], cons(0xa1, prim(0x0a, [1]))), false],
    ['something after the reason', revoked, (b) => childrenAt(b, REVOKED_INFO).push(prim(0x05, [])), false],
    ['no thisUpdate', good, (b) => remove(b, [...SINGLE, 2]), false],
    ['a thisUpdate that names no instant', good, (b) => set(b, [...SINGLE, 2], time('20260230120000Z')), false],
    ['nextUpdate holding two times', good, (b) => childrenAt(b, [...SINGLE, 3]).push(time('20260119120000Z')), false],
    ['nextUpdate holding a UTCTime', good, (b) => void (nodeAt(b, [...SINGLE, 3, 0]).tag = 0x17), false],
    ['nextUpdate in local time', good, (b) => set(b, [...SINGLE, 3, 0], time('20260119120000')), false],
    [
      'singleExtensions with a nonce',
      good,
      (b) => childrenAt(b, SINGLE).push(cons(0xa1, cons(0x30, anExtension(extnId, extnValue)))),
      true,
    ],
    [
      'singleExtensions holding an extension that is no SEQUENCE',
      good,
      (b) => childrenAt(b, SINGLE).push(cons(0xa1, cons(0x30, prim(0x04, [])))),
      false,
    ],
    ['singleExtensions [2]', good, (b) => childrenAt(b, SINGLE).push(cons(0xa2, cons(0x30))), false],
    ['something after the SingleResponse fields', good, (b) => childrenAt(b, SINGLE).push(prim(0x05, [])), false],
  ];
  it.each(cases)('%s: reads %s', (_name, tree, change, reads) => {
    expect(readBasicResponse(edited(tree, change)) !== null).toBe(reads);
  });

  it.each<[string, number[], string | null]>([
    ['unspecified', [0], 'unspecified'],
    ['cACompromise', [2], 'cACompromise'],
    ['affiliationChanged', [3], 'affiliationChanged'],
    ['superseded', [4], 'superseded'],
    ['cessationOfOperation', [5], 'cessationOfOperation'],
    ['certificateHold', [6], 'certificateHold'],
    ['7 (unused): no reason', [7], null],
    ['removeFromCRL', [8], 'removeFromCRL'],
    ['privilegeWithdrawn', [9], 'privilegeWithdrawn'],
    ['aACompromise', [10], 'aACompromise'],
    ['11 (undefined): no reason', [11], null],
  ])('revocationReason %s', (_name, value, reason) => {
    const bytes = edited(revoked, (b) => set(b, [...REVOKED_INFO, 1], cons(0xa0, prim(0x0a, value))));
    expect(readBasicResponse(bytes)!.responses[0]!.revocationReason).toBe(reason);
  });

  it('a signature BIT STRING with unused bits is read (step 3 refuses it), with the count', () => {
    const basic = readBasicResponse(edited(good, (b) => set(b, [2], prim(0x03, [3, 0x30, 0x08]))));
    expect(basic?.signatureUnusedBits).toBe(3);
    expect([...basic!.signature]).toEqual([0x30, 0x08]);
  });

  it('not strict DER: null', () => {
    const bytes = encodeTree(good);
    expect(readBasicResponse(concat(bytes, [0]))).toBeNull();
    expect(readBasicResponse(bytes.subarray(0, bytes.length - 1))).toBeNull();
  });
});

describe('readOcspResponse', () => {
  const basic = encodeTree(good);
  it.each<[string, Uint8Array, object | null]>([
    ['a successful basic response', ocspResponse(0, basic), { status: 0, responseType: '1.3.6.1.5.5.7.48.1.1' }],
    ['tryLater, no responseBytes', ocspResponse(3), { status: 3, responseType: null, response: null }],
    ['an unknown responseType', ocspResponse(0, basic, [0x2b, 0x06]), { status: 0, responseType: '1.3.6' }],
    ['a SET outside', concat([0x31], ocspResponse(3).subarray(1)), null],
    ['the status as an INTEGER', tlv(0x30, tlv(0x02, [3])), null],
    ['an empty status', tlv(0x30, tlv(0x0a, [])), null],
    ['a five-octet status', tlv(0x30, tlv(0x0a, [0, 0, 0, 0, 3])), null],
    ['no status', tlv(0x30, tlv(0xa0, tlv(0x30, concat(tlv(0x06, BASIC_OID), tlv(0x04, basic))))), null],
    [
      'something after responseBytes',
      tlv(
        0x30,
        concat(tlv(0x0a, [0]), tlv(0xa0, tlv(0x30, concat(tlv(0x06, BASIC_OID), tlv(0x04, basic)))), tlv(0x05, [])),
      ),
      null,
    ],
    [
      'responseBytes as [1]',
      tlv(0x30, concat(tlv(0x0a, [0]), tlv(0xa1, tlv(0x30, concat(tlv(0x06, BASIC_OID), tlv(0x04, basic)))))),
      null,
    ],
    [
      'responseBytes [0] holding two SEQUENCEs',
      tlv(
        0x30,
        concat(
          tlv(0x0a, [0]),
          tlv(0xa0, concat(tlv(0x30, concat(tlv(0x06, BASIC_OID), tlv(0x04, basic))), tlv(0x30, []))),
        ),
      ),
      null,
    ],
    [
      'responseBytes as a SET',
      tlv(0x30, concat(tlv(0x0a, [0]), tlv(0xa0, tlv(0x31, concat(tlv(0x06, BASIC_OID), tlv(0x04, basic)))))),
      null,
    ],
    [
      'responseType not an OID',
      tlv(0x30, concat(tlv(0x0a, [0]), tlv(0xa0, tlv(0x30, concat(tlv(0x04, BASIC_OID), tlv(0x04, basic)))))),
      null,
    ],
    [
      'responseType not minimal',
      tlv(0x30, concat(tlv(0x0a, [0]), tlv(0xa0, tlv(0x30, concat(tlv(0x06, [0x2b, 0x80, 0x06]), tlv(0x04, basic)))))),
      null,
    ],
    [
      'response as a BIT STRING',
      tlv(0x30, concat(tlv(0x0a, [0]), tlv(0xa0, tlv(0x30, concat(tlv(0x06, BASIC_OID), tlv(0x03, basic)))))),
      null,
    ],
    [
      'something after the response',
      tlv(
        0x30,
        concat(tlv(0x0a, [0]), tlv(0xa0, tlv(0x30, concat(tlv(0x06, BASIC_OID), tlv(0x04, basic), tlv(0x05, []))))),
      ),
      null,
    ],
    ['trailing bytes', concat(ocspResponse(3), [0]), null],
  ])('%s', (_name, bytes, expected) => {
    const read = readOcspResponse(bytes);
    if (expected === null) expect(read).toBeNull();
    else expect(read).toMatchObject(expected);
  });

  it('the response is exactly the OCTET STRING contents', () => {
    expect([...readOcspResponse(ocspResponse(0, basic))!.response!]).toEqual([...basic]);
  });
});

describe('parseStaple (step 1)', () => {
  const codes = (bytes: Uint8Array) => parseStaple(bytes).problems.map((p) => `${p.code}: ${p.message}`);

  it('good.der: what step 1 reports', () => {
    const read = parseStaple(fixture('good.der'));
    expect(read.problems).toEqual([]);
    expect(read.parsed).not.toBeNull();
    expect(read.ocsp).toEqual({
      responseStatus: 'successful',
      certStatus: null,
      producedAt: '2026-01-15T11:00:00.000Z',
      thisUpdate: null,
      nextUpdate: null,
      revocationTime: null,
      revocationReason: null,
      signer: {
        type: 'unknown',
        subject: null,
        responderId: { byName: 'O=Staple Check Test, CN=Staple Check Test Intermediate' },
      },
      sizeBytes: fixture('good.der').length,
      singleResponseCount: 1,
      signatureAlgorithm: 'ecdsa-with-SHA256',
    });
  });

  it('by-key.der: the responderID as the hex of its KeyHash', () => {
    const keyHash = nodeAt(byKey, [0, 0, 0]);
    if (!('contents' in keyHash)) throw new Error('KeyHash');
    const hex = Buffer.from(keyHash.contents).toString('hex');
    expect(hex).toMatch(/^[0-9a-f]{40}$/);
    expect(parseStaple(fixture('by-key.der')).ocsp.signer?.responderId).toEqual({ byKeyHash: hex });
  });

  it('a signature algorithm without a display name is shown as its OID', () => {
    const changed = edited(good, (b) => set(b, [1], cons(0x30, prim(0x06, [0x2b, 0x06, 0x01]))));
    expect(parseStaple(ocspResponse(0, changed)).ocsp.signatureAlgorithm).toBe('1.3.6.1');
  });

  it('several SingleResponses are counted', () => {
    const read = parseStaple(fixture('several-one-matching.der'));
    expect(read.ocsp.singleResponseCount).toBe(3);
  });

  it.each<[number, string]>([
    [1, 'malformedRequest'],
    [2, 'internalError'],
    [3, 'tryLater'],
    [4, 'unrecognized'],
    [5, 'sigRequired'],
    [6, 'unauthorized'],
    [7, 'unrecognized'],
  ])('status %d: %s, unsuccessful, nothing parsed', (status, name) => {
    const bytes = ocspResponse(status);
    const read = parseStaple(bytes);
    expect(read.parsed).toBeNull();
    expect(read.ocsp).toMatchObject({ responseStatus: name, producedAt: null, signer: null, sizeBytes: bytes.length });
    expect(codes(bytes)).toEqual([
      `unsuccessful-response: The responder answered "${name}" (status ${status}) instead of a signed status.`,
    ]);
  });

  it.each<[string, Uint8Array, string | null, string]>([
    ['not DER', Uint8Array.of(0x30, 0x05, 0x00), null, 'The stapled bytes (3 B) are not a DER OCSPResponse.'],
    ['successful without responseBytes', ocspResponse(0), 'successful', 'A successful response without responseBytes.'],
    [
      'another response type',
      ocspResponse(0, encodeTree(good), [0x2b, 0x06, 0x01]),
      'successful',
      'Unsupported response type 1.3.6.1 (only id-pkix-ocsp-basic is defined).',
    ],
    [
      'a BasicOCSPResponse that does not parse',
      ocspResponse(0, Uint8Array.of(0x30, 0x00)),
      'successful',
      'The BasicOCSPResponse inside the staple does not parse.',
    ],
    [
      'a byName responderID that is no Name',
      ocspResponse(
        0,
        edited(good, (b) => set(b, [0, 0, 0], cons(0x30, prim(0x02, [1])))),
      ),
      'successful',
      'The BasicOCSPResponse inside the staple does not parse.',
    ],
  ])('%s: malformed', (_name, bytes, status, message) => {
    const read = parseStaple(bytes);
    expect(read.parsed).toBeNull();
    expect(read.ocsp.responseStatus).toBe(status);
    expect(read.ocsp.sizeBytes).toBe(bytes.length);
    expect(codes(bytes)).toEqual([`malformed: ${message}`]);
  });

  it('a byName responderID of an empty Name parses (it names no one; step 3 finds no signer)', () => {
    const read = parseStaple(
      ocspResponse(
        0,
        edited(good, (b) => set(b, [0, 0, 0], cons(0x30))),
      ),
    );
    expect(read.parsed).not.toBeNull();
    expect(read.ocsp.signer?.responderId).toEqual({ byName: '' });
  });

  it(`refuses over ${MAX_RESPONSE_BYTES} bytes before reading any; exactly that many is read`, () => {
    expect(MAX_RESPONSE_BYTES).toBe(65536);
    const over = new Uint8Array(MAX_RESPONSE_BYTES + 1);
    expect(codes(over)).toEqual(['malformed: The staple is 65537 B; no OCSP response is that large (limit 65536 B).']);
    expect(parseStaple(over).ocsp).toMatchObject({ responseStatus: null, sizeBytes: 65537 });
    // Exactly the limit passes the size check and is read (and refused as no DER).
    const exact = new Uint8Array(MAX_RESPONSE_BYTES);
    expect(codes(exact)).toEqual(['malformed: The stapled bytes (65536 B) are not a DER OCSPResponse.']);
  });
});
