// Issue 8 item 2: the installer run in a home directory someone else prepared. Symbolic links
// planted where it writes, `umask 000`, a planted install record naming other files, and a profile
// path made to run a command when `doctor`'s fix line is pasted. Everything in temporary HOMEs.
import { execFileSync, spawnSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/io/terminal-io.js';
import { runInstallerCommand } from '../../src/installer/command.js';
import { quoteForShell } from '../../src/installer/launcher.js';
import { assertBuilt, ROOT, tempDir } from '../host/host-harness.js';

const MANIFEST = 'dev.staplecheck.host.json';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const dirs: Array<{ remove: () => void }> = [];

interface Home {
  home: string;
  dataDir: string;
  launcher: string;
  record: string;
  chromiumManifest: string;
  run: (
    command: 'install' | 'uninstall' | 'doctor',
    args?: string[],
  ) => Promise<{ status: number; out: string; err: string }>;
}

function newHome(): Home {
  const dir = tempDir('hostile');
  dirs.push(dir);
  const home = dir.path;
  const dataDir = join(home, '.local', 'share', 'staplecheck');
  return {
    home,
    dataDir,
    launcher: join(dataDir, 'staplecheck-host'),
    record: join(dataDir, 'registrations.json'),
    chromiumManifest: join(home, '.config', 'chromium', 'NativeMessagingHosts', MANIFEST),
    run: async (command, args = []) => {
      let out = '';
      let err = '';
      const io: CliIo = {
        stdout: (t) => void (out += t),
        stderr: (t) => void (err += t),
        isTTY: false,
        env: { HOME: home },
        cwd: home,
      };
      const status = await runInstallerCommand(command, args, io);
      return { status, out, err };
    },
  };
}

/** A file the attacker wants overwritten: private, with content that must survive. */
function plantVictim(dir: string, name = 'victim'): { path: string; intact: () => void } {
  const path = join(dir, name);
  writeFileSync(path, 'secret\n', { mode: 0o600 });
  return {
    path,
    intact: () => {
      expect(readFileSync(path, 'utf8')).toBe('secret\n');
      expect(statSync(path).mode & 0o777).toBe(0o600);
    },
  };
}

beforeAll(() => assertBuilt());
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe('install refuses symbolic links and non-files where it writes', () => {
  it('a symbolic link at the host manifest: refused, the linked file untouched', async () => {
    const h = newHome();
    const victim = plantVictim(h.home);
    mkdirSync(join(h.home, '.config', 'chromium', 'NativeMessagingHosts'), { recursive: true });
    symlinkSync(victim.path, h.chromiumManifest);
    const r = await h.run('install', ['--browser', 'chromium']);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/refusing to write .*dev\.staplecheck\.host\.json: it is a symbolic link/);
    victim.intact();
    expect(lstatSync(h.chromiumManifest).isSymbolicLink()).toBe(true);
  });

  it('a symbolic link at the launcher: refused, and no manifest points at it', async () => {
    const h = newHome();
    const victim = plantVictim(h.home);
    mkdirSync(h.dataDir, { recursive: true });
    symlinkSync(victim.path, h.launcher);
    const r = await h.run('install', ['--browser', 'chromium']);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/refusing to write .*staplecheck-host: it is a symbolic link/);
    victim.intact();
    expect(existsSync(h.chromiumManifest)).toBe(false);
  });

  it('a symbolic link at the install record: refused, the linked file untouched', async () => {
    const h = newHome();
    const victim = plantVictim(h.home);
    mkdirSync(h.dataDir, { recursive: true });
    symlinkSync(victim.path, h.record);
    const r = await h.run('install', ['--browser', 'chromium']);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/refusing to write .*registrations\.json: it is a symbolic link/);
    victim.intact();
  });

  it('<profile>/NativeMessagingHosts as a symbolic link to another directory: refused, nothing written there', async () => {
    const h = newHome();
    const elsewhere = join(h.home, 'elsewhere');
    mkdirSync(elsewhere);
    mkdirSync(join(h.home, '.config', 'chromium'), { recursive: true });
    symlinkSync(elsewhere, join(h.home, '.config', 'chromium', 'NativeMessagingHosts'));
    const r = await h.run('install', ['--browser', 'chromium']);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/refusing to write into .*NativeMessagingHosts: it is a symbolic link/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it.each(['host', `host/${VERSION}`, `host/${VERSION}/build`])(
    'a symbolic link at the host copy’s %s directory: refused, nothing written through it, nothing registered',
    async (linked) => {
      const h = newHome();
      const elsewhere = join(h.home, 'elsewhere');
      mkdirSync(elsewhere);
      mkdirSync(dirname(join(h.dataDir, linked)), { recursive: true });
      symlinkSync(elsewhere, join(h.dataDir, linked));
      const r = await h.run('install', ['--browser', 'chromium']);
      expect(r.status).toBe(1);
      expect(r.err).toMatch(/refusing to write into .*: it is a symbolic link/);
      expect(readdirSync(elsewhere)).toEqual([]);
      expect(existsSync(h.chromiumManifest)).toBe(false);
      expect(existsSync(h.launcher)).toBe(false);
    },
  );

  it('a directory where the manifest goes: refused with a clear message', async () => {
    const h = newHome();
    mkdirSync(h.chromiumManifest, { recursive: true });
    const r = await h.run('install', ['--browser', 'chromium']);
    expect(r.status).toBe(1);
    expect(r.err).toMatch(/refusing to write .*dev\.staplecheck\.host\.json: it is a directory/);
  });

  it('an existing regular manifest is replaced by rename, leaving no temporary files', async () => {
    const h = newHome();
    expect((await h.run('install', ['--browser', 'chromium'])).status).toBe(0);
    writeFileSync(h.chromiumManifest, '{ old }');
    expect((await h.run('install', ['--browser', 'chromium'])).status).toBe(0);
    expect(JSON.parse(readFileSync(h.chromiumManifest, 'utf8'))).toMatchObject({ name: 'dev.staplecheck.host' });
    expect(readdirSync(join(h.home, '.config', 'chromium', 'NativeMessagingHosts'))).toEqual([MANIFEST]);
    expect(readdirSync(h.dataDir).sort()).toEqual(['host', 'registrations.json', 'staplecheck-host']);
    expect(readdirSync(join(h.dataDir, 'host'), { recursive: true }).filter((f) => String(f).includes('.tmp'))).toEqual(
      [],
    );
  });
});

