// Child process of the bench (bench/sites.ts): one Node TLS server per site on 127.0.0.1, each
// stapling its own response. Reads the sites as JSON on stdin, prints the ports as one JSON line.
import * as tls from 'node:tls';
import type { AddressInfo } from 'node:net';
import type { SiteSpec } from './sites.js';

async function readStdin(): Promise<string> {
  let text = '';
  for await (const chunk of process.stdin) text += String(chunk);
  return text;
}

function serve(site: SiteSpec): Promise<number> {
  const staple = site.staple ? Buffer.from(site.staple, 'base64') : null;
  const server = tls.createServer({ cert: site.chainPem, key: site.keyPem });
  server.on('OCSPRequest', (_cert: Buffer, _issuer: Buffer, done: (err: Error | null, response?: Buffer) => void) =>
    staple ? done(null, staple) : done(null),
  );
  server.on('secureConnection', (socket) => socket.end());
  server.on('tlsClientError', () => {});
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

const sites = JSON.parse(await readStdin()) as SiteSpec[];
const ports = await Promise.all(sites.map(serve));
process.stdout.write(`${JSON.stringify(ports)}\n`);
process.on('SIGTERM', () => process.exit(0));
