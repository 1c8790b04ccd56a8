// Issue 8 item 3: `--compare-responder` asks a server named by the certificate, so by whoever made
// it. Real loopback HTTP responders answer 302, declare 400 MiB, stream without end or say nothing;
// the fetch must refuse the redirect, stop at the cap, keep its memory small and finish inside the
// check's timeout. The address policy is tested with an injected resolver and connector: the
// refusal happens before any connection, and only loopback is ever dialled.
import * as http from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { checkSite } from '../../src/probe/check-site.js';
import { fetchOcspResponse, MAX_RESPONSE_BYTES, type ResponderConnect } from '../../src/probe/responder.js';
import { HOUR, DAY, mintOcspResponse, mintScenario, shift, type Scenario } from '../support/mint.js';
import { startTlsServer, type RunningServer } from '../support/servers.js';

const MiB = 1024 * 1024;
type Mode = 'good' | 'redirect' | 'declared-huge' | 'stream-huge' | 'silent';

let mode: Mode = 'good';
let goodAnswer: Uint8Array = new Uint8Array();
let bytesSent = 0;
let redirectTargetHits = 0;
let responder: http.Server;
let redirectTarget: http.Server;
let site: RunningServer;
let scenario: Scenario;

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}

/** Writes `total` bytes of one reused 1 MiB buffer, honouring backpressure, until the client goes away. */
async function pour(response: http.ServerResponse, total: number): Promise<void> {
  const chunk = Buffer.alloc(MiB, 0x30);
  while (bytesSent < total && !response.destroyed) {
    bytesSent += chunk.length;
    if (!response.write(chunk)) {
      await new Promise<void>((resolve) => {
        response.once('drain', resolve);
        response.once('close', resolve);
      });
    }
  }
  response.end();
}

function answer(request: http.IncomingMessage, response: http.ServerResponse): void {
  request.resume();
  request.on('end', () => {
    if (mode === 'good') {
      response.writeHead(200, { 'content-type': 'application/ocsp-response' }).end(goodAnswer);
    } else if (mode === 'redirect') {
      const port = (redirectTarget.address() as AddressInfo).port;
      response.writeHead(302, { location: `http://127.0.0.1:${port}/elsewhere` }).end();
    } else if (mode === 'declared-huge') {
      response.writeHead(200, { 'content-length': String(400 * MiB) });
      void pour(response, 400 * MiB);
    } else if (mode === 'stream-huge') {
      response.writeHead(200); // chunked: no length to check, only counting helps
      void pour(response, 400 * MiB);
    }
    // 'silent': never answers
  });
}

beforeAll(async () => {
  responder = http.createServer(answer);
  redirectTarget = http.createServer((request, response) => {
    redirectTargetHits++;
    response.writeHead(200).end(goodAnswer);
  });
  const port = await listen(responder);
  await listen(redirectTarget);
  scenario = await mintScenario({ now: new Date(), ocspUrl: `http://127.0.0.1:${port}/ocsp` });
  const now = new Date();
  goodAnswer = await mintOcspResponse({
    responses: [
      {
        certificate: scenario.leaf,
        issuer: scenario.intermediate,
        thisUpdate: shift(now, -HOUR),
        nextUpdate: shift(now, 3 * DAY),
      },
    ],
    producedAt: shift(now, -HOUR),
    signer: scenario.intermediate,
  });
  site = await startTlsServer({
    certChainPem: scenario.chainPem(scenario.leaf),
    keyPem: scenario.leaf.keys.privateKeyPem,
    staple: goodAnswer,
  });
});

afterAll(async () => {
  responder.closeAllConnections();
  redirectTarget.closeAllConnections();
  await Promise.all([
    site?.stop(),
    new Promise((resolve) => responder.close(resolve)),
    new Promise((resolve) => redirectTarget.close(resolve)),
  ]);
});

async function compare(responderMode: Mode, timeoutMs = 8000): Promise<{ result: Result; elapsedMs: number }> {
  mode = responderMode;
  bytesSent = 0;
  const started = performance.now();
  const result = await checkSite({
    host: '127.0.0.1',
    port: site.port,
    servername: 'localhost',
    ca: scenario.root.pem,
    timeoutMs,
    compareResponder: true,
  });
  return { result, elapsedMs: performance.now() - started };
}

/** Peak resident-set growth while `work` runs, sampled every 5 ms. */
async function peakRssGrowth<T>(work: () => Promise<T>): Promise<{ value: T; peakMiB: number }> {
  const baseline = process.memoryUsage.rss();
  let peak = baseline;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  try {
    const value = await work();
    peak = Math.max(peak, process.memoryUsage.rss());
    return { value, peakMiB: (peak - baseline) / MiB };
  } finally {
    clearInterval(sampler);
  }
}

