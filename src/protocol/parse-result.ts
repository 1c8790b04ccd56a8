// Run-time validation of a check result (docs/contract.md §2) that came from another process: the
// result of a `check` answer (PROTOCOL.md) is untrusted JSON (docs/architecture.md rule 4). What passes is rebuilt field by field —
// unknown fields dropped, strings capped — so nothing unchecked reaches the popup or the badge.
// A result that claims `stapled-good` must also carry the evidence for it; otherwise it is refused
// and the extension shows an error, never green.
import type {
  AddressResult,
  CertificateInfo,
  CertificateVariant,
  ChainCertificate,
  ChainInfo,
  CheckError,
  OcspInfo,
  Problem,
  ProblemCode,
  ResponderComparison,
  Result,
  KeyType,
  Offer,
  SignerInfo,
  TlsInfo,
} from '../core/result.js';
import { INVALIDATING_CODES, REVOCATION_REASONS, isVerdict } from '../core/result.js';
import { isRecord } from './is-record.js';

export type ResultParse = { ok: true; result: Result } | { ok: false; reason: string };

const MAX_TEXT = 4_000;
const MAX_LIST = 200;

class Invalid extends Error {}

function fail(path: string, what: string): never {
  throw new Invalid(`${path} ${what}`);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) fail(path, 'must be an object');
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'must be a string');
  return value.length > MAX_TEXT ? `${value.slice(0, MAX_TEXT)}…` : value;
}

function textOrNull(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : text(value, path);
}

function isoDate(value: unknown, path: string): string {
  const s = text(value, path);
  if (Number.isNaN(Date.parse(s))) fail(path, 'must be an ISO-8601 date');
  return s;
}

function isoDateOrNull(value: unknown, path: string): string | null {
  return value === null || value === undefined ? null : isoDate(value, path);
}

function finiteNumber(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a number');
  return value;
}

function bool(value: unknown, path: string): boolean {
  if (typeof value !== 'boolean') fail(path, 'must be true or false');
  return value;
}

