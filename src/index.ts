// The library (docs/contract.md §6): the engine and the two checks, for other tools and for tests.
import { inspectResponse } from './core/inspect.js';
import type { Result } from './core/result.js';

export { checkSite, type CheckSiteOptions } from './probe/check-site.js';
export { judgeStapling, selectIssuer, type StaplingEvidence, type Judgement } from './core/judge.js';
export { verifyStaple, type StapleInput, type StapleAssessment } from './core/verify-staple.js';
export { parseTarget, type Target } from './core/target.js';
export * from './core/result.js';

export interface InspectStapleOptions {
  /** DER bytes, PEM (`OCSP RESPONSE`) or bare base64. */
  response: Uint8Array | string;
  /** The issuer certificate, DER or PEM; trusted as given. */
  issuer: Uint8Array | string;
  /** The certificate the response should be about; without it the serial is not checked. */
  certificate?: Uint8Array | string | null;
  /** Verification time; default now. */
  at?: Date;
}

/** Verify a saved OCSP response offline. Never throws for bad input: a broken response is a result. */
export async function inspectStaple(options: InspectStapleOptions): Promise<Result> {
  return inspectResponse({ ...options, at: options.at ?? new Date(), crypto: globalThis.crypto });
}
