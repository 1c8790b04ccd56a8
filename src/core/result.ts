// The result contract of docs/contract.md §2. Names here are fixed by the spec:
// add fields freely, never rename or drop one.

export const VERDICTS = [
  'stapled-good',
  'stapled-revoked',
  'stapled-unknown',
  'stapled-invalid',
  'not-stapled',
  'no-ocsp',
  'must-staple-violation',
  'error',
] as const;
export type Verdict = (typeof VERDICTS)[number];

/** Codes that make a staple untrustworthy (docs/contract.md §2); each forces `stapled-invalid`. */
export const INVALIDATING_CODES = [
  'bad-signature',
  'unauthorized-signer',
  'cert-id-mismatch',
  'expired',
  'not-yet-valid',
  'malformed',
  'unsuccessful-response',
  'issuer-unavailable',
] as const;
export type InvalidatingCode = (typeof INVALIDATING_CODES)[number];

/**
 * Warnings and infos. Append-only: tools and monitors match on these strings.
 */
export type AdvisoryCode =
  | 'expiring-soon'
  | 'no-next-update'
  | 'long-validity'
  | 'warmed-up'
  | 'incomplete-chain'
  | 'untrusted-chain'
  | 'hostname-mismatch'
  | 'certificate-expired'
  | 'certificate-expiring'
  | 'certificate-not-yet-valid'
  | 'several-single-responses'
  | 'single-responses-disagree'
  | 'serial-not-checked'
  | 'leaf-not-signed-by-issuer'
  | 'backends-disagree'
  | 'address-failed'
  | 'must-staple'
  | 'stale-staple'
  | 'responder-unreachable'
  | 'variants-disagree'
  | 'internal-addresses-skipped';

export type ProblemCode = InvalidatingCode | AdvisoryCode;
export type Severity = 'error' | 'warning' | 'info';

export interface Problem {
  code: ProblemCode;
  severity: Severity;
  message: string;
}

/** `error.code` values for the verdict `error`. Append-only. */
export type ErrorCode =
  | 'dns'
  | 'refused'
  | 'timeout'
  | 'tls-handshake'
  | 'not-tls'
  | 'unreachable'
  | 'bad-request'
  | 'bad-input'
  | 'internal';

export interface CheckError {
  code: ErrorCode;
  message: string;
}

export interface CertificateInfo {
  subject: string;
  issuer: string;
  serialNumber: string;
  notBefore: string;
  notAfter: string;
  subjectAltNames: string[];
  mustStaple: boolean;
  ocspUrls: string[];
  sha256: string;
}

export interface ChainInfo {
  length: number;
  complete: boolean;
  trusted: boolean;
  /** Why Node rejected the chain, when it did (OpenSSL's code, e.g. UNABLE_TO_GET_ISSUER_CERT). */
  trustError?: string | null;
  certificates?: ChainCertificate[];
}

export interface ChainCertificate {
  subject: string;
  issuer: string;
  notAfter: string;
  sha256: string;
}

export type CertStatus = 'good' | 'revoked' | 'unknown';

/** RFC 5280 §5.3.1 CRLReason names. */
export const REVOCATION_REASONS = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
] as const;
export type RevocationReason = (typeof REVOCATION_REASONS)[number];

export type ResponseStatus =
  'successful' | 'malformedRequest' | 'internalError' | 'tryLater' | 'sigRequired' | 'unauthorized' | 'unrecognized';

export interface SignerInfo {
  /** `issuer`: signed by the CA itself; `delegated`: a responder certificate the CA issued (RFC 6960 §4.2.2.2). */
  type: 'issuer' | 'delegated' | 'unknown';
  subject: string | null;
  responderId?: { byName?: string; byKeyHash?: string };
  /** The delegated responder certificate's validity, when there is one. */
  notAfter?: string;
}

export interface OcspInfo {
  /** `null` when the bytes are not an OCSPResponse at all. */
  responseStatus: ResponseStatus | null;
  certStatus: CertStatus | null;
  producedAt: string | null;
  thisUpdate: string | null;
  nextUpdate: string | null;
  revocationTime: string | null;
  revocationReason: RevocationReason | null;
  signer: SignerInfo | null;
  sizeBytes: number;
  certIdHashAlgorithm?: string | null;
  singleResponseCount?: number;
  signatureAlgorithm?: string | null;
}

export interface TlsInfo {
  protocol: string | null;
  cipher: string | null;
}

export interface AddressResult {
  address: string;
  verdict: Verdict;
  summary: string;
  problems: Problem[];
  error: CheckError | null;
  ocsp: OcspInfo | null;
  tls: TlsInfo | null;
  /** Every certificate this address serves, when it serves more than one. */
  certificates?: CertificateVariant[];
}

/** The kind of key a certificate holds: what decides which certificate a server picks for a client. */
export type KeyType = 'ecdsa' | 'rsa' | 'ed25519' | 'other';

/**
 * How the handshake that found a certificate was offered: the client's normal offer, or only
 * ECDSA / only RSA signature algorithms (and, for TLS 1.2, only cipher suites of that key type).
 */
export type Offer = 'default' | 'ecdsa-only' | 'rsa-only';

/** One browser's sentence per browser (docs/contract.md §8; docs/browsers.md gives the sources). */
export interface BrowserSentences {
  firefox: string;
  chromium: string;
  safari: string;
}

