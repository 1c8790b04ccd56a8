// Small pure helpers: which URLs are checked, excluded-site patterns, options, the openssl and
// install commands, problem explanations.
import { describe, expect, it } from 'vitest';
import { INVALIDATING_CODES } from '../../src/core/result.js';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import {
  EXPLAINED_PROBLEM_CODES,
  explainError,
  explainFailure,
  explainProblem,
} from '../../src/extension/shared/explanations.js';
import { installCommand } from '../../src/extension/shared/install-command.js';
import { opensslCommand } from '../../src/extension/shared/openssl-command.js';
import { DEFAULT_OPTIONS, parseExcludedText, parseOptions } from '../../src/extension/shared/options.js';
import { isExcluded, parseExcludePattern, siteLabel, siteOfUrl } from '../../src/extension/shared/site.js';
import { FAILURE_CODES } from '../../src/extension/shared/tab-view.js';

describe('siteOfUrl', () => {
  it.each([
    ['https://example.com/path?q=1', { host: 'example.com', port: 443 }],
    ['https://Example.COM:443/', { host: 'example.com', port: 443 }],
    ['https://example.com:8443/', { host: 'example.com', port: 8443 }],
    ['https://127.0.0.1:4433/', { host: '127.0.0.1', port: 4433 }],
    ['https://[::1]:8443/', { host: '::1', port: 8443 }],
    ['https://bücher.example/', { host: 'xn--bcher-kva.example', port: 443 }],
  ])('%s → %j', (url, site) => {
    expect(siteOfUrl(url)).toEqual({ kind: 'https', site });
  });

  it.each([
    ['http://example.com/', 'http:'],
    ['file:///etc/hosts', 'file:'],
    ['chrome://extensions/', 'chrome:'],
    ['about:blank', 'about:'],
    ['moz-extension://abc/popup.html', 'moz-extension:'],
    ['chrome-extension://abc/popup.html', 'chrome-extension:'],
    ['not a url', null],
    [null, null],
  ])('%s is not checked', (url, scheme) => {
    expect(siteOfUrl(url)).toEqual({ kind: 'not-https', scheme });
  });

  it('labels IPv6 sites with brackets', () => {
    expect(siteLabel({ host: '2001:db8::1', port: 443 })).toBe('[2001:db8::1]:443');
  });
});

describe('excluded sites', () => {
  it.each([
    ['example.com', { host: 'example.com', port: null, subdomains: true }],
    ['*.Example.com', { host: 'example.com', port: null, subdomains: true }],
    ['intranet.example:8443', { host: 'intranet.example', port: 8443, subdomains: true }],
    ['https://example.com:9443/some/path', { host: 'example.com', port: 9443, subdomains: true }],
    ['10.0.0.7', { host: '10.0.0.7', port: null, subdomains: false }],
    ['[::1]:8443', { host: '::1', port: 8443, subdomains: false }],
  ])('parses %s', (text, pattern) => {
    expect(parseExcludePattern(text)).toEqual(pattern);
  });

  it.each(['', 'exa mple.com', 'example.com:99999', '*.10.0.0.7', 'https://'])('refuses %j', (text) => {
    expect(parseExcludePattern(text)).toBeNull();
  });

  it('matches the host, its subdomains and the port', () => {
    const list = ['example.com', 'intranet.test:8443', '10.0.0.7'];
    expect(isExcluded({ host: 'example.com', port: 443 }, list)).toBe(true);
    expect(isExcluded({ host: 'www.example.com', port: 8443 }, list)).toBe(true);
    expect(isExcluded({ host: 'notexample.com', port: 443 }, list)).toBe(false);
    expect(isExcluded({ host: 'intranet.test', port: 8443 }, list)).toBe(true);
    expect(isExcluded({ host: 'intranet.test', port: 443 }, list)).toBe(false);
    expect(isExcluded({ host: '10.0.0.7', port: 443 }, list)).toBe(true);
    expect(isExcluded({ host: '10.0.0.70', port: 443 }, list)).toBe(false);
  });

  it('reads the options textarea: comments, blanks, duplicates, invalid lines', () => {
    expect(parseExcludedText('# mine\nexample.com\n\n example.com \nnot valid!\nfoo.test:8443\n')).toEqual({
      patterns: ['example.com', 'foo.test:8443'],
      invalid: ['not valid!'],
    });
  });
});

