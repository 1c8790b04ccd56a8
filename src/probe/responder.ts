// docs/contract.md §7: ask the CA's own OCSP responder too (opt-in: it tells the CA which site is checked),
// to catch a server that keeps stapling "good" after the CA revoked the certificate.
//
// The responder is named by the certificate, so by whoever made it: it is hostile like the site
// (SECURITY.md). The fetch is bounded: the addresses are resolved and checked BEFORE any
// connection (a public site's certificate must not point the check at this computer, its link or
// its private network), one POST is sent, redirects are not followed, the body is capped while it
// streams, and the whole exchange lives inside the check's remaining timeout budget.
import { lookup } from 'node:dns/promises';
import { connect as netConnect, isIP } from 'node:net';
import type { Duplex } from 'node:stream';
import { connect as tlsConnect } from 'node:tls';
import * as pkijs from 'pkijs';
import { parseCertificate } from '../core/certificate.js';
import { selectIssuer } from '../core/judge.js';
import { cryptoEngineFor, verifyStaple } from '../core/verify-staple.js';
import type { Result } from '../core/result.js';
import { addressKind } from './address-policy.js';
import type { HandshakeEvidence } from './handshake.js';
import { nodeVerifier } from './node-verifier.js';

/** OCSP answers are a few KiB (RFC 6960 §4.2.1); anything far larger is not one. */
export const MAX_RESPONSE_BYTES = 64 * 1024;
/** Response headers beyond this are refused by Node's HTTP parser. */
const MAX_HEADER_BYTES = 8 * 1024;

export interface ResponderConnectOptions {
  /** The already-vetted IP address to dial. */
  address: string;
  port: number;
  /** SNI and certificate name for https responders (`null` for IP literals). */
  servername: string | null;
  secure: boolean;
}

/** Name resolution for the responder's host (default: the system resolver via dns.lookup). */
export type ResponderLookup = (host: string) => Promise<string[]>;
/** Opens the byte stream to one address (default: net.connect, or tls.connect for https). */
export type ResponderConnect = (options: ResponderConnectOptions) => Duplex;

export interface ResponderFetchOptions {
  /** Absolute time (`Date.now()` clock) by which the answer must be in: the check's own deadline. */
  deadline: number;
  /** The address the site was checked at: internal responder addresses are allowed only if it is internal too. */
  targetAddress: string | null;
  lookup?: ResponderLookup;
  connect?: ResponderConnect;
  maxBytes?: number;
}

export type ResponderFetch = { ok: true; bytes: Uint8Array; address: string } | { ok: false; message: string };

async function systemLookup(host: string): Promise<string[]> {
  const records = await lookup(host, { all: true, verbatim: true });
  return records.map((r) => r.address);
}

function defaultConnect(options: ResponderConnectOptions): Duplex {
  return options.secure
    ? tlsConnect({
        host: options.address,
        port: options.port,
        ...(options.servername ? { servername: options.servername } : {}),
      })
    : netConnect({ host: options.address, port: options.port });
}

