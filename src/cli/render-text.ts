// The human rendering of a Result: a headline per target, then the facts a person looks for.
import { formatDuration, formatRelative, formatTimeLeft, formatUtc } from '../core/relative-time.js';
import type { Problem, Result, Verdict } from '../core/result.js';
import { VERDICT_COLOUR } from '../core/result.js';

export interface Style {
  colour: boolean;
}

const ANSI = { green: '32', red: '31', amber: '33', grey: '90', bold: '1', dim: '2' } as const;

function paint(style: Style, code: keyof typeof ANSI, text: string): string {
  return style.colour ? `\u001b[${ANSI[code]}m${text}\u001b[0m` : text;
}

const VERDICT_MARK: Record<Verdict, string> = {
  'stapled-good': '✔',
  'stapled-revoked': '✖',
  'stapled-unknown': '?',
  'stapled-invalid': '✖',
  'not-stapled': '!',
  'no-ocsp': '–',
  'must-staple-violation': '✖',
  error: '?',
};

const SEVERITY_MARK: Record<Problem['severity'], string> = { error: '✖', warning: '!', info: 'i' };

function targetLabel(result: Result): string {
  if (result.host === null) return 'staple';
  if (result.port === null) return result.host; // a target that did not parse, as it was given
  const host = result.host.includes(':') ? `[${result.host}]` : result.host;
  return `${host}:${result.port}`;
}

function row(style: Style, label: string, value: string): string {
  return `  ${paint(style, 'dim', label.padEnd(13))}${value}\n`;
}

export function renderText(result: Result, style: Style, now: Date): string {
  const colour = VERDICT_COLOUR[result.verdict];
  let out = `${paint(style, 'bold', targetLabel(result))}  ${paint(style, colour, `${VERDICT_MARK[result.verdict]} ${result.verdict}`)}\n`;
  out += `  ${result.summary}\n`;
  if (result.error) out += row(style, 'Error', result.error.code);

  const ocsp = result.ocsp;
  if (ocsp) {
    // A status is shown only once its CertID matched; otherwise say what the response is.
    const status =
      ocsp.certStatus ?? (ocsp.responseStatus === 'successful' ? 'status not verified' : ocsp.responseStatus);
    const untrusted = result.problems.some((p) => p.severity === 'error');
    const parts: string[] = [
      untrusted && ocsp.certStatus ? `claims ${status} (not to be trusted)` : (status ?? 'unreadable'),
    ];
    if (ocsp.producedAt) parts.push(`produced ${formatRelative(ocsp.producedAt, now)}`);
    if (ocsp.nextUpdate) {
      const left = new Date(ocsp.nextUpdate).getTime() - now.getTime();
      parts.push(
        left >= 0
          ? `valid ${formatTimeLeft(left)} (until ${formatUtc(ocsp.nextUpdate)})`
          : `expired ${formatDuration(left)} ago (${formatUtc(ocsp.nextUpdate)})`,
      );
    } else if (ocsp.thisUpdate) {
      parts.push('no nextUpdate');
    }
    parts.push(`${ocsp.sizeBytes} B`);
    out += row(style, 'Staple', parts.join(' · '));
    if (ocsp.revocationTime) {
      out += row(
        style,
        'Revoked',
        `${formatUtc(ocsp.revocationTime)} (${formatRelative(ocsp.revocationTime, now)})${ocsp.revocationReason ? `, reason ${ocsp.revocationReason}` : ''}`,
      );
    }
    if (ocsp.signer?.subject) {
      const who =
        ocsp.signer.type === 'issuer'
          ? 'the issuer'
          : ocsp.signer.type === 'delegated'
            ? 'a delegated responder'
            : 'a signer not authorized for this issuer';
      out += row(
        style,
        'Signed by',
        `${who} (${ocsp.signer.subject ?? '?'})${ocsp.signatureAlgorithm ? ` · ${ocsp.signatureAlgorithm}` : ''}`,
      );
    }
  } else if (result.verdict !== 'error' && result.host !== null) {
    out += row(style, 'Staple', 'none sent');
  }
  if (result.responder) {
    const r = result.responder;
    out += row(style, 'Responder', r.error ? `${r.url}: ${r.error}` : `${r.url} says ${r.certStatus ?? '?'}`);
  }

  const cert = result.certificate;
  if (cert) {
    out += row(style, 'Certificate', cert.subject);
    out += row(
      style,
      '',
      `issued by ${cert.issuer} · expires ${formatUtc(cert.notAfter)} (${formatRelative(cert.notAfter, now)})`,
    );
    out += row(
      style,
      '',
      `serial ${cert.serialNumber}${cert.mustStaple ? ' · Must-Staple' : ''}${cert.ocspUrls.length ? ` · OCSP ${cert.ocspUrls.join(', ')}` : ' · no OCSP URL'}`,
    );
  }
  if (result.chain && result.host !== null) {
    const chain = result.chain;
    out += row(
      style,
      'Chain',
      `${chain.length} certificate${chain.length === 1 ? '' : 's'} · ${chain.complete ? 'complete' : 'incomplete'} · ${chain.trusted ? 'trusted' : 'not trusted'}`,
    );
  }
  if (result.tls) {
    out += row(style, 'TLS', [result.tls.protocol, result.tls.cipher, result.address].filter(Boolean).join(' · '));
  }
  for (const address of result.addresses ?? []) {
    out += row(
      style,
      'Address',
      `${address.address} → ${paint(style, VERDICT_COLOUR[address.verdict], address.verdict)}`,
    );
  }
  for (const problem of result.problems) {
    const code = problem.severity === 'error' ? 'red' : problem.severity === 'warning' ? 'amber' : 'grey';
    out += `  ${paint(style, code, `${SEVERITY_MARK[problem.severity]} ${problem.code}`)}: ${problem.message}\n`;
  }
  if (result.host !== null) {
    const handshakes = result.timing.handshakes;
    out += row(
      style,
      'Took',
      `${Math.round(result.timing.totalMs)} ms${handshakes ? ` (${handshakes} handshake${handshakes === 1 ? '' : 's'})` : ''}`,
    );
  }
  return out;
}
