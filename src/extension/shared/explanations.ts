// What each problem, error and failure means for a person, and what to do about it: one line each.
// Pure data; the popup shows them under the host's own message. Keys are the append-only codes of
// src/core/result.ts, so a `Record` over the union makes the compiler ask for every new code.
import type { AdvisoryCode, ErrorCode, InvalidatingCode } from '../../core/result.js';
import type { FailureCode } from './tab-view.js';

export interface Explanation {
  /** What it means. */
  meaning: string;
  /** What to do (and who should do it). */
  action: string;
}

const PROBLEMS: Record<InvalidatingCode | AdvisoryCode, Explanation> = {
  'bad-signature': {
    meaning: 'The staple’s signature does not verify: it was altered or signed with the wrong key.',
    action: 'Site operator: restart or reconfigure the server so it fetches a fresh response from the CA.',
  },
  'unauthorized-signer': {
    meaning: 'The staple is signed by someone who may not speak for the certificate’s CA.',
    action: 'Site operator: check the OCSP responder settings; only the CA or its delegated responder may sign.',
  },
  'cert-id-mismatch': {
    meaning: 'The staple is about a different certificate than the one the server presented.',
    action: 'Site operator: the server staples an old response; reload it after changing certificates.',
  },
  expired: {
    meaning: 'The staple is past its nextUpdate time: it is stale and must not be trusted.',
    action: 'Site operator: the server stopped refreshing its staple; check it can reach the CA’s OCSP responder.',
  },
  'not-yet-valid': {
    meaning: 'The staple claims to be from the future: a clock is wrong.',
    action: 'Check this computer’s clock; site operator: check the server’s clock.',
  },
  malformed: {
    meaning: 'The stapled bytes are not a readable OCSP response.',
    action: 'Site operator: check the server’s stapling configuration (stapling file, responder URL).',
  },
  'unsuccessful-response': {
    meaning: 'The server stapled an OCSP error (such as tryLater) instead of a status.',
    action: 'Site operator: the CA’s responder refused; the server should retry and staple a real answer.',
  },
  'issuer-unavailable': {
    meaning: 'The issuing CA’s certificate was not found, so the staple cannot be verified.',
    action: 'Site operator: send the full chain (leaf plus intermediates).',
  },
  'expiring-soon': {
    meaning: 'The staple expires soon.',
    action: 'Nothing yet; if it is not refreshed in time, browsers will stop trusting it.',
  },
  'no-next-update': {
    meaning: 'The staple has no nextUpdate, so nobody can tell when it gets stale.',
    action: 'Nothing for you; CAs should set nextUpdate (RFC 5019).',
  },
  'long-validity': {
    meaning: 'The staple is valid for unusually long, which delays news of a revocation.',
    action: 'Nothing for you; the CA decides the validity period.',
  },
  'warmed-up': {
    meaning: 'The first handshake carried no staple; a later one did (the server fetches it lazily).',
    action: 'Nothing needed; site operators can prefetch the staple so the first visitors get it too.',
  },
  'incomplete-chain': {
    meaning: 'The server does not send all intermediate certificates.',
    action: 'Site operator: configure the full chain file.',
  },
  'untrusted-chain': {
    meaning: 'The certificate chain does not lead to a root this check trusts.',
    action: 'If this is a private CA, that may be expected; otherwise be careful with this site.',
  },
  'hostname-mismatch': {
    meaning: 'The certificate is not issued for this host name.',
    action: 'Be careful: the browser warns about this site, and so should you.',
  },
  'certificate-expired': {
    meaning: 'The site’s certificate has expired.',
    action: 'Site operator: renew the certificate.',
  },
  'certificate-expiring': {
    meaning: 'The site’s certificate expires within two weeks.',
    action: 'Site operator: renew the certificate soon.',
  },
  'certificate-not-yet-valid': {
    meaning: 'The site’s certificate is not valid yet.',
    action: 'Check this computer’s clock; site operator: check the certificate’s dates.',
  },
  'several-single-responses': {
    meaning: 'The staple speaks about several certificates at once.',
    action: 'Nothing needed; the one for this certificate was used.',
  },
  'single-responses-disagree': {
    meaning: 'The staple gives different statuses for this certificate.',
    action: 'Site operator: report this to the CA; treat the site with care.',
  },
  'serial-not-checked': {
    meaning: 'The certificate’s serial number could not be compared with the staple.',
    action: 'Nothing for you; see the report for details.',
  },
  'leaf-not-signed-by-issuer': {
    meaning: 'The certificate was not signed by the CA the staple refers to.',
    action: 'Site operator: check the chain and the stapled response belong together.',
  },
  'backends-disagree': {
    meaning: 'The site’s addresses (servers) do not all give the same answer.',
    action: 'Site operator: make every backend staple the same way.',
  },
  'address-failed': {
    meaning: 'One of the site’s addresses could not be checked.',
    action: 'Try again later; site operator: check that server.',
  },
  'must-staple': {
    meaning: 'Stapling is not optional for this site: when the staple lapses, Firefox refuses to connect.',
    action: 'Site operator: make sure stapling never lapses.',
  },
  'stale-staple': {
    meaning: 'The CA says the certificate is revoked, but the server still staples an old “good”.',
    action: 'Do not trust this site; its operator is (perhaps unknowingly) hiding a revocation.',
  },
  'responder-unreachable': {
    meaning: 'The CA’s OCSP responder could not be asked for comparison.',
    action: 'Nothing needed; the verdict rests on the staple alone.',
  },
};

