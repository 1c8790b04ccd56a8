// The host's own check of who started it (the second line of defence behind the browser's). It
// fails closed: only the exact shapes Chromium and Firefox use, or no arguments at all, are served.
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import { identifyCaller } from '../../src/host/origin.js';

const OURS = `chrome-extension://${CHROMIUM_EXTENSION_ID}/`;
const OTHER_ID = 'a'.repeat(32);
const FIREFOX_MANIFEST = '/home/u/.mozilla/native-messaging-hosts/dev.staplecheck.host.json';

describe('identifyCaller', () => {
  it('accepts our Chromium origin, with or without --parent-window (Windows)', () => {
    expect(identifyCaller([OURS])).toEqual({ ok: true, kind: 'chromium', extensionId: CHROMIUM_EXTENSION_ID });
    expect(identifyCaller([OURS, '--parent-window=0']).ok).toBe(true);
  });

  it('refuses another Chromium extension', () => {
    const caller = identifyCaller([`chrome-extension://${OTHER_ID}/`]);
    expect(caller.ok).toBe(false);
    expect(!caller.ok && caller.message).toContain(OTHER_ID);
  });

  it('refuses a malformed origin', () => {
    expect(identifyCaller(['chrome-extension://not-an-id/']).ok).toBe(false);
  });

  it('accepts an ID the launcher allows (--extension-id at install)', () => {
    expect(identifyCaller([`--allow-extension-id=${OTHER_ID}`, `chrome-extension://${OTHER_ID}/`])).toEqual({
      ok: true,
      kind: 'chromium',
      extensionId: OTHER_ID,
    });
  });

  it('accepts our Firefox add-on and refuses another', () => {
    expect(identifyCaller([FIREFOX_MANIFEST, FIREFOX_EXTENSION_ID])).toEqual({
      ok: true,
      kind: 'firefox',
      extensionId: FIREFOX_EXTENSION_ID,
    });
    expect(
      identifyCaller(['C:\\Users\\u\\AppData\\staplecheck\\dev.staplecheck.host.json', FIREFOX_EXTENSION_ID]).ok,
    ).toBe(true);
    expect(identifyCaller(['/x/dev.staplecheck.host.json', 'evil@example.com']).ok).toBe(false);
  });

  it('allows a run with no arguments (a person, a test), also through the launcher', () => {
    expect(identifyCaller([])).toEqual({ ok: true, kind: 'manual' });
    expect(identifyCaller([`--allow-extension-id=${OTHER_ID}`])).toEqual({ ok: true, kind: 'manual' });
  });

  // Issue 8: each of these used to be taken for "started by a person" and served.
  it.each([
    ['a Firefox origin', [`moz-extension://${'0'.repeat(8)}-0000-0000-0000-${'0'.repeat(12)}/`]],
    ['a bare add-on ID', ['evil@addon']],
    ['our add-on ID alone', [FIREFOX_EXTENSION_ID]],
    ['an origin in the wrong case', [`Chrome-Extension://${CHROMIUM_EXTENSION_ID}/`]],
    ['an origin in upper case', [`chrome-extension://${CHROMIUM_EXTENSION_ID.toUpperCase()}/`]],
    ['an origin without the trailing slash', [`chrome-extension://${CHROMIUM_EXTENSION_ID}`]],
    ['an origin with a path', [`chrome-extension://${CHROMIUM_EXTENSION_ID}/x`]],
    [
      'a manifest path ending .JSON',
      ['/home/u/.mozilla/native-messaging-hosts/dev.staplecheck.host.JSON', FIREFOX_EXTENSION_ID],
    ],
    ['another manifest file', ['/tmp/evil.json', FIREFOX_EXTENSION_ID]],
    ['a relative manifest path', ['dev.staplecheck.host.json', FIREFOX_EXTENSION_ID]],
    ['a manifest path without the add-on ID', [FIREFOX_MANIFEST]],
    ['Firefox arguments plus an extra one', [FIREFOX_MANIFEST, FIREFOX_EXTENSION_ID, 'extra']],
    ['our origin plus an extra argument', [OURS, 'extra']],
    ['our origin plus two --parent-window', [OURS, '--parent-window=1', '--parent-window=2']],
    ['a malformed --parent-window', [OURS, '--parent-window=x']],
    ['--parent-window alone', ['--parent-window=0']],
    ['an unknown flag', ['--help']],
    ['an empty argument', ['']],
    ['a malformed allowed ID', ['--allow-extension-id=zzz', OURS]],
    ['an allowed ID after the origin', [OURS, `--allow-extension-id=${OTHER_ID}`]],
  ])('refuses %s', (_label, args) => {
    const caller = identifyCaller(args);
    expect(caller.ok).toBe(false);
    expect(!caller.ok && caller.message).toMatch(/^refusing to serve: /);
  });
});

