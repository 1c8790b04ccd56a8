// `checkSite`: resolve, handshake at every address (warming up lazy staplers), judge. The Node shell
// around the pure engine.
import { lookup } from 'node:dns/promises';
import type * as tls from 'node:tls';
import {
  certificateFacts,
  describeChainCertificate,
  isCaCertificate,
  isMustStaple,
  ocspUrls,
  parseCertificate,
} from '../core/certificate.js';
import { bytesKey } from '../core/bounded-cache.js';
import { CERTIFICATE_LIMITS } from '../core/certificate-limits.js';
import { judgeStapling, summarize } from '../core/judge.js';
import type {
  AddressResult,
  CertificateVariant,
  ChainCertificate,
  CheckError,
  KeyType,
  Offer,
  Problem,
  Result,
  Verdict,
} from '../core/result.js';
import { blankResult, errorResult, orderResultKeys, worstVerdict } from '../core/result.js';
import {
  DEFAULT_PROBE_MODE,
  DEFAULT_TIMEOUT_MS,
  readPort,
  validateCheckOptions,
  type AddressPolicy,
  type CheckOptions,
  type ProbeMode,
} from '../core/check-options.js';
import { isIpLiteral } from '../core/target.js';
import { toCertificateList } from '../core/encoding.js';
import { browserSentences } from '../core/browser-outcomes.js';
import { bytesEqual } from '../core/encoding.js';
import { keyTypeOf, otherKeyType } from '../core/key-type.js';
import { compareWithResponder } from './responder.js';
import { nodeVerifier } from './node-verifier.js';
import { handshake, trustContext, type HandshakeConnect, type HandshakeEvidence } from './handshake.js';
import { skipInternalIfPublic } from './address-policy.js';
import { monotonicMs } from './clock.js';
import { readServerHeader } from './server-header.js';
import { offerContext, offerOf } from './variants.js';

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
  /**
   * Which of the name's addresses to dial (core/check-options.ts): `all` (the default) or
   * `skip-internal-if-public` (the extension's checks of a tab's page; SECURITY.md "Network").
   */
  addressPolicy?: AddressPolicy;
  /**
   * The browser already loaded this page (the extension's checks of a tab's page): a chain this
   * computer cannot place is then the note `untrusted-chain`, not a warning (docs/contract.md §2).
   */
  pageLoaded?: boolean;
  /**
   * `full` (the default) also looks for the other key type's certificate and reads the `Server`
   * header; `default-offer` (the extension's automatic check) makes the normal offer's handshake only
   * (core/check-options.ts, PROTOCOL.md).
   */
  probe?: ProbeMode;
  /** Injected for tests. */
  now?: () => Date;
  /** Name resolution, injected for tests (default: the system resolver via dns.lookup). */
  lookup?: (host: string) => Promise<string[]>;
  /** Opens the stream each handshake runs over, injected for tests (default: TLS dials the address). */
  connect?: HandshakeConnect;
}

export { DEFAULT_TIMEOUT_MS };
/** Pause between warm-up handshakes: nginx fetches its staple after the first one (docs/contract.md §2). */
export const WARM_UP_INTERVAL_MS = 1_000;
export const WARM_UP_RETRIES = 3;
/** A name may resolve to many addresses; each costs a handshake. */
const MAX_ADDRESSES = 8;

/** One certificate found at an address, with the handshakes that found and warmed it up. */
interface VariantCheck {
  /** `null` when not read (the badge's check: one certificate, no other key type offered). */
  keyType: KeyType | null;
  offer: Offer;
  secureContext: tls.SecureContext;
  evidence: HandshakeEvidence;
  handshakes: number;
  warmedUp: boolean;
}

interface AddressCheck {
  address: string;
  error: CheckError | null;
  /** The normal offer's evidence (what a browser gets); `null` when its handshake failed. */
  evidence: HandshakeEvidence | null;
  /** Handshakes of the normal offer (warm-up retries included). */
  handshakes: number;
  /** Handshakes offering one key type only (docs/contract.md §8). */
  variantHandshakes: number;
  warmedUp: boolean;
  /** Every distinct certificate found, the normal offer's first. */
  variants: VariantCheck[];
}

