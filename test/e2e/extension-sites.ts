// Loopback HTTPS sites for the extension end-to-end tests: one per verdict the tests look at, each
// a real Node https server with a minted chain (test/support/mint.ts) that staples what it is told
// (RFC 6066 §8 via Node's OCSPRequest event). A page a browser can load, and a handshake the host
// can judge. Only 127.0.0.1; stop() ends every server and socket it started.
import * as https from 'node:https';
import * as net from 'node:net';
import type { AddressInfo, Socket } from 'node:net';
import {
  DAY,
  HOUR,
  mintOcspResponse,
  mintScenario,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../support/mint.js';

export type SiteKind = 'good' | 'revoked' | 'not-stapled' | 'must-staple-violation';

export interface TestSite {
  kind: SiteKind | 'no-ocsp' | 'lapsing';
  port: number;
  url: string;
}

export interface TestSites {
  scenario: Scenario;
  sites: Record<SiteKind, TestSite>;
  stop(): Promise<void>;
}

function page(kind: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${kind}</title></head><body><h1>${kind}</h1></body></html>`;
}

async function serve(
  kind: TestSite['kind'],
  scenario: Scenario,
  leaf: MintedCertificate,
  staple: Uint8Array | null | (() => Uint8Array | null),
): Promise<{ site: TestSite; stop: () => Promise<void> }> {
  const server = https.createServer({ cert: scenario.chainPem(leaf), key: leaf.keys.privateKeyPem }, (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    res.end(req.url === '/favicon.ico' ? '' : page(kind));
  });
  server.on(
    'OCSPRequest',
    (_cert: Buffer, _issuer: Buffer, callback: (err: Error | null, response?: Buffer) => void) => {
      const bytes = typeof staple === 'function' ? staple() : staple;
      callback(null, bytes ? Buffer.from(bytes) : undefined);
    },
  );
  server.on('tlsClientError', () => undefined);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    site: { kind, port, url: `https://127.0.0.1:${port}/` },
    stop: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Four sites: a good staple, a revoked one, none, and none on a Must-Staple certificate. */
export async function startTestSites(now = new Date()): Promise<TestSites> {
  const scenario = await mintScenario({ now });
  const response = (leaf: MintedCertificate, certStatus: 'good' | { revokedAt: Date; reason: 'keyCompromise' }) =>
    mintOcspResponse({
      producedAt: shift(now, -HOUR),
      signer: scenario.intermediate,
      responses: [
        {
          certificate: leaf,
          issuer: scenario.intermediate,
          certStatus,
          thisUpdate: shift(now, -HOUR),
          nextUpdate: shift(now, 3 * DAY),
        },
      ],
    });
  const started = await Promise.all([
    serve('good', scenario, scenario.leaf, await response(scenario.leaf, 'good')),
    serve(
      'revoked',
      scenario,
      scenario.leaf,
      await response(scenario.leaf, { revokedAt: shift(now, -2 * DAY), reason: 'keyCompromise' }),
    ),
    serve('not-stapled', scenario, scenario.leaf, null),
    serve('must-staple-violation', scenario, scenario.mustStapleLeaf, null),
  ]);
  const sites = Object.fromEntries(started.map((s) => [s.site.kind, s.site])) as Record<SiteKind, TestSite>;
  return {
    scenario,
    sites,
    stop: async () => {
      await Promise.all(started.map((s) => s.stop()));
    },
  };
}

/**
 * The popup's other states, for the fit tests: a site whose certificate names no OCSP responder,
 * a port that accepts connections and never answers (a check stays at "checking" until its
 * budget runs out), and a port nobody listens on (a refused connection: verdict `error`).
 */
export interface ExtraSites {
  noOcsp: TestSite;
  silentPort: number;
  closedPort: number;
  stop(): Promise<void>;
}

export async function startExtraSites(scenario: Scenario): Promise<ExtraSites> {
  const noOcsp = await serve('no-ocsp', scenario, scenario.noOcspLeaf, null);
  const held = new Set<Socket>();
  const silent = net.createServer((socket) => {
    held.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => held.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  // A port that was free a moment ago: bound, read, closed.
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const closedPort = (probe.address() as AddressInfo).port;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return {
    noOcsp: noOcsp.site,
    silentPort: (silent.address() as AddressInfo).port,
    closedPort,
    stop: async () => {
      for (const socket of held) socket.destroy();
      await Promise.all([noOcsp.stop(), new Promise<void>((resolve) => silent.close(() => resolve()))]);
    },
  };
}

/**
 * A site whose staple the test changes while it runs (asked for again at every full handshake): it
 * starts with a good staple (3 days left) and `lapse()` makes it send an expired one (made 4 days
 * ago, ended 1 day ago), as a server does when it stops refreshing.
 */
export async function startLapsingSite(
  scenario: Scenario,
  now = new Date(),
): Promise<{ site: TestSite; lapse: () => void; stop: () => Promise<void> }> {
  const mint = (thisUpdate: Date, nextUpdate: Date) =>
    mintOcspResponse({
      producedAt: thisUpdate,
      signer: scenario.intermediate,
      responses: [
        { certificate: scenario.leaf, issuer: scenario.intermediate, certStatus: 'good', thisUpdate, nextUpdate },
      ],
    });
  const good = await mint(shift(now, -HOUR), shift(now, 3 * DAY));
  const expired = await mint(shift(now, -4 * DAY), shift(now, -DAY));
  let current = good;
  const served = await serve('lapsing', scenario, scenario.leaf, () => current);
  return { site: served.site, lapse: () => void (current = expired), stop: served.stop };
}
