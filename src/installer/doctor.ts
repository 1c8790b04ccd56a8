// `staplecheck doctor`: is the host registered where each browser looks, would the browser accept
// the registration, and does the host answer when started the way a browser starts it?
import { constants } from 'node:fs';
import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { CliIo } from '../io/terminal-io.js';
import { chromiumOrigin, CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../protocol/extension-ids.js';
import { exists, type InstallerContext } from './context.js';
import { hostCopyDir, listHostCopies } from './host-copy.js';
import { assessHostManifest } from './host-manifest.js';
import { customRegistration, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './install.js';
import { quoteForShell } from './launcher.js';
import { BROWSER_LABELS, computeLayout, type Platform, type Registration } from './layout.js';
import type { InstallerOptions } from './options.js';
import { browserLikeEnv, pingHost } from './ping-host.js';
import { readState } from './plan.js';

type Status = 'healthy' | 'broken' | 'version-mismatch' | 'not-registered' | 'not-installed';

interface Finding {
  registration: Registration;
  status: Status;
  lines: string[];
  fixes: string[];
}

// Fix lines are for pasting into a shell, and a profile path may contain anything (`$(…)`,
// quotes, backticks): every path is quoted for the user's shell, and explanations follow `#`,
// which sh and PowerShell both read as a comment.
function installCommand(platform: Platform, r: Registration): string {
  return r.custom
    ? `staplecheck install --user-data-dir ${quoteForShell(platform, r.configDir)}`
    : `staplecheck install --browser ${r.browser}`;
}

function buildCommand(platform: Platform, packageRoot: string): string {
  return platform === 'win32'
    ? `Set-Location -LiteralPath ${quoteForShell(platform, packageRoot)}; npm run build`
    : `cd ${quoteForShell(platform, packageRoot)} && npm run build`;
}

/** The arguments a browser passes: Chromium the origin; Firefox the manifest path and add-on ID. */
function callerArgs(r: Registration, manifestPath: string): string[] {
  return r.family === 'firefox' ? [manifestPath, FIREFOX_EXTENSION_ID] : [chromiumOrigin(CHROMIUM_EXTENSION_ID)];
}

/**
 * The version of the extension this package ships for the family (dist/chrome or dist/firefox, built
 * from manifest.json with package.json's version, scripts/extension-manifest.ts); null when there is
 * none to read (a package without a built extension).
 */
async function shippedExtensionVersion(packageRoot: string, r: Registration): Promise<string | null> {
  const dir = r.family === 'firefox' ? 'firefox' : 'chrome';
  for (const path of [join(packageRoot, 'dist', dir, 'manifest.json'), join(packageRoot, 'manifest.json')]) {
    const text = await readFile(path, 'utf8').catch(() => null);
    if (text === null) continue;
    try {
      const version = (JSON.parse(text) as { version?: unknown }).version;
      if (typeof version === 'string') return version;
    } catch {
      // Not JSON: try the next place.
    }
  }
  return null;
}

async function isExecutable(path: string, platform: InstallerContext['platform']): Promise<boolean> {
  try {
    await access(path, platform === 'win32' ? constants.F_OK : constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

async function examine(ctx: InstallerContext, r: Registration): Promise<Finding> {
  const finding: Finding = { registration: r, status: 'healthy', lines: [], fixes: [] };
  const found = exists(r.configDir);
  let manifestPath = r.manifestPath;
  if (r.registryKey) {
    const value = await ctx.registry.getDefault(r.registryKey);
    if (value === null) {
      finding.status = found ? 'not-registered' : 'not-installed';
      finding.lines.push(found ? `no registry key ${r.registryKey}` : `no ${r.configDir}`);
      if (found) finding.fixes.push(installCommand(ctx.platform, r));
      return finding;
    }
    manifestPath = value;
    finding.lines.push(`registry ${r.registryKey} → ${value}`);
  }
  const text = await readFile(manifestPath, 'utf8').catch(() => null);
  if (text === null) {
    if (r.registryKey) {
      finding.status = 'broken';
      finding.lines.push(`the registry names ${manifestPath}, which cannot be read`);
      finding.fixes.push(installCommand(ctx.platform, r));
    } else if (r.custom && !found) {
      finding.status = 'not-installed';
      finding.lines.push(`profile directory ${r.configDir} is gone`);
      finding.fixes.push(
        `staplecheck uninstall --user-data-dir ${quoteForShell(ctx.platform, r.configDir)}  # to forget it`,
      );
    } else if (found || r.custom) {
      finding.status = r.custom ? 'broken' : 'not-registered';
      finding.lines.push(`no host manifest at ${manifestPath}`);
      finding.fixes.push(installCommand(ctx.platform, r));
    } else {
      finding.status = 'not-installed';
      finding.lines.push(`no ${r.configDir}`);
    }
    return finding;
  }
  finding.lines.push(`manifest ${manifestPath}`);
  const assessment = assessHostManifest(text, r.family, ctx.platform);
  const problems = [...assessment.problems];
  if (assessment.path && problems.every((p) => !p.startsWith('"path"'))) {
    if (!exists(assessment.path)) problems.push(`"path" ${assessment.path} does not exist`);
    else if (!(await isExecutable(assessment.path, ctx.platform)))
      problems.push(`"path" ${assessment.path} is not executable`);
  }
  if (problems.length > 0) {
    finding.status = 'broken';
    finding.lines.push(...problems.map((p) => `problem: ${p}`));
    finding.fixes.push(installCommand(ctx.platform, r));
    return finding;
  }
  const launcher = assessment.path as string;
  const ping = await pingHost({
    launcherPath: launcher,
    args: callerArgs(r, manifestPath),
    platform: ctx.platform,
    env: browserLikeEnv(ctx.platform, ctx.env),
    timeoutMs: ctx.pingTimeoutMs,
  });
  if (ping.ok) {
    finding.lines.push(
      `host ${launcher} answered: version ${ping.version} (${ping.elapsedMs} ms, started as the browser would)`,
    );
    // The host runs its own copy (docs/install-layout.md), which stays at the version last
    // installed while npm updates the package and the store updates the extension.
    const extension = await shippedExtensionVersion(ctx.packageRoot, r);
    if (extension !== null && ping.version !== extension) {
      finding.status = 'version-mismatch';
      finding.lines.push(
        `problem: the host is version ${ping.version}, the extension this package ships is version ${extension}`,
      );
      finding.fixes.push(
        `${installCommand(ctx.platform, r)}  # copies host ${ctx.version} and points the launcher at it`,
      );
    }
  } else {
    finding.status = 'broken';
    finding.lines.push(`problem: host ${launcher} started as the browser would, but ${ping.message}`);
    for (const line of ping.stderr.split('\n').filter(Boolean).slice(0, 8))
      finding.lines.push(`  host stderr: ${line}`);
    if (!exists(ctx.builtHost))
      finding.fixes.push(`${buildCommand(ctx.platform, ctx.packageRoot)}  # the built host is missing`);
    finding.fixes.push(`${installCommand(ctx.platform, r)}  # rewrites the launcher for the Node running it`);
  }
  return finding;
}

const STATUS_WORD: Record<Status, string> = {
  healthy: 'ok',
  broken: 'BROKEN',
  'version-mismatch': 'VERSION MISMATCH',
  'not-registered': 'not registered',
  'not-installed': 'not installed',
};

export async function runDoctor(ctx: InstallerContext, options: InstallerOptions, io: CliIo): Promise<number> {
  const layout = computeLayout(ctx.platform, ctx.home, ctx.env);
  let candidates: Registration[];
  if (options.userDataDir !== null) {
    const custom = customRegistration(ctx, options, io.cwd);
    if (!custom.ok) {
      io.stderr(`staplecheck: ${custom.message}\n`);
      return EXIT_USAGE;
    }
    candidates = [custom.registration];
  } else {
    const recorded = (await readState(layout)).filter((r) => r.custom);
    candidates = [...layout.registrations, ...recorded];
    if (options.browsers.length > 0) candidates = candidates.filter((r) => options.browsers.includes(r.browser));
  }

  const findings: Finding[] = [];
  for (const r of candidates) findings.push(await examine(ctx, r));

  for (const f of findings) {
    const name = `${BROWSER_LABELS[f.registration.browser]}${f.registration.custom ? ` (--user-data-dir ${f.registration.configDir})` : ''}`;
    io.stdout(`${name}: ${STATUS_WORD[f.status]}\n`);
    for (const line of f.lines) io.stdout(`    ${line}\n`);
    for (const fix of f.fixes) io.stdout(`    fix: ${fix}\n`);
  }
  const copies = await listHostCopies(layout).catch(() => []);
  io.stdout(
    copies.length > 0
      ? `\nHost copies (docs/install-layout.md): ${copies.map((v) => hostCopyDir(layout, v)).join(', ')}\n`
      : `\nNo host copy in ${layout.hostDir}: staplecheck install makes one.\n`,
  );
  const registered = findings.filter(
    (f) => f.status === 'healthy' || f.status === 'broken' || f.status === 'version-mismatch',
  );
  const broken = findings.filter((f) => f.status === 'broken' || f.status === 'version-mismatch');
  if (registered.length === 0) {
    io.stdout('\nThe host is not registered for any browser. Fix: staplecheck install\n');
    return EXIT_FAILED;
  }
  if (broken.length > 0) {
    io.stdout(`\n${broken.length} of ${registered.length} registrations have problems; see "fix:" above.\n`);
    return EXIT_FAILED;
  }
  io.stdout(`\nAll ${registered.length} registrations are healthy.\n`);
  return EXIT_OK;
}
