// One full TLS handshake with status_request (RFC 6066 §8), collecting what the engine needs.
import type { Duplex } from 'node:stream';
import * as tls from 'node:tls';
import type { CheckError } from '../core/result.js';
import { monotonicMs } from './clock.js';
import { createTrustingContext } from './system-trust.js';

export interface HandshakeOptions {
  /** The IP address to connect to (resolved beforehand, so each address can be checked). */
  address: string;
  port: number;
  /** SNI; `null` for IP-literal targets (RFC 6066 §3: SNI carries host names only). */
  servername: string | null;
  /** Absolute time (ms since epoch, `Date.now()` clock) by which the handshake must be done. */
  deadline: number;
  /** Trust anchors: Node's roots, this computer's, and `--ca` (see {@link trustContext}). */
  secureContext: tls.SecureContext;
  /**
   * Offered the socket after a successful handshake, with what it brought; returning true takes it
   * over (the caller then closes it), as server-header.ts does for its one HEAD request.
   */
  adoptSocket?: (socket: tls.TLSSocket, evidence: HandshakeEvidence) => boolean;
  /** Opens the stream TLS runs over, injected for tests (default: TLS dials `address` itself). */
  connect?: HandshakeConnect;
}

/** A stream to `address`:`port` for the handshake to run over (tests serve every address from loopback). */
export type HandshakeConnect = (target: { address: string; port: number }) => Duplex;

export interface HandshakeEvidence {
  address: string;
  protocol: string | null;
  cipher: string | null;
  /** The peer's chain as DER, leaf first; Node appends the root from the trust store when it finds it. */
  chain: Uint8Array[];
  staple: Uint8Array | null;
  authorized: boolean;
  authorizationError: string | null;
  /** `checkServerIdentity`'s complaint, if the certificate does not cover the name. */
  hostnameError: string | null;
  durationMs: number;
}

export type HandshakeOutcome = { ok: true; evidence: HandshakeEvidence } | { ok: false; error: CheckError };

// Building a context from ~140 root PEMs costs far more than a handshake (measured by
// `npm run bench`): build each distinct trust set once. Client contexts keep no sessions that we
// would offer (Node resumes only when `session` is passed), so sharing them is safe.
const trustContexts = new Map<string, tls.SecureContext>();
const MAX_TRUST_CONTEXTS = 16;

/** A client context trusting Node's roots, the operating system's (system-trust.ts) and `extraCaPem`. */
export function trustContext(extraCaPem: readonly string[]): tls.SecureContext {
  const key = extraCaPem.join('\n');
  let context = trustContexts.get(key);
  if (!context) {
    context = createTrustingContext(extraCaPem, {
      // A checker reports on old servers too: TLS 1.0 and weak suites are allowed to connect (nothing
      // secret is sent), and `tls.protocol` / `tls.cipher` say what was negotiated.
      minVersion: 'TLSv1',
      ciphers: 'DEFAULT:@SECLEVEL=0',
    });
    if (trustContexts.size >= MAX_TRUST_CONTEXTS) trustContexts.delete(trustContexts.keys().next().value as string);
    trustContexts.set(key, context);
  }
  return context;
}

const NOT_TLS_CODES = new Set([
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
  'ERR_SSL_UNKNOWN_PROTOCOL',
  'ERR_SSL_HTTP_REQUEST',
  'ERR_SSL_RECORD_LENGTH_MISMATCH',
  'ERR_SSL_BAD_RECORD_TYPE',
  'ERR_SSL_UNEXPECTED_RECORD',
]);

/** Map a socket error to docs/contract.md §2's `error.code`. */
export function classifyError(err: NodeJS.ErrnoException, target: string): CheckError {
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return { code: 'refused', message: `Connection refused by ${target}.` };
  if (code === 'ETIMEDOUT') return { code: 'timeout', message: `Timed out connecting to ${target}.` };
  if (['EHOSTUNREACH', 'ENETUNREACH', 'EADDRNOTAVAIL', 'EAFNOSUPPORT', 'ENETDOWN', 'EHOSTDOWN'].includes(code)) {
    return { code: 'unreachable', message: `${target} is unreachable (${code}).` };
  }
  if (NOT_TLS_CODES.has(code)) {
    return { code: 'not-tls', message: `${target} does not speak TLS on this port (${err.message}).` };
  }
  if (
    code.startsWith('ERR_SSL_') ||
    code === 'ECONNRESET' ||
    code === 'EPIPE' ||
    code === 'ERR_TLS_HANDSHAKE_TIMEOUT'
  ) {
    return { code: 'tls-handshake', message: `The TLS handshake with ${target} failed: ${err.message}.` };
  }
  return { code: 'tls-handshake', message: `The connection to ${target} failed: ${err.message}.` };
}