describe('options', () => {
  it('defaults: automatic checks on, nothing excluded, 10 minutes, watched sites notify under 48 h', () => {
    expect(parseOptions(undefined)).toEqual(DEFAULT_OPTIONS);
    expect(DEFAULT_OPTIONS).toEqual({
      autoCheck: true,
      excludedSites: [],
      cacheMinutes: 10,
      keepHistory: false,
      watchLeftHours: 48,
    });
  });

  it('keeps valid fields and replaces bad ones', () => {
    expect(parseOptions({ autoCheck: false, excludedSites: ['a.test', 3], cacheMinutes: 5 })).toEqual({
      autoCheck: false,
      excludedSites: ['a.test'],
      cacheMinutes: 5,
      keepHistory: false,
      watchLeftHours: 48,
    });
    expect(parseOptions({ autoCheck: 'no', excludedSites: 'a.test', cacheMinutes: -1 })).toEqual(DEFAULT_OPTIONS);
    expect(parseOptions({ cacheMinutes: Number.NaN }).cacheMinutes).toBe(10);
  });
});

describe('opensslCommand', () => {
  it('names the host, the port and SNI', () => {
    expect(opensslCommand({ host: 'example.com', port: 443 })).toBe(
      'openssl s_client -connect example.com:443 -servername example.com -status </dev/null',
    );
    expect(opensslCommand({ host: 'example.com', port: 8443 }, 'example.com')).toBe(
      'openssl s_client -connect example.com:8443 -servername example.com -status </dev/null',
    );
  });

  it('sends no SNI for IP addresses (RFC 6066 §3) and brackets IPv6', () => {
    expect(opensslCommand({ host: '127.0.0.1', port: 4433 }, null)).toBe(
      'openssl s_client -connect 127.0.0.1:4433 -status </dev/null',
    );
    expect(opensslCommand({ host: '::1', port: 443 })).toBe('openssl s_client -connect [::1]:443 -status </dev/null');
  });

  it('quotes anything unexpected for the shell', () => {
    expect(opensslCommand({ host: 'a;rm -rf', port: 1 }, 'x$(y)')).toBe(
      "openssl s_client -connect 'a;rm -rf:1' -servername 'x$(y)' -status </dev/null",
    );
  });
});

describe('installCommand', () => {
  it('is plain for the built-in IDs', () => {
    expect(installCommand(CHROMIUM_EXTENSION_ID, 'npx staplecheck')).toBe('npx staplecheck install');
    expect(installCommand(FIREFOX_EXTENSION_ID, 'staplecheck')).toBe('staplecheck install');
  });

  it('adds --extension-id for another Chromium ID (a store-assigned one)', () => {
    expect(installCommand('a'.repeat(32), 'npx staplecheck')).toBe(
      `npx staplecheck install --extension-id ${'a'.repeat(32)}`,
    );
  });
});

describe('explanations', () => {
  it('explain every code that invalidates a staple, and the common advisories', () => {
    for (const code of INVALIDATING_CODES) expect(EXPLAINED_PROBLEM_CODES).toContain(code);
    for (const code of ['untrusted-chain', 'must-staple', 'expiring-soon', 'warmed-up', 'stale-staple']) {
      expect(explainProblem(code).meaning.length).toBeGreaterThan(10);
    }
  });

  it('give one line each: a meaning and an action', () => {
    for (const code of EXPLAINED_PROBLEM_CODES) {
      const e = explainProblem(code);
      expect(e.meaning).not.toMatch(/\n/);
      expect(e.action).not.toMatch(/\n/);
      expect(e.action.length).toBeGreaterThan(5);
    }
  });

  it('fall back for unknown codes instead of failing', () => {
    expect(explainProblem('from-the-future').meaning).toMatch(/does not describe yet/);
    expect(explainError('from-the-future').meaning).toMatch(/does not describe yet/);
    expect(explainError('dns').meaning).toMatch(/name/);
    for (const code of FAILURE_CODES) expect(explainFailure(code).meaning.length).toBeGreaterThan(10);
  });
});