describe('install under umask 000 (a real child process)', () => {
  it('creates no world- or group-writable directory or file', () => {
    const h = newHome();
    const cli = join(ROOT, 'bin', 'staplecheck.js');
    const run = spawnSync(
      '/bin/sh',
      ['-c', 'umask 000 && exec "$0" "$1" install --browser chromium,firefox', process.execPath, cli],
      {
        env: { HOME: h.home, PATH: process.env.PATH ?? '' },
        encoding: 'utf8',
      },
    );
    expect(run.status, run.stderr).toBe(0);
    const modes: Record<string, number> = {};
    const walk = (dir: string): void => {
      for (const name of readdirSync(dir)) {
        const path = join(dir, name);
        const stats = lstatSync(path);
        modes[path.slice(h.home.length)] = stats.mode & 0o777;
        if (stats.isDirectory()) walk(path);
      }
    };
    walk(h.home);
    for (const [path, mode] of Object.entries(modes)) {
      expect(mode & 0o022, `${path} is ${mode.toString(8)}`).toBe(0);
    }
    expect(modes['/.local/share/staplecheck']).toBe(0o755);
    expect(modes['/.local/share/staplecheck/staplecheck-host']).toBe(0o755);
    expect(modes['/.config/chromium/NativeMessagingHosts']).toBe(0o755);
    expect(modes[`/.config/chromium/NativeMessagingHosts/${MANIFEST}`]).toBe(0o644);
    expect(modes[`/.mozilla/native-messaging-hosts/${MANIFEST}`]).toBe(0o644);
    expect(modes['/.local/share/staplecheck/registrations.json']).toBe(0o644);
    const copy = Object.keys(modes).find((path) => path.endsWith('/bin/staplecheck-host.js'));
    expect(copy).toMatch(/^\/\.local\/share\/staplecheck\/host\/[^/]+\/bin\/staplecheck-host\.js$/);
    expect(modes[copy!]).toBe(0o755);
    expect(modes[copy!.replace('/bin/', '/build/node/')]).toBe(0o644);
    expect(modes[copy!.replace('/bin/staplecheck-host.js', '/package.json')]).toBe(0o644);
  });
});

