// The popup runs on Chromium's own API while the background runs on webextension-polyfill
// (quirks/native-browser.ts): sendMessage's two differences are turned back the polyfill's way.
import { describe, expect, it } from 'vitest';
import { chromiumNoAnswer, chromiumReply } from '../../src/extension/quirks/chromium.js';

describe('Chromium sendMessage without the polyfill', () => {
  it('passes a reply through, and throws the error a background handler rejected with', () => {
    const view = { state: 'not-https', scheme: null };
    expect(chromiumReply(view)).toBe(view);
    expect(chromiumReply(undefined)).toBeUndefined();
    expect(chromiumReply(null)).toBeNull();
    expect(() => chromiumReply({ __mozWebExtensionPolyfillReject__: true, message: 'host gone' })).toThrow(
      new Error('host gone'),
    );
    // Only the polyfill's marker, exactly: a reply that merely has a `message` is a reply.
    const reply = { __mozWebExtensionPolyfillReject__: 'yes', message: 'x' };
    expect(chromiumReply(reply)).toBe(reply);
  });

  it('a message nobody answered resolves undefined, as in Firefox; any other failure stays one', () => {
    expect(chromiumNoAnswer(new Error('The message port closed before a response was received.'))).toBeUndefined();
    const other = new Error('Could not establish connection. Receiving end does not exist.');
    expect(() => chromiumNoAnswer(other)).toThrow(other);
  });
});
