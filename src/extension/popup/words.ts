// The popup's words for verdicts, statuses and reasons. Pure data and small formatters.
import type { RevocationReason, Verdict } from '../../core/result.js';
import { VERDICT_COLOUR } from '../../core/result.js';

/** The colour family of a headline. `good` (green) only for the exact verdict `stapled-good`. */
export type Tone = 'good' | 'bad' | 'warn' | 'neutral';

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

export const HEADLINE: Record<Verdict, string> = {
  'stapled-good': 'Stapled, and the certificate is good',
  'stapled-revoked': 'The certificate is revoked',
  'stapled-unknown': 'The CA does not know this certificate',
  'stapled-invalid': 'The staple cannot be trusted',
  'not-stapled': 'No staple sent',
  'no-ocsp': 'Stapling does not apply',
  'must-staple-violation': 'Must-Staple, but no valid staple',
  error: 'The check could not be done',
};

/** One plain sentence under the headline: what it means for someone visiting the site. */
export const LEAD: Record<Verdict, string> = {
  'stapled-good':
    'With its certificate, the site sent a fresh, signed answer from its certificate authority saying the certificate is not revoked.',
  'stapled-revoked':
    'The site’s own stapled answer from its certificate authority says this certificate was revoked. Do not trust this site.',
  'stapled-unknown': 'The stapled answer is signed, but the responder says it has no record of this certificate.',
  'stapled-invalid': 'The site sent a stapled answer, but it is broken, stale or signed by the wrong party.',
  'not-stapled':
    'The certificate names an OCSP responder, but the site did not send its answer along. Browsers then usually do not check at all.',
  'no-ocsp':
    'The certificate names no OCSP responder (revocation is published by CRL only), so there is nothing to staple.',
  'must-staple-violation':
    'The certificate promises a staple on every connection (RFC 7633), but no valid one came. Firefox refuses such sites.',
  error: 'Staple Check could not complete a TLS handshake with this site.',
};

export const REVOCATION_REASON: Record<RevocationReason, string> = {
  unspecified: 'no reason given',
  keyCompromise: 'the private key was compromised',
  cACompromise: 'the CA was compromised',
  affiliationChanged: 'the owner’s details changed',
  superseded: 'replaced by a new certificate',
  cessationOfOperation: 'no longer in use',
  certificateHold: 'on hold',
  removeFromCRL: 'removed from the CRL',
  privilegeWithdrawn: 'privilege withdrawn',
  aACompromise: 'the attribute authority was compromised',
};

export const CERT_STATUS_WORDS: Record<'good' | 'revoked' | 'unknown', string> = {
  good: 'good',
  revoked: 'revoked',
  unknown: 'unknown to the responder',
};

/** "12 ms", "1.4 s". */
export function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}