describe('identifyCaller, the exact shapes', () => {
  it('accepts any --parent-window of 1 to 20 digits, and no other', () => {
    expect(identifyCaller([OURS, '--parent-window=123456789'])).toEqual({
      ok: true,
      kind: 'chromium',
      extensionId: CHROMIUM_EXTENSION_ID,
    });
    expect(identifyCaller([OURS, `--parent-window=${'9'.repeat(20)}`]).ok).toBe(true);
    expect(identifyCaller([OURS, `--parent-window=${'9'.repeat(21)}`]).ok).toBe(false);
    expect(identifyCaller([OURS, '--parent-window=']).ok).toBe(false);
    expect(identifyCaller([OURS, 'x--parent-window=1']).ok).toBe(false);
    expect(identifyCaller([OURS, '--parent-window=1x']).ok).toBe(false);
  });

  it('refuses an origin with text before it', () => {
    expect(identifyCaller([`x${OURS}`]).ok).toBe(false);
    expect(identifyCaller([` ${OURS}`]).ok).toBe(false);
  });

  it('still accepts our own ID when the launcher allows others', () => {
    expect(identifyCaller([`--allow-extension-id=${OTHER_ID}`, OURS])).toEqual({
      ok: true,
      kind: 'chromium',
      extensionId: CHROMIUM_EXTENSION_ID,
    });
    const third = 'b'.repeat(32);
    expect(
      identifyCaller([
        `--allow-extension-id=${OTHER_ID}`,
        `--allow-extension-id=${third}`,
        `chrome-extension://${third}/`,
      ]),
    ).toEqual({ ok: true, kind: 'chromium', extensionId: third });
    expect(identifyCaller([`--allow-extension-id=${OTHER_ID}`, `chrome-extension://${third}/`]).ok).toBe(false);
  });

  it.each([
    ['a POSIX path', FIREFOX_MANIFEST],
    ['a Windows path with backslashes', 'C:\\Users\\u\\dev.staplecheck.host.json'],
    ['a Windows path with slashes', 'c:/Users/u/dev.staplecheck.host.json'],
    ['a UNC path', '\\\\server\\share\\dev.staplecheck.host.json'],
    ['mixed separators', 'D:\\Users/u\\dev.staplecheck.host.json'],
  ])('accepts the Firefox manifest as %s', (_label, path) => {
    expect(identifyCaller([path, FIREFOX_EXTENSION_ID])).toEqual({
      ok: true,
      kind: 'firefox',
      extensionId: FIREFOX_EXTENSION_ID,
    });
  });

  it.each([
    ['a drive letter without a separator', 'C:dev.staplecheck.host.json'],
    ['a drive that is not a letter', '1:\\dev.staplecheck.host.json'],
    ['a drive of two letters', 'CC:\\dev.staplecheck.host.json'],
    ['a path with a NUL', '/x\0/dev.staplecheck.host.json'],
    ['our name as a folder', '/x/dev.staplecheck.host.json/evil.json'],
    ['our name with a prefix', '/x/evil-dev.staplecheck.host.json'],
    ['a single backslash start', '\\dev.staplecheck.host.json'],
  ])('refuses %s as the Firefox manifest', (_label, path) => {
    expect(identifyCaller([path, FIREFOX_EXTENSION_ID]).ok).toBe(false);
  });

  it('says why it refuses, naming the argument at fault and all the arguments', () => {
    const other = `chrome-extension://${OTHER_ID}/`;
    expect(identifyCaller([other])).toEqual({
      ok: false,
      message: `refusing to serve: "${other}" is not the Staple Check extension (arguments ["${other}"]); only the Staple Check extension may start the host`,
    });
    expect(identifyCaller(['--allow-extension-id=zzz', OURS])).toEqual({
      ok: false,
      message: `refusing to serve: "--allow-extension-id=zzz" names no Chromium extension ID (arguments ["--allow-extension-id=zzz","${OURS}"]); only the Staple Check extension may start the host`,
    });
    expect(identifyCaller([OURS, 'extra'])).toEqual({
      ok: false,
      message: `refusing to serve: unexpected arguments after the extension origin (arguments ["${OURS}","extra"]); only the Staple Check extension may start the host`,
    });
    expect(identifyCaller([FIREFOX_MANIFEST, 'evil@example.com'])).toEqual({
      ok: false,
      message: `refusing to serve: "evil@example.com" is not the Staple Check add-on (arguments ["${FIREFOX_MANIFEST}","evil@example.com"]); only the Staple Check extension may start the host`,
    });
    expect(identifyCaller([FIREFOX_MANIFEST])).toEqual({
      ok: false,
      message: `refusing to serve: not a browser origin nor a Firefox manifest path and add-on ID (arguments ["${FIREFOX_MANIFEST}"]); only the Staple Check extension may start the host`,
    });
    expect(identifyCaller(['--help'])).toEqual({
      ok: false,
      message:
        'refusing to serve: not a browser origin nor a Firefox manifest path and add-on ID (arguments ["--help"]); only the Staple Check extension may start the host',
    });
  });
});
