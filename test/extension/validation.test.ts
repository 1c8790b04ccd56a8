// Run-time validation at the extension's own boundaries: popup ↔ background messages and stored tab
// states. (Host answers and results: test/protocol/.)
import { describe, expect, it } from 'vitest';
import { parsePingReply, parseRequest, parseTabStateNotice } from '../../src/extension/shared/messages.js';
import { parseTabView } from '../../src/extension/shared/tab-view.js';
import { asWire, sampleResult } from './sample-results.js';

describe('popup ↔ background messages', () => {
  it('parses the three requests', () => {
    expect(parseRequest({ type: 'get-state', tabId: 7, start: true })).toEqual({
      ok: true,
      request: { type: 'get-state', tabId: 7, start: true },
    });
    expect(parseRequest({ type: 'get-state', tabId: 7 })).toEqual({
      ok: true,
      request: { type: 'get-state', tabId: 7, start: false },
    });
    expect(parseRequest({ type: 'recheck', tabId: 0 })).toEqual({ ok: true, request: { type: 'recheck', tabId: 0 } });
    expect(parseRequest({ type: 'ping-host' })).toEqual({ ok: true, request: { type: 'ping-host' } });
  });

  it.each([
    null,
    'get-state',
    { type: 'get-state' },
    { type: 'recheck', tabId: -1 },
    { type: 'recheck', tabId: 1.5 },
    { type: 'eval' },
  ])('refuses %j', (value) => {
    expect(parseRequest(value).ok).toBe(false);
  });

  it('parses tab-state notices and refuses broken ones', () => {
    const view = { state: 'checking', site: { host: 'example.com', port: 443 }, startedAt: 5 };
    expect(parseTabStateNotice({ type: 'tab-state', tabId: 3, view })).toEqual({ type: 'tab-state', tabId: 3, view });
    expect(parseTabStateNotice({ type: 'tab-state', tabId: 3, view: { state: 'green' } })).toBeNull();
    expect(parseTabStateNotice({ type: 'other', tabId: 3, view })).toBeNull();
  });

  it('parses ping replies', () => {
    expect(parsePingReply({ ok: true, version: '1.2.3' })).toEqual({ ok: true, version: '1.2.3' });
    expect(parsePingReply({ ok: false, state: 'host-missing', message: 'm', extensionId: 'e' })).toMatchObject({
      state: 'host-missing',
    });
    expect(parsePingReply({ ok: false, state: 'other', message: 'm', extensionId: 'e' })).toBeNull();
  });
});

describe('parseTabView', () => {
  const site = { host: 'example.com', port: 443 };
  it.each([
    { state: 'not-https', scheme: 'http:' },
    { state: 'not-https', scheme: null },
    { state: 'idle', site, reason: 'excluded' },
    { state: 'checking', site, startedAt: 1 },
    { state: 'result', site, result: asWire(sampleResult('stapled-good')), fromCache: true, expiresAt: 9 },
    { state: 'host-missing', site: null, message: 'not found', extensionId: 'id' },
    { state: 'failed', site, code: 'timeout', message: 'slow' },
  ])('round-trips %j', (view) => {
    expect(parseTabView(JSON.parse(JSON.stringify(view)))).toEqual(view);
  });

  it.each([
    { state: 'result', site, result: { verdict: 'stapled-good' }, fromCache: false, expiresAt: null },
    { state: 'checking', site: { host: 'example.com', port: 0 }, startedAt: 1 },
    { state: 'failed', site, code: 'exploded', message: 'x' },
    { state: 'idle', site, reason: 'bored' },
    { state: 'unknown' },
  ])('refuses %j', (view) => {
    expect(parseTabView(view)).toBeNull();
  });
});
