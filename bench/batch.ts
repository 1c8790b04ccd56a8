// A fleet check: `staplecheck check` of many targets at --concurrency 16 against the same number
// of sequential `openssl s_client -status` runs, on nginx serving a mix of sites (good, revoked and
// no OCSP at all; ssl_stapling_file, so nginx never fetches from a responder).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from '../test/support/servers.js';
import type { MintedSites } from './sites.js';
import { median, ms, type Row } from './table.js';

const NGINX = '/usr/sbin/nginx';
const CLI = join(import.meta.dirname, '..', 'bin', 'staplecheck.js');
/** Sites of the mix nginx serves: one server block each. */
const MIX = 7;

interface Nginx {
  ports: number[];
  statuses: string[];
  stop: () => Promise<void>;
}

async function startNginx(minted: MintedSites, dir: string): Promise<Nginx> {
  const sites = minted.sites.slice(0, MIX);
  const ports: number[] = [];
  const blocks: string[] = [];
  for (const [i, site] of sites.entries()) {
    const port = await freePort();
    ports.push(port);
    writeFileSync(join(dir, `chain${i}.pem`), site.chainPem);
    writeFileSync(join(dir, `key${i}.pem`), site.keyPem);
    if (site.staple) writeFileSync(join(dir, `staple${i}.der`), Buffer.from(site.staple, 'base64'));
    blocks.push(`  server {
    listen 127.0.0.1:${port} ssl;
    server_name localhost;
    ssl_certificate ${join(dir, `chain${i}.pem`)};
    ssl_certificate_key ${join(dir, `key${i}.pem`)};
    ${site.staple ? `ssl_stapling on; ssl_stapling_file ${join(dir, `staple${i}.der`)};` : 'ssl_stapling off;'}
    location / { return 200 "ok\\n"; }
  }`);
  }
  const conf = join(dir, 'nginx.conf');
  writeFileSync(
    conf,
    `daemon off;
master_process off;
worker_processes 1;
pid ${join(dir, 'nginx.pid')};
error_log ${join(dir, 'error.log')} warn;
events { worker_connections 256; }
http {
  access_log off;
  client_body_temp_path ${join(dir, 'client_body')};
  proxy_temp_path ${join(dir, 'proxy')};
  fastcgi_temp_path ${join(dir, 'fastcgi')};
  uwsgi_temp_path ${join(dir, 'uwsgi')};
  scgi_temp_path ${join(dir, 'scgi')};
${blocks.join('\n')}
}
`,
  );
  const child = spawn(NGINX, ['-c', conf, '-p', dir, '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  for (const port of ports) await waitForPort(port);
  return {
    ports,
    statuses: sites.map((s) => s.status),
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      await exited;
    },
  };
}

function run(command: string, args: readonly string[]): Promise<{ status: number | null; stdout: string }> {
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'ignore'] });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  return once(child, 'exit').then(([status]) => ({ status: status as number | null, stdout }));
}

export async function batchFigure(minted: MintedSites, short: boolean): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'staplecheck-bench-'));
  const caFile = join(dir, 'ca.pem');
  writeFileSync(caFile, minted.caPem);
  const nginx = await startNginx(minted, dir);
  const count = short ? 20 : 200;
  const ports = Array.from({ length: count }, (_, i) => nginx.ports[i % nginx.ports.length]!);
  const expected = Array.from({ length: count }, (_, i) => nginx.statuses[i % nginx.statuses.length]!);
  let broken: string | null = null;
  const cliRun = async () => {
    const targets = ports.map((p) => `localhost:${p}`);
    const out = await run(process.execPath, [
      CLI,
      'check',
      ...targets,
      '--address',
      '127.0.0.1',
      '--ca',
      caFile,
      '--concurrency',
      '16',
      '--json',
    ]);
    const verdicts = out.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { verdict: string }).verdict);
    const want = expected.map((s) => ({ good: 'stapled-good', revoked: 'stapled-revoked', none: 'no-ocsp' })[s]);
    if (verdicts.length !== count || verdicts.some((v, i) => v !== want[i])) {
      broken ??= `CLI verdicts ${verdicts.slice(0, 8).join(',')}… not ${want.slice(0, 8).join(',')}…`;
    }
  };
  const opensslRun = async () => {
    for (const port of ports) {
      const out = await run('openssl', [
        's_client',
        '-connect',
        `127.0.0.1:${port}`,
        '-servername',
        'localhost',
        '-status',
      ]);
      if (out.status !== 0) broken ??= `openssl s_client exited ${out.status}`;
    }
  };
  try {
    await cliRun(); // warm the page cache and the compile cache
    const cli: number[] = [];
    const openssl: number[] = [];
    for (let round = 0; round < (short ? 1 : 3); round++) {
      const a = performance.now();
      await opensslRun();
      const b = performance.now();
      await cliRun();
      const c = performance.now();
      openssl.push(b - a);
      cli.push(c - b);
    }
    const speedup = median(openssl) / median(cli);
    return {
      figure: `${count} targets, check --concurrency 16 (nginx mix)`,
      reference: `${count} sequential openssl s_client -status, ${ms(median(openssl))}`,
      measured: ms(median(cli)),
      ratio: `${speedup.toFixed(1)}× faster`,
      target: '≥ 10× faster',
      met: speedup >= 10,
      broken,
    };
  } finally {
    await nginx.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