/** What every address's check shares. */
interface AddressCheckContext {
  port: number;
  servername: string | null;
  caPem: readonly string[];
  secureContext: tls.SecureContext;
  deadline: number;
  /** The first successful handshake's socket reads the `Server` header (server-header.ts). */
  serverHeader: Promise<string | null> | null;
  /** `default-offer`: no handshake offering the other key type, the `Server` header only without a staple (ProbeMode). */
  probe: ProbeMode;
  /** Injected for tests (CheckSiteOptions.connect). */
  connect?: HandshakeConnect;
}

/** The probe for the other key type never takes more than this, or 4 handshakes' time, of the budget. */
const VARIANT_PROBE_MIN_MS = 1_000;

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function wantsStaple(evidence: HandshakeEvidence): boolean {
  const leaf = evidence.chain[0] ? parseCertificate(evidence.chain[0]) : null;
  return leaf !== null && (ocspUrls(leaf).length > 0 || isMustStaple(leaf));
}

function needsWarmUp(variant: VariantCheck): boolean {
  return !variant.evidence.staple && wantsStaple(variant.evidence);
}

/**
 * One handshake offering only the key type the first certificate does not have (docs/contract.md
 * §8). A different certificate is a second variant; a failed handshake or the same certificate
 * means the server has one. `undefined`: no handshake was made (no other key type to offer, or no
 * time left), so `timing.variantHandshakes` does not count one.
 */
async function probeOtherKeyType(
  address: string,
  first: VariantCheck,
  context: AddressCheckContext,
): Promise<VariantCheck | null | undefined> {
  const other = first.keyType && otherKeyType(first.keyType);
  if (!other || Date.now() + Math.max(first.evidence.durationMs, 50) > context.deadline) return undefined;
  const secureContext = offerContext(context.caPem, other);
  const deadline = Math.min(
    context.deadline,
    Date.now() + Math.max(VARIANT_PROBE_MIN_MS, 4 * first.evidence.durationMs),
  );
  const outcome = await handshake({
    address,
    port: context.port,
    servername: context.servername,
    secureContext,
    deadline,
    connect: context.connect,
  });
  const leaf = outcome.ok ? outcome.evidence.chain[0] : undefined;
  const firstLeaf = first.evidence.chain[0];
  if (!outcome.ok || !leaf || (firstLeaf && bytesEqual(leaf, firstLeaf))) return null;
  return {
    keyType: keyTypeOf(leaf),
    offer: offerOf(other),
    secureContext,
    evidence: outcome.evidence,
    handshakes: 1,
    warmedUp: false,
  };
}

