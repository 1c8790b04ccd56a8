// The host manifest each browser reads (Chrome "Native messaging host manifest", MDN "Native
// manifests"), and the checks `doctor` runs on one found on disk. Pure.
import { chromiumOrigin, CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID, HOST_NAME } from '../protocol/extension-ids.js';
import type { BrowserFamily, Platform } from './layout.js';
import { pathFor } from './layout.js';

export interface HostManifest {
  name: string;
  description: string;
  /** Absolute: Chromium on Linux and macOS refuses a relative one ("host not found"). */
  path: string;
  type: 'stdio';
  allowed_origins?: string[];
  allowed_extensions?: string[];
}

export const HOST_DESCRIPTION = 'Staple Check: checks whether a website staples a valid OCSP response';

/** Our own ID first, then store-assigned ones given with `--extension-id`. */
export function chromiumIds(extraIds: readonly string[]): string[] {
  return [...new Set([CHROMIUM_EXTENSION_ID, ...extraIds])];
}

export function buildHostManifest(
  family: BrowserFamily,
  launcherPath: string,
  extraIds: readonly string[],
): HostManifest {
  const base = { name: HOST_NAME, description: HOST_DESCRIPTION, path: launcherPath, type: 'stdio' as const };
  return family === 'firefox'
    ? { ...base, allowed_extensions: [FIREFOX_EXTENSION_ID] }
    : { ...base, allowed_origins: chromiumIds(extraIds).map(chromiumOrigin) };
}

export function renderHostManifest(manifest: HostManifest): string {
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export interface ManifestAssessment {
  /** What is wrong, one sentence each; empty when the browser will accept it for our extension. */
  problems: string[];
  /** The launcher the manifest names, when it names one. */
  path: string | null;
}

/** Check a manifest's text the way the browser will read it, for our extension. */
export function assessHostManifest(text: string, family: BrowserFamily, platform: Platform): ManifestAssessment {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { problems: ['the manifest is not valid JSON'], path: null };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { problems: ['the manifest is not a JSON object'], path: null };
  }
  const m = value as Record<string, unknown>;
  const problems: string[] = [];
  if (m.name !== HOST_NAME) problems.push(`"name" is ${JSON.stringify(m.name)}, not "${HOST_NAME}"`);
  if (m.type !== 'stdio') problems.push(`"type" is ${JSON.stringify(m.type)}, not "stdio"`);
  let path: string | null = null;
  if (typeof m.path !== 'string' || m.path.length === 0) {
    problems.push('"path" is missing');
  } else {
    path = m.path;
    if (!pathFor(platform).isAbsolute(m.path)) problems.push(`"path" ${JSON.stringify(m.path)} is not absolute`);
  }
  if (family === 'chromium') {
    const origins = Array.isArray(m.allowed_origins) ? m.allowed_origins : null;
    // Chromium matches the origin exactly, trailing slash included.
    if (!origins) problems.push('"allowed_origins" is missing');
    else if (!origins.includes(chromiumOrigin(CHROMIUM_EXTENSION_ID))) {
      problems.push(`"allowed_origins" does not include ${chromiumOrigin(CHROMIUM_EXTENSION_ID)}`);
    }
  } else {
    const ids = Array.isArray(m.allowed_extensions) ? m.allowed_extensions : null;
    if (!ids) problems.push('"allowed_extensions" is missing');
    else if (!ids.includes(FIREFOX_EXTENSION_ID))
      problems.push(`"allowed_extensions" does not include ${FIREFOX_EXTENSION_ID}`);
  }
  return { problems, path };
}
