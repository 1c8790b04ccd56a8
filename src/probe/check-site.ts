// `checkSite`: resolve, handshake at every address (warming up lazy staplers), judge. The Node shell
// around the pure engine.
import { lookup } from 'node:dns/promises';
import type * as tls from 'node:tls';
import {
  describeChainCertificate,
  isCaCertificate,
  isMustStaple,
  isSelfIssued,
  namesEqual,
  ocspUrls,
  parseCertificate,
} from '../core/certificate.js';
import { CERTIFICATE_LIMITS } from '../core/certificate-limits.js';
import { judgeStapling, summarize } from '../core/judge.js';
import type { AddressResult, CheckError, Problem, Result, Verdict } from '../core/result.js';
import { blankResult, errorResult, orderResultKeys, worstVerdict } from '../core/result.js';
import { DEFAULT_TIMEOUT_MS, readPort, validateCheckOptions, type CheckOptions } from '../core/check-options.js';
import { isIpLiteral } from '../core/target.js';
import { toCertificateList } from '../core/encoding.js';
import { compareWithResponder } from './responder.js';
import { nodeVerifier } from './node-verifier.js';
import { handshake, trustContext, type HandshakeEvidence } from './handshake.js';

export interface CheckSiteOptions {
  host: string;
  port?: number;
  /** SNI; defaults to `host` (none for IP literals). */
  servername?: string | null;
  /** One budget for DNS, connect, handshakes and warm-up retries. */
  timeoutMs?: number;
  /** Extra trust anchors (PEM text). They decide `chain.trusted`, never the staple verdict. */
  ca?: string | readonly string[];
  /** Check this one address only (docs/contract.md §7). */
  address?: string;
  /** Also ask the CA's responder (docs/contract.md §7). Off by default: it tells the CA which site you check. */
  compareResponder?: boolean;
  /** Injected for tests. */
  now?: () => Date;
  /** Name resolution, injected for tests (default: the system resolver via dns.lookup). */
  lookup?: (host: string) => Promise<string[]>;
}

export { DEFAULT_TIMEOUT_MS };
/** Pause between warm-up handshakes: nginx fetches its staple after the first one (docs/contract.md §2). */
export const WARM_UP_INTERVAL_MS = 1_000;
export const WARM_UP_RETRIES = 3;
/** A name may resolve to many addresses; each costs a handshake. */
const MAX_ADDRESSES = 8;

