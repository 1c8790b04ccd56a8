// `staplecheck install / uninstall / doctor` for real, into a temporary HOME, then the registered
// launcher started the way a browser starts it: bare PATH (no node on it), the origin argument.
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../../src/io/terminal-io.js';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import { runInstallerCommand, runInstallerWith, type InstallerContext } from '../../src/installer/command.js';
import { defaultContext } from '../../src/installer/context.js';
import type { Registry } from '../../src/installer/registry.js';
import { assertBuilt, HostProcess, HOST_BIN, ROOT, tempDir } from '../host/host-harness.js';

const MANIFEST = 'dev.staplecheck.host.json';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const BUNDLE = join(ROOT, 'build', 'node', 'staplecheck-host.js');
const OUR_ORIGIN = `chrome-extension://${CHROMIUM_EXTENSION_ID}/`;

interface Captured {
  io: CliIo;
  out: () => string;
  err: () => string;
}

function captureIo(env: Record<string, string>, cwd: string): Captured {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t) => void (out += t), stderr: (t) => void (err += t), isTTY: false, env, cwd },
    out: () => out,
    err: () => err,
  };
}

const dirs: Array<{ remove: () => void }> = [];
function home(): {
  home: string;
  run: (
    command: 'install' | 'uninstall' | 'doctor',
    args?: string[],
    extraEnv?: Record<string, string>,
  ) => Promise<Captured & { status: number }>;
} {
  const dir = tempDir('home');
  dirs.push(dir);
  return {
    home: dir.path,
    run: async (command, args = [], extraEnv = {}) => {
      const captured = captureIo({ HOME: dir.path, ...extraEnv }, dir.path);
      const status = await runInstallerCommand(command, args, captured.io);
      return { ...captured, status };
    },
  };
}

/** Start the registered host as a browser would and ping it. */
async function pingLike(
  launcher: string,
  args: string[],
): Promise<{ answer: unknown; exit: number | null; stderr: string }> {
  const host = HostProcess.start({ command: launcher, args, env: { PATH: '/nonexistent' } });
  try {
    host.request({ id: 'browser', type: 'ping' });
    const answer = await host.answerFor('browser', 15_000);
    host.end();
    return { answer, exit: (await host.exited).code, stderr: host.stderr };
  } finally {
    host.kill();
  }
}

