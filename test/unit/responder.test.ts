// The responder fetch (src/probe/responder.ts, docs/contract.md §7, SECURITY.md "Network policy") with
// an injected resolver and connector: every connection goes to one in-process HTTP server on
// 127.0.0.1 (started once for the file), whatever address the policy vetted, so the public
// addresses below are never dialled. Each row is a refusal, a bound or what was sent.
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as http from 'node:http';
import { connect as netConnect, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../src/core/result.js';
import type { HandshakeEvidence } from '../../src/probe/handshake.js';
import {
  compareWithResponder,
  fetchOcspResponse,
  MAX_RESPONSE_BYTES,
  type ResponderConnectOptions,
  type ResponderFetchOptions,
} from '../../src/probe/responder.js';

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}
let server: http.Server;
let port: number;
let seen: Seen[] = [];

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('latin1'),
      });
      const path = (req.url ?? '').split('?')[0] ?? '';
      const status = /^\/status\/(\d+)$/.exec(path);
      if (status) {
        res.writeHead(Number(status[1]), { location: 'http://127.0.0.1/elsewhere' });
        res.end('x');
      } else if (path.startsWith('/declared/')) {
        res.writeHead(200, { 'content-length': path.slice('/declared/'.length) });
        res.end('x'.repeat(Number(path.slice('/declared/'.length))));
      } else if (path.startsWith('/chunked/')) {
        res.writeHead(200);
        const n = Number(path.slice('/chunked/'.length));
        res.write('a'.repeat(Math.ceil(n / 2)));
        res.end('b'.repeat(Math.floor(n / 2)));
      } else if (path.startsWith('/fixture/')) {
        res.writeHead(200, { 'content-type': 'application/ocsp-response' });
        res.end(readFileSync(new URL(`../fixtures/minted/${path.slice('/fixture/'.length)}`, import.meta.url)));
      } else if (path === '/big-header') {
        res.writeHead(200, { 'x-pad': 'p'.repeat(9 * 1024) });
        res.end('ok');
      } else if (path === '/silent') {
        // Never answers; the client's deadline ends it.
      } else if (path === '/cut') {
        res.writeHead(200, { 'content-length': '100' });
        res.write('partial');
        setImmediate(() => res.socket?.destroy());
      } else {
        res.writeHead(200, { 'content-type': 'application/ocsp-response' });
        res.end('OCSP');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const body = new Uint8Array([0x30, 0x03, 0x0a, 0x01, 0x00]);

/** Options whose connector records what it was asked and dials the loopback server instead. */
function harness(overrides: Partial<ResponderFetchOptions> & { answers?: string[] } = {}) {
  const dialled: ResponderConnectOptions[] = [];
  const looked: string[] = [];
  const options: ResponderFetchOptions = {
    deadline: Date.now() + 5_000,
    targetAddress: '203.0.113.7',
    lookup: (host) => {
      looked.push(host);
      return Promise.resolve(overrides.answers ?? ['203.0.113.9']);
    },
    connect: (o) => {
      dialled.push(o);
      return netConnect({ host: '127.0.0.1', port });
    },
    ...overrides,
  };
  return { options, dialled, looked };
}

describe('what is refused before any lookup or connection', () => {
  it.each([
    ['not a URL', 'the responder URL is not a URL'],
    ['ftp://ocsp.example/', 'the responder URL\'s scheme "ftp:" is not http or https'],
    ['file:///etc/passwd', 'the responder URL\'s scheme "file:" is not http or https'],
  ])('%s', async (url, message) => {
    const h = harness();
    expect(await fetchOcspResponse(url, body, h.options)).toEqual({ ok: false, message });
    expect(h.looked).toEqual([]);
    expect(h.dialled).toEqual([]);
  });

  it('no time left in the check (the deadline now or past)', async () => {
    // The clock stands still, so "now" is exactly the deadline.
    vi.useFakeTimers({ toFake: ['Date'] });
    try {
      for (const deadline of [Date.now(), Date.now() - 1000]) {
        const h = harness({ deadline });
        expect(await fetchOcspResponse('http://ocsp.example/', body, h.options)).toEqual({
          ok: false,
          message: "no time was left in the check's timeout",
        });
        expect(h.looked).toEqual([]);
      }
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('the address policy on the responder name', () => {
  it('a name with no addresses', async () => {
    const h = harness({ answers: [] });
    expect(await fetchOcspResponse('http://ocsp.example/', body, h.options)).toEqual({
      ok: false,
      message: 'ocsp.example has no addresses',
    });
    expect(h.looked).toEqual(['ocsp.example']);
  });

  it('an answer that is not an IP address', async () => {
    const h = harness({ answers: ['203.0.113.9', 'evil'] });
    expect(await fetchOcspResponse('http://ocsp.example/', body, h.options)).toEqual({
      ok: false,
      message: 'ocsp.example resolved to something that is not an IP address',
    });
    expect(h.dialled).toEqual([]);
  });

  it.each([
    ['203.0.113.7', '10.0.0.1', 'private'],
    ['203.0.113.7', '127.0.0.1', 'loopback'],
    [null, '169.254.169.254', 'link-local'],
    ['not-an-ip', '127.0.0.1', 'loopback'],
  ])('site at %s, one answer %s: refused, the whole answer', async (targetAddress, internal, kind) => {
    const h = harness({ targetAddress, answers: ['203.0.113.9', internal] });
    expect(await fetchOcspResponse('http://ocsp.example/', body, h.options)).toEqual({
      ok: false,
      message: `its address ${internal} is ${kind}, and the site is public: refused before connecting`,
    });
    expect(h.dialled).toEqual([]);
  });

  it('an internal site may use an internal responder, dialled at its first address', async () => {
    const h = harness({ targetAddress: '10.0.0.2', answers: ['10.0.0.1', '203.0.113.9'] });
    expect(await fetchOcspResponse('http://ocsp.example/', body, h.options)).toMatchObject({
      ok: true,
      address: '10.0.0.1',
    });
    expect(h.dialled).toEqual([{ address: '10.0.0.1', port: 80, servername: 'ocsp.example', secure: false }]);
  });

  it('an IP literal is vetted without a lookup, and has no server name', async () => {
    const refused = harness();
    expect(await fetchOcspResponse('http://169.254.169.254/latest', body, refused.options)).toMatchObject({
      ok: false,
    });
    expect(refused.looked).toEqual([]);
    const allowed = harness();
    expect(await fetchOcspResponse('http://[2001:db8::9]:8080/', body, allowed.options)).toMatchObject({
      ok: true,
      address: '2001:db8::9',
    });
    expect(allowed.looked).toEqual([]);
    expect(allowed.dialled).toEqual([{ address: '2001:db8::9', port: 8080, servername: null, secure: false }]);
  });

  it('a lookup failure is named by its code, or its message', async () => {
    const coded = harness({
      lookup: () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' })),
    });
    expect(await fetchOcspResponse('http://ocsp.example/', body, coded.options)).toEqual({
      ok: false,
      message: 'ENOTFOUND',
    });
    const plain = harness({ lookup: () => Promise.reject(new Error('resolver broke')) });
    expect(await fetchOcspResponse('http://ocsp.example/', body, plain.options)).toEqual({
      ok: false,
      message: 'resolver broke',
    });
  });

  it('a lookup that takes a while but ends within the deadline is waited for', async () => {
    const h = harness({ lookup: () => new Promise((resolve) => setTimeout(() => resolve(['203.0.113.9']), 30)) });
    expect(await fetchOcspResponse('http://ocsp.example/', body, h.options)).toMatchObject({ ok: true });
  });

  it('a lookup that outlives the deadline', async () => {
    const h = harness({ deadline: Date.now() + 50, lookup: () => new Promise(() => {}) });
    expect(await fetchOcspResponse('http://ocsp.example/', body, h.options)).toEqual({
      ok: false,
      message: "Looking up ocsp.example took longer than the check's timeout",
    });
  });
});

describe('the request sent and the answer read', () => {
  it('one POST of the request, with the OCSP media types, our Host, and the path and query', async () => {
    seen = [];
    const h = harness();
    const answer = await fetchOcspResponse('http://ocsp.example:8080/a/b?c=d', body, h.options);
    expect(answer).toEqual({ ok: true, bytes: new Uint8Array(Buffer.from('OCSP')), address: '203.0.113.9' });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'POST',
      url: '/a/b?c=d',
      body: Buffer.from(body).toString('latin1'),
      headers: {
        host: 'ocsp.example:8080',
        'content-type': 'application/ocsp-request',
        'content-length': '5',
        accept: 'application/ocsp-response',
      },
    });
    expect(h.dialled).toEqual([{ address: '203.0.113.9', port: 8080, servername: 'ocsp.example', secure: false }]);
  });

  it('https: port 443 unless named, secure, with the name for SNI', async () => {
    const h = harness({ connect: (o) => (h.dialled.push(o), netConnect({ host: '127.0.0.1', port: 1 })) });
    await fetchOcspResponse('https://ocsp.example/', body, h.options);
    expect(h.dialled).toEqual([{ address: '203.0.113.9', port: 443, servername: 'ocsp.example', secure: true }]);
  });

  it.each([300, 301, 302, 307, 308, 399])('HTTP %i is a redirect, not followed', async (status) => {
    seen = [];
    expect(await fetchOcspResponse(`http://ocsp.example/status/${status}`, body, harness().options)).toEqual({
      ok: false,
      message: `it answered HTTP ${status}, a redirect, which is not followed`,
    });
    expect(seen).toHaveLength(1);
  });

  it.each([201, 204, 299, 400, 404, 500])('HTTP %i is an error naming the status', async (status) => {
    expect(await fetchOcspResponse(`http://ocsp.example/status/${status}`, body, harness().options)).toEqual({
      ok: false,
      message: `it answered HTTP ${status}`,
    });
  });

  it('the size bound: 64 KiB by default; exactly the bound is read, one byte more refused (declared or streamed)', async () => {
    expect(MAX_RESPONSE_BYTES).toBe(64 * 1024);
    const options = harness({ maxBytes: 10 }).options;
    expect(await fetchOcspResponse('http://ocsp.example/declared/10', body, options)).toMatchObject({ ok: true });
    expect(await fetchOcspResponse('http://ocsp.example/declared/11', body, options)).toEqual({
      ok: false,
      message: 'it declared 11 bytes, more than the 10 an OCSP answer may be',
    });
    const streamed = await fetchOcspResponse('http://ocsp.example/chunked/10', body, options);
    expect(streamed).toEqual({ ok: true, bytes: new Uint8Array(Buffer.from('aaaaabbbbb')), address: '203.0.113.9' });
    expect(await fetchOcspResponse('http://ocsp.example/chunked/11', body, options)).toEqual({
      ok: false,
      message: 'it sent more than the 10 bytes an OCSP answer may be',
    });
    const byDefault = harness().options;
    expect(await fetchOcspResponse(`http://ocsp.example/declared/${64 * 1024}`, body, byDefault)).toMatchObject({
      ok: true,
    });
    expect(await fetchOcspResponse(`http://ocsp.example/chunked/${64 * 1024 + 1}`, body, byDefault)).toEqual({
      ok: false,
      message: `it sent more than the ${64 * 1024} bytes an OCSP answer may be`,
    });
  });

  it('response headers over 8 KiB are refused', async () => {
    expect(await fetchOcspResponse('http://ocsp.example/big-header', body, harness().options)).toEqual({
      ok: false,
      message: 'HPE_HEADER_OVERFLOW from 203.0.113.9',
    });
  });

  it('a refused connection is named with the address', async () => {
    const h = harness({ connect: () => netConnect({ host: '127.0.0.1', port: 1 }) });
    expect(await fetchOcspResponse('http://ocsp.example/', body, h.options)).toEqual({
      ok: false,
      message: 'ECONNREFUSED from 203.0.113.9',
    });
  });

  it('an answer cut short is an error, not a short answer', async () => {
    expect(await fetchOcspResponse('http://ocsp.example/cut', body, harness().options)).toEqual({
      ok: false,
      message: 'ECONNRESET while reading the answer',
    });
  });

  it('a silent responder ends at the deadline', async () => {
    const started = Date.now();
    expect(
      await fetchOcspResponse('http://ocsp.example/silent', body, harness({ deadline: Date.now() + 150 }).options),
    ).toEqual({
      ok: false,
      message: "it took longer than the check's timeout",
    });
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});

describe('compareWithResponder (the committed fixtures, checked at their own time)', () => {
  const fixture = (name: string) => readFileSync(new URL(`../fixtures/minted/${name}`, import.meta.url));
  const der = (name: string) => new Uint8Array(new X509Certificate(fixture(name)).raw);
  const evidence = (chain: Uint8Array[]): HandshakeEvidence => ({
    address: '203.0.113.7',
    protocol: 'TLSv1.3',
    cipher: null,
    chain,
    staple: null,
    authorized: true,
    authorizationError: null,
    hostnameError: null,
    durationMs: 1,
  });
  const result = (ocspUrls: string[], stapled: string | null) =>
    ({
      checkedAt: '2026-01-15T12:00:00.000Z',
      verdict: 'good',
      summary: 'stapled',
      certificate: { ocspUrls },
      ocsp: stapled === null ? null : { certStatus: stapled },
      problems: [],
      responder: null,
    }) as unknown as Result;
  const chain = () => [der('leaf.pem'), der('intermediate.pem')];
  const via = () => ({
    lookup: () => Promise.resolve(['203.0.113.9']),
    connect: () => netConnect({ host: '127.0.0.1', port }),
  });

  it('a responder that agrees: its status and times, no problem added, the verdict kept', async () => {
    const r = result(['ldap://ignored', `http://ocsp.example/fixture/good.der`], 'good');
    await compareWithResponder(r, evidence(chain()), Date.now() + 5_000, via());
    expect(r.responder).toEqual({
      url: 'http://ocsp.example/fixture/good.der',
      certStatus: 'good',
      thisUpdate: '2026-01-15T11:00:00.000Z',
      nextUpdate: '2026-01-19T12:00:00.000Z',
      error: null,
    });
    expect(r.verdict).toBe('good');
    expect(r.problems).toEqual([]);
  });

  it('the CA says revoked while the staple says good: stapled-revoked, said first', async () => {
    const r = result(['http://ocsp.example/fixture/revoked.der'], 'good');
    r.problems.push({ code: 'other', severity: 'info', message: 'kept' } as never);
    await compareWithResponder(r, evidence(chain()), Date.now() + 5_000, via());
    expect(r.responder?.certStatus).toBe('revoked');
    expect(r.verdict).toBe('stapled-revoked');
    expect(r.problems.map((p) => [p.code, p.severity])).toEqual([
      ['stale-staple', 'error'],
      ['other', 'info'],
    ]);
    expect(r.summary).toMatch(/REVOKED according to its CA/);
    expect(r.problems[0]?.message).toMatch(/REVOKED, but the server still staples an older "good" answer/);
  });

  it('revoked by the CA with no good staple changes no verdict', async () => {
    const r = result(['http://ocsp.example/fixture/revoked.der'], null);
    await compareWithResponder(r, evidence(chain()), Date.now() + 5_000, via());
    expect(r.responder?.certStatus).toBe('revoked');
    expect(r.verdict).toBe('good');
    expect(r.problems).toEqual([]);
  });

  it('an answer with only a warning (nextUpdate soon) still counts: its status, no error', async () => {
    const r = result(['http://ocsp.example/fixture/expiring-soon.der'], 'good');
    await compareWithResponder(r, evidence(chain()), Date.now() + 5_000, via());
    expect(r.responder?.certStatus).toBe('good');
    expect(r.responder?.error).toBeNull();
  });

  it('an answer that does not verify is named, with no status', async () => {
    const r = result(['http://ocsp.example/fixture/bad-signature.der'], 'good');
    await compareWithResponder(r, evidence(chain()), Date.now() + 5_000, via());
    expect(r.responder?.certStatus).toBeNull();
    expect(r.responder?.error).toMatch(/^The responder's answer does not verify: /);
    expect(r.verdict).toBe('good');
  });

  it('a responder that cannot be asked: the reason, and an info problem', async () => {
    const r = result(['http://ocsp.example/status/500'], 'good');
    await compareWithResponder(r, evidence(chain()), Date.now() + 5_000, via());
    expect(r.responder).toEqual({
      url: 'http://ocsp.example/status/500',
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: 'The responder could not be asked: it answered HTTP 500',
    });
    expect(r.problems).toEqual([
      {
        code: 'responder-unreachable',
        severity: 'info',
        message: 'The responder could not be asked: it answered HTTP 500',
      },
    ]);
  });

  it('no http(s) responder, no leaf, or no evidence: nothing is asked', async () => {
    for (const [urls, ev] of [
      [['ldap://ocsp.example/'], evidence(chain())],
      [[], evidence(chain())],
      [['http://ocsp.example/fixture/good.der'], evidence([])],
      [['http://ocsp.example/fixture/good.der'], null],
    ] as const) {
      seen = [];
      const r = result([...urls], 'good');
      await compareWithResponder(r, ev, Date.now() + 5_000, via());
      expect(r.responder).toEqual({
        url: urls[0]?.startsWith('http') ? urls[0] : '',
        certStatus: null,
        thisUpdate: null,
        nextUpdate: null,
        error: 'The certificate names no OCSP responder.',
      });
      expect(seen).toEqual([]);
    }
  });

  it('an https responder is asked too (TLS is the connector part; this one hands over plain HTTP)', async () => {
    const r = result(['https://ocsp.example/fixture/good.der'], 'good');
    await compareWithResponder(r, evidence(chain()), Date.now() + 5_000, via());
    expect(r.responder?.url).toBe('https://ocsp.example/fixture/good.der');
    expect(r.responder?.certStatus).toBe('good');
  });

  it('a result without certificate facts asks nothing', async () => {
    const r = result([], 'good');
    (r as { certificate: unknown }).certificate = null;
    await compareWithResponder(r, evidence(chain()), Date.now() + 5_000, via());
    expect(r.responder?.error).toBe('The certificate names no OCSP responder.');
  });

  it('an issuer not in the chain: no request can be built', async () => {
    seen = [];
    const r = result(['http://ocsp.example/fixture/good.der'], 'good');
    await compareWithResponder(r, evidence([der('leaf.pem'), der('other-root.pem')]), Date.now() + 5_000, via());
    expect(r.responder).toEqual({
      url: 'http://ocsp.example/fixture/good.der',
      certStatus: null,
      thisUpdate: null,
      nextUpdate: null,
      error: 'The issuer is unknown, so no request can be built.',
    });
    expect(seen).toEqual([]);
  });
});
