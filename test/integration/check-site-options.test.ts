// checkSite validates its options before anything is resolved or dialed (docs/contract.md §6): a bad
// option is an `error` result with the code `bad-request`, never a throw. A loopback listener counts
// connections and an injected resolver counts look-ups, to show that nothing went out.
import * as net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkSite, type CheckSiteOptions } from '../../src/probe/check-site.js';
import { parseResult } from '../../src/protocol/parse-result.js';

let listener: net.Server;
let port: number;
let connections = 0;
let lookups = 0;
const countingLookup = async (): Promise<string[]> => {
  lookups++;
  return ['127.0.0.1'];
};

beforeAll(async () => {
  listener = net.createServer((socket) => {
    connections++;
    socket.destroy();
  });
  port = await new Promise<number>((resolve) =>
    listener.listen(0, '127.0.0.1', () => resolve((listener.address() as net.AddressInfo).port)),
  );
});

afterAll(() => new Promise<void>((resolve) => listener.close(() => resolve())));

describe('checkSite refuses bad options without dialing', () => {
  const cases: [string, () => CheckSiteOptions, RegExp][] = [
    [
      'an IP address as SNI',
      () => ({ host: '127.0.0.1', port, servername: '127.0.0.1' }),
      /servername must be a DNS host name/,
    ],
    [
      'a host name as address',
      () => ({ host: 'localhost', port, address: 'localhost' }),
      /address must be an IPv4 or IPv6/,
    ],
    ['port 0', () => ({ host: '127.0.0.1', port: 0 }), /port must be an integer 1-65535/],
    [
      'a timeout below the range',
      () => ({ host: '127.0.0.1', port, timeoutMs: 99 }),
      /timeoutMs must be an integer 100-120000/,
    ],
    [
      'a timeout above the range',
      () => ({ host: '127.0.0.1', port, timeoutMs: 120_001 }),
      /timeoutMs must be an integer 100-120000/,
    ],
    ['a host that is no host', () => ({ host: 'local host', port }), /not a valid host name/],
  ];

  it.each(cases)('%s', async (_what, options, message) => {
    connections = 0;
    lookups = 0;
    const result = await checkSite({ ...options(), lookup: countingLookup });
    expect(result.verdict).toBe('error');
    expect(result.error?.code).toBe('bad-request');
    expect(result.error?.message).toMatch(message);
    expect(lookups).toBe(0);
    expect(connections).toBe(0);
    // The refusal is still a result the extension accepts (its port stays within 1-65535 or null).
    const parsed = parseResult(JSON.parse(JSON.stringify(result)));
    expect(parsed.ok ? 'accepted' : parsed.reason).toBe('accepted');
  });

  it('dials once the options are valid (the counters do count)', async () => {
    connections = 0;
    lookups = 0;
    // A generous budget: the listener hangs up at once, and a loaded machine must not time out before dialing.
    const result = await checkSite({ host: 'localhost', port, timeoutMs: 10_000, lookup: countingLookup });
    expect(result.verdict).toBe('error');
    expect(lookups).toBe(1);
    expect(connections).toBeGreaterThan(0);
  });
});

describe('checkSite never throws', () => {
  it('turns a bug inside the check into an error result with the code internal', async () => {
    const result = await checkSite({
      host: 'localhost',
      port,
      lookup: () => {
        throw new Error('a resolver bug');
      },
    });
    expect(result.verdict).toBe('error');
    expect(result.error).toEqual({ code: 'internal', message: expect.stringMatching(/a bug\): a resolver bug$/) });
    expect(result).toMatchObject({ host: 'localhost', port });
  });
});
