// One prepared description of a check result, already in words: headline, lead, tone, facts,
// findings. The CLI text renderer and the popup both draw it and decide no wording of their own
// (docs/architecture.md: one view model, many renderers), so the two cannot drift and one
// translation of public/_locales covers both. Pure: a Result, `now` and a `translate` in.
//
// Strings copied from the result (certificate names, URLs, error texts) come from the network and
// are passed through as they are: each renderer makes them inert for its medium (the DOM by
// text nodes, the terminal by escaping in src/cli/render-text.ts).
import { formatHostPort } from '../core/host-port.js';
import { formatDuration, formatRelative, formatUtc } from '../core/relative-time.js';
import type { OcspInfo, Result, Severity, Verdict } from '../core/result.js';
import { VERDICT_COLOUR } from '../core/result.js';
import { BROWSERS, browserOutcomes, type BrowserName } from '../core/browser-outcomes.js';
import { FIX_RECIPES, SERVER_SOFTWARE, serverSoftwareOf, type ServerSoftware } from '../core/server-software.js';
import { explainError, explainProblem } from './explanations.js';
import { explainOpensslCode } from './openssl-codes.js';
import { ocspTimeLeft } from './staple-time-left.js';
import { messageKey, type Translate } from './translate.js';

/** The colour family of a headline. `good` (green) only for the exact verdict `stapled-good`. */
export type Tone = 'good' | 'bad' | 'warn' | 'neutral';

export type Colour = (typeof VERDICT_COLOUR)[Verdict];

export function toneOf(verdict: Verdict): Tone {
  if (verdict === 'stapled-good') return 'good';
  switch (VERDICT_COLOUR[verdict]) {
    case 'red':
      return 'bad';
    case 'amber':
      return 'warn';
    default:
      return 'neutral'; // grey, and green for anything that is not stapled-good
  }
}

/** "12 ms", "1.4 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

export type FactId =
  | 'staple'
  | 'time-left'
  | 'signer'
  | 'revoked'
  | 'responder'
  | 'must-staple'
  | 'subject'
  | 'issuer'
  | 'expires'
  | 'serial'
  | 'ocsp-urls'
  | 'chain'
  | 'tls'
  | 'address'
  | 'took';

export interface Fact {
  id: FactId;
  label: string;
  value: string;
  /** A detail for the full report (the CLI); the popup, short on room, leaves it out. */
  detail: boolean;
  /**
   * A raw code inside `value` (an OpenSSL verification code), with `plain`: the same fact with the
   * code explained in words, for renderers that show the code apart (the popup, small).
   */
  code?: { raw: string; plain: string };
}

export interface Finding {
  code: string;
  severity: Severity;
  /** The engine's own sentence about this case. */
  message: string;
  meaning: string;
  action: string;
}

export interface ErrorView {
  code: string;
  message: string;
  meaning: string;
  action: string;
}

export interface AddressView {
  /** `203.0.113.7:443`, `[2001:db8::7]:443`. */
  label: string;
  verdict: Verdict;
  tone: Tone;
  colour: Colour;
  headline: string;
}

/** One certificate a server serves (shown only when it serves several, docs/contract.md §8). */
export interface VariantView {
  /** "ECDSA certificate". */
  label: string;
  /** "what browsers get", "offered RSA only". */
  offer: string;
  verdict: Verdict;
  tone: Tone;
  colour: Colour;
  headline: string;
  summary: string;
  /** "2 days left", "staple expired 1 h ago", "no staple": this certificate's own staple. */
  timeLeft: string;
}

/** What one browser does, in one sentence (docs/browsers.md). */
export interface BrowserView {
  browser: BrowserName;
  name: string;
  sentence: string;
}

/** One server's settings for stapling. */
export interface FixRecipeView {
  server: ServerSoftware;
  name: string;
  lines: string[];
  documentation: string;
}