describe('uninstall removes only files it recognises by name and content', () => {
  it('a planted install record naming arbitrary paths deletes nothing else', async () => {
    const h = newHome();
    const victims = [plantVictim(h.home, 'id_rsa'), plantVictim(h.home, 'notes.txt')];
    // A path of the right shape, holding someone else's file.
    const foreignProfile = join(h.home, 'foreign-profile');
    const foreignManifest = join(foreignProfile, 'NativeMessagingHosts', MANIFEST);
    mkdirSync(join(foreignProfile, 'NativeMessagingHosts'), { recursive: true });
    writeFileSync(foreignManifest, '{"name":"com.example.other","type":"stdio"}');
    mkdirSync(h.dataDir, { recursive: true });
    writeFileSync(h.launcher, '#!/bin/sh\necho "my own script, not the launcher"\n', { mode: 0o755 });
    writeFileSync(
      h.record,
      JSON.stringify({
        version: 1,
        registrations: [
          { browser: 'chromium', family: 'chromium', custom: true, configDir: h.home, manifestPath: victims[0]?.path },
          { browser: 'chrome', family: 'chromium', custom: false, configDir: h.home, manifestPath: victims[1]?.path },
          {
            browser: 'chromium',
            family: 'chromium',
            custom: true,
            configDir: foreignProfile,
            manifestPath: foreignManifest,
          },
        ],
      }),
    );
    const r = await h.run('uninstall');
    for (const victim of victims) victim.intact();
    expect(readFileSync(foreignManifest, 'utf8')).toContain('com.example.other');
    expect(readFileSync(h.launcher, 'utf8')).toContain('my own script');
    expect(r.err).toMatch(/left .*foreign-profile.* alone: its content is not the chromium host manifest/);
    expect(r.err).toMatch(/left .*staplecheck-host alone: its content is not the launcher/);
    expect(r.status).toBe(1);
  });

  it('a symbolic link at a manifest path is left alone, not followed or removed', async () => {
    const h = newHome();
    expect((await h.run('install', ['--browser', 'chromium,firefox'])).status).toBe(0);
    const victim = plantVictim(h.home);
    rmSync(h.chromiumManifest);
    symlinkSync(victim.path, h.chromiumManifest);
    const r = await h.run('uninstall');
    expect(r.err).toMatch(/left .* alone: it is a symbolic link/);
    victim.intact();
    expect(lstatSync(h.chromiumManifest).isSymbolicLink()).toBe(true);
    expect(existsSync(join(h.home, '.mozilla', 'native-messaging-hosts', MANIFEST))).toBe(false);
  });
});

describe("doctor's fix lines are quoted for the shell they are pasted into", () => {
  it('a profile path containing $(…), backticks and quotes: pasting the fix runs nothing', async () => {
    const h = newHome();
    const profile = join(h.home, `p $(touch pwned-dollar) \`touch pwned-tick\` 'q' "d" ;touch pwned-semi`);
    mkdirSync(profile);
    expect((await h.run('install', ['--user-data-dir', profile])).status).toBe(0);
    rmSync(join(profile, 'NativeMessagingHosts', MANIFEST));
    const broken = await h.run('doctor');
    rmSync(profile, { recursive: true });
    const gone = await h.run('doctor');
    const fixes = [broken.out, gone.out].flatMap((out) =>
      out
        .split('\n')
        .filter((line) => line.trim().startsWith('fix: staplecheck') && line.includes('--user-data-dir'))
        .map((line) => line.trim().slice('fix: '.length)),
    );
    expect(fixes).toHaveLength(2);
    const sandbox = tempDir('paste');
    dirs.push(sandbox);
    for (const fix of fixes) {
      // Paste the line into sh, with `staplecheck` standing in as a function that prints its arguments.
      const printed = execFileSync('/bin/sh', ['-c', `staplecheck() { printf '%s\\n' "$@"; }\n${fix}`], {
        cwd: sandbox.path,
        encoding: 'utf8',
      });
      expect(printed.split('\n')).toContain(profile);
    }
    expect(readdirSync(sandbox.path)).toEqual([]);
    expect(readdirSync(h.home).filter((n) => n.startsWith('pwned'))).toEqual([]);
  });

  it('Windows: PowerShell single quotes, the quote itself doubled', () => {
    expect(quoteForShell('win32', "C:\\Users\\o'brien\\$(calc) `x` %TEMP%")).toBe(
      "'C:\\Users\\o''brien\\$(calc) `x` %TEMP%'",
    );
    expect(quoteForShell('win32', 'C:\\a\u2019b')).toBe("'C:\\a\u2019\u2019b'");
    expect(quoteForShell('linux', "/p/it's $(x)")).toBe("'/p/it'\\''s $(x)'");
  });
});