async function checkAddress(address: string, context: AddressCheckContext): Promise<AddressCheck> {
  const { port, servername, deadline } = context;
  const full = context.probe === 'full';
  const adoptSocket = (socket: tls.TLSSocket, evidence: HandshakeEvidence): boolean => {
    if (context.serverHeader) return false;
    // The one-handshake check still asks over this connection when no staple came: then the popup
    // shows the site's owner how to turn stapling on, for the server the header names (no new
    // handshake; a check that got a staple stays one handshake and no request).
    if (!full && evidence.staple !== null) return false;
    context.serverHeader = readServerHeader(socket, servername ?? address, deadline);
    return true;
  };
  const outcome = await handshake({
    address,
    port,
    servername,
    secureContext: context.secureContext,
    deadline,
    adoptSocket,
    connect: context.connect,
  });
  if (!outcome.ok)
    return {
      address,
      error: outcome.error,
      evidence: null,
      handshakes: 1,
      variantHandshakes: 0,
      warmedUp: false,
      variants: [],
    };
  const first: VariantCheck = {
    // Read only to offer the other key type and to label several certificates, both of the full
    // probe: the badge's check never reads its leaf for it (issue 11).
    keyType: full ? keyTypeOf(outcome.evidence.chain[0] ?? new Uint8Array()) : null,
    offer: 'default',
    secureContext: context.secureContext,
    evidence: outcome.evidence,
    handshakes: 1,
    warmedUp: false,
  };
  const variants: VariantCheck[] = [first];
  let variantHandshakes = 0;
  const probe = full
    ? probeOtherKeyType(address, first, context).then((found) => {
        if (found === undefined) return;
        variantHandshakes++;
        if (found) variants.push(found);
      })
    : Promise.resolve();
  // Lazy staplers send nothing on the first handshakes; try again while the budget allows, keeping
  // room for one more handshake as long as the slowest took. One pause serves every certificate
  // still waiting (retries are per round, not per certificate in turn), and the probe for the other
  // key type runs during the first pause, so finding it costs a lazy stapler no time.
  let paused = false;
  const fits = (pause: number, pending: readonly VariantCheck[]): boolean =>
    Date.now() + pause + Math.max(50, ...pending.map((v) => v.evidence.durationMs)) <= deadline;
  if (needsWarmUp(first) && fits(WARM_UP_INTERVAL_MS, [first])) {
    await Promise.all([probe, sleep(WARM_UP_INTERVAL_MS)]);
    paused = true;
  } else {
    await probe;
  }
  // A certificate whose retry failed (the server went away) keeps its evidence and is not retried.
  const gaveUp = new Set<VariantCheck>();
  for (let round = 1; round <= WARM_UP_RETRIES; round++) {
    const pending = variants.filter((v) => needsWarmUp(v) && !gaveUp.has(v));
    if (pending.length === 0 || !fits(paused ? 0 : WARM_UP_INTERVAL_MS, pending)) break;
    if (!paused) await sleep(WARM_UP_INTERVAL_MS);
    paused = false;
    await Promise.all(
      pending.map(async (variant) => {
        const retry = await handshake({
          address,
          port,
          servername,
          secureContext: variant.secureContext,
          deadline,
          connect: context.connect,
        });
        variant.handshakes++;
        if (variant.offer !== 'default') variantHandshakes++;
        if (!retry.ok) {
          gaveUp.add(variant); // keep the evidence we have
          return;
        }
        variant.evidence = retry.evidence;
        variant.warmedUp = retry.evidence.staple !== null;
      }),
    );
  }
  return {
    address,
    error: null,
    evidence: first.evidence,
    handshakes: first.handshakes,
    variantHandshakes,
    warmedUp: first.warmedUp,
    variants,
  };
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
      // Deduplicated only: the address policy sees the whole answer before the cap (selectAddresses).
      addresses.length > 0 ? [...new Set(addresses)] : Promise.reject(new Error('no addresses')),
    )
    .catch((err: NodeJS.ErrnoException): CheckError => ({
      code: 'dns',
      message: `${host} could not be resolved (${err.code ?? err.message}).`,
    }));
  return Promise.race([lookedUp, timeout]);
}

/**
 * The resolved addresses to dial, at most MAX_ADDRESSES, under the check's address policy
 * (core/check-options.ts), and the note saying which were skipped. Runs after resolving and before
 * any connection: an address dropped here is never dialled.
 */
function selectAddresses(
  resolved: readonly string[],
  policy: AddressPolicy | undefined,
): { addresses: string[]; skippedNote: Problem | null } {
  if (policy !== 'skip-internal-if-public') return { addresses: resolved.slice(0, MAX_ADDRESSES), skippedNote: null };
  const { dial, skipped } = skipInternalIfPublic(resolved);
  const skippedNote: Problem | null =
    skipped.length === 0
      ? null
      : {
          code: 'internal-addresses-skipped',
          severity: 'info',
          message:
            `${skipped.length} of ${resolved.length} addresses were not checked: ` +
            skipped.map((s) => (s.kind ? `${s.address} (${s.kind})` : 'one that is not an IP address')).join(', ') +
            '. The name also resolves to public addresses, and a check started by the browser does not follow ' +
            'a name towards this computer or its local networks (DNS rebinding).',
        };
  return { addresses: dial.slice(0, MAX_ADDRESSES), skippedNote };
}

/**
 * Whether the server sent what a client needs to build the chain: each certificate is followed by
 * its issuer, up to a root (Node appends a known root) or to a CA certificate whose root is simply
 * not sent (normal: RFC 8446 §4.4.2 lets servers omit it). A chain that stops at a certificate that
 * is no CA is missing an intermediate. Untrusted roots are `untrusted-chain`, not this.
 */
function isChainComplete(chain: readonly Uint8Array[], keys: readonly string[]): boolean {
  const certs = chain.map((der, i) => parseCertificate(der, keys[i]));
  // Names compare as their exact DER, read from each certificate's TBS bytes (as selectIssuer does).
  const facts = certs.map((cert) => cert && certificateFacts(cert));
  for (let i = 0; i + 1 < facts.length; i++) {
    const cert = facts[i];
    const next = facts[i + 1];
    if (!cert || !next || !bytesEqual(cert.issuer, next.subject)) return false;
  }
  const last = certs[certs.length - 1];
  const lastFacts = facts[facts.length - 1];
  if (!last || !lastFacts) return false;
  return bytesEqual(lastFacts.subject, lastFacts.issuer) || isCaCertificate(last);
}