interface AddressCheck {
  address: string;
  error: CheckError | null;
  evidence: HandshakeEvidence | null;
  handshakes: number;
  warmedUp: boolean;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function wantsStaple(evidence: HandshakeEvidence): boolean {
  const leaf = evidence.chain[0] ? parseCertificate(evidence.chain[0]) : null;
  return leaf !== null && (ocspUrls(leaf).length > 0 || isMustStaple(leaf));
}

async function checkAddress(
  address: string,
  port: number,
  servername: string | null,
  secureContext: tls.SecureContext,
  deadline: number,
): Promise<AddressCheck> {
  let outcome = await handshake({ address, port, servername, secureContext, deadline });
  let handshakes = 1;
  if (!outcome.ok) return { address, error: outcome.error, evidence: null, handshakes, warmedUp: false };
  let evidence = outcome.evidence;
  // Lazy staplers send nothing on the first handshakes; try again while the budget allows,
  // keeping room for one more handshake as long as the last one took.
  while (!evidence.staple && wantsStaple(evidence) && handshakes <= WARM_UP_RETRIES) {
    if (Date.now() + WARM_UP_INTERVAL_MS + Math.max(evidence.durationMs, 50) > deadline) break;
    await sleep(WARM_UP_INTERVAL_MS);
    outcome = await handshake({ address, port, servername, secureContext, deadline });
    handshakes++;
    if (!outcome.ok) break; // keep the evidence we have
    evidence = outcome.evidence;
  }
  return { address, error: null, evidence, handshakes, warmedUp: evidence.staple !== null && handshakes > 1 };
}

function caList(ca: CheckSiteOptions['ca']): string[] {
  if (ca === undefined) return [];
  return typeof ca === 'string' ? [ca] : [...ca];
}

async function systemLookup(host: string): Promise<string[]> {
  const records = await lookup(host, { all: true, verbatim: true });
  return records.map((r) => r.address);
}

async function resolveAddresses(
  host: string,
  deadline: number,
  resolver: (host: string) => Promise<string[]>,
): Promise<string[] | CheckError> {
  const timeout = new Promise<CheckError>((resolve) =>
    setTimeout(
      () => resolve({ code: 'timeout', message: `Looking up ${host} took longer than the timeout.` }),
      Math.max(0, deadline - Date.now()),
    ).unref(),
  );
  const lookedUp = resolver(host)
    .then((addresses) =>
      addresses.length > 0
        ? [...new Set(addresses)].slice(0, MAX_ADDRESSES)
        : Promise.reject(new Error('no addresses')),
    )
    .catch((err: NodeJS.ErrnoException): CheckError => ({
      code: 'dns',
      message: `${host} could not be resolved (${err.code ?? err.message}).`,
    }));
  return Promise.race([lookedUp, timeout]);
}

/**
 * Whether the server sent what a client needs to build the chain: each certificate is followed by
 * its issuer, up to a root (Node appends a known root) or to a CA certificate whose root is simply
 * not sent (normal: RFC 8446 §4.4.2 lets servers omit it). A chain that stops at a certificate that
 * is no CA is missing an intermediate. Untrusted roots are `untrusted-chain`, not this.
 */
function isChainComplete(chain: readonly Uint8Array[]): boolean {
  const certs = chain.map((der) => parseCertificate(der));
  for (let i = 0; i + 1 < certs.length; i++) {
    const cert = certs[i];
    const next = certs[i + 1];
    if (!cert || !next || !namesEqual(cert.issuer, next.subject)) return false;
  }
  const last = certs[certs.length - 1];
  return last !== null && last !== undefined && (isSelfIssued(last) || isCaCertificate(last));
}

type AddressJudgement = Pick<
  Result,
  'verdict' | 'summary' | 'problems' | 'tls' | 'certificate' | 'chain' | 'ocsp' | 'error'
>;

/** Judge one address's evidence into the per-address part of a result. */
async function judgeAddress(
  check: AddressCheck,
  caPem: readonly string[],
  now: Date,
  deadline: number,
): Promise<AddressJudgement> {
  const failed = (error: CheckError): AddressJudgement => ({
    verdict: 'error',
    summary: error.message,
    problems: [],
    tls: null,
    certificate: null,
    chain: null,
    ocsp: null,
    error,
  });
  if (!check.evidence) return failed(check.error ?? { code: 'tls-handshake', message: 'No handshake.' });
  const evidence = check.evidence;
  // The one budget bounds the judging too: parsing is synchronous work no timer interrupts, so a
  // handshake that ended at the deadline is answered `timeout` rather than judged late (the
  // certificate limits, src/core/certificate-limits.ts, bound what judging one costs).
  if (Date.now() >= deadline)
    return failed({ code: 'timeout', message: 'The handshake ended at the timeout, leaving no time to judge it.' });
  // Only the first certificates of a long chain are judged (the leaf's issuer comes right after it).
  const chain = evidence.chain.slice(0, CERTIFICATE_LIMITS.maxChainCertificates);
  const [leaf, ...rest] = chain;
  if (!leaf) return failed({ code: 'tls-handshake', message: 'The server presented no certificate.' });
  const extraCa = caPem.flatMap((pem) => toCertificateList(pem));
  const judgement = await judgeStapling({
    leaf,
    issuerCandidates: [...rest, ...extraCa],
    staple: evidence.staple,
    at: now,
    crypto: globalThis.crypto,
    verifier: nodeVerifier,
  });
  const problems: Problem[] = [...judgement.problems];
  const complete = isChainComplete(chain);
  if (check.warmedUp) {
    problems.push({
      code: 'warmed-up',
      severity: 'info',
      message: `The staple came only on handshake ${check.handshakes}: the server fetches it lazily, so first visitors get none.`,
    });
  }
  if (!complete) {
    problems.push({
      code: 'incomplete-chain',
      severity: 'warning',
      message:
        "The chain breaks before a CA certificate: the server does not send the certificate's issuer (a missing intermediate).",
    });
  }
  if (!evidence.authorized) {
    problems.push({
      code: 'untrusted-chain',
      severity: 'warning',
      message: `The chain is not trusted by this computer's trust store or Node's roots${caPem.length ? ', nor by --ca' : ''} (${evidence.authorizationError ?? 'unknown reason'}).`,
    });
  }
  if (evidence.hostnameError)
    problems.push({ code: 'hostname-mismatch', severity: 'warning', message: evidence.hostnameError });
  const chainCertificates = [];
  for (const der of chain) {
    const described = await describeChainCertificate(der, globalThis.crypto);
    if (described) chainCertificates.push(described);
  }
  return {
    verdict: judgement.verdict,
    summary: judgement.summary,
    problems,
    tls: { protocol: evidence.protocol, cipher: evidence.cipher },
    certificate: judgement.certificate,
    chain: {
      length: evidence.chain.length,
      complete,
      trusted: evidence.authorized,
      trustError: evidence.authorizationError,
      certificates: chainCertificates,
    },
    ocsp: judgement.ocsp,
    error: null,
  };
}

/**
 * Check one site (docs/contract.md §6). Never throws: options that break their rule
 * (core/check-options.ts) are an `error` result with the code `bad-request`, decided before anything
 * is resolved or dialed; a bug while checking is an `error` result with the code `internal`.
 */
export async function checkSite(options: CheckSiteOptions): Promise<Result> {
  const started = performance.now();
  const now = options.now ?? (() => new Date());
  const checkedAt = now();
  const validated = validateCheckOptions({
    host: options.host,
    port: options.port,
    timeoutMs: options.timeoutMs,
    servername: options.servername,
    address: options.address,
    compareResponder: options.compareResponder,
  });
  if (!validated.ok) {
    const host = typeof options.host === 'string' ? options.host.slice(0, 300) : null;
    // Only a valid port goes into the result: a reader validates it as 1-65535 (PROTOCOL.md).
    const port = readPort(options.port).ok ? (options.port as number) : null;
    return errorResult(blankResult(checkedAt, { host, port }), { code: 'bad-request', message: validated.message });
  }
  const { host, port } = validated.options;
  try {
    return await checkValidSite(validated.options, options, checkedAt, started);
  } catch (err) {
    // docs/contract.md §6: a check never throws. An exception here is a bug in staplecheck, not the site's doing.
    const reason = err instanceof Error ? err.message : String(err);
    return errorResult(blankResult(checkedAt, { host, port }), {
      code: 'internal',
      message: `The check failed inside staplecheck (a bug): ${reason.slice(0, 300)}`,
    });
  }
}

async function checkValidSite(
  valid: CheckOptions,
  options: CheckSiteOptions,
  checkedAt: Date,
  started: number,
): Promise<Result> {
  const deadline = Date.now() + valid.timeoutMs;
  const { host, port } = valid;
  const hostIsIp = isIpLiteral(host);
  const base = blankResult(checkedAt, { host, port });
  // RFC 6066 §3: no SNI for an IP literal.
  const servername = valid.servername ?? (hostIsIp ? null : host);
  base.servername = servername;
  const caPem = caList(options.ca);
  const trustAnchors = trustContext(caPem);

  let addresses: string[];
  if (valid.address) {
    addresses = [valid.address];
  } else {
    const resolved = hostIsIp ? [host] : await resolveAddresses(host, deadline, options.lookup ?? systemLookup);
    if (!Array.isArray(resolved))
      return { ...errorResult(base, resolved), timing: { totalMs: performance.now() - started } };
    addresses = resolved;
  }

  const checks = await Promise.all(addresses.map((a) => checkAddress(a, port, servername, trustAnchors, deadline)));
  const judged = await Promise.all(checks.map((c) => judgeAddress(c, caPem, checkedAt, deadline)));
  const handshakes = checks.reduce((n, c) => n + c.handshakes, 0);

  // The worst answer among the addresses that answered; errors count only when no address answered
  // (a name with an IPv6 address the server does not listen on is common and not the staple's fault).
  const answered = judged.filter((j) => j.verdict !== 'error');
  const pool = answered.length > 0 ? answered : judged;
  const verdict: Verdict = worstVerdict(pool.map((j) => j.verdict));
  const primaryIndex = judged.findIndex((j) => j.verdict === verdict);
  const primary = judged[primaryIndex] ?? judged[0];
  if (!primary) return errorResult(base, { code: 'dns', message: `${host} has no addresses.` });
  const problems = [...primary.problems];
  let addressResults: AddressResult[] | undefined;
  if (addresses.length > 1) {
    addressResults = judged.map((j, i) => ({
      address: checks[i]?.address ?? '',
      verdict: j.verdict,
      summary: j.summary,
      problems: j.problems,
      error: j.error,
      ocsp: j.ocsp,
      tls: j.tls,
    }));
    if (new Set(answered.map((j) => j.verdict)).size > 1) {
      problems.push({
        code: 'backends-disagree',
        severity: 'warning',
        message: `The addresses disagree: ${addressResults.map((a) => `${a.address} → ${a.verdict}`).join(', ')}.`,
      });
    }
    for (const failed of addressResults.filter((a) => a.error && answered.length > 0)) {
      problems.push({
        code: 'address-failed',
        severity: 'warning',
        message: `${failed.address}: ${failed.error?.message}`,
      });
    }
  }
  const result: Result = {
    ...base,
    ...primary,
    verdict,
    summary: primary.verdict === verdict ? primary.summary : summarize(verdict, primary.ocsp, problems),
    problems,
    address: checks[primaryIndex]?.address ?? addresses[0] ?? null,
    timing: { totalMs: 0, handshakes },
    ...(addressResults ? { addresses: addressResults } : {}),
  };
  if (valid.compareResponder && result.certificate && result.verdict !== 'error') {
    await compareWithResponder(result, checks[primaryIndex]?.evidence ?? null, deadline);
  }
  result.timing.totalMs = Math.round((performance.now() - started) * 10) / 10;
  return orderResultKeys(result);
}
