// A finished check: headline, the facts a person looks for, each problem with what it means and
// what to do. Pure: a Result and `now` in, markup out.
import type { ComponentChildren } from 'preact';
import { formatDuration, formatRelative, formatUtc } from '../../core/relative-time.js';
import type { OcspInfo, Problem, Result } from '../../core/result.js';
import { explainError, explainProblem } from '../shared/explanations.js';
import { msg } from '../shared/i18n.js';
import type { Site } from '../shared/site.js';
import { siteLabel } from '../shared/site.js';
import { StateIcon } from './icons.js';
import { CERT_STATUS_WORDS, HEADLINE, LEAD, REVOCATION_REASON, formatMs, toneOf } from './words.js';

export function Headline(props: {
  tone: ReturnType<typeof toneOf> | 'missing' | 'checking';
  title: string;
  site: Site | null;
  children?: ComponentChildren;
}) {
  return (
    <header class={`headline tone-${props.tone}`}>
      <StateIcon kind={props.tone} />
      <div>
        <h1>{props.title}</h1>
        {props.site && <p class="site">{siteLabel(props.site)}</p>}
      </div>
      {props.children}
    </header>
  );
}

function Fact(props: { label: string; children: ComponentChildren; testid?: string }) {
  return (
    <div class="fact" data-fact={props.testid}>
      <dt>{props.label}</dt>
      <dd>{props.children}</dd>
    </div>
  );
}

/** What the staple says; for a staple that must not be trusted, only what it claims. */
function stapleStatusWords(result: Result): string {
  const ocsp = result.ocsp;
  if (!ocsp) return 'none';
  if (!ocsp.certStatus)
    return ocsp.responseStatus === 'successful' ? 'status not verified' : (ocsp.responseStatus ?? 'unreadable');
  const words = CERT_STATUS_WORDS[ocsp.certStatus];
  return result.problems.some((p) => p.severity === 'error') ? `claims ${words} (not to be trusted)` : words;
}

function stapleAge(ocsp: OcspInfo, now: Date): string | null {
  const produced = ocsp.thisUpdate ?? ocsp.producedAt;
  return produced ? `made ${formatRelative(produced, now)}` : null;
}

function timeLeft(ocsp: OcspInfo, now: Date): string {
  if (!ocsp.nextUpdate) return 'no end date (no nextUpdate)';
  const left = new Date(ocsp.nextUpdate).getTime() - now.getTime();
  return left >= 0
    ? `${formatDuration(left)} left (until ${formatUtc(ocsp.nextUpdate)})`
    : `expired ${formatDuration(left)} ago (${formatUtc(ocsp.nextUpdate)})`;
}

function signerWords(ocsp: OcspInfo): string {
  const signer = ocsp.signer;
  if (!signer) return 'unknown';
  const who = signer.subject ?? 'an unnamed signer';
  switch (signer.type) {
    case 'issuer':
      return `the issuing CA itself (${who})`;
    case 'delegated':
      return `a delegated OCSP responder (${who})`;
    default:
      return `an unrecognised signer (${who})`;
  }
}

function ProblemItem({ problem }: { problem: Problem }) {
  const explanation = explainProblem(problem.code);
  return (
    <li class={`problem severity-${problem.severity}`}>
      <p class="problem-message">
        <span class="severity">{problem.severity}</span> {problem.message}
      </p>
      <p class="problem-meaning">{explanation.meaning}</p>
      <p class="problem-action">
        <span class="what-to-do">What to do:</span> {explanation.action}
      </p>
    </li>
  );
}

