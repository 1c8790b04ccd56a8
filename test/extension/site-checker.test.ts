// The site checker on its own: answers validated against the site asked about, one host request
// per site however many ask, results cached under the user's current maximum, re-check drops the
// cache. The host is the scripted fake behind a real HostClient.
import { afterEach, describe, expect, it } from 'vitest';
import { CheckCache } from '../../src/extension/background/check-cache.js';
import { HostClient } from '../../src/extension/background/native-port.js';
import { SiteChecker, checkOutcomeOf } from '../../src/extension/background/site-checker.js';
import { FakeHost, ManualClock, goodAnswer, type HostRequest } from './fake-browser.js';
import { asWire, sampleResult } from './sample-results.js';

const site = { host: 'example.com', port: 443 };
const MIN = 60_000;

let clients: HostClient[] = [];
afterEach(() => {
  for (const c of clients) c.close();
  clients = [];
});

function setup(config: { maxCacheMs?: number } = {}) {
  const host = new FakeHost();
  const clock = new ManualClock();
  const client = new HostClient(() => host.connect(), clock);
  clients.push(client);
  const cache = new CheckCache();
  let maxCacheMs = config.maxCacheMs ?? 10 * MIN;
  const logged: string[] = [];
  const checker = new SiteChecker({
    client,
    cache,
    clock,
    maxCacheMs: () => maxCacheMs,
    log: (m) => logged.push(m),
  });
  return { host, clock, cache, checker, logged, setMax: (ms: number) => (maxCacheMs = ms) };
}

const success = (result: unknown) => ({ kind: 'answer', answer: { kind: 'success', id: 1, result } }) as const;
const wire = () => asWire(sampleResult('stapled-good')) as Record<string, unknown>;

describe('checkOutcomeOf', () => {
  it('a valid result about the site asked about is a result', () => {
    const outcome = checkOutcomeOf(site, success(wire()));
    expect(outcome).toMatchObject({ kind: 'result', result: { verdict: 'stapled-good', host: 'example.com' } });
  });

  it('the host name is compared without regard to case', () => {
    expect(checkOutcomeOf(site, success({ ...wire(), host: 'Example.COM' })).kind).toBe('result');
  });

  it('host-missing and failures pass through as they are', () => {
    expect(checkOutcomeOf(site, { kind: 'host-missing', message: 'not found' })).toEqual({
      kind: 'host-missing',
      message: 'not found',
    });
    expect(checkOutcomeOf(site, { kind: 'failed', code: 'timeout', message: 'late' })).toEqual({
      kind: 'failed',
      code: 'timeout',
      message: 'late',
    });
  });

  it('an ok:false answer is a host error with its code', () => {
    const outcome = checkOutcomeOf(site, {
      kind: 'answer',
      answer: { kind: 'failure', id: 1, code: 'bad-request', message: 'port must be 1-65535' },
    });
    expect(outcome).toEqual({ kind: 'failed', code: 'host-error', message: 'bad-request: port must be 1-65535' });
  });

  it('an invalid result is a malformed answer, and the reason is logged', () => {
    const logged: string[] = [];
    const outcome = checkOutcomeOf(site, success({ verdict: 'stapled-good' }), (m) => logged.push(m));
    expect(outcome).toMatchObject({ kind: 'failed', code: 'malformed-answer' });
    expect(logged).toHaveLength(1);
  });

  it.each([
    ['another host', { host: 'evil.test' }],
    ['another port', { port: 8443 }],
  ])('a result about %s is a malformed answer', (_what, change) => {
    const outcome = checkOutcomeOf(site, success({ ...wire(), ...change }));
    expect(outcome).toMatchObject({ kind: 'failed', code: 'malformed-answer' });
    expect(outcome.kind === 'failed' && outcome.message).toMatch(/instead of example\.com:443/);
  });
});

describe('SiteChecker', () => {
  it('asks the host with the check budget and caches the result', async () => {
    const { host, checker } = setup();
    const outcome = await checker.check(site);
    expect(host.requests).toEqual([{ id: 1, type: 'check', host: 'example.com', port: 443, timeoutMs: 10_000 }]);
    expect(outcome).toMatchObject({ kind: 'result', result: { verdict: 'stapled-good' } });
    expect(checker.cached(site)?.result.verdict).toBe('stapled-good');
  });

  it('shares one running request between callers asking about the same site', async () => {
    const { host, checker } = setup();
    const held: HostRequest[] = [];
    host.behave = (request) => {
      held.push(request);
      return { silent: true };
    };
    const first = checker.check(site);
    const second = checker.check(site);
    const other = checker.check({ host: 'example.com', port: 8443 });
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(held).toHaveLength(2);
    for (const request of held) host.ports[0]!.deliver(goodAnswer(request));
    const [a, b, c] = await Promise.all([first, second, other]);
    expect(a).toBe(b);
    expect(c.kind).toBe('result');
    // Once settled, the next check asks again.
    host.behave = (request) => ({ reply: goodAnswer(request) });
    await checker.check(site);
    expect(host.requests).toHaveLength(3);
  });

  it('does not cache what is not a result', async () => {
    const { host, checker } = setup();
    host.behave = (r) => ({ reply: { id: r.id, ok: false, error: { code: 'bad-request', message: 'no' } } });
    expect(await checker.check(site)).toMatchObject({ kind: 'failed', code: 'host-error' });
    expect(checker.cached(site)).toBeNull();
  });

  it('reads the user’s maximum at every use', async () => {
    const { clock, checker, setMax } = setup({ maxCacheMs: 10 * MIN });
    const outcome = await checker.check(site);
    expect(outcome.kind === 'result' && outcome.expiresAt).toBe(clock.now() + 10 * MIN);
    clock.advance(2 * MIN);
    expect(checker.cached(site)).not.toBeNull();
    setMax(MIN);
    expect(checker.cached(site)).toBeNull();
  });

  it('forget drops the cached result (re-check)', async () => {
    const { checker } = setup();
    await checker.check(site);
    checker.forget(site);
    expect(checker.cached(site)).toBeNull();
  });
});