/**
 * One certificate a server serves at one address (docs/contract.md §8): servers with an ECDSA and
 * an RSA certificate pick one by the client's offer, and each has its own staple.
 */
export interface CertificateVariant {
  keyType: KeyType;
  offer: Offer;
  verdict: Verdict;
  summary: string;
  problems: Problem[];
  certificate: CertificateInfo | null;
  ocsp: OcspInfo | null;
  tls: TlsInfo | null;
  /** Handshakes made for this certificate (warm-up retries included). */
  handshakes: number;
  browsers?: BrowserSentences;
}

export interface ResponderComparison {
  url: string;
  certStatus: CertStatus | null;
  thisUpdate: string | null;
  nextUpdate: string | null;
  error?: string | null;
}

export interface Result {
  host: string | null;
  port: number | null;
  servername: string | null;
  address: string | null;
  checkedAt: string;
  verdict: Verdict;
  summary: string;
  problems: Problem[];
  tls: TlsInfo | null;
  certificate: CertificateInfo | null;
  chain: ChainInfo | null;
  ocsp: OcspInfo | null;
  /**
   * `handshakes`: handshakes of the normal offer (warm-up retries included); `variantHandshakes`:
   * those offering one key type only, to find a second certificate (docs/contract.md §8).
   */
  timing: { totalMs: number; handshakes?: number; variantHandshakes?: number };
  error: CheckError | null;
  addresses?: AddressResult[];
  responder?: ResponderComparison | null;
  /** Every certificate the (reported) address serves, when it serves more than one (docs/contract.md §8). */
  certificates?: CertificateVariant[];
  /** What Firefox, Chromium-family browsers and Safari do with this stapling (docs/browsers.md). */
  browsers?: BrowserSentences;
  /** The product token of the site's `Server` header (`nginx/1.24.0`), `null` when it sent none. */
  server?: string | null;
}

/** Badge colours (docs/contract.md §2), shared by the extension and the text renderer. */
export const VERDICT_COLOUR: Record<Verdict, 'green' | 'red' | 'amber' | 'grey'> = {
  'stapled-good': 'green',
  'stapled-revoked': 'red',
  'stapled-unknown': 'amber',
  'stapled-invalid': 'red',
  'not-stapled': 'amber',
  'no-ocsp': 'grey',
  'must-staple-violation': 'red',
  error: 'grey',
};

/** Exit status by the monitoring convention (docs/contract.md §3). */
export function exitStatusOf(verdict: Verdict): 0 | 1 | 2 | 3 {
  switch (verdict) {
    case 'stapled-good':
    case 'no-ocsp':
      return 0;
    case 'not-stapled':
    case 'stapled-unknown':
      return 1;
    case 'stapled-revoked':
    case 'stapled-invalid':
    case 'must-staple-violation':
      return 2;
    case 'error':
      return 3;
  }
}

// How bad a verdict is, for "the worst of several" (several targets, several addresses).
const VERDICT_RANK: Record<Verdict, number> = {
  'stapled-good': 0,
  'no-ocsp': 1,
  'stapled-unknown': 2,
  'not-stapled': 3,
  'stapled-invalid': 4,
  'must-staple-violation': 5,
  'stapled-revoked': 6,
  error: 7,
};

export function worstVerdict(verdicts: readonly Verdict[]): Verdict {
  let worst: Verdict = 'stapled-good';
  for (const v of verdicts) if (VERDICT_RANK[v] > VERDICT_RANK[worst]) worst = v;
  return worst;
}

export function isVerdict(value: unknown): value is Verdict {
  return typeof value === 'string' && (VERDICTS as readonly string[]).includes(value);
}

const RESULT_KEY_ORDER: readonly (keyof Result)[] = [
  'host',
  'port',
  'servername',
  'address',
  'checkedAt',
  'verdict',
  'summary',
  'problems',
  'tls',
  'certificate',
  'chain',
  'ocsp',
  'timing',
  'error',
  'addresses',
  'certificates',
  'responder',
  'browsers',
  'server',
];

/** The same result with its keys in contract order, so JSON reads top-down (verdict first). */
export function orderResultKeys(result: Result): Result {
  const ordered: Record<string, unknown> = {};
  let copied = 0;
  for (const key of RESULT_KEY_ORDER) {
    if (key in result) {
      ordered[key] = result[key];
      copied++;
    }
  }
  // Keys beyond the contract's keep their order after it; looked for only when there are any (issue 11).
  const keys = Object.keys(result);
  if (keys.length > copied) for (const key of keys) if (!(key in ordered)) ordered[key] = result[key as keyof Result];
  return ordered as unknown as Result;
}

/** A result with nothing found yet: verdict `error`, every finding empty. Callers fill in the rest. */
export function blankResult(checkedAt: Date, target: { host?: string | null; port?: number | null } = {}): Result {
  return {
    host: target.host ?? null,
    port: target.port ?? null,
    servername: null,
    address: null,
    checkedAt: checkedAt.toISOString(),
    verdict: 'error',
    summary: '',
    problems: [],
    tls: null,
    certificate: null,
    chain: null,
    ocsp: null,
    timing: { totalMs: 0 },
    error: null,
  };
}

/** The verdict `error` with its code and message (docs/contract.md §2). */
export function errorResult(base: Result, error: CheckError): Result {
  return { ...base, verdict: 'error', summary: error.message, error };
}
