// `staplecheck install` and `staplecheck uninstall` (docs/contract.md §5).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { CliIo } from '../io/terminal-io.js';
import { chromiumOrigin, FIREFOX_EXTENSION_ID, HOST_NAME } from '../protocol/extension-ids.js';
import { exists, type InstallerContext } from './context.js';
import { hostCopyDir, hostCopyEntry, isVersionName, listHostCopies } from './host-copy.js';
import { chromiumIds } from './host-manifest.js';
import {
  BROWSER_LABELS,
  computeLayout,
  familyOf,
  userDataDirRegistration,
  type Layout,
  type Registration,
} from './layout.js';
import type { InstallerOptions } from './options.js';
import { applyActions, planHostCopy, planInstall, planUninstall, readState, type AppliedAction } from './plan.js';

export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 3;

/** The registration for `--user-data-dir`, or why it cannot be. */
export function customRegistration(
  ctx: InstallerContext,
  options: InstallerOptions,
  cwd: string,
): { ok: true; registration: Registration } | { ok: false; message: string } {
  const dir = options.userDataDir;
  if (dir === null) return { ok: false, message: 'no --user-data-dir' };
  if (ctx.platform === 'win32') {
    return {
      ok: false,
      message:
        'On Windows browsers find hosts only through the registry; --user-data-dir has no effect there. Leave it out.',
    };
  }
  if (options.browsers.includes('firefox')) {
    return {
      ok: false,
      message:
        'Firefox reads host manifests only from ~/.mozilla/native-messaging-hosts; --user-data-dir is for the Chromium family.',
    };
  }
  const browser = options.browsers.find((b) => familyOf(b) === 'chromium') ?? 'chromium';
  return { ok: true, registration: userDataDirRegistration(ctx.platform, resolve(cwd, dir), browser) };
}

function pad(text: string, width: number): string {
  return text.length >= width ? `${text} ` : text + ' '.repeat(width - text.length);
}

function label(r: Registration): string {
  return r.custom ? `${BROWSER_LABELS[r.browser]} (--user-data-dir)` : BROWSER_LABELS[r.browser];
}

function reportFailures(applied: readonly AppliedAction[], io: CliIo): boolean {
  const failed = applied.filter((a) => a.outcome === 'failed');
  for (const f of failed) {
    const where = 'path' in f.action ? f.action.path : f.action.key;
    const verb =
      f.action.kind === 'remove-file' || f.action.kind === 'remove-host-copy' || f.action.kind === 'registry-delete'
        ? 'remove'
        : 'write';
    io.stderr(`staplecheck: could not ${verb} the ${f.action.what} (${where}): ${f.message ?? 'unknown error'}\n`);
  }
  return failed.length === 0;
}