type AddressJudgement = Pick<
  Result,
  'verdict' | 'summary' | 'problems' | 'tls' | 'certificate' | 'chain' | 'ocsp' | 'error'
> & { certificates: CertificateVariant[]; primaryVariant: number };

type VariantJudgement = Omit<AddressJudgement, 'certificates' | 'primaryVariant'>;

/** Judge one address: each certificate it serves, the worst on top (docs/contract.md §8). */
async function judgeAddress(
  check: AddressCheck,
  caPem: readonly string[],
  now: Date,
  deadline: number,
  pageLoaded: boolean,
): Promise<AddressJudgement> {
  // The one budget bounds the judging too: parsing is synchronous work no timer interrupts, so a
  // handshake that ended at the deadline is answered `timeout` rather than judged late (the
  // certificate limits, src/core/certificate-limits.ts, bound what judging one costs).
  const late: CheckError = {
    code: 'timeout',
    message: 'The handshake ended at the timeout, leaving no time to judge it.',
  };
  if (check.variants.length === 0 || Date.now() >= deadline) {
    const error = check.variants.length === 0 ? check.error : late;
    return { ...(await judgeVariant(null, error, caPem, now, pageLoaded)), certificates: [], primaryVariant: 0 };
  }
  const judged: VariantJudgement[] = [];
  for (const variant of check.variants) judged.push(await judgeVariant(variant, null, caPem, now, pageLoaded));
  // Each certificate's own entry is read only when there are several (the result's `certificates`,
  // docs/contract.md §8): a server with one certificate builds none (issue 11).
  if (judged.length === 1) return { ...(judged[0] as VariantJudgement), certificates: [], primaryVariant: 0 };
  const certificates: CertificateVariant[] = judged.map((j, i) => {
    const variant = check.variants[i];
    return {
      keyType: variant?.keyType ?? 'other',
      offer: variant?.offer ?? 'default',
      verdict: j.verdict,
      summary: j.summary,
      problems: j.problems,
      certificate: j.certificate,
      ocsp: j.ocsp,
      tls: j.tls,
      handshakes: variant?.handshakes ?? 0,
      browsers: browserSentences(j),
    };
  });
  const verdict = worstVerdict(judged.map((j) => j.verdict));
  const primaryVariant = Math.max(
    0,
    judged.findIndex((j) => j.verdict === verdict),
  );
  const primary = judged[primaryVariant] as VariantJudgement;
  const problems = [...primary.problems];
  if (new Set(judged.map((j) => j.verdict)).size > 1) {
    problems.push({
      code: 'variants-disagree',
      severity: 'warning',
      message: `The server's certificates disagree: ${certificates
        .map((c) => `${c.keyType.toUpperCase()} → ${c.verdict}`)
        .join(', ')}. Clients get one or the other by the algorithms they offer.`,
    });
  }
  return { ...primary, problems, certificates, primaryVariant };
}