/** How the site's owner turns stapling on or repairs it, when the verdict is not stapled-good. */
export interface FixItView {
  title: string;
  intro: string;
  /** Which server answered (its `Server` header), or that it did not say. */
  server: string;
  /** "Your server stopped refreshing it…", when the staple lapsed. */
  lapsed: string | null;
  /** The answering server's recipe, or every one when it did not say. */
  recipes: FixRecipeView[];
}

export interface ResultView {
  verdict: Verdict;
  tone: Tone;
  colour: Colour;
  /** What was checked: `example.com:443`, `[::1]:8443`, a target as given, or the staple (inspect). */
  target: string;
  headline: string;
  /** One plain sentence: what the verdict means for someone visiting the site. */
  lead: string;
  /** The engine's sentence about this very result. */
  summary: string;
  error: ErrorView | null;
  facts: Fact[];
  /** Every address checked, when a name had several. */
  addresses: AddressView[];
  findings: Finding[];
  /** Every certificate the server serves, when it serves several. */
  variants: VariantView[];
  /** What each browser does, for any finished check. */
  browsers: BrowserView[];
  /** For the site's owner, when the verdict is not stapled-good (and stapling applies). */
  fixIt: FixItView | null;
  /** "Checked 1 s ago". */
  checked: string;
  /** Section words the renderers put around the lists. */
  words: {
    whatToDo: string;
    addresses: string;
    findings: string;
    findingsCount: string;
    error: string;
    variants: string;
    browsers: string;
  };
}

export interface DescribeOptions {
  now: Date;
  translate: Translate;
}

/** What the staple says; for a staple that must not be trusted, only what it claims. */
function stapleStatus(result: Result, ocsp: OcspInfo, t: Translate): string {
  if (!ocsp.certStatus) {
    // A status is read only once its CertID matched; otherwise say what the response is.
    if (ocsp.responseStatus === 'successful') return t('staple_not_verified');
    return ocsp.responseStatus ?? t('staple_unreadable');
  }
  const words = t(messageKey('status', ocsp.certStatus));
  const untrusted = result.problems.some((p) => p.severity === 'error');
  return untrusted ? t('staple_claims', [words]) : words;
}

function stapleFact(result: Result, ocsp: OcspInfo, now: Date, t: Translate): string {
  const parts = [stapleStatus(result, ocsp, t)];
  const made = ocsp.thisUpdate ?? ocsp.producedAt;
  if (made) parts.push(t('staple_made', [formatRelative(made, now)]));
  parts.push(t('staple_size', [String(ocsp.sizeBytes)]));
  return parts.join(' · ');
}

function timeLeft(ocsp: OcspInfo, now: Date, t: Translate): string | null {
  if (!ocsp.nextUpdate) return ocsp.thisUpdate ? t('time_no_end') : null;
  const left = new Date(ocsp.nextUpdate).getTime() - now.getTime();
  return left >= 0
    ? t('time_left', [formatDuration(left), formatUtc(ocsp.nextUpdate)])
    : t('time_expired', [formatDuration(left), formatUtc(ocsp.nextUpdate)]);
}

function signerWords(ocsp: OcspInfo, t: Translate): string {
  const signer = ocsp.signer;
  if (!signer) return t('signer_none');
  const who = signer.subject ?? t('signer_unnamed');
  const words =
    signer.type === 'issuer'
      ? t('signer_issuer', [who])
      : signer.type === 'delegated'
        ? t('signer_delegated', [who])
        : t('signer_unrecognised', [who]);
  return ocsp.signatureAlgorithm ? `${words} · ${ocsp.signatureAlgorithm}` : words;
}

function dateWithRelative(iso: string, now: Date, t: Translate): string {
  return t('date_relative', [formatUtc(iso), formatRelative(iso, now)]);
}

function revokedWords(ocsp: OcspInfo, now: Date, t: Translate): string {
  const when = ocsp.revocationTime ? dateWithRelative(ocsp.revocationTime, now, t) : t('revoked_time_not_given');
  const reason = ocsp.revocationReason ? t(messageKey('reason', ocsp.revocationReason)) : t('revoked_reason_not_given');
  return `${when} · ${t('revoked_reason', [reason])}`;
}

