// Warm-up (docs/contract.md §2): a server with an OCSP URL that sends no staple gets more
// handshakes. When a later handshake fails (the server went away), the evidence of the first one
// stands: the verdict is about what the server did send, not a connection error.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { checkSite } from '../../src/index.js';
import { mintScenario, type Scenario } from '../support/mint.js';
import { startTlsServer, type RunningServer } from '../support/servers.js';

let s: Scenario;
let server: (RunningServer & { handshakes: () => number }) | null = null;

beforeAll(async () => {
  s = await mintScenario({ now: new Date() });
});

afterAll(async () => {
  await server?.stop();
});

it('a failed warm-up handshake keeps the evidence of the first one', async () => {
  const running = await startTlsServer({
    certChainPem: s.chainPem(s.leaf),
    keyPem: s.leaf.keys.privateKeyPem,
    staple: null,
  });
  server = running;
  // Stop listening as soon as the first handshake is done; the warm-up retry (a second later) is refused.
  let stopped: Promise<void> | null = null;
  const watch = setInterval(() => {
    if (running.handshakes() >= 1 && !stopped) stopped = running.stop();
  }, 10);
  try {
    const result = await checkSite({
      host: '127.0.0.1',
      port: running.port,
      servername: 'localhost',
      ca: s.root.pem,
      timeoutMs: 8000,
    });
    expect(stopped).not.toBeNull();
    expect(running.handshakes()).toBe(1);
    expect(result.timing.handshakes).toBe(2);
    expect(result.verdict).toBe('not-stapled');
    expect(result.error).toBeNull();
    expect(result.certificate).not.toBeNull();
    expect(result.tls).not.toBeNull();
    expect(result.problems.map((p) => p.code)).not.toContain('warmed-up');
  } finally {
    clearInterval(watch);
    await stopped;
  }
});
