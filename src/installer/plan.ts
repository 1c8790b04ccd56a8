// What `install` and `uninstall` change, as a list of actions computed without touching anything
// (so the Windows and macOS plans are tested here too), then applied.
import { readFile, rmdir } from 'node:fs/promises';
import { HOST_NAME } from '../protocol/extension-ids.js';
import { buildHostManifest, renderHostManifest } from './host-manifest.js';
import { hostCopyDir, hostCopyFiles, removeHostCopy, type HostCopySource } from './host-copy.js';
import { isOurLauncher, renderLauncher, type LauncherSpec } from './launcher.js';
import type { Layout, Registration } from './layout.js';
import { isBrowserName, pathFor, userDataDirRegistration } from './layout.js';
import { regCommands, type Registry } from './registry.js';
import {
  ensureDirectory,
  EXECUTABLE_MODE,
  FILE_MODE,
  removeRecognisedFile,
  writeFileAtomically,
} from './safe-files.js';

/** Which of our files a removal expects to find: anything else at that path is left alone. */
export type Recognised = 'host-manifest' | 'launcher' | 'record';

export type Action =
  | { kind: 'write-file'; path: string; content: string; executable: boolean; what: string }
  | { kind: 'remove-file'; path: string; recognise: Recognised; what: string }
  | { kind: 'remove-dir-if-empty'; path: string; what: string }
  /** Creates a directory, or checks that the one there is a real directory, not a link (safe-files.ts). */
  | { kind: 'make-directory'; path: string; what: string }
  /** One version directory under `layout.hostDir`, only what `install` wrote there (host-copy.ts). */
  | { kind: 'remove-host-copy'; layout: Layout; version: string; path: string; what: string }
  | { kind: 'registry-set'; key: string; value: string; command: string[]; what: string }
  | { kind: 'registry-delete'; key: string; command: string[]; what: string };

interface StateFile {
  version: 1;
  registrations: Registration[];
}

function renderState(registrations: readonly Registration[]): string {
  const state: StateFile = { version: 1, registrations: [...registrations] };
  return `${JSON.stringify(state, null, 2)}\n`;
}

/** What an earlier install recorded; anything unreadable counts as nothing. */
export function parseState(text: string | null): Registration[] {
  if (text === null) return [];
  try {
    const value = JSON.parse(text) as Partial<StateFile>;
    if (!Array.isArray(value.registrations)) return [];
    return value.registrations.filter(
      (r): r is Registration =>
        typeof r === 'object' &&
        r !== null &&
        typeof r.manifestPath === 'string' &&
        typeof r.browser === 'string' &&
        isBrowserName(r.browser) &&
        (r.family === 'chromium' || r.family === 'firefox'),
    );
  } catch {
    return [];
  }
}

/**
 * The recorded registrations this layout could have written, rebuilt from the layout: the record
 * is a file in the user's data directory, and whoever can write it must not be able to make
 * `uninstall` delete or `doctor` start anything else. A recorded path that differs from the one
 * the layout computes is dropped.
 */
export function trustRecorded(layout: Layout, recorded: readonly Registration[]): Registration[] {
  const trusted: Registration[] = [];
  for (const r of recorded) {
    let rebuilt: Registration | undefined;
    if (r.custom === true) {
      if (layout.platform === 'win32' || r.family !== 'chromium') continue;
      if (typeof r.configDir !== 'string' || !pathFor(layout.platform).isAbsolute(r.configDir)) continue;
      rebuilt = userDataDirRegistration(layout.platform, r.configDir, r.browser);
    } else {
      rebuilt = layout.registrations.find((l) => l.browser === r.browser);
    }
    if (rebuilt && rebuilt.manifestPath === r.manifestPath) trusted.push(rebuilt);
  }
  return trusted;
}

export async function readState(layout: Layout): Promise<Registration[]> {
  return trustRecorded(layout, parseState(await readFile(layout.statePath, 'utf8').catch(() => null)));
}

/** A host manifest with our host name: the only kind `uninstall` removes. */
export function isOurHostManifest(text: string): boolean {
  try {
    const value = JSON.parse(text) as { name?: unknown; type?: unknown };
    return typeof value === 'object' && value !== null && value.name === HOST_NAME && value.type === 'stdio';
  } catch {
    return false;
  }
}

function isOurRecord(text: string): boolean {
  try {
    const value = JSON.parse(text) as Partial<StateFile>;
    return value.version === 1 && Array.isArray(value.registrations);
  } catch {
    return false;
  }
}

function mergeRegistrations(a: readonly Registration[], b: readonly Registration[]): Registration[] {
  const byPath = new Map<string, Registration>();
  for (const r of [...a, ...b]) byPath.set(r.manifestPath, r);
  return [...byPath.values()];
}

function removeCopy(layout: Layout, version: string): Action {
  return {
    kind: 'remove-host-copy',
    layout,
    version,
    path: hostCopyDir(layout, version),
    what: `host ${version}`,
  };
}

/**
 * Copying the host (before the launcher that names the copy), and removing the copies of other
 * versions (after it, so the launcher never names a removed copy): only the current version is kept.
 */
export function planHostCopy(input: { layout: Layout; source: HostCopySource; installed: readonly string[] }): {
  before: Action[];
  after: Action[];
} {
  const { layout, source, installed } = input;
  const p = pathFor(layout.platform);
  const dir = hostCopyDir(layout, source.version);
  // Every directory on the way down, not just each file's own: a link planted at host/ or at the
  // version's directory would put the code the browser runs where someone else can change it.
  const directories: Action[] = [
    layout.dataDir,
    layout.hostDir,
    dir,
    p.join(dir, 'bin'),
    p.join(dir, 'build'),
    p.join(dir, 'build', 'node'),
  ].map((path) => ({ kind: 'make-directory', path, what: `host ${source.version} directory` }));
  return {
    before: [...directories, ...hostCopyFiles(layout, source).map((file): Action => ({ kind: 'write-file', ...file }))],
    after: installed.filter((v) => v !== source.version).map((v) => removeCopy(layout, v)),
  };
}