/** `explained`: the trust error in words, said instead of the raw code. */
function chainWords(chain: NonNullable<Result['chain']>, t: Translate, explained?: string): string {
  const count = chain.length === 1 ? t('chain_one_certificate') : t('chain_certificates', [String(chain.length)]);
  const trust = chain.trusted
    ? t('chain_trusted')
    : explained
      ? t('chain_not_trusted_explained', [explained])
      : chain.trustError
        ? t('chain_not_trusted_because', [chain.trustError])
        : t('chain_not_trusted');
  return [count, chain.complete ? t('chain_complete') : t('chain_incomplete'), trust].join(' · ');
}

function tookWords(result: Result, t: Translate): string {
  const handshakes = result.timing.handshakes;
  const time = formatMs(result.timing.totalMs);
  if (handshakes === undefined) return time;
  const words = `${time} · ${handshakes === 1 ? t('took_one_handshake') : t('took_handshakes', [String(handshakes)])}`;
  const more = result.timing.variantHandshakes;
  return more ? `${words} · ${t('took_variant_handshakes', [String(more)])}` : words;
}

function variantsOf(result: Result, now: Date, t: Translate): VariantView[] {
  const certificates = result.certificates ?? [];
  if (certificates.length < 2) return [];
  return certificates.map((c) => ({
    label: t('variant_label', [c.keyType.toUpperCase()]),
    offer:
      c.offer === 'default'
        ? t('variant_offer_default')
        : t('variant_offer_only', [c.offer === 'ecdsa-only' ? 'ECDSA' : 'RSA']),
    verdict: c.verdict,
    tone: toneOf(c.verdict),
    colour: VERDICT_COLOUR[c.verdict],
    headline: t(messageKey('headline', c.verdict)),
    summary: c.summary,
    timeLeft: ocspTimeLeft(c.ocsp, now, t),
  }));
}

/** The browsers' sentences, worded through the catalogue from the same outcomes as `result.browsers`. */
function browsersOf(result: Result, t: Translate): BrowserView[] {
  if (result.verdict === 'error') return [];
  const outcomes = browserOutcomes(result);
  return BROWSERS.map((browser) => {
    const outcome = outcomes[browser];
    const error = outcome.errorCode ?? t('browser_error_unnamed');
    return {
      browser,
      name: t(messageKey('browser_name', browser)),
      sentence: t(messageKey('browser', browser, outcome.case), [error]),
    };
  });
}

const NO_FIX: ReadonlySet<Verdict> = new Set(['stapled-good', 'no-ocsp', 'error']);

function fixItOf(result: Result, now: Date, t: Translate): FixItView | null {
  if (NO_FIX.has(result.verdict) || result.host === null) return null;
  const software = serverSoftwareOf(result.server);
  const expired = result.problems.some((p) => p.code === 'expired');
  const made = result.ocsp?.thisUpdate ?? result.ocsp?.producedAt ?? null;
  return {
    title: t('section_fix'),
    intro: t(messageKey('fix_intro', result.verdict)),
    server: result.server ? t('fix_server_named', [result.server]) : t('fix_server_unknown'),
    lapsed: expired && made ? t('fix_lapsed', [dateWithRelative(made, now, t)]) : null,
    recipes: (software ? [software] : SERVER_SOFTWARE).map((server) => ({
      server,
      name: t(messageKey('fix_server_name', server)),
      lines: [...FIX_RECIPES[server].lines],
      documentation: t('fix_documentation', [FIX_RECIPES[server].documentation]),
    })),
  };
}

function targetOf(result: Result, t: Translate): string {
  if (result.host === null) return t('target_staple');
  return formatHostPort(result.host, result.port);
}