function readJson(path: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

beforeAll(() => assertBuilt());
afterEach(() => {
  for (const d of dirs.splice(0)) d.remove();
});

describe('staplecheck install on Linux', () => {
  it('says so when no browser is found, and how to name one', async () => {
    const dir = tempDir('home');
    dirs.push(dir);
    const r = captureIo({ HOME: dir.path }, dir.path);
    const ctx = defaultContext(r.io);
    if (typeof ctx === 'string') throw new Error(ctx);
    // This machine has Chromium and Firefox installed system-wide; pretend it has none.
    const status = await runInstallerWith('install', [], r.io, { ...ctx, isProgramInstalled: () => false });
    expect(status).toBe(1);
    expect(r.err()).toMatch(/found no supported browser/);
    expect(r.err()).toMatch(/--browser/);
  });

  it('registers a browser that is installed but was never started (no profile yet)', async () => {
    const h = home();
    const r = captureIo({ HOME: h.home }, h.home);
    const ctx = defaultContext(r.io);
    if (typeof ctx === 'string') throw new Error(ctx);
    const status = await runInstallerWith('install', [], r.io, {
      ...ctx,
      isProgramInstalled: (browser) => browser === 'chromium',
    });
    expect(status).toBe(0);
    expect(r.out()).toMatch(/Chromium/);
    expect(r.out()).not.toMatch(/Firefox/);
  });

  it('registers every browser found, with a launcher that works without node on PATH', async () => {
    const h = home();
    mkdirSync(join(h.home, '.config', 'chromium'), { recursive: true });
    mkdirSync(join(h.home, '.mozilla'), { recursive: true });
    const r = await h.run('install');
    expect(r.err()).toBe('');
    expect(r.status).toBe(0);
    expect(r.out()).toMatch(/Chromium/);
    expect(r.out()).toMatch(/Firefox/);

    const launcher = join(h.home, '.local', 'share', 'staplecheck', 'staplecheck-host');
    const chromium = readJson(join(h.home, '.config', 'chromium', 'NativeMessagingHosts', MANIFEST));
    expect(chromium).toEqual({
      name: 'dev.staplecheck.host',
      description: expect.any(String) as unknown,
      path: launcher,
      type: 'stdio',
      allowed_origins: [OUR_ORIGIN],
    });
    const firefox = readJson(join(h.home, '.mozilla', 'native-messaging-hosts', MANIFEST));
    expect(firefox).toMatchObject({ path: launcher, type: 'stdio', allowed_extensions: [FIREFOX_EXTENSION_ID] });
    expect(firefox).not.toHaveProperty('allowed_origins');
    // Browsers not found are left alone.
    expect(existsSync(join(h.home, '.config', 'google-chrome'))).toBe(false);

    expect(statSync(launcher).mode & 0o111).toBe(0o111);
    const script = readFileSync(launcher, 'utf8');
    expect(script).toContain(process.execPath);
    // The launcher runs the copy in the data directory, not the package (docs/install-layout.md).
    const copy = join(h.home, '.local', 'share', 'staplecheck', 'host', VERSION);
    expect(script).toContain(join(copy, 'bin', 'staplecheck-host.js'));
    expect(script).not.toContain(HOST_BIN);
    expect(readFileSync(join(copy, 'build', 'node', 'staplecheck-host.js'))).toEqual(readFileSync(BUNDLE));
    expect(readJson(join(copy, 'package.json'))).toMatchObject({
      name: 'staplecheck',
      version: VERSION,
      type: 'commonjs',
    });

    const viaChromium = await pingLike(launcher, [OUR_ORIGIN]);
    expect(viaChromium.answer).toMatchObject({
      id: 'browser',
      ok: true,
      result: { version: expect.any(String) as unknown },
    });
    expect(viaChromium.exit).toBe(0);
    const viaFirefox = await pingLike(launcher, [
      join(h.home, '.mozilla', 'native-messaging-hosts', MANIFEST),
      FIREFOX_EXTENSION_ID,
    ]);
    expect(viaFirefox.answer).toMatchObject({ ok: true });
  });

  it('the registered host refuses another extension', async () => {
    const h = home();
    await h.run('install', ['--browser', 'chrome']);
    const launcher = join(h.home, '.local', 'share', 'staplecheck', 'staplecheck-host');
    const host = HostProcess.start({
      command: launcher,
      args: [`chrome-extension://${'e'.repeat(32)}/`],
      env: { PATH: '/nonexistent' },
    });
    const exit = await host.exited;
    expect(exit.code).not.toBe(0);
    expect(host.stdout.length).toBe(0);
    expect(host.stderr).toMatch(/refusing/);
  });

  it('--browser all registers all six, found or not', async () => {
    const h = home();
    const r = await h.run('install', ['--browser', 'all']);
    expect(r.status).toBe(0);
    for (const dir of ['google-chrome', 'chromium', 'microsoft-edge', 'BraveSoftware/Brave-Browser', 'vivaldi']) {
      expect(readJson(join(h.home, '.config', dir, 'NativeMessagingHosts', MANIFEST)).allowed_origins).toEqual([
        OUR_ORIGIN,
      ]);
    }
    expect(existsSync(join(h.home, '.mozilla', 'native-messaging-hosts', MANIFEST))).toBe(true);
  });

  it('honours XDG_CONFIG_HOME and XDG_DATA_HOME', async () => {
    const h = home();
    const r = await h.run('install', ['--browser', 'brave'], {
      XDG_CONFIG_HOME: join(h.home, 'cfg'),
      XDG_DATA_HOME: join(h.home, 'data'),
    });
    expect(r.status).toBe(0);
    const manifest = readJson(join(h.home, 'cfg', 'BraveSoftware', 'Brave-Browser', 'NativeMessagingHosts', MANIFEST));
    expect(manifest.path).toBe(join(h.home, 'data', 'staplecheck', 'staplecheck-host'));
  });

  it('--user-data-dir DIR writes DIR/NativeMessagingHosts (relative DIR from the working directory)', async () => {
    const h = home();
    mkdirSync(join(h.home, 'profile'));
    const r = await h.run('install', ['--user-data-dir', 'profile']);
    expect(r.status).toBe(0);
    const manifest = readJson(join(h.home, 'profile', 'NativeMessagingHosts', MANIFEST));
    expect(manifest.allowed_origins).toEqual([OUR_ORIGIN]);
    expect((await pingLike(manifest.path as string, [OUR_ORIGIN])).answer).toMatchObject({ ok: true });
    const doctor = await h.run('doctor', ['--user-data-dir', join(h.home, 'profile')]);
    expect(doctor.out()).toMatch(/: ok/);
    expect(doctor.status).toBe(0);
    expect((await h.run('install', ['--user-data-dir', 'profile', '--browser', 'firefox'])).status).toBe(3);
  });

  it('--extension-id adds a store ID to allowed_origins and to what the host accepts', async () => {
    const h = home();
    const storeId = 'f'.repeat(32);
    const r = await h.run('install', ['--browser', 'chrome', '--extension-id', storeId]);
    expect(r.status).toBe(0);
    const manifest = readJson(join(h.home, '.config', 'google-chrome', 'NativeMessagingHosts', MANIFEST));
    expect(manifest.allowed_origins).toEqual([OUR_ORIGIN, `chrome-extension://${storeId}/`]);
    expect((await pingLike(manifest.path as string, [`chrome-extension://${storeId}/`])).answer).toMatchObject({
      ok: true,
    });
    const bad = await h.run('install', ['--extension-id', 'not-an-id']);
    expect(bad.status).toBe(3);
    expect(bad.err()).toMatch(/32 letters a-p/);
  });

  it('doctor: healthy registrations, started like a browser', async () => {
    const h = home();
    mkdirSync(join(h.home, '.config', 'google-chrome'), { recursive: true });
    mkdirSync(join(h.home, '.mozilla'), { recursive: true });
    mkdirSync(join(h.home, '.config', 'vivaldi'), { recursive: true });
    await h.run('install', ['--browser', 'chrome,firefox']);
    const r = await h.run('doctor');
    expect(r.out()).toMatch(/Google Chrome: ok/);
    expect(r.out()).toMatch(/Firefox: ok/);
    expect(r.out()).toMatch(/answered: version \d+\.\d+\.\d+/);
    // Found but not registered is reported with its fix, and is not a failure.
    expect(r.out()).toMatch(/Vivaldi: not registered[\s\S]*fix: staplecheck install --browser vivaldi/);
    expect(r.out()).toMatch(/Microsoft Edge: not installed/);
    expect(r.status).toBe(0);
  });

  it('doctor: a host copy older than the extension this package ships is a version mismatch, with its fix', async () => {
    const h = home();
    await h.run('install', ['--browser', 'chromium']);
    const copy = join(h.home, '.local', 'share', 'staplecheck', 'host', VERSION);
    let r = await h.run('doctor', ['--browser', 'chromium']);
    expect(r.out()).toMatch(/Chromium: ok/);
    expect(r.out()).toContain(`Host copies (docs/install-layout.md): ${copy}`);
    // The host answers with its copy's version; make it an older one.
    const manifest = join(copy, 'package.json');
    writeFileSync(manifest, readFileSync(manifest, 'utf8').replace(`"version": "${VERSION}"`, '"version": "0.0.1"'));
    r = await h.run('doctor', ['--browser', 'chromium']);
    expect(r.status).toBe(1);
    expect(r.out()).toMatch(/Chromium: VERSION MISMATCH/);
    expect(r.out()).toContain(
      `problem: the host is version 0.0.1, the extension this package ships is version ${VERSION}`,
    );
    expect(r.out()).toContain(`fix: staplecheck install --browser chromium  # copies host ${VERSION}`);
    await h.run('install', ['--browser', 'chromium']);
    expect((await h.run('doctor', ['--browser', 'chromium'])).status).toBe(0);
  });

  it('doctor: nothing registered is a failure', async () => {
    const h = home();
    const r = await h.run('doctor');
    expect(r.status).toBe(1);
    expect(r.out()).toMatch(/not registered for any browser/);
  });

  it('doctor: finds a broken manifest, a launcher that is not executable, a Node that moved', async () => {
    const h = home();
    await h.run('install', ['--browser', 'chromium,edge,firefox']);
    const launcher = join(h.home, '.local', 'share', 'staplecheck', 'staplecheck-host');

    const chromiumManifest = join(h.home, '.config', 'chromium', 'NativeMessagingHosts', MANIFEST);
    writeFileSync(chromiumManifest, JSON.stringify({ ...readJson(chromiumManifest), path: 'staplecheck-host' }));
    const edgeManifest = join(h.home, '.config', 'microsoft-edge', 'NativeMessagingHosts', MANIFEST);
    writeFileSync(edgeManifest, '{ not json');
    let r = await h.run('doctor');
    expect(r.status).toBe(1);
    expect(r.out()).toMatch(/Chromium: BROKEN[\s\S]*is not absolute[\s\S]*fix: staplecheck install --browser chromium/);
    expect(r.out()).toMatch(/Microsoft Edge: BROKEN[\s\S]*not valid JSON/);
    expect(r.out()).toMatch(/Firefox: ok/);

    await h.run('install', ['--browser', 'chromium,edge']);
    chmodSync(launcher, 0o644);
    r = await h.run('doctor', ['--browser', 'chromium']);
    expect(r.status).toBe(1);
    expect(r.out()).toMatch(/is not executable/);

    await h.run('install', ['--browser', 'chromium']);
    writeFileSync(launcher, readFileSync(launcher, 'utf8').replace(process.execPath, '/nonexistent/node'));
    r = await h.run('doctor', ['--browser', 'chromium']);
    expect(r.status).toBe(1);
    expect(r.out()).toMatch(/started as the browser would, but it exited before answering/);
    expect(r.out()).toMatch(/fix: staplecheck install --browser chromium {2}# rewrites the launcher/);

    await h.run('install', ['--browser', 'chromium']);
    expect((await h.run('doctor')).status).toBe(0);
  });

  it('uninstall removes everything install wrote', async () => {
    const h = home();
    mkdirSync(join(h.home, 'p'));
    await h.run('install', ['--browser', 'all']);
    await h.run('install', ['--user-data-dir', join(h.home, 'p')]);
    const dataDir = join(h.home, '.local', 'share', 'staplecheck');
    expect(existsSync(join(dataDir, 'staplecheck-host'))).toBe(true);

    // Removing one registration keeps the launcher the others use.
    let r = await h.run('uninstall', ['--user-data-dir', join(h.home, 'p')]);
    expect(r.status).toBe(0);
    expect(existsSync(join(h.home, 'p', 'NativeMessagingHosts', MANIFEST))).toBe(false);
    expect(existsSync(join(dataDir, 'staplecheck-host'))).toBe(true);

    r = await h.run('uninstall');
    expect(r.status).toBe(0);
    expect(r.out()).toMatch(/Removed:/);
    for (const dir of ['google-chrome', 'chromium', 'microsoft-edge', 'BraveSoftware/Brave-Browser', 'vivaldi']) {
      expect(existsSync(join(h.home, '.config', dir, 'NativeMessagingHosts', MANIFEST))).toBe(false);
    }
    expect(existsSync(join(h.home, '.mozilla', 'native-messaging-hosts', MANIFEST))).toBe(false);
    expect(existsSync(dataDir)).toBe(false);

    r = await h.run('uninstall');
    expect(r.status).toBe(0);
    expect(r.out()).toMatch(/Nothing to remove/);
  });

  it('keeps one host copy: older ones it wrote are removed, anything else under host/ is left', async () => {
    const h = home();
    const hostDir = join(h.home, '.local', 'share', 'staplecheck', 'host');
    expect((await h.run('install', ['--browser', 'chromium'])).status).toBe(0);
    // An older install of ours, and two directories that are not ours.
    cpSync(join(hostDir, VERSION), join(hostDir, '0.0.1'), { recursive: true });
    const older = join(hostDir, '0.0.1', 'package.json');
    writeFileSync(older, readFileSync(older, 'utf8').replace(`"version": "${VERSION}"`, '"version": "0.0.1"'));
    mkdirSync(join(hostDir, '0.0.2', 'bin'), { recursive: true });
    writeFileSync(join(hostDir, '0.0.2', 'package.json'), '{"name":"staplecheck","version":"0.0.2"}');
    cpSync(join(hostDir, VERSION), join(hostDir, '0.0.3'), { recursive: true });
    writeFileSync(join(hostDir, '0.0.3', 'build', 'node', 'staplecheck-host.js'), '// changed by someone else\n');

    const r = await h.run('install', ['--browser', 'chromium']);
    expect(r.err()).toMatch(/could not remove the host 0\.0\.3[\s\S]*content is not the host file build\/node/);
    expect(r.out()).toMatch(/Removed the older host 0\.0\.1/);
    expect(existsSync(join(hostDir, '0.0.1'))).toBe(false);
    expect(existsSync(join(hostDir, '0.0.2', 'package.json'))).toBe(true);
    // Of 0.0.3 only the changed file stays (with the directories holding it).
    expect(readdirSync(join(hostDir, '0.0.3'), { recursive: true }).sort()).toEqual([
      'build',
      join('build', 'node'),
      join('build', 'node', 'staplecheck-host.js'),
    ]);
    expect(existsSync(join(hostDir, VERSION, 'build', 'node', 'staplecheck-host.js'))).toBe(true);
  });

  it('uninstall leaves a host copy reached through a symbolic link alone', async () => {
    const h = home();
    await h.run('install', ['--browser', 'chromium']);
    const copy = join(h.home, '.local', 'share', 'staplecheck', 'host', VERSION);
    const elsewhere = join(h.home, 'elsewhere');
    mkdirSync(elsewhere);
    cpSync(join(copy, 'build'), join(elsewhere, 'build'), { recursive: true });
    rmSync(join(copy, 'build'), { recursive: true });
    symlinkSync(join(elsewhere, 'build'), join(copy, 'build'));
    const r = await h.run('uninstall');
    expect(r.err()).toMatch(/left .*build alone/);
    expect(existsSync(join(elsewhere, 'build', 'node', 'staplecheck-host.js'))).toBe(true);
  });

  it('prints usage for --help and refuses unknown arguments', async () => {
    const h = home();
    const help = await h.run('install', ['--help']);
    expect(help.status).toBe(0);
    expect(help.out()).toMatch(/staplecheck install \[--browser NAME\|all\]/);
    const bad = await h.run('doctor', ['--nope']);
    expect(bad.status).toBe(3);
  });
});

describe('the Windows commands, with a fake registry', () => {
  function fakeWindows(): { ctx: InstallerContext; calls: string[] } {
    const calls: string[] = [];
    const values = new Map<string, string>();
    const registry: Registry = {
      setDefault: async (key, value) => void (calls.push(`set ${key}`), values.set(key, value)),
      getDefault: async (key) => values.get(key) ?? null,
      deleteKey: async (key) => void (calls.push(`delete ${key}`), values.delete(key)),
    };
    return {
      calls,
      ctx: {
        platform: 'win32',
        home: 'C:\\Users\\nobody-here',
        env: { LOCALAPPDATA: 'C:\\Users\\nobody-here\\AppData\\Local' },
        nodePath: 'C:\\nodejs\\node.exe',
        hostScript: HOST_BIN,
        builtHost: HOST_BIN,
        packageRoot: '/',
        version: '0.1.0',
        registry,
        pingTimeoutMs: 1000,
      },
    };
  }

  it('refuses --user-data-dir (Windows browsers read the registry only)', async () => {
    const { ctx } = fakeWindows();
    const c = captureIo({}, '/');
    expect(await runInstallerWith('install', ['--user-data-dir', 'C:\\p'], c.io, ctx)).toBe(3);
    expect(c.err()).toMatch(/registry/);
  });

  it('doctor reads the registry and reports no registration', async () => {
    const { ctx } = fakeWindows();
    const c = captureIo({}, '/');
    expect(await runInstallerWith('doctor', [], c.io, ctx)).toBe(1);
    expect(c.out()).toMatch(/Google Chrome: not installed/);
    expect(c.out()).toMatch(/not registered for any browser/);
  });

  it('uninstall deletes only keys that are there', async () => {
    const { ctx, calls } = fakeWindows();
    await ctx.registry.setDefault('HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.staplecheck.host', 'C:\\x.json');
    calls.length = 0;
    const c = captureIo({}, '/');
    // Files under C:\ do not exist here: removals are skipped; the registry is what is exercised.
    await runInstallerWith('uninstall', ['--browser', 'firefox,chrome'], c.io, ctx);
    expect(calls).toEqual(['delete HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.staplecheck.host']);
  });
});
