// Offers of one key kind (src/probe/variants.ts, docs/contract.md §8) against one in-process Node
// TLS server on 127.0.0.1 holding only the committed ECDSA P-256 fixture certificate: the ECDSA
// offer gets it (TLS 1.3 and TLS 1.2), the RSA offer must fail the handshake, which is how a check
// learns that a server has one certificate. The server starts once for the file.
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import * as tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isOfferable, offerContext, offerOf } from '../../src/probe/variants.js';

const minted = (name: string) => readFileSync(new URL(`../fixtures/minted/${name}`, import.meta.url), 'latin1');
const ROOT = minted('root.pem');

let servers: { tls13: tls.Server; tls12: tls.Server };

function listen(maxVersion: tls.SecureVersion): Promise<tls.Server> {
  const server = tls.createServer({
    cert: `${minted('leaf.pem')}\n${minted('intermediate.pem')}`,
    key: minted('leaf.key.pem'),
    maxVersion,
  });
  server.on('tlsClientError', () => {});
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

beforeAll(async () => {
  servers = { tls13: await listen('TLSv1.3'), tls12: await listen('TLSv1.2') };
});

afterAll(async () => {
  await Promise.all(Object.values(servers).map((s) => new Promise((resolve) => s.close(resolve))));
});

/**
 * The handshake's outcome with `secureContext`: the certificate's key type and why it is not trusted
 * (the fixtures' dates are fixed, so a chain to ROOT ends in CERT_HAS_EXPIRED, no chain in
 * UNABLE_TO_GET_ISSUER_CERT_LOCALLY), or the handshake's error.
 */
function handshake(
  server: tls.Server,
  secureContext: tls.SecureContext,
): Promise<{ keyType: string; trust: string } | { error: string }> {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host: '127.0.0.1',
      port: (server.address() as AddressInfo).port,
      servername: 'leaf.example',
      secureContext,
      rejectUnauthorized: false,
    });
    socket.once('secureConnect', () => {
      const peer = socket.getPeerCertificate();
      resolve({ keyType: peer.asn1Curve ? 'ec' : 'rsa', trust: String(socket.authorizationError) });
      socket.destroy();
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve({ error: err.code ?? err.message }));
  });
}

describe('offerContext against an ECDSA-only server', () => {
  it.each(['tls13', 'tls12'] as const)(
    '%s: the ECDSA offer gets the certificate and trusts it through the extra root',
    async (which) => {
      expect(await handshake(servers[which], offerContext([ROOT], 'ecdsa'))).toEqual({
        keyType: 'ec',
        trust: 'CERT_HAS_EXPIRED',
      });
    },
  );

  it.each(['tls13', 'tls12'] as const)(
    '%s: the RSA offer fails the handshake (the server has no RSA certificate)',
    async (which) => {
      expect(await handshake(servers[which], offerContext([ROOT], 'rsa'))).toHaveProperty('error');
    },
  );
});

describe('offerContext reuse', () => {
  it('is one context per trust set and key kind', () => {
    const ecdsa = offerContext([ROOT], 'ecdsa');
    expect(offerContext([ROOT], 'ecdsa')).toBe(ecdsa);
    expect(offerContext([ROOT], 'rsa')).not.toBe(ecdsa);
    expect(offerContext([], 'ecdsa')).not.toBe(ecdsa);
    // Still held after other sets were added.
    expect(offerContext([ROOT], 'ecdsa')).toBe(ecdsa);
    // Two roots are not one root whose text is both.
    expect(offerContext(['A', 'B'], 'ecdsa')).not.toBe(offerContext(['AB'], 'ecdsa'));
  });
});

describe('offerOf and isOfferable', () => {
  it('names the offer for each key kind', () => {
    expect(offerOf('ecdsa')).toBe('ecdsa-only');
    expect(offerOf('rsa')).toBe('rsa-only');
  });

  it('only ECDSA and RSA can be offered alone', () => {
    expect(isOfferable('ecdsa')).toBe(true);
    expect(isOfferable('rsa')).toBe(true);
    for (const other of ['ed25519', 'ed448', 'dsa', 'unknown']) expect(isOfferable(other as never), other).toBe(false);
  });
});
