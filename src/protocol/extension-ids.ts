// Who may talk to the host. The installer writes these into the host manifests (first line of
// defence, enforced by the browser); the host checks its caller's origin argument against them
// (second line, in case a manifest was edited by hand).

/**
 * The public half of the extension's signing key, base64 DER SubjectPublicKeyInfo (RSA 2048), as
 * the root `manifest.json` `key` field. Chromium derives the extension ID from it, so an unpacked
 * build has the same ID on every machine. Only the public key is needed for unpacked loading; the
 * private key was discarded after generation (the Chrome Web Store signs with its own).
 */
export const MANIFEST_KEY =
  'MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAp1NMB6nS1nY/L1TvaFEhYwgxZgmM33eXWGbsPuiKr/bjH3oBfNOfjkwSa+MXk+tyoh7ctGk2ZScaosY4XjIYXPuV28mERa6YGQ9F/BPr6nkh9xEU5jWr8CtnPY2bApn3r5DTYwb5GRPlw7qL3FdUvgNaInMGkV5jP50NAQrpIfPho1BKRRbV742ElneDWQ27xgjxSfzV+hVF1LLcBXT4yMBZ+iT8y9LKPG4IpO/il9bq8ow+sAXrD0fxcVezraTo8C+qTmYASZwOFNRGXAZGpV6xyFyXjrWGF7ViAkZA6nBlCyAv05PCwafB2UFEibTa8i0PfrnhFK0bjWTCBtmn/wIDAQAB';

/**
 * The Chromium extension ID that {@link MANIFEST_KEY} yields: the first 128 bits of SHA-256 over the
 * DER SubjectPublicKeyInfo, as 32 hex digits with 0-f written a-p (test/protocol/extension-ids.test.ts
 * recomputes it).
 */
export const CHROMIUM_EXTENSION_ID = 'mmkpbknolodcfhlnflgkhfekmfnnjofd';

/** `browser_specific_settings.gecko.id` in the root `manifest.json`. */
export const FIREFOX_EXTENSION_ID = 'staplecheck@staplecheck.dev';

/** The native-messaging host name: lowercase letters, digits, dots and underscores only. */
export const HOST_NAME = 'dev.staplecheck.host';

/**
 * Written by the installer into the launcher for IDs given with `--extension-id` (store-assigned);
 * the host reads these flags before it checks its caller (src/host/origin.ts).
 */
export const ALLOW_ID_FLAG = '--allow-extension-id=';

/** Chromium extension IDs are 32 letters a-p. */
export function isChromiumExtensionId(text: string): boolean {
  return /^[a-p]{32}$/.test(text);
}

/** The origin Chromium passes to the host and expects in `allowed_origins` (trailing slash required). */
export function chromiumOrigin(id: string): string {
  return `chrome-extension://${id}/`;
}