function list<T>(value: unknown, path: string, item: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value)) fail(path, 'must be an array');
  if (value.length > MAX_LIST) fail(path, `has more than ${MAX_LIST} entries`);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    fail(path, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

function oneOfOrNull<T extends string>(value: unknown, allowed: readonly T[], path: string): T | null {
  return value === null || value === undefined ? null : oneOf(value, allowed, path);
}

function nullable<T>(value: unknown, path: string, parse: (v: unknown, p: string) => T): T | null {
  return value === null || value === undefined ? null : parse(value, path);
}

const SEVERITIES = ['error', 'warning', 'info'] as const;
const CERT_STATUSES = ['good', 'revoked', 'unknown'] as const;
const RESPONSE_STATUSES = [
  'successful',
  'malformedRequest',
  'internalError',
  'tryLater',
  'sigRequired',
  'unauthorized',
  'unrecognized',
] as const;
const SIGNER_TYPES = ['issuer', 'delegated', 'unknown'] as const;

// Problem codes are append-only strings (result.ts); a newer host may send codes this extension
// does not know yet. They are shown with their message, so any short token is accepted.
function problemCode(value: unknown, path: string): ProblemCode {
  const s = text(value, path);
  if (!/^[a-z0-9-]{1,64}$/.test(s)) fail(path, 'must be a problem code');
  return s as ProblemCode;
}

function problem(value: unknown, path: string): Problem {
  const r = record(value, path);
  return {
    code: problemCode(r.code, `${path}.code`),
    severity: oneOf(r.severity, SEVERITIES, `${path}.severity`),
    message: text(r.message, `${path}.message`),
  };
}

function checkError(value: unknown, path: string): CheckError {
  const r = record(value, path);
  const code = text(r.code, `${path}.code`);
  if (!/^[a-z0-9-]{1,64}$/.test(code)) fail(`${path}.code`, 'must be an error code');
  return { code: code as CheckError['code'], message: text(r.message, `${path}.message`) };
}

function tls(value: unknown, path: string): TlsInfo {
  const r = record(value, path);
  return { protocol: textOrNull(r.protocol, `${path}.protocol`), cipher: textOrNull(r.cipher, `${path}.cipher`) };
}

function certificate(value: unknown, path: string): CertificateInfo {
  const r = record(value, path);
  return {
    subject: text(r.subject, `${path}.subject`),
    issuer: text(r.issuer, `${path}.issuer`),
    serialNumber: text(r.serialNumber, `${path}.serialNumber`),
    notBefore: isoDate(r.notBefore, `${path}.notBefore`),
    notAfter: isoDate(r.notAfter, `${path}.notAfter`),
    subjectAltNames: list(r.subjectAltNames ?? [], `${path}.subjectAltNames`, text),
    mustStaple: bool(r.mustStaple, `${path}.mustStaple`),
    ocspUrls: list(r.ocspUrls ?? [], `${path}.ocspUrls`, text),
    sha256: text(r.sha256, `${path}.sha256`),
  };
}

function chainCertificate(value: unknown, path: string): ChainCertificate {
  const r = record(value, path);
  return {
    subject: text(r.subject, `${path}.subject`),
    issuer: text(r.issuer, `${path}.issuer`),
    notAfter: isoDate(r.notAfter, `${path}.notAfter`),
    sha256: text(r.sha256, `${path}.sha256`),
  };
}

function chain(value: unknown, path: string): ChainInfo {
  const r = record(value, path);
  const out: ChainInfo = {
    length: finiteNumber(r.length, `${path}.length`),
    complete: bool(r.complete, `${path}.complete`),
    trusted: bool(r.trusted, `${path}.trusted`),
  };
  if (r.trustError !== undefined) out.trustError = textOrNull(r.trustError, `${path}.trustError`);
  if (r.certificates !== undefined) out.certificates = list(r.certificates, `${path}.certificates`, chainCertificate);
  return out;
}

function signer(value: unknown, path: string): SignerInfo {
  const r = record(value, path);
  const out: SignerInfo = {
    type: oneOf(r.type, SIGNER_TYPES, `${path}.type`),
    subject: textOrNull(r.subject, `${path}.subject`),
  };
  if (r.notAfter !== undefined && r.notAfter !== null) out.notAfter = isoDate(r.notAfter, `${path}.notAfter`);
  return out;
}

function ocsp(value: unknown, path: string): OcspInfo {
  const r = record(value, path);
  return {
    responseStatus: oneOfOrNull(r.responseStatus, RESPONSE_STATUSES, `${path}.responseStatus`),
    certStatus: oneOfOrNull(r.certStatus, CERT_STATUSES, `${path}.certStatus`),
    producedAt: isoDateOrNull(r.producedAt, `${path}.producedAt`),
    thisUpdate: isoDateOrNull(r.thisUpdate, `${path}.thisUpdate`),
    nextUpdate: isoDateOrNull(r.nextUpdate, `${path}.nextUpdate`),
    revocationTime: isoDateOrNull(r.revocationTime, `${path}.revocationTime`),
    revocationReason: oneOfOrNull(r.revocationReason, REVOCATION_REASONS, `${path}.revocationReason`),
    signer: nullable(r.signer, `${path}.signer`, signer),
    sizeBytes: finiteNumber(r.sizeBytes, `${path}.sizeBytes`),
  };
}

function verdictOf(value: unknown, path: string): Result['verdict'] {
  // isVerdict is the single source of the verdict names (docs/contract.md §2).
  if (!isVerdict(value)) fail(path, 'is not a known verdict');
  return value;
}

function addressResult(value: unknown, path: string): AddressResult {
  const r = record(value, path);
  const out: AddressResult = {
    address: text(r.address, `${path}.address`),
    verdict: verdictOf(r.verdict, `${path}.verdict`),
    summary: text(r.summary ?? '', `${path}.summary`),
    problems: list(r.problems ?? [], `${path}.problems`, problem),
    error: nullable(r.error, `${path}.error`, checkError),
    ocsp: nullable(r.ocsp, `${path}.ocsp`, ocsp),
    tls: nullable(r.tls, `${path}.tls`, tls),
  };
  requireEvidenceForGood(out.verdict, out.ocsp, out.problems, path);
  return out;
}

const KEY_TYPES: readonly KeyType[] = ['ecdsa', 'rsa', 'ed25519', 'other'];
const OFFERS: readonly Offer[] = ['default', 'ecdsa-only', 'rsa-only'];
/** A server's certificates (docs/contract.md §8): one per key type offered, a handful at most. */
const MAX_VARIANTS = 8;
/** The product token of the `Server` header is cut at 64 characters by the probe (docs/contract.md §8). */
const MAX_SERVER_TOKEN = 64;

function variant(value: unknown, path: string): CertificateVariant {
  const r = record(value, path);
  const out: CertificateVariant = {
    keyType: oneOf(r.keyType, KEY_TYPES, `${path}.keyType`),
    offer: oneOf(r.offer, OFFERS, `${path}.offer`),
    verdict: verdictOf(r.verdict, `${path}.verdict`),
    summary: text(r.summary ?? '', `${path}.summary`),
    problems: list(r.problems ?? [], `${path}.problems`, problem),
    certificate: nullable(r.certificate, `${path}.certificate`, certificate),
    ocsp: nullable(r.ocsp, `${path}.ocsp`, ocsp),
    tls: nullable(r.tls, `${path}.tls`, tls),
    handshakes: finiteNumber(r.handshakes, `${path}.handshakes`),
  };
  requireEvidenceForGood(out.verdict, out.ocsp, out.problems, path);
  return out;
}

function variants(value: unknown, path: string): CertificateVariant[] {
  if (Array.isArray(value) && value.length > MAX_VARIANTS) fail(path, `has more than ${MAX_VARIANTS} entries`);
  return list(value, path, variant);
}

/** `product[/version]`, each an RFC 9110 §5.6.2 token: what the probe keeps of `Server` (§10.2.4). */
const PRODUCT_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+(?:\/[!#$%&'*+.^_`|~0-9A-Za-z-]+)?$/;

function serverToken(value: unknown, path: string): string | null {
  const token = textOrNull(value, path);
  if (token !== null && (token.length > MAX_SERVER_TOKEN || !PRODUCT_TOKEN.test(token))) {
    fail(path, `must be one product token of at most ${MAX_SERVER_TOKEN} characters`);
  }
  return token;
}

function responder(value: unknown, path: string): ResponderComparison {
  const r = record(value, path);
  const out: ResponderComparison = {
    url: text(r.url, `${path}.url`),
    certStatus: oneOfOrNull(r.certStatus, CERT_STATUSES, `${path}.certStatus`),
    thisUpdate: isoDateOrNull(r.thisUpdate, `${path}.thisUpdate`),
    nextUpdate: isoDateOrNull(r.nextUpdate, `${path}.nextUpdate`),
  };
  if (r.error !== undefined) out.error = textOrNull(r.error, `${path}.error`);
  return out;
}

/**
 * `stapled-good` (docs/contract.md §2): a staple was sent, it verifies and says good. An answer that
 * says so without a successful, good staple, or alongside a problem that invalidates a staple,
 * contradicts itself: it is refused rather than shown green.
 */
function requireEvidenceForGood(
  verdict: Result['verdict'],
  staple: OcspInfo | null,
  problems: readonly Problem[],
  path: string,
): void {
  if (verdict !== 'stapled-good') return;
  if (!staple) fail(path, 'says stapled-good but carries no staple');
  if (staple.responseStatus !== 'successful' || staple.certStatus !== 'good') {
    fail(path, 'says stapled-good but its staple does not say good');
  }
  const invalidating = problems.find((p) => (INVALIDATING_CODES as readonly string[]).includes(p.code));
  if (invalidating) fail(path, `says stapled-good despite the problem ${invalidating.code}`);
}

/** Untrusted JSON → a Result, or why not. Never throws. */
export function parseResult(value: unknown): ResultParse {
  try {
    const r = record(value, 'result');
    const port = nullable(r.port, 'result.port', finiteNumber);
    if (port !== null && (!Number.isInteger(port) || port < 1 || port > 65535)) fail('result.port', 'must be 1-65535');
    const result: Result = {
      host: textOrNull(r.host, 'result.host'),
      port,
      servername: textOrNull(r.servername, 'result.servername'),
      address: textOrNull(r.address, 'result.address'),
      checkedAt: isoDate(r.checkedAt, 'result.checkedAt'),
      verdict: verdictOf(r.verdict, 'result.verdict'),
      summary: text(r.summary, 'result.summary'),
      problems: list(r.problems, 'result.problems', problem),
      tls: nullable(r.tls, 'result.tls', tls),
      certificate: nullable(r.certificate, 'result.certificate', certificate),
      chain: nullable(r.chain, 'result.chain', chain),
      ocsp: nullable(r.ocsp, 'result.ocsp', ocsp),
      timing: (() => {
        const t = record(r.timing, 'result.timing');
        const timing: Result['timing'] = { totalMs: finiteNumber(t.totalMs, 'result.timing.totalMs') };
        if (t.handshakes !== undefined) timing.handshakes = finiteNumber(t.handshakes, 'result.timing.handshakes');
        if (t.variantHandshakes !== undefined) {
          timing.variantHandshakes = finiteNumber(t.variantHandshakes, 'result.timing.variantHandshakes');
        }
        return timing;
      })(),
      error: nullable(r.error, 'result.error', checkError),
    };
    if (r.addresses !== undefined) result.addresses = list(r.addresses, 'result.addresses', addressResult);
    if (r.responder !== undefined) result.responder = nullable(r.responder, 'result.responder', responder);
    if (r.certificates !== undefined) result.certificates = variants(r.certificates, 'result.certificates');
    if (r.server !== undefined) result.server = serverToken(r.server, 'result.server');
    requireEvidenceForGood(result.verdict, result.ocsp, result.problems, 'result');
    // The worst certificate's verdict is the result's (docs/contract.md §8): no green over a worse one.
    if (result.verdict === 'stapled-good' && result.certificates?.some((c) => c.verdict !== 'stapled-good')) {
      fail('result', 'says stapled-good although one of its certificates is not');
    }
    // The probe's rule (docs/contract.md §7): the worst verdict among the addresses that answered; an
    // address that could not be reached (verdict error) is a warning while another one answered.
    if (result.verdict === 'stapled-good' && result.addresses) {
      const answered = result.addresses.filter((a) => a.verdict !== 'error');
      if (answered.length === 0 || answered.some((a) => a.verdict !== 'stapled-good')) {
        fail('result', 'says stapled-good although an address that answered is not');
      }
    }
    return { ok: true, result };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, reason: err.message };
    return { ok: false, reason: 'the result could not be read' };
  }
}