function withDeadline<T>(work: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than the check's timeout`)), deadline - Date.now());
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The addresses `host` may be dialled at, or why none may. Any loopback, link-local, private or
 * reserved answer refuses the lot unless the site itself was reached at such an address (an
 * intranet site with an intranet responder; this project's loopback tests): one inward answer
 * among public ones is how a rebinding name would turn the request inward.
 */
async function vetAddresses(
  host: string,
  options: ResponderFetchOptions,
): Promise<{ ok: true; addresses: string[] } | { ok: false; message: string }> {
  const addresses = isIP(host)
    ? [host]
    : await withDeadline((options.lookup ?? systemLookup)(host), options.deadline, `Looking up ${host}`);
  if (addresses.length === 0) return { ok: false, message: `${host} has no addresses` };
  const targetKind = options.targetAddress === null ? null : addressKind(options.targetAddress);
  const targetIsInternal = targetKind !== null && targetKind !== 'public';
  for (const address of addresses) {
    const kind = addressKind(address);
    if (kind === null) return { ok: false, message: `${host} resolved to something that is not an IP address` };
    if (kind !== 'public' && !targetIsInternal) {
      return {
        ok: false,
        message: `its address ${address} is ${kind}, and the site is public: refused before connecting`,
      };
    }
  }
  return { ok: true, addresses };
}

/** POST `body` to the responder at `url` (RFC 6960 Appendix A.1), within every bound above. */
export async function fetchOcspResponse(
  url: string,
  body: Uint8Array,
  options: ResponderFetchOptions,
): Promise<ResponderFetch> {
  const maxBytes = options.maxBytes ?? MAX_RESPONSE_BYTES;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, message: 'the responder URL is not a URL' };
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    return { ok: false, message: `the responder URL's scheme ${JSON.stringify(parsed.protocol)} is not http or https` };
  }
  if (options.deadline - Date.now() <= 0) return { ok: false, message: "no time was left in the check's timeout" };
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  const secure = parsed.protocol === 'https:';
  const port = parsed.port ? Number(parsed.port) : secure ? 443 : 80;
  let vetted;
  try {
    vetted = await vetAddresses(host, options);
  } catch (err) {
    return { ok: false, message: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
  if (!vetted.ok) return vetted;
  const address = vetted.addresses[0] ?? '';
  const connect = options.connect ?? defaultConnect;
  // Loaded here, not with the module: only `--compare-responder` checks need it, and Node's HTTP
  // client is the costliest built-in to load, on every start of the host (the cold start,
  // `npm run bench`).
  const http = await import('node:http');

  return new Promise<ResponderFetch>((resolve) => {
    let settled = false;
    const finish = (outcome: ResponderFetch): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      request.destroy();
      resolve(outcome);
    };
    const request = http.request({
      method: 'POST',
      host,
      port,
      path: `${parsed.pathname}${parsed.search}`,
      headers: {
        host: parsed.host,
        'content-type': 'application/ocsp-request',
        'content-length': String(body.length),
        accept: 'application/ocsp-response',
      },
      maxHeaderSize: MAX_HEADER_BYTES,
      createConnection: () => connect({ address, port, servername: isIP(host) ? null : host, secure }),
    });
    const timer = setTimeout(
      () => finish({ ok: false, message: "it took longer than the check's timeout" }),
      options.deadline - Date.now(),
    );
    request.on('error', (err: NodeJS.ErrnoException) =>
      finish({ ok: false, message: `${err.code ?? 'error'} from ${address}` }),
    );
    request.on('response', (response) => {
      const status = response.statusCode ?? 0;
      if (status >= 300 && status < 400) {
        finish({ ok: false, message: `it answered HTTP ${status}, a redirect, which is not followed` });
        return;
      }
      if (status !== 200) {
        finish({ ok: false, message: `it answered HTTP ${status}` });
        return;
      }
      const declared = Number(response.headers['content-length'] ?? NaN);
      if (declared > maxBytes) {
        finish({
          ok: false,
          message: `it declared ${declared} bytes, more than the ${maxBytes} an OCSP answer may be`,
        });
        return;
      }
      const chunks: Buffer[] = [];
      let received = 0;
      response.on('data', (chunk: Buffer) => {
        received += chunk.length;
        if (received > maxBytes) {
          finish({ ok: false, message: `it sent more than the ${maxBytes} bytes an OCSP answer may be` });
          return;
        }
        chunks.push(chunk);
      });
      response.on('end', () => finish({ ok: true, bytes: new Uint8Array(Buffer.concat(chunks)), address }));
      response.on('error', (err: NodeJS.ErrnoException) =>
        finish({ ok: false, message: `${err.code ?? 'error'} while reading the answer` }),
      );
    });
    request.end(body);
  });
}

export interface CompareOptions {
  lookup?: ResponderLookup;
  connect?: ResponderConnect;
}

export async function compareWithResponder(
  result: Result,
  evidence: HandshakeEvidence | null,
  deadline: number,
  fetchOptions: CompareOptions = {},
): Promise<void> {
  const url = result.certificate?.ocspUrls.find((u) => u.startsWith('http://') || u.startsWith('https://'));
  const leafDer = evidence?.chain[0];
  const leaf = leafDer ? parseCertificate(leafDer) : null;
  if (!url || !leaf || !evidence) {
    result.responder = {
      url: url ?? '',
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: 'The certificate names no OCSP responder.',
    };
    return;
  }
  const { issuer } = await selectIssuer(leaf, evidence.chain.slice(1), globalThis.crypto, nodeVerifier);
  if (!issuer) {
    result.responder = {
      url,
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: 'The issuer is unknown, so no request can be built.',
    };
    return;
  }
  try {
    const request = new pkijs.OCSPRequest();
    // RFC 5019 §2.1.1: SHA-1 CertIDs are what every responder understands.
    await request.createForCertificate(
      leaf,
      { hashAlgorithm: 'SHA-1', issuerCertificate: issuer },
      cryptoEngineFor(globalThis.crypto),
    );
    const body = new Uint8Array(request.toSchema(true).toBER(false));
    const fetched = await fetchOcspResponse(url, body, {
      deadline,
      targetAddress: evidence.address,
      ...fetchOptions,
    });
    if (!fetched.ok) throw new Error(fetched.message);
    const answer = await verifyStaple({
      response: fetched.bytes,
      issuer,
      certificate: leaf,
      at: new Date(result.checkedAt),
      crypto: globalThis.crypto,
      verifier: nodeVerifier,
    });
    const invalid = answer.problems.find((p) => p.severity === 'error');
    result.responder = {
      url,
      certStatus: invalid ? null : answer.ocsp.certStatus,
      thisUpdate: answer.ocsp.thisUpdate,
      nextUpdate: answer.ocsp.nextUpdate,
      error: invalid ? `The responder's answer does not verify: ${invalid.message}` : null,
    };
  } catch (err) {
    result.responder = {
      url,
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: `The responder could not be asked: ${(err as Error).message}`,
    };
    result.problems.push({ code: 'responder-unreachable', severity: 'info', message: result.responder.error ?? '' });
    return;
  }
  if (result.responder.certStatus === 'revoked' && result.ocsp?.certStatus === 'good') {
    result.verdict = 'stapled-revoked';
    result.problems.unshift({
      code: 'stale-staple',
      severity: 'error',
      message:
        'The CA says the certificate is REVOKED, but the server still staples an older "good" answer: it is hiding the revocation.',
    });
    result.summary = 'The certificate is REVOKED according to its CA, yet the server staples an old "good" response.';
  }
}
