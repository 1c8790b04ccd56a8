// The bench's loopback sites: one test CA and `count` ECDSA leaves, each with its own staple,
// served by Node TLS servers in a child process (bench/server-farm.ts), so the servers' CPU is
// never counted as the client's. Minting is WebCrypto P-256 and takes well under a second for 40.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { DAY, HOUR, mintLeaf, mintOcspResponse, mintRootCa, shift, type CertStatusOption } from '../src/pki/mint.js';

export interface SiteSpec {
  chainPem: string;
  keyPem: string;
  /** The staple, base64 DER; `null` staples nothing. */
  staple: string | null;
  status: 'good' | 'revoked' | 'none';
}

export interface MintedSites {
  caPem: string;
  sites: SiteSpec[];
}

/** Mostly good staples, every fifth revoked, every seventh none: what a batch of real sites looks like. */
function statusFor(index: number): SiteSpec['status'] {
  if (index % 7 === 6) return 'none';
  if (index % 5 === 4) return 'revoked';
  return 'good';
}

export async function mintSites(count: number, now = new Date()): Promise<MintedSites> {
  const ca = await mintRootCa({
    commonName: 'Staple Check Bench CA',
    notBefore: shift(now, -365 * DAY),
    notAfter: shift(now, 365 * DAY),
  });
  const sites = await Promise.all(
    Array.from({ length: count }, async (_, index): Promise<SiteSpec> => {
      const status = statusFor(index);
      // No OCSP URL on the unstapled ones: a leaf that names a responder but gets no staple makes the
      // probe retry for a lazy stapler (a second per retry), which is right but not what this measures.
      const leaf = await mintLeaf({
        issuer: ca,
        commonName: 'localhost',
        dnsNames: ['localhost'],
        ipAddresses: ['127.0.0.1'],
        notBefore: shift(now, -DAY),
        notAfter: shift(now, 90 * DAY),
        ocspUrl: status === 'none' ? null : undefined,
      });
      let staple: string | null = null;
      if (status !== 'none') {
        const certStatus: CertStatusOption =
          status === 'revoked' ? { revokedAt: shift(now, -DAY), reason: 'keyCompromise' } : 'good';
        const der = await mintOcspResponse({
          responses: [
            { certificate: leaf, issuer: ca, certStatus, thisUpdate: shift(now, -HOUR), nextUpdate: shift(now, DAY) },
          ],
          producedAt: shift(now, -HOUR),
          signer: ca,
        });
        staple = Buffer.from(der).toString('base64');
      }
      return { chainPem: `${leaf.pem}${ca.pem}`, keyPem: leaf.keys.privateKeyPem, staple, status };
    }),
  );
  return { caPem: ca.pem, sites };
}

export interface ServerFarm {
  ports: number[];
  stop: () => Promise<void>;
}

/** Starts one Node TLS server per site in a child process; resolves with their ports, in order. */
export async function startServerFarm(minted: MintedSites): Promise<ServerFarm> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, 'server-farm.ts')],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  child.stdin!.end(JSON.stringify(minted.sites));
  const lines = createInterface({ input: child.stdout! });
  const [first] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the server farm exited before listening');
    }),
  ])) as [string];
  const ports = JSON.parse(first) as number[];
  return {
    ports,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}
