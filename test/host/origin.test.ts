// The host's own check of who started it (the second line of defence behind the browser's).
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../src/host/extension-ids.js';
import { identifyCaller } from '../../src/host/origin.js';

const OURS = `chrome-extension://${CHROMIUM_EXTENSION_ID}/`;
const OTHER_ID = 'a'.repeat(32);

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
    expect(
      identifyCaller(['/home/u/.mozilla/native-messaging-hosts/dev.staplecheck.host.json', FIREFOX_EXTENSION_ID]),
    ).toEqual({ ok: true, kind: 'firefox', extensionId: FIREFOX_EXTENSION_ID });
    expect(identifyCaller(['/x/dev.staplecheck.host.json', 'evil@example.com']).ok).toBe(false);
  });

  it('allows a run with no origin (a person, a test)', () => {
    expect(identifyCaller([])).toEqual({ ok: true, kind: 'manual' });
  });
});
