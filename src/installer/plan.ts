// What `install` and `uninstall` change, as a list of actions computed without touching anything
// (so the Windows and macOS plans are tested here too), then applied.
import { chmod, mkdir, readFile, rm, rmdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { buildHostManifest, renderHostManifest } from './host-manifest.js';
import { renderLauncher, type LauncherSpec } from './launcher.js';
import type { Layout, Registration } from './layout.js';
import { isBrowserName } from './layout.js';
import { regCommands, type Registry } from './registry.js';

export type Action =
  | { kind: 'write-file'; path: string; content: string; executable: boolean; what: string }
  | { kind: 'remove-file'; path: string; what: string }
  | { kind: 'remove-dir-if-empty'; path: string; what: string }
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

export async function readState(layout: Layout): Promise<Registration[]> {
  return parseState(await readFile(layout.statePath, 'utf8').catch(() => null));
}

function mergeRegistrations(a: readonly Registration[], b: readonly Registration[]): Registration[] {
  const byPath = new Map<string, Registration>();
  for (const r of [...a, ...b]) byPath.set(r.manifestPath, r);
  return [...byPath.values()];
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
}): Action[] {
  const { layout, targets, recorded } = input;
  const actions: Action[] = [];
  for (const target of targets) {
    actions.push({ kind: 'remove-file', path: target.manifestPath, what: `${target.browser} host manifest` });
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
    actions.push({ kind: 'remove-file', path: layout.launcherPath, what: 'launcher' });
    actions.push({ kind: 'remove-file', path: layout.statePath, what: 'record of installed registrations' });
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

export async function applyActions(actions: readonly Action[], registry: Registry): Promise<AppliedAction[]> {
  const applied: AppliedAction[] = [];
  for (const action of actions) {
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
      await mkdir(dirname(action.path), { recursive: true });
      await writeFile(action.path, action.content, { mode: action.executable ? 0o755 : 0o644 });
      // writeFile's mode applies only to new files; an existing launcher must become executable too.
      if (action.executable) await chmod(action.path, 0o755);
      return 'done';
    case 'remove-file':
      try {
        await rm(action.path);
        return 'done';
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return 'skipped';
        throw err;
      }
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
