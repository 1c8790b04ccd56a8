// Trust like the user's browser: a chain ending in a CA this computer trusts counts as trusted
// without --ca. The "computer" here is a throwaway OpenSSL-style store named by SSL_CERT_FILE /
// SSL_CERT_DIR (src/probe/system-trust.ts), and the CLI runs as a real process against a loopback
// Node TLS server whose chain ends in a freshly minted private root.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mergeTrustAnchors, readSystemRoots } from '../../src/probe/system-trust.js';
import { mintScenario, type Scenario } from '../support/mint.js';
import { startTlsServer, tempDir, type RunningServer } from '../support/servers.js';

const BIN = join(import.meta.dirname, '..', '..', 'bin', 'staplecheck.js');

function checkJson(target: string, env: Record<string, string>): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, 'check', target, '--json', '--timeout', '5000'], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(stdout) as Record<string, unknown>);
      } catch {
        reject(new Error(`not JSON: ${stdout}`));
      }
    });
  });
}

let scenario: Scenario;
let server: RunningServer;
let dir: { path: string; remove: () => void };
let emptyDir: string;

beforeAll(async () => {
  if (!existsSync(join(import.meta.dirname, '..', '..', 'build', 'src', 'cli', 'main.js'))) {
    throw new Error('The CLI is not built: run `npm run build` (npm test does it first).');
  }
  scenario = await mintScenario({ now: new Date() });
  server = await startTlsServer({
    certChainPem: scenario.chainPem(scenario.leaf),
    keyPem: scenario.leaf.keys.privateKeyPem,
    staple: null,
  });
  dir = tempDir('system-trust');
  emptyDir = join(dir.path, 'empty');
  mkdirSync(emptyDir);
  writeFileSync(join(dir.path, 'with-root.crt'), `${scenario.root.pem}\n`);
  writeFileSync(join(dir.path, 'without-root.crt'), `${scenario.intermediate.pem.replace(/CERTIFICATE/g, 'X')}\n`);
});

afterAll(async () => {
  await server?.stop();
  dir?.remove();
});

describe("the operating system's trust store", () => {
  it('a root in the system store makes the chain trusted without --ca', async () => {
    const result = await checkJson(`localhost:${server.port}`, {
      SSL_CERT_FILE: join(dir.path, 'with-root.crt'),
      SSL_CERT_DIR: emptyDir,
    });
    expect(result.chain).toMatchObject({ trusted: true });
    expect(JSON.stringify(result.problems)).not.toContain('untrusted-chain');
  });

  it('without it the same chain is untrusted, and the warning names the stores consulted', async () => {
    const result = await checkJson(`localhost:${server.port}`, {
      SSL_CERT_FILE: join(dir.path, 'without-root.crt'),
      SSL_CERT_DIR: emptyDir,
    });
    expect(result.chain).toMatchObject({ trusted: false });
    const problems = result.problems as { code: string; message: string }[];
    const untrusted = problems.find((p) => p.code === 'untrusted-chain');
    expect(untrusted?.message).toContain("this computer's trust store");
  });

  it('a root only in NODE_EXTRA_CA_CERTS is not trusted: the anchors are the same whichever way the context is built', async () => {
    // NODE_EXTRA_CA_CERTS adds to Node's default store, which the probe starts from only when that
    // store is exactly Node's bundled roots (system-trust.ts createTrustingContext).
    const result = await checkJson(`localhost:${server.port}`, {
      SSL_CERT_FILE: join(dir.path, 'without-root.crt'),
      SSL_CERT_DIR: emptyDir,
      NODE_EXTRA_CA_CERTS: join(dir.path, 'with-root.crt'),
    });
    expect(result.chain).toMatchObject({ trusted: false });
  });

  it('reads a hashed directory too, and several directories separated by colons', () => {
    const hashed = join(dir.path, 'hashed');
    mkdirSync(hashed);
    writeFileSync(join(hashed, '0a1b2c3d.0'), scenario.root.pem);
    writeFileSync(join(hashed, 'notes.txt'), scenario.intermediate.pem);
    const roots = readSystemRoots({
      env: { SSL_CERT_FILE: join(dir.path, 'none.crt'), SSL_CERT_DIR: `${emptyDir}:${hashed}` },
      platform: 'linux',
    });
    expect(roots).toHaveLength(1);
    expect(roots[0]?.replace(/\s/g, '')).toBe(scenario.root.pem.trim().replace(/\s/g, ''));
  });

  it('merges stores counting each certificate once, whatever its line breaks', () => {
    const pem = scenario.root.pem.trim();
    const rewrapped = pem.replace(/\n/g, '\r\n');
    expect(mergeTrustAnchors([pem], [rewrapped, scenario.intermediate.pem])).toHaveLength(2);
  });
});
