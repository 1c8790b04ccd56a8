// Entry point the CLI calls for `install`, `uninstall` and `doctor`.
import type { CliIo } from '../io/terminal-io.js';
import { defaultContext, type InstallerContext } from './context.js';
import { runDoctor } from './doctor.js';
import { EXIT_USAGE, runInstall, runUninstall } from './install.js';
import { INSTALLER_USAGE, parseInstallerArgs } from './options.js';

export type InstallerCommand = 'install' | 'uninstall' | 'doctor';

export { INSTALLER_USAGE } from './options.js';
export type { InstallerContext } from './context.js';

/** Like {@link runInstallerCommand}, with everything it depends on supplied (tests: other OSes, fake registry). */
export async function runInstallerWith(
  command: InstallerCommand,
  args: readonly string[],
  io: CliIo,
  ctx: InstallerContext,
): Promise<number> {
  const parsed = parseInstallerArgs(args);
  if (!parsed.ok) {
    io.stderr(`staplecheck ${command}: ${parsed.message}\n\n${INSTALLER_USAGE}`);
    return EXIT_USAGE;
  }
  if (parsed.options.help) {
    io.stdout(INSTALLER_USAGE);
    return 0;
  }
  if (command === 'doctor' && parsed.options.extensionIds.length > 0) {
    io.stderr('staplecheck doctor: --extension-id applies to install only.\n');
    return EXIT_USAGE;
  }
  switch (command) {
    case 'install':
      return runInstall(ctx, parsed.options, io);
    case 'uninstall':
      return runUninstall(ctx, parsed.options, io);
    case 'doctor':
      return runDoctor(ctx, parsed.options, io);
  }
}

/**
 * `staplecheck install|uninstall|doctor ARGS`. Exit status: 0 done / healthy, 1 failed / unhealthy,
 * 3 bad usage. HOME (USERPROFILE on Windows), XDG_CONFIG_HOME, XDG_DATA_HOME, LOCALAPPDATA and
 * APPDATA are read from `io.env`.
 */
export async function runInstallerCommand(command: InstallerCommand, args: string[], io: CliIo): Promise<number> {
  const ctx = defaultContext(io);
  if (typeof ctx === 'string') {
    io.stderr(`staplecheck: ${ctx}\n`);
    return 1;
  }
  return runInstallerWith(command, args, io, ctx);
}