/** Judge one certificate's evidence. */
async function judgeVariant(
  check: VariantCheck | null,
  error: CheckError | null,
  caPem: readonly string[],
  now: Date,
  pageLoaded: boolean,
): Promise<VariantJudgement> {
  const failed = (failure: CheckError): VariantJudgement => ({
    verdict: 'error',
    summary: failure.message,
    problems: [],
    tls: null,
    certificate: null,
    chain: null,
    ocsp: null,
    error: failure,
  });
  if (!check) return failed(error ?? { code: 'tls-handshake', message: 'No handshake.' });
  const evidence = check.evidence;
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
  // Each certificate's byte key is built once for the completeness check and the chain's
  // descriptions, in this one synchronous run (the arrays cannot change under it; issue 11).
  const keys = chain.map((der) => bytesKey(der));
  const complete = isChainComplete(chain, keys);
  const described = Promise.all(chain.map((der, i) => describeChainCertificate(der, nodeVerifier, keys[i])));
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
    const untrusted = `The chain is not trusted by this computer's trust store or Node's roots${caPem.length ? ', nor by --ca' : ''} (${evidence.authorizationError ?? 'unknown reason'})`;
    // The browser loaded the page, so it placed the chain: most often under a root it was given that
    // the host cannot see (one added to the browser, or by an administrator's policy). A note then;
    // the staple's verdict never depended on it (RFC 6960 §4.2.2.2 trusts the issuer, not a root).
    problems.push(
      pageLoaded
        ? {
            code: 'untrusted-chain',
            severity: 'info',
            message: `${untrusted}. The browser loaded this page, so it trusts a root this computer's store does not hold (added to the browser or by an administrator).`,
          }
        : { code: 'untrusted-chain', severity: 'warning', message: `${untrusted}.` },
    );
  }
  if (evidence.hostnameError)
    problems.push({ code: 'hostname-mismatch', severity: 'warning', message: evidence.hostnameError });
  const chainCertificates = (await described).filter((c): c is ChainCertificate => c !== null);
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
  const started = monotonicMs();
  const now = options.now ?? (() => new Date());
  const checkedAt = now();
  const validated = validateCheckOptions({
    host: options.host,
    port: options.port,
    timeoutMs: options.timeoutMs,
    servername: options.servername,
    address: options.address,
    compareResponder: options.compareResponder,
    addressPolicy: options.addressPolicy,
    pageLoaded: options.pageLoaded,
    probe: options.probe,
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
  // The lookup runs in libuv's thread pool while this thread builds the trust context, which on a
  // host's first check reads this computer's trust store (system-trust.ts): the two overlap.
  const resolving = valid.address || hostIsIp ? null : resolveAddresses(host, deadline, options.lookup ?? systemLookup);
  const trustAnchors = trustContext(caPem);

  let addresses: string[];
  let skippedNote: Problem | null = null;
  if (valid.address) {
    addresses = [valid.address];
  } else {
    const resolved = resolving ? await resolving : [host];
    if (!Array.isArray(resolved))
      return { ...errorResult(base, resolved), timing: { totalMs: monotonicMs() - started } };
    ({ addresses, skippedNote } = selectAddresses(resolved, valid.addressPolicy));
  }

  const context: AddressCheckContext = {
    port,
    servername,
    caPem,
    secureContext: trustAnchors,
    deadline,
    serverHeader: null,
    probe: valid.probe ?? DEFAULT_PROBE_MODE,
    connect: options.connect,
  };
  const checks = await Promise.all(addresses.map((a) => checkAddress(a, context)));
  const pageLoaded = valid.pageLoaded === true;
  const judged = await Promise.all(checks.map((c) => judgeAddress(c, caPem, checkedAt, deadline, pageLoaded)));
  const handshakes = checks.reduce((n, c) => n + c.handshakes, 0);
  const variantHandshakes = checks.reduce((n, c) => n + c.variantHandshakes, 0);
  const server = context.serverHeader ? await context.serverHeader : null;

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
      ...(j.certificates.length > 1 ? { certificates: j.certificates } : {}),
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
  const { certificates, primaryVariant } = primary;
  // The primary judgement's fields named one by one (no object rest: a runtime copy with an
  // exclusion list, slow without an optimising compiler; issue 11). orderResultKeys sets the order.
  const result: Result = {
    ...base,
    tls: primary.tls,
    certificate: primary.certificate,
    chain: primary.chain,
    ocsp: primary.ocsp,
    error: primary.error,
    verdict,
    summary: primary.verdict === verdict ? primary.summary : summarize(verdict, primary.ocsp, problems),
    problems,
    address: checks[primaryIndex]?.address ?? addresses[0] ?? null,
    timing: { totalMs: 0, handshakes, variantHandshakes },
    ...(addressResults ? { addresses: addressResults } : {}),
    ...(certificates.length > 1 ? { certificates } : {}),
    server,
  };
  if (skippedNote) result.problems.push(skippedNote);
  if (valid.compareResponder && result.certificate && result.verdict !== 'error') {
    const evidence = checks[primaryIndex]?.variants[primaryVariant]?.evidence ?? checks[primaryIndex]?.evidence;
    await compareWithResponder(result, evidence ?? null, deadline);
  }
  result.browsers = browserSentences(result);
  result.timing.totalMs = Math.round((monotonicMs() - started) * 10) / 10;
  return orderResultKeys(result);
}
