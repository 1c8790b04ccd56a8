// The command that registers the host for this extension. Pure.
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../protocol/extension-ids.js';

/**
 * `npx staplecheck install`, plus `--extension-id ID` when this extension runs under another
 * Chromium ID than the built-in one (e.g. one a store assigned): the host allows only known IDs.
 */
export function installCommand(extensionId: string, prefix: 'npx staplecheck' | 'staplecheck'): string {
  const builtIn = extensionId === CHROMIUM_EXTENSION_ID || extensionId === FIREFOX_EXTENSION_ID;
  const idFlag = builtIn || !/^[a-p]{32}$/.test(extensionId) ? '' : ` --extension-id ${extensionId}`;
  return `${prefix} install${idFlag}`;
}