export function planInstall(input: {
  layout: Layout;
  targets: readonly Registration[];
  launcher: LauncherSpec;
  recorded: readonly Registration[];
}): Action[] {
  const { layout, targets, launcher, recorded } = input;
  const actions: Action[] = [
    {
      kind: 'write-file',
      path: layout.launcherPath,
      content: renderLauncher(layout.platform, launcher),
      executable: true,
      what: 'launcher',
    },
  ];
  for (const target of targets) {
    const manifest = buildHostManifest(target.family, layout.launcherPath, launcher.extraIds);
    actions.push({
      kind: 'write-file',
      path: target.manifestPath,
      content: renderHostManifest(manifest),
      executable: false,
      what: `${target.browser} host manifest`,
    });
    if (target.registryKey) {
      actions.push({
        kind: 'registry-set',
        key: target.registryKey,
        value: target.manifestPath,
        command: regCommands.add(target.registryKey, target.manifestPath),
        what: `${target.browser} registry key`,
      });
    }
  }
  actions.push({
    kind: 'write-file',
    path: layout.statePath,
    content: renderState(mergeRegistrations(recorded, targets)),
    executable: false,
    what: 'record of installed registrations',
  });
  return actions;
}

export function planUninstall(input: {
  layout: Layout;
  targets: readonly Registration[];
  recorded: readonly Registration[];
  /** The host copies found under `layout.hostDir` (host-copy.ts `listHostCopies`). */
  hostCopies: readonly string[];
}): Action[] {
  const { layout, targets, recorded, hostCopies } = input;
  const actions: Action[] = [];
  for (const target of targets) {
    actions.push({
      kind: 'remove-file',
      path: target.manifestPath,
      recognise: 'host-manifest',
      what: `${target.browser} host manifest`,
    });
    if (target.registryKey) {
      actions.push({
        kind: 'registry-delete',
        key: target.registryKey,
        command: regCommands.delete(target.registryKey),
        what: `${target.browser} registry key`,
      });
    }
  }
  const removed = new Set(targets.map((t) => t.manifestPath));
  const remaining = recorded.filter((r) => !removed.has(r.manifestPath));
  if (remaining.length === 0) {
    // Nothing refers to the launcher any more.
    actions.push({ kind: 'remove-file', path: layout.launcherPath, recognise: 'launcher', what: 'launcher' });
    for (const version of hostCopies) actions.push(removeCopy(layout, version));
    actions.push({ kind: 'remove-dir-if-empty', path: layout.hostDir, what: 'host directory' });
    actions.push({
      kind: 'remove-file',
      path: layout.statePath,
      recognise: 'record',
      what: 'record of installed registrations',
    });
    actions.push({ kind: 'remove-dir-if-empty', path: layout.dataDir, what: 'data directory' });
  } else {
    actions.push({
      kind: 'write-file',
      path: layout.statePath,
      content: renderState(remaining),
      executable: false,
      what: 'record of installed registrations',
    });
  }
  return actions;
}

export interface AppliedAction {
  action: Action;
  /** `skipped`: nothing to do (a file to remove was not there). */
  outcome: 'done' | 'skipped' | 'failed';
  message?: string;
}

const RECOGNISERS: Record<Recognised, (text: string) => boolean> = {
  'host-manifest': isOurHostManifest,
  launcher: isOurLauncher,
  record: isOurRecord,
};

/**
 * Applies the actions in order. With `stopAtFirstFailure` (install), nothing is written after a
 * failure: a manifest must never point at a launcher that could not be written.
 */
export async function applyActions(
  actions: readonly Action[],
  registry: Registry,
  options: { stopAtFirstFailure?: boolean } = {},
): Promise<AppliedAction[]> {
  const applied: AppliedAction[] = [];
  for (const action of actions) {
    if (options.stopAtFirstFailure && applied.some((a) => a.outcome === 'failed')) {
      applied.push({ action, outcome: 'skipped', message: 'not attempted after the failure above' });
      continue;
    }
    try {
      applied.push({ action, outcome: await applyAction(action, registry) });
    } catch (err) {
      applied.push({ action, outcome: 'failed', message: err instanceof Error ? err.message : String(err) });
    }
  }
  return applied;
}

async function applyAction(action: Action, registry: Registry): Promise<'done' | 'skipped'> {
  switch (action.kind) {
    case 'write-file':
      await writeFileAtomically(action.path, action.content, action.executable ? EXECUTABLE_MODE : FILE_MODE);
      return 'done';
    case 'remove-file':
      return (await removeRecognisedFile(action.path, RECOGNISERS[action.recognise], action.what)) === 'removed'
        ? 'done'
        : 'skipped';
    case 'make-directory':
      await ensureDirectory(action.path);
      return 'done';
    case 'remove-host-copy':
      return (await removeHostCopy(action.layout, action.version)) === 'removed' ? 'done' : 'skipped';
    case 'remove-dir-if-empty':
      try {
        await rmdir(action.path);
        return 'done';
      } catch {
        return 'skipped'; // not empty or not there: leave it
      }
    case 'registry-set':
      await registry.setDefault(action.key, action.value);
      return 'done';
    case 'registry-delete':
      if ((await registry.getDefault(action.key)) === null) return 'skipped';
      await registry.deleteKey(action.key);
      return 'done';
  }
}