function walkChain(peer: tls.DetailedPeerCertificate): Uint8Array[] {
  const chain: Uint8Array[] = [];
  const seen = new Set<string>();
  let cert: tls.DetailedPeerCertificate | undefined = peer;
  // Node links each certificate to its issuer and a self-signed root to itself.
  while (cert?.raw && !seen.has(cert.fingerprint256) && chain.length < 16) {
    seen.add(cert.fingerprint256);
    // A view, not a copy: Node makes a fresh buffer of exactly these bytes on every
    // getPeerCertificate, which nothing else holds (one allocation fewer per certificate, issue 11).
    const raw = cert.raw;
    chain.push(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength));
    cert = cert.issuerCertificate;
  }
  return chain;
}

export function handshake(options: HandshakeOptions): Promise<HandshakeOutcome> {
  const { address, port, servername, deadline } = options;
  const target = `${address.includes(':') ? `[${address}]` : address}:${port}`;
  const started = monotonicMs();
  return new Promise((resolve) => {
    let staple: Uint8Array | null = null;
    let settled = false;
    // The peer's chain as Node builds it for its own name check, which it runs on a chain it could
    // verify: read once. Building it copies every certificate, which under OpenSSL 3.0 means decoding
    // each key again, about a third of a bare handshake for a two-certificate chain (issue 11).
    let verifiedPeer: tls.DetailedPeerCertificate | null = null;
    // `requestOCSP` is a TLSSocket option that tls.connect() passes through; @types/node omits it.
    const connectOptions: tls.ConnectionOptions & { requestOCSP: boolean } = {
      host: address,
      port,
      ...(servername ? { servername } : {}),
      requestOCSP: true,
      // Trust is judged (chain.trusted), never enforced: an untrusted site still has a staple to check.
      rejectUnauthorized: false,
      secureContext: options.secureContext,
      // Node's own check (the default, tls.checkServerIdentity), keeping what it was given.
      checkServerIdentity: (hostname, cert) => {
        verifiedPeer = cert as tls.DetailedPeerCertificate;
        return tls.checkServerIdentity(hostname, cert);
      },
      // Every handshake is a full one: no session is ever offered, and none is kept.
      session: undefined,
      // With `socket`, TLS does not dial: `host` and `port` then only name the peer.
      ...(options.connect ? { socket: options.connect({ address, port }) } : {}),
    };
    const socket = tls.connect(connectOptions);
    const finish = (outcome: HandshakeOutcome): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.removeAllListeners('secureConnect');
      socket.on('error', () => {}); // late errors after we are done mean nothing
      if (outcome.ok && options.adoptSocket?.(socket, outcome.evidence)) {
        // Taken over: the adopter closes it.
      } else if (outcome.ok) {
        // Close politely (close_notify, then FIN) so the server sees a finished handshake, not a
        // reset mid-way (TLS 1.3: our Finished may still be on its way); never wait on it long.
        // The timer goes as soon as the socket closes, so a finished check holds no socket, and no
        // closure over one, for the rest of the second (the host's RSS under load, `npm run bench`).
        // Closed on the next turn of the event loop: the close_notify write and the FIN are off the
        // path from the handshake to the verdict (the check's latency, `npm run bench`).
        setImmediate(() => {
          socket.end();
          const closer = setTimeout(() => socket.destroy(), 1000).unref();
          socket.once('close', () => clearTimeout(closer));
        });
      } else {
        socket.destroy();
      }
      resolve(outcome);
    };
    const timer = setTimeout(
      () =>
        finish({
          ok: false,
          error: { code: 'timeout', message: `No TLS handshake with ${target} within the timeout.` },
        }),
      Math.max(0, deadline - Date.now()),
    );
    // Node emits this before 'secureConnect'; an empty or null buffer means no staple (RFC 6066 §8).
    socket.on('OCSPResponse', (response: Buffer | null) => {
      if (response && response.length > 0) staple = new Uint8Array(response);
    });
    socket.on('secureConnect', () => {
      // A resumed session carries no staple (Node reports null over TLS 1.3, nothing over TLS 1.2);
      // we never offer one, so this cannot happen unless Node changes: refuse rather than misjudge.
      if (socket.isSessionReused()) {
        finish({
          ok: false,
          error: { code: 'tls-handshake', message: `${target} resumed a TLS session, which carries no staple.` },
        });
        return;
      }
      const peer = verifiedPeer ?? socket.getPeerCertificate(true);
      const chain = peer && peer.raw ? walkChain(peer) : [];
      let hostnameError: string | null = null;
      if (servername && peer && peer.raw) {
        hostnameError = tls.checkServerIdentity(servername, peer)?.message ?? null;
      }
      const cipher = socket.getCipher();
      const authorizationError = socket.authorizationError ? String(socket.authorizationError) : null;
      finish({
        ok: true,
        evidence: {
          address,
          protocol: socket.getProtocol() ?? null,
          cipher: cipher?.standardName ?? cipher?.name ?? null,
          chain,
          staple,
          authorized: socket.authorized,
          authorizationError,
          hostnameError,
          durationMs: monotonicMs() - started,
        },
      });
    });
    socket.on('error', (err: NodeJS.ErrnoException) => finish({ ok: false, error: classifyError(err, target) }));
    socket.on('close', () =>
      finish({
        ok: false,
        error: { code: 'tls-handshake', message: `${target} closed the connection during the TLS handshake.` },
      }),
    );
  });
}
