// The command that registers the host for this extension. Pure.
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../protocol/extension-ids.js';

/**
 * The README's "Install" section, step by step per operating system, for someone who has never used
 * Node: where the host-missing page sends them. npm shows the README of the published package (the
 * same file, `files` in package.json), and the heading "Install" is its `#install` anchor.
 */
export const INSTALL_GUIDE_URL = 'https://www.npmjs.com/package/staplecheck#install';

/**
 * `npx staplecheck install`, plus `--extension-id ID` when this extension runs under another
 * Chromium ID than the built-in one (e.g. one a store assigned): the host allows only known IDs.
 */
export function installCommand(extensionId: string, prefix: 'npx staplecheck' | 'staplecheck'): string {
  const builtIn = extensionId === CHROMIUM_EXTENSION_ID || extensionId === FIREFOX_EXTENSION_ID;
  const idFlag = builtIn || !/^[a-p]{32}$/.test(extensionId) ? '' : ` --extension-id ${extensionId}`;
  return `${prefix} install${idFlag}`;
}