describe('--compare-responder against hostile responders on loopback', () => {
  it('a well-behaved responder still answers (the bounds do not break the normal case)', async () => {
    const { result } = await compare('good');
    expect(result.responder).toMatchObject({ certStatus: 'good', error: null });
  });

  it('a 302 is an error naming the status, and the redirect is not followed', async () => {
    redirectTargetHits = 0;
    const { result } = await compare('redirect');
    expect(result.responder?.certStatus).toBeNull();
    expect(result.responder?.error).toMatch(/HTTP 302/);
    expect(result.responder?.error).toMatch(/redirect/);
    expect(redirectTargetHits).toBe(0);
    expect(result.problems.map((p) => p.code)).toContain('responder-unreachable');
  });

  it('400 MiB declared in Content-Length: refused from the headers, memory stays small', async () => {
    const { value, peakMiB } = await peakRssGrowth(() => compare('declared-huge'));
    expect(value.result.responder?.error).toMatch(/declared 419430400 bytes/);
    console.info(`declared 400 MiB: peak RSS growth ${peakMiB.toFixed(1)} MiB, server got ${bytesSent / MiB} MiB out`);
    expect(peakMiB).toBeLessThan(48);
  });

  it('an endless chunked body: cut at the cap while streaming, memory stays small', async () => {
    const { value, peakMiB } = await peakRssGrowth(() => compare('stream-huge'));
    expect(value.result.responder?.error).toMatch(new RegExp(`more than the ${MAX_RESPONSE_BYTES} bytes`));
    console.info(`streamed body: peak RSS growth ${peakMiB.toFixed(1)} MiB, server got ${bytesSent / MiB} MiB out`);
    expect(peakMiB).toBeLessThan(48);
    // The server could push only what the socket buffers took before the client hung up.
    expect(bytesSent).toBeLessThan(64 * MiB);
  });

  it('a silent responder: the check still ends within its own timeout (±10 %)', async () => {
    const { result, elapsedMs } = await compare('silent', 2000);
    expect(result.responder?.error).toMatch(/timeout/);
    console.info(`silent responder, timeoutMs 2000: check took ${elapsedMs.toFixed(0)} ms`);
    expect(elapsedMs).toBeLessThan(2200);
  });
});

describe('responder address policy (injected resolver and connector; only loopback is dialled)', () => {
  const PUBLIC_SITE = '198.51.100.7';
  const body = new Uint8Array([0x30, 0x00]);

  /** Records every address asked for, and dials the loopback responder whatever it was. */
  function loopbackConnector(): { connect: ResponderConnect; dialled: string[] } {
    const dialled: string[] = [];
    return {
      dialled,
      connect: (options) => {
        dialled.push(options.address);
        return netConnect({ host: '127.0.0.1', port: (responder.address() as AddressInfo).port });
      },
    };
  }

  it.each([
    ['loopback', ['127.0.0.1']],
    ['loopback (IPv6)', ['::1']],
    ['loopback (IPv4-mapped IPv6)', ['::ffff:127.0.0.1']],
    ['the unspecified address', ['0.0.0.0']],
    ['link-local (cloud metadata)', ['169.254.169.254']],
    ['link-local (IPv6)', ['fe80::1']],
    ['private (RFC 1918)', ['10.0.0.7']],
    ['private (172.16/12)', ['172.20.1.1']],
    ['private (192.168/16)', ['192.168.1.1']],
    ['unique local (IPv6)', ['fd12:3456::1']],
    ['a public and a private answer at once (rebinding)', ['203.0.113.9', '10.0.0.7']],
  ])('a public site, a responder name resolving to %s: refused before connecting', async (_label, addresses) => {
    const { connect, dialled } = loopbackConnector();
    const looked: string[] = [];
    const fetched = await fetchOcspResponse('http://ocsp.example.test/', body, {
      deadline: Date.now() + 2000,
      targetAddress: PUBLIC_SITE,
      lookup: (host) => {
        looked.push(host);
        return Promise.resolve(addresses);
      },
      connect,
    });
    expect(fetched.ok).toBe(false);
    expect(!fetched.ok && fetched.message).toMatch(/refused before connecting/);
    expect(looked).toEqual(['ocsp.example.test']);
    expect(dialled).toEqual([]);
  });

  it('an IP-literal URL at the metadata address: refused without a lookup or a connection', async () => {
    const { connect, dialled } = loopbackConnector();
    const fetched = await fetchOcspResponse('http://169.254.169.254/latest/meta-data/', body, {
      deadline: Date.now() + 2000,
      targetAddress: PUBLIC_SITE,
      lookup: () => Promise.reject(new Error('no lookup expected')),
      connect,
    });
    expect(!fetched.ok && fetched.message).toMatch(/169\.254\.169\.254 is link-local/);
    expect(dialled).toEqual([]);
  });

  it('a public responder for a public site is dialled at the vetted address', async () => {
    mode = 'good';
    const { connect, dialled } = loopbackConnector();
    const fetched = await fetchOcspResponse('http://ocsp.example.test/', body, {
      deadline: Date.now() + 2000,
      targetAddress: PUBLIC_SITE,
      lookup: () => Promise.resolve(['203.0.113.9']),
      connect,
    });
    expect(fetched).toMatchObject({ ok: true, address: '203.0.113.9' });
    expect(dialled).toEqual(['203.0.113.9']);
  });

  it('an intranet site may use an intranet responder', async () => {
    mode = 'good';
    const { connect, dialled } = loopbackConnector();
    const fetched = await fetchOcspResponse('http://ocsp.corp.test/', body, {
      deadline: Date.now() + 2000,
      targetAddress: '10.1.2.3',
      lookup: () => Promise.resolve(['10.1.2.4']),
      connect,
    });
    expect(fetched.ok).toBe(true);
    expect(dialled).toEqual(['10.1.2.4']);
  });

  it('a scheme other than http or https is refused', async () => {
    const { connect, dialled } = loopbackConnector();
    const fetched = await fetchOcspResponse('file:///etc/passwd', body, {
      deadline: Date.now() + 2000,
      targetAddress: PUBLIC_SITE,
      connect,
    });
    expect(fetched.ok).toBe(false);
    expect(dialled).toEqual([]);
  });

  it('no time left: refused without a lookup', async () => {
    const fetched = await fetchOcspResponse('http://ocsp.example.test/', body, {
      deadline: Date.now() - 1,
      targetAddress: PUBLIC_SITE,
      lookup: () => Promise.reject(new Error('no lookup expected')),
    });
    expect(!fetched.ok && fetched.message).toMatch(/timeout/);
  });
});