const ERRORS: Record<ErrorCode, Explanation> = {
  dns: {
    meaning: 'The site’s name could not be resolved.',
    action: 'Check the name and your network; try again.',
  },
  refused: {
    meaning: 'The site refused the connection on this port.',
    action: 'The server may be down; try again later.',
  },
  timeout: {
    meaning: 'The site did not complete a TLS handshake in time.',
    action: 'Try again; a slow or filtered network can cause this.',
  },
  'tls-handshake': {
    meaning: 'The TLS handshake failed.',
    action: 'The server’s TLS setup may be broken or too old; see the report for the exact error.',
  },
  'not-tls': {
    meaning: 'Something answered on this port, but it does not speak TLS.',
    action: 'Check the port; nothing to staple here.',
  },
  unreachable: {
    meaning: 'The site could not be reached from this computer.',
    action: 'Check your network or proxy settings; try again.',
  },
  'bad-request': {
    meaning: 'The helper refused the request.',
    action: 'Update the extension and the helper to matching versions.',
  },
  'bad-input': {
    meaning: 'The helper could not use what it was given.',
    action: 'Update the extension and the helper to matching versions.',
  },
  internal: {
    meaning: 'The helper hit an internal error.',
    action: 'Try again; if it persists, report it with the copied report.',
  },
};

const FAILURES: Record<FailureCode, Explanation> = {
  timeout: {
    meaning: 'The helper program did not answer in time.',
    action: 'Re-check; if it keeps happening, run “staplecheck doctor”.',
  },
  'host-exited': {
    meaning: 'The helper program stopped while checking.',
    action: 'Re-check; if it keeps happening, run “staplecheck doctor”.',
  },
  'malformed-answer': {
    meaning: 'The helper program answered something that is not a valid result, so it is not shown.',
    action: 'Update the extension and the helper (“npx staplecheck install”) to matching versions.',
  },
  'host-error': {
    meaning: 'The helper program refused the request.',
    action: 'Update the extension and the helper to matching versions.',
  },
  internal: {
    meaning: 'Something went wrong inside the extension.',
    action: 'Re-check; if it persists, reload the extension.',
  },
};

const UNKNOWN: Explanation = {
  meaning: 'A finding this version of the extension does not describe yet.',
  action: 'See the message above; updating the extension may explain more.',
};

export function explainProblem(code: string): Explanation {
  return (PROBLEMS as Record<string, Explanation | undefined>)[code] ?? UNKNOWN;
}

export function explainError(code: string): Explanation {
  return (ERRORS as Record<string, Explanation | undefined>)[code] ?? UNKNOWN;
}

export function explainFailure(code: FailureCode): Explanation {
  return FAILURES[code];
}

/** Every code with an explanation (for tests). */
export const EXPLAINED_PROBLEM_CODES = Object.keys(PROBLEMS) as (InvalidatingCode | AdvisoryCode)[];