export function ResultView(props: { result: Result; site: Site; now: Date; fromCache: boolean }) {
  const { result, now } = props;
  const tone = toneOf(result.verdict);
  const ocsp = result.ocsp;
  const cert = result.certificate;
  const errorExplanation = result.error ? explainError(result.error.code) : null;
  const problems = result.problems;
  return (
    <article class="result" data-verdict={result.verdict} data-checked-at={result.checkedAt}>
      <Headline tone={tone} title={HEADLINE[result.verdict]} site={props.site} />
      <p class="lead">{LEAD[result.verdict]}</p>
      <p class="summary">{result.summary}</p>
      {result.error && errorExplanation && (
        <div class="error-box">
          <p>
            <strong>{result.error.code}</strong>: {result.error.message}
          </p>
          <p>{errorExplanation.meaning}</p>
          <p>
            <span class="what-to-do">What to do:</span> {errorExplanation.action}
          </p>
        </div>
      )}
      <dl class="facts">
        {ocsp && (
          <>
            <Fact label={msg('fact_staple')} testid="staple">
              {stapleStatusWords(result)}
              {stapleAge(ocsp, now) && ` · ${stapleAge(ocsp, now)}`}
              {` · ${ocsp.sizeBytes} bytes`}
            </Fact>
            <Fact label={msg('fact_time_left')} testid="time-left">
              {timeLeft(ocsp, now)}
            </Fact>
            <Fact label={msg('fact_signer')} testid="signer">
              {signerWords(ocsp)}
            </Fact>
          </>
        )}
        {ocsp?.certStatus === 'revoked' && (
          <Fact label={msg('fact_revoked')} testid="revoked">
            {ocsp.revocationTime
              ? `${formatUtc(ocsp.revocationTime)} (${formatRelative(ocsp.revocationTime, now)})`
              : 'time not given'}
            {` · reason: ${ocsp.revocationReason ? REVOCATION_REASON[ocsp.revocationReason] : 'not given'}`}
          </Fact>
        )}
        {!ocsp && result.verdict !== 'error' && (
          <Fact label={msg('fact_staple')} testid="staple">
            none sent
          </Fact>
        )}
        {cert && (
          <>
            <Fact label={msg('fact_must_staple')} testid="must-staple">
              {cert.mustStaple ? 'yes — a staple is required on every connection' : 'no'}
            </Fact>
            <Fact label={msg('fact_subject')} testid="subject">
              {cert.subject}
            </Fact>
            <Fact label={msg('fact_issuer')} testid="issuer">
              {cert.issuer}
            </Fact>
            <Fact label={msg('fact_expires')} testid="expires">
              {`${formatUtc(cert.notAfter)} (${formatRelative(cert.notAfter, now)})`}
            </Fact>
          </>
        )}
        {result.chain && (
          <Fact label={msg('fact_chain')} testid="chain">
            {`${result.chain.length} certificate${result.chain.length === 1 ? '' : 's'} · ${result.chain.complete ? 'complete' : 'incomplete'} · ${result.chain.trusted ? 'trusted' : `not trusted${result.chain.trustError ? ` (${result.chain.trustError})` : ''}`}`}
          </Fact>
        )}
        {result.tls && (result.tls.protocol || result.tls.cipher) && (
          <Fact label={msg('fact_tls')} testid="tls">
            {[result.tls.protocol, result.tls.cipher].filter(Boolean).join(' · ')}
          </Fact>
        )}
        <Fact label={msg('fact_address')} testid="address">
          {result.address
            ? `${result.address.includes(':') ? `[${result.address}]` : result.address}:${result.port ?? props.site.port}`
            : siteLabel(props.site)}
          {result.addresses && result.addresses.length > 1 && ` and ${result.addresses.length - 1} more`}
        </Fact>
        <Fact label={msg('fact_took')} testid="took">
          {formatMs(result.timing.totalMs)}
          {result.timing.handshakes !== undefined &&
            ` · ${result.timing.handshakes} handshake${result.timing.handshakes === 1 ? '' : 's'}`}
        </Fact>
        <Fact label={msg('fact_checked')} testid="checked">
          {formatRelative(result.checkedAt, now)}
          {props.fromCache && ' · from cache'}
        </Fact>
      </dl>
      {result.addresses && result.addresses.length > 1 && (
        <section class="addresses" aria-label={msg('section_addresses')}>
          <h2>Every address</h2>
          <ul>
            {result.addresses.map((a) => (
              <li key={a.address} class={`tone-text-${toneOf(a.verdict)}`}>
                {a.address}: {HEADLINE[a.verdict]}
              </li>
            ))}
          </ul>
        </section>
      )}
      {problems.length > 0 && (
        <section class="problems" aria-label={msg('section_problems')}>
          <h2>
            {problems.length} finding{problems.length === 1 ? '' : 's'}
          </h2>
          <ul>
            {problems.map((p, i) => (
              <ProblemItem key={`${p.code}-${i}`} problem={p} />
            ))}
          </ul>
        </section>
      )}
    </article>
  );
}