export async function runInstall(ctx: InstallerContext, options: InstallerOptions, io: CliIo): Promise<number> {
  const layout = computeLayout(ctx.platform, ctx.home, ctx.env);
  let targets: Registration[];
  if (options.userDataDir !== null) {
    const custom = customRegistration(ctx, options, io.cwd);
    if (!custom.ok) {
      io.stderr(`staplecheck: ${custom.message}\n`);
      return EXIT_USAGE;
    }
    targets = [custom.registration];
  } else if (options.browsers.length > 0) {
    targets = layout.registrations.filter((r) => options.browsers.includes(r.browser));
  } else {
    targets = layout.registrations.filter((r) => exists(r.configDir) || (ctx.isProgramInstalled?.(r.browser) ?? false));
    if (targets.length === 0) {
      io.stderr(
        'staplecheck: found no supported browser for this user (looked for:\n' +
          layout.registrations.map((r) => `  ${r.configDir}\n`).join('') +
          'Start the browser once, or name it: staplecheck install --browser chrome (or all).\n' +
          'For a browser started with --user-data-dir DIR: staplecheck install --user-data-dir DIR\n',
      );
      return EXIT_FAILED;
    }
  }

  if (!exists(ctx.hostScript)) {
    io.stderr(`staplecheck: the host entry ${ctx.hostScript} is missing; reinstall Staple Check.\n`);
    return EXIT_FAILED;
  }
  // The launcher runs a copy of the built host, so there must be one to copy.
  if (!exists(ctx.builtHost)) {
    io.stderr(
      `staplecheck: the host is not built (${ctx.builtHost} is missing): run npm run build in ${ctx.packageRoot}, then install again.\n`,
    );
    return EXIT_FAILED;
  }
  if (!isVersionName(ctx.version)) {
    io.stderr(`staplecheck: this package's version ${JSON.stringify(ctx.version)} cannot name a directory.\n`);
    return EXIT_FAILED;
  }
  const source = {
    version: ctx.version,
    bin: await readFile(ctx.hostScript, 'utf8'),
    bundle: await readFile(ctx.builtHost, 'utf8'),
  };
  const copy = planHostCopy({ layout, source, installed: await listHostCopies(layout) });
  const hostEntry = hostCopyEntry(layout, ctx.version);
  const actions = [
    ...copy.before,
    ...planInstall({
      layout,
      targets,
      launcher: { nodePath: ctx.nodePath, hostScript: hostEntry, extraIds: options.extensionIds },
      recorded: await readState(layout),
    }),
    ...copy.after,
  ];
  const applied = await applyActions(actions, ctx.registry, { stopAtFirstFailure: true });
  const ok = reportFailures(applied, io);

  const written = new Set(
    applied.filter((a) => a.outcome === 'done').map((a) => ('path' in a.action ? a.action.path : '')),
  );
  const done = targets.filter((t) => written.has(t.manifestPath));
  if (done.length > 0) {
    io.stdout(`Registered the Staple Check host (${HOST_NAME}) for:\n`);
    for (const t of done) {
      io.stdout(
        `  ${pad(label(t), 30)}${t.manifestPath}${t.registryKey ? `\n  ${pad('', 30)}${t.registryKey}` : ''}\n`,
      );
    }
    io.stdout(`Host ${ctx.version} copied to ${hostCopyDir(layout, ctx.version)}\n`);
    io.stdout(`Launcher: ${layout.launcherPath}\n  runs ${ctx.nodePath} ${hostEntry}\n`);
    const removedCopies = applied.filter((a) => a.action.kind === 'remove-host-copy' && a.outcome === 'done');
    for (const a of removedCopies)
      io.stdout(`Removed the older ${a.action.what}: ${'path' in a.action ? a.action.path : ''}\n`);
    if (done.some((t) => t.family === 'chromium')) {
      io.stdout(
        `Allowed extensions (Chromium family): ${chromiumIds(options.extensionIds).map(chromiumOrigin).join(' ')}\n`,
      );
    }
    if (done.some((t) => t.family === 'firefox')) io.stdout(`Allowed add-on (Firefox): ${FIREFOX_EXTENSION_ID}\n`);
    io.stdout('Check it with: staplecheck doctor\n');
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}

function uninstallTargets(
  layout: Layout,
  options: InstallerOptions,
  recorded: readonly Registration[],
): Registration[] {
  if (options.browsers.length > 0) return layout.registrations.filter((r) => options.browsers.includes(r.browser));
  return [...layout.registrations, ...recorded.filter((r) => r.custom)];
}

export async function runUninstall(ctx: InstallerContext, options: InstallerOptions, io: CliIo): Promise<number> {
  const layout = computeLayout(ctx.platform, ctx.home, ctx.env);
  const recorded = await readState(layout);
  let targets: Registration[];
  if (options.userDataDir !== null) {
    const custom = customRegistration(ctx, options, io.cwd);
    if (!custom.ok) {
      io.stderr(`staplecheck: ${custom.message}\n`);
      return EXIT_USAGE;
    }
    targets = [custom.registration];
  } else {
    targets = uninstallTargets(layout, options, recorded);
  }
  // Registry keys are deleted only where one was set; a file that is not there is skipped.
  const hostCopies = await listHostCopies(layout);
  const applied = await applyActions(planUninstall({ layout, targets, recorded, hostCopies }), ctx.registry);
  const ok = reportFailures(applied, io);
  const removed = applied.filter((a) => a.outcome === 'done' && a.action.kind !== 'write-file');
  if (removed.length === 0) {
    io.stdout('Nothing to remove: the Staple Check host was not registered there.\n');
  } else {
    io.stdout('Removed:\n');
    for (const a of removed)
      io.stdout(`  ${pad(a.action.what, 36)}${'path' in a.action ? a.action.path : a.action.key}\n`);
  }
  return ok ? EXIT_OK : EXIT_FAILED;
}