function factsOf(result: Result, now: Date, t: Translate): Fact[] {
  const facts: Fact[] = [];
  const add = (id: FactId, labelKey: string, value: string | null, detail = false) => {
    if (value !== null) facts.push({ id, label: t(labelKey), value, detail });
  };
  const ocsp = result.ocsp;
  if (ocsp) {
    add('staple', 'fact_staple', stapleFact(result, ocsp, now, t));
    add('time-left', 'fact_time_left', timeLeft(ocsp, now, t));
    add('signer', 'fact_signer', signerWords(ocsp, t));
    if (ocsp.certStatus === 'revoked') add('revoked', 'fact_revoked', revokedWords(ocsp, now, t));
  } else if (result.verdict !== 'error' && result.host !== null) {
    add('staple', 'fact_staple', t('staple_none'));
  }
  const responder = result.responder;
  if (responder) {
    add(
      'responder',
      'fact_responder',
      responder.error
        ? t('responder_failed', [responder.url, responder.error])
        : t('responder_says', [
            responder.url,
            responder.certStatus ? t(messageKey('status', responder.certStatus)) : t('responder_no_status'),
          ]),
    );
  }
  const cert = result.certificate;
  if (cert) {
    add('must-staple', 'fact_must_staple', cert.mustStaple ? t('must_staple_yes') : t('must_staple_no'));
    add('subject', 'fact_subject', cert.subject);
    add('issuer', 'fact_issuer', cert.issuer);
    add('expires', 'fact_expires', dateWithRelative(cert.notAfter, now, t));
    add('serial', 'fact_serial', cert.serialNumber, true);
    add('ocsp-urls', 'fact_ocsp_urls', cert.ocspUrls.length ? cert.ocspUrls.join(', ') : t('ocsp_urls_none'), true);
  }
  if (result.chain && result.host !== null) {
    add('chain', 'fact_chain', chainWords(result.chain, t));
    const raw = result.chain.trustError;
    const words = raw ? explainOpensslCode(t, raw) : null;
    const fact = facts[facts.length - 1];
    if (raw && words && fact) {
      fact.code = { raw, plain: chainWords(result.chain, t, words) };
    }
  }
  if (result.tls && (result.tls.protocol || result.tls.cipher)) {
    add('tls', 'fact_tls', [result.tls.protocol, result.tls.cipher].filter(Boolean).join(' · '));
  }
  if (result.host !== null) {
    const address = formatHostPort(result.address ?? result.host, result.port);
    const others = (result.addresses?.length ?? 0) - 1;
    add('address', 'fact_address', others > 0 ? t('address_and_more', [address, String(others)]) : address);
    add('took', 'fact_took', tookWords(result, t));
  }
  return facts;
}

/** The result in words, ready to draw. */
export function describeResult(result: Result, options: DescribeOptions): ResultView {
  const { now, translate: t } = options;
  const error = result.error;
  const findings: Finding[] = result.problems.map((problem) => ({
    code: problem.code,
    severity: problem.severity,
    message: problem.message,
    ...explainProblem(t, problem.code),
  }));
  return {
    verdict: result.verdict,
    tone: toneOf(result.verdict),
    colour: VERDICT_COLOUR[result.verdict],
    target: targetOf(result, t),
    headline: t(messageKey('headline', result.verdict)),
    lead: t(messageKey('lead', result.verdict)),
    summary: result.summary,
    error: error ? { code: error.code, message: error.message, ...explainError(t, error.code) } : null,
    facts: factsOf(result, now, t),
    addresses: (result.addresses ?? []).map((a) => ({
      label: formatHostPort(a.address, result.port),
      verdict: a.verdict,
      tone: toneOf(a.verdict),
      colour: VERDICT_COLOUR[a.verdict],
      headline: t(messageKey('headline', a.verdict)),
    })),
    findings,
    variants: variantsOf(result, now, t),
    browsers: browsersOf(result, t),
    fixIt: fixItOf(result, now, t),
    checked: formatRelative(result.checkedAt, now),
    words: {
      whatToDo: t('what_to_do'),
      addresses: t('section_addresses'),
      findings: t('section_problems'),
      findingsCount: findings.length === 1 ? t('findings_one') : t('findings_count', [String(findings.length)]),
      error: t('fact_error'),
      variants: t('section_variants'),
      browsers: t('section_browsers'),
    },
  };
}
