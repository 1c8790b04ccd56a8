// Demo HTTPS sites on loopback, minted on the spot: a demo CA, and one site per outcome a user
// should recognise. `npm start` checks them; the extension can be pointed at them.
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import {
  DAY,
  HOUR,
  mintLeaf,
  mintOcspResponse,
  mintScenario,
  pemBundle,
  shift,
  type MintedCertificate,
  type Scenario,
} from '../pki/mint.js';

export interface DemoSite {
  name: 'good' | 'revoked' | 'not-stapled' | 'must-staple';
  description: string;
  port: number;
  url: string;
}

export interface DemoSites {
  sites: DemoSite[];
  /** The demo root CA (PEM): pass it as `--ca` so the chain shows as trusted. */
  rootPem: string;
  stop: () => Promise<void>;
}

const HTML = (title: string) =>
  `<!doctype html><meta charset="utf-8"><title>${title}</title><body style="font:16px system-ui;margin:3em">` +
  `<h1>Staple Check demo: ${title}</h1><p>Served on loopback with a certificate from a demo CA minted at start.</p>`;

async function staple(scenario: Scenario, leaf: MintedCertificate, revoked: boolean): Promise<Uint8Array> {
  const now = new Date();
  return mintOcspResponse({
    responses: [
      {
        certificate: leaf,
        issuer: scenario.intermediate,
        certStatus: revoked ? { revokedAt: shift(now, -2 * HOUR), reason: 'keyCompromise' } : 'good',
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, 3 * DAY),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: scenario.intermediate,
  });
}

function serve(
  leaf: MintedCertificate,
  chainPem: string,
  stapled: Uint8Array | null,
  title: string,
): Promise<tls.Server> {
  const server = tls.createServer({ cert: chainPem, key: leaf.keys.privateKeyPem, ALPNProtocols: ['http/1.1'] });
  // RFC 6066 §8: the server answers status_request with the response it holds.
  server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, callback: (err: Error | null, response?: Buffer) => void) =>
    callback(null, stapled ? Buffer.from(stapled) : undefined),
  );
  server.on('secureConnection', (socket) => {
    socket.on('error', () => {});
    const body = HTML(title);
    socket.once('data', () =>
      socket.end(
        `HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n${body}`,
      ),
    );
  });
  server.on('tlsClientError', () => {});
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

export async function startDemoSites(): Promise<DemoSites> {
  const now = new Date();
  const scenario = await mintScenario({ now, ocspUrl: 'http://127.0.0.1:9/ocsp' });
  const revokedLeaf = await mintLeaf({
    issuer: scenario.intermediate,
    commonName: 'localhost',
    dnsNames: ['localhost'],
    ipAddresses: ['127.0.0.1', '::1'],
    notBefore: shift(now, -30 * DAY),
    notAfter: shift(now, 60 * DAY),
    ocspUrl: scenario.ocspUrl,
  });
  const plan: { name: DemoSite['name']; description: string; leaf: MintedCertificate; staple: Uint8Array | null }[] = [
    {
      name: 'good',
      description: 'staples a good response',
      leaf: scenario.leaf,
      staple: await staple(scenario, scenario.leaf, false),
    },
    {
      name: 'revoked',
      description: 'staples a revoked response',
      leaf: revokedLeaf,
      staple: await staple(scenario, revokedLeaf, true),
    },
    { name: 'not-stapled', description: 'staples nothing', leaf: scenario.leaf, staple: null },
    {
      name: 'must-staple',
      description: 'Must-Staple certificate, staples nothing',
      leaf: scenario.mustStapleLeaf,
      staple: null,
    },
  ];
  const servers: tls.Server[] = [];
  const sites: DemoSite[] = [];
  for (const entry of plan) {
    const server = await serve(
      entry.leaf,
      pemBundle([entry.leaf, scenario.intermediate]),
      entry.staple,
      entry.description,
    );
    servers.push(server);
    const port = (server.address() as AddressInfo).port;
    sites.push({ name: entry.name, description: entry.description, port, url: `https://localhost:${port}/` });
  }
  return {
    sites,
    rootPem: scenario.root.pem,
    stop: async () => {
      await Promise.all(servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    },
  };
}
