// The Chromium extension ID is derived from the manifest key; a typo in either would lock the
// extension out of its own host ("Access to the specified native messaging host is forbidden").
import { createHash, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CHROMIUM_EXTENSION_ID,
  chromiumOrigin,
  FIREFOX_EXTENSION_ID,
  HOST_NAME,
  isChromiumExtensionId,
  MANIFEST_KEY,
} from '../../src/protocol/extension-ids.js';
import { ROOT } from '../host/host-harness.js';

/** Chromium's crx_file::id_util: SHA-256 of the DER SPKI, first 16 bytes, hex digits 0-f as a-p. */
function extensionIdOf(base64Spki: string): string {
  const hex = createHash('sha256').update(Buffer.from(base64Spki, 'base64')).digest('hex').slice(0, 32);
  return [...hex].map((c) => String.fromCharCode('a'.charCodeAt(0) + parseInt(c, 16))).join('');
}

describe('extension IDs', () => {
  it('MANIFEST_KEY is an RSA 2048 SubjectPublicKeyInfo', () => {
    const key = createPublicKey({ key: Buffer.from(MANIFEST_KEY, 'base64'), format: 'der', type: 'spki' });
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(2048);
  });

  it('CHROMIUM_EXTENSION_ID is the ID Chromium derives from MANIFEST_KEY', () => {
    expect(extensionIdOf(MANIFEST_KEY)).toBe(CHROMIUM_EXTENSION_ID);
    expect(isChromiumExtensionId(CHROMIUM_EXTENSION_ID)).toBe(true);
  });

  it('the root manifest.json carries the same key and gecko ID', () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, 'manifest.json'), 'utf8')) as {
      key?: string;
      browser_specific_settings?: { gecko?: { id?: string } };
    };
    expect(manifest.key).toBe(MANIFEST_KEY);
    expect(manifest.browser_specific_settings?.gecko?.id).toBe(FIREFOX_EXTENSION_ID);
  });

  it('names the host validly and writes origins with the trailing slash', () => {
    // Chrome: "Name can only contain lowercase alphanumeric characters, underscores and dots."
    expect(HOST_NAME).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/);
    expect(chromiumOrigin(CHROMIUM_EXTENSION_ID)).toBe(`chrome-extension://${CHROMIUM_EXTENSION_ID}/`);
  });

  it('tells IDs from other strings', () => {
    expect(isChromiumExtensionId('a'.repeat(32))).toBe(true);
    expect(isChromiumExtensionId('q'.repeat(32))).toBe(false);
    expect(isChromiumExtensionId('a'.repeat(31))).toBe(false);
    expect(isChromiumExtensionId('A'.repeat(32))).toBe(false);
    expect(isChromiumExtensionId('a'.repeat(33))).toBe(false);
    expect(isChromiumExtensionId(`-${'a'.repeat(32)}`)).toBe(false);
  });
});
