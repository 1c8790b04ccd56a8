// Issue 8 item 5, the wiring: the extension asks for `addressPolicy: "skip-internal-if-public"` on
// every check of a tab's page (navigation, opening the popup, re-check, resuming after a restart),
// the request validator carries it to checkSite unchanged, and anything but the two known values is
// `bad-request`. The extension side runs on the real tab checks, site checker and HostClient with the
// scripted host; the host side on the real HostSession with a recording check.
import { closeTabCheckClients, wireTabChecks } from '../extension/tab-checks-harness.js';
import { afterEach, describe, expect, it } from 'vitest';
import type { Result } from '../../src/core/result.js';
import { encodeFrame, FrameDecoder } from '../../src/protocol/framing.js';
import { HostSession } from '../../src/host/host.js';
import type { CheckSiteOptions } from '../../src/probe/check-site.js';
import { parseRequest } from '../../src/protocol/request.js';
import type { Options } from '../../src/extension/shared/options.js';

afterEach(closeTabCheckClients);

function extension(options: Partial<Options> = {}) {
  const { host, checker, checks, urls, settled } = wireTabChecks(options);
  const requests = () => host.requests as unknown as Record<string, unknown>[];
  return { checker, checks, urls, requests, settled };
}

describe('the extension asks for the policy on every check of a tab’s page', () => {
  it('on navigation', async () => {
    const { checks, urls, requests, settled } = extension();
    urls.set(1, 'https://rebind.example/');
    checks.navigated(1, 'https://rebind.example/');
    await settled();
    expect(requests()).toEqual([
      {
        id: 1,
        type: 'check',
        host: 'rebind.example',
        port: 443,
        timeoutMs: 10_000,
        addressPolicy: 'skip-internal-if-public',
        // The tab's page is loaded: an untrusted chain is a note (PROTOCOL.md, `pageLoaded`).
        pageLoaded: true,
        // The automatic check makes the normal offer's handshake only (PROTOCOL.md `probe`).
        probe: 'default-offer',
      },
    ]);
  });

  it('when the popup opens with automatic checks off, on re-check, and on resume', async () => {
    const { checks, urls, requests, settled } = extension({ autoCheck: false });
    urls.set(1, 'https://rebind.example/');
    checks.navigated(1, 'https://rebind.example/');
    expect(requests()).toEqual([]);
    await checks.stateOf(1, true);
    await settled();
    await checks.recheck(1);
    await settled();
    checks.resume(2, { host: 'other.example', port: 8443 });
    await settled();
    expect(requests().map((r) => [r.host, r.addressPolicy])).toEqual([
      ['rebind.example', 'skip-internal-if-public'],
      ['rebind.example', 'skip-internal-if-public'],
      ['other.example', 'skip-internal-if-public'],
    ]);
  });

  it('a check asked of the site checker without a policy sends none (the host then checks every address)', async () => {
    const { checker, requests } = extension();
    await checker.check({ host: 'example.com', port: 443 });
    expect(requests()).toEqual([{ id: 1, type: 'check', host: 'example.com', port: 443, timeoutMs: 10_000 }]);
  });
});

describe('the host carries the policy to checkSite', () => {
  function host() {
    const decoder = new FrameDecoder();
    const answers: Record<string, unknown>[] = [];
    const seen: CheckSiteOptions[] = [];
    const session = new HostSession({
      version: '9.9.9',
      check: (options) => {
        seen.push(options);
        return Promise.resolve({ host: options.host, port: options.port ?? 443 } as Result);
      },
      write: (frame) => {
        for (const f of decoder.push(frame).frames)
          answers.push(JSON.parse(Buffer.from(f).toString('utf8')) as Record<string, unknown>);
      },
      log: () => {},
    });
    return { session, answers, seen };
  }

  it('passes "skip-internal-if-public" and "all" through, and leaves it absent when absent', async () => {
    const { session, seen } = host();
    session.receive(encodeFrame({ id: 1, type: 'check', host: 'a.example', addressPolicy: 'skip-internal-if-public' }));
    session.receive(encodeFrame({ id: 2, type: 'check', host: 'b.example', addressPolicy: 'all' }));
    session.receive(encodeFrame({ id: 3, type: 'check', host: 'c.example' }));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(seen.map((o) => [o.host, o.addressPolicy])).toEqual([
      ['a.example', 'skip-internal-if-public'],
      ['b.example', 'all'],
      ['c.example', undefined],
    ]);
  });

  it.each([['public-first'], ['Skip-Internal-If-Public'], [''], [true], [null], [{}]])(
    'answers bad-request for addressPolicy %j and runs no check',
    async (policy) => {
      const { session, answers, seen } = host();
      session.receive(encodeFrame({ id: 4, type: 'check', host: 'a.example', addressPolicy: policy }));
      await new Promise((resolve) => setTimeout(resolve, 10));
      expect(seen).toEqual([]);
      expect(answers).toEqual([
        {
          id: 4,
          ok: false,
          error: { code: 'bad-request', message: '"addressPolicy" must be "all" or "skip-internal-if-public".' },
        },
      ]);
    },
  );

  it('the request validator returns it normalised with the other fields', () => {
    expect(parseRequest({ id: 5, type: 'check', host: 'A.example', addressPolicy: 'skip-internal-if-public' })).toEqual(
      {
        ok: true,
        request: {
          id: 5,
          type: 'check',
          check: { host: 'a.example', port: 443, timeoutMs: 10_000, addressPolicy: 'skip-internal-if-public' },
        },
      },
    );
  });
});
