// Where hosts are registered on each OS, computed (pure), and what install/uninstall would do there.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID, FIREFOX_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import { assessHostManifest, buildHostManifest, renderHostManifest } from '../../src/installer/host-manifest.js';
import { renderLauncher, shellQuote } from '../../src/installer/launcher.js';
import { fileURLToPath } from 'node:url';
import { computeLayout, userDataDirRegistration, type Layout } from '../../src/installer/layout.js';
import { parseInstallerArgs } from '../../src/installer/options.js';
import { parseState, planHostCopy, planInstall, planUninstall } from '../../src/installer/plan.js';
import { hostCopyEntry, hostCopyFiles, isVersionName, readCopyManifest } from '../../src/installer/host-copy.js';
import { parseRegQuery, regCommands } from '../../src/installer/registry.js';

const byBrowser = (
  layout: Layout,
): Record<string, { manifestPath: string; configDir: string; registryKey: string | null }> =>
  Object.fromEntries(
    layout.registrations.map((r) => [
      r.browser,
      { manifestPath: r.manifestPath, configDir: r.configDir, registryKey: r.registryKey },
    ]),
  );

describe('computeLayout', () => {
  it('Linux: ~/.config/<browser>/NativeMessagingHosts and ~/.mozilla/native-messaging-hosts', () => {
    const layout = computeLayout('linux', '/home/ada', {});
    expect(byBrowser(layout)).toEqual({
      chrome: {
        configDir: '/home/ada/.config/google-chrome',
        manifestPath: '/home/ada/.config/google-chrome/NativeMessagingHosts/dev.staplecheck.host.json',
        registryKey: null,
      },
      chromium: {
        configDir: '/home/ada/.config/chromium',
        manifestPath: '/home/ada/.config/chromium/NativeMessagingHosts/dev.staplecheck.host.json',
        registryKey: null,
      },
      edge: {
        configDir: '/home/ada/.config/microsoft-edge',
        manifestPath: '/home/ada/.config/microsoft-edge/NativeMessagingHosts/dev.staplecheck.host.json',
        registryKey: null,
      },
      brave: {
        configDir: '/home/ada/.config/BraveSoftware/Brave-Browser',
        manifestPath: '/home/ada/.config/BraveSoftware/Brave-Browser/NativeMessagingHosts/dev.staplecheck.host.json',
        registryKey: null,
      },
      vivaldi: {
        configDir: '/home/ada/.config/vivaldi',
        manifestPath: '/home/ada/.config/vivaldi/NativeMessagingHosts/dev.staplecheck.host.json',
        registryKey: null,
      },
      firefox: {
        configDir: '/home/ada/.mozilla',
        manifestPath: '/home/ada/.mozilla/native-messaging-hosts/dev.staplecheck.host.json',
        registryKey: null,
      },
    });
    expect(layout.launcherPath).toBe('/home/ada/.local/share/staplecheck/staplecheck-host');
    expect(layout.hostDir).toBe('/home/ada/.local/share/staplecheck/host');
  });

  it('Linux: honours absolute XDG_CONFIG_HOME / XDG_DATA_HOME (not for Firefox), ignores relative ones', () => {
    const layout = computeLayout('linux', '/home/ada', { XDG_CONFIG_HOME: '/cfg', XDG_DATA_HOME: '/data' });
    expect(byBrowser(layout).chromium?.manifestPath).toBe(
      '/cfg/chromium/NativeMessagingHosts/dev.staplecheck.host.json',
    );
    expect(byBrowser(layout).firefox?.manifestPath).toBe(
      '/home/ada/.mozilla/native-messaging-hosts/dev.staplecheck.host.json',
    );
    expect(layout.launcherPath).toBe('/data/staplecheck/staplecheck-host');
    expect(layout.hostDir).toBe('/data/staplecheck/host');
    const relative = computeLayout('linux', '/home/ada', { XDG_CONFIG_HOME: 'cfg' });
    expect(byBrowser(relative).chrome?.configDir).toBe('/home/ada/.config/google-chrome');
  });

  it('macOS: ~/Library/Application Support/...', () => {
    const layout = computeLayout('darwin', '/Users/ada', { XDG_CONFIG_HOME: '/ignored' });
    const s = '/Users/ada/Library/Application Support';
    const m = byBrowser(layout);
    expect(m.chrome?.manifestPath).toBe(`${s}/Google/Chrome/NativeMessagingHosts/dev.staplecheck.host.json`);
    expect(m.chromium?.manifestPath).toBe(`${s}/Chromium/NativeMessagingHosts/dev.staplecheck.host.json`);
    expect(m.edge?.manifestPath).toBe(`${s}/Microsoft Edge/NativeMessagingHosts/dev.staplecheck.host.json`);
    expect(m.brave?.manifestPath).toBe(
      `${s}/BraveSoftware/Brave-Browser/NativeMessagingHosts/dev.staplecheck.host.json`,
    );
    expect(m.vivaldi?.manifestPath).toBe(`${s}/Vivaldi/NativeMessagingHosts/dev.staplecheck.host.json`);
    expect(m.firefox?.manifestPath).toBe(`${s}/Mozilla/NativeMessagingHosts/dev.staplecheck.host.json`);
    expect(m.firefox?.configDir).toBe(`${s}/Firefox`);
    expect(layout.launcherPath).toBe(`${s}/staplecheck/staplecheck-host`);
    expect(layout.hostDir).toBe(`${s}/staplecheck/host`);
    expect(layout.registrations.every((r) => r.registryKey === null)).toBe(true);
  });

  it('Windows: HKCU registry keys naming manifests under %LOCALAPPDATA%\\staplecheck', () => {
    const layout = computeLayout('win32', 'C:\\Users\\ada', {
      LOCALAPPDATA: 'C:\\Users\\ada\\AppData\\Local',
      APPDATA: 'C:\\Users\\ada\\AppData\\Roaming',
    });
    const m = byBrowser(layout);
    expect(m.chrome?.registryKey).toBe('HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.staplecheck.host');
    expect(m.chromium?.registryKey).toBe('HKCU\\Software\\Chromium\\NativeMessagingHosts\\dev.staplecheck.host');
    expect(m.edge?.registryKey).toBe('HKCU\\Software\\Microsoft\\Edge\\NativeMessagingHosts\\dev.staplecheck.host');
    expect(m.brave?.registryKey).toBe(
      'HKCU\\Software\\BraveSoftware\\Brave-Browser\\NativeMessagingHosts\\dev.staplecheck.host',
    );
    expect(m.vivaldi?.registryKey).toBe('HKCU\\Software\\Vivaldi\\NativeMessagingHosts\\dev.staplecheck.host');
    expect(m.firefox?.registryKey).toBe('HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.staplecheck.host');
    expect(m.chrome?.manifestPath).toBe(
      'C:\\Users\\ada\\AppData\\Local\\staplecheck\\manifests\\chrome\\dev.staplecheck.host.json',
    );
    expect(m.chrome?.configDir).toBe('C:\\Users\\ada\\AppData\\Local\\Google\\Chrome\\User Data');
    expect(m.firefox?.configDir).toBe('C:\\Users\\ada\\AppData\\Roaming\\Mozilla\\Firefox');
    expect(layout.launcherPath).toBe('C:\\Users\\ada\\AppData\\Local\\staplecheck\\staplecheck-host.cmd');
    expect(layout.hostDir).toBe('C:\\Users\\ada\\AppData\\Local\\staplecheck\\host');
  });

  it('Windows: falls back to the profile for LOCALAPPDATA / APPDATA', () => {
    const layout = computeLayout('win32', 'C:\\Users\\ada', {});
    expect(layout.dataDir).toBe('C:\\Users\\ada\\AppData\\Local\\staplecheck');
    expect(byBrowser(layout).firefox?.configDir).toBe('C:\\Users\\ada\\AppData\\Roaming\\Mozilla\\Firefox');
  });

  it('--user-data-dir: DIR/NativeMessagingHosts', () => {
    expect(userDataDirRegistration('linux', '/tmp/profile').manifestPath).toBe(
      '/tmp/profile/NativeMessagingHosts/dev.staplecheck.host.json',
    );
    expect(userDataDirRegistration('darwin', '/p', 'chrome')).toMatchObject({
      browser: 'chrome',
      custom: true,
      family: 'chromium',
    });
  });
});

describe('host manifests', () => {
  it('Chromium family: allowed_origins with the trailing slash, extra IDs after ours', () => {
    const extra = 'a'.repeat(32);
    expect(buildHostManifest('chromium', '/l/staplecheck-host', [extra])).toEqual({
      name: 'dev.staplecheck.host',
      description: expect.any(String) as unknown,
      path: '/l/staplecheck-host',
      type: 'stdio',
      allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`, `chrome-extension://${extra}/`],
    });
  });

  it('Firefox: allowed_extensions with the gecko ID', () => {
    expect(buildHostManifest('firefox', '/l/h', ['a'.repeat(32)])).toMatchObject({
      allowed_extensions: [FIREFOX_EXTENSION_ID],
    });
    expect(buildHostManifest('firefox', '/l/h', [])).not.toHaveProperty('allowed_origins');
  });

  it('doctor finds what a browser would reject', () => {
    const good = renderHostManifest(buildHostManifest('chromium', '/abs/launcher', []));
    expect(assessHostManifest(good, 'chromium', 'linux')).toEqual({ problems: [], path: '/abs/launcher' });
    expect(assessHostManifest('{', 'chromium', 'linux').problems).toEqual(['the manifest is not valid JSON']);
    expect(assessHostManifest('[]', 'chromium', 'linux').problems).toHaveLength(1);
    const relative = JSON.stringify({ ...JSON.parse(good), path: 'launcher' });
    expect(assessHostManifest(relative, 'chromium', 'linux').problems).toEqual(['"path" "launcher" is not absolute']);
    const noSlash = JSON.stringify({
      ...JSON.parse(good),
      allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}`],
    });
    expect(assessHostManifest(noSlash, 'chromium', 'linux').problems[0]).toMatch(/allowed_origins" does not include/);
    const wrongName = JSON.stringify({ ...JSON.parse(good), name: 'other.host', type: 'socket' });
    expect(assessHostManifest(wrongName, 'chromium', 'linux').problems).toHaveLength(2);
    const ff = renderHostManifest(buildHostManifest('firefox', 'C:\\x\\h.cmd', []));
    expect(assessHostManifest(ff, 'firefox', 'win32').problems).toEqual([]);
    expect(assessHostManifest(ff, 'chromium', 'win32').problems).toEqual(['"allowed_origins" is missing']);
  });
});

const HOST_BIN = fileURLToPath(new URL('../../bin/staplecheck-host.js', import.meta.url));

describe('launchers', () => {
  const spec = { nodePath: '/opt/node 20/bin/node', hostScript: "/srv/it's/bin/staplecheck-host.js", extraIds: [] };

  it('POSIX: sh script that execs the absolute node with the host script and the browser arguments', () => {
    const text = renderLauncher('linux', spec);
    expect(text.startsWith('#!/bin/sh\n')).toBe(true);
    // No Node flags: the host sets its V8 flags itself (HOST_V8_FLAGS in bin/staplecheck-host.js).
    expect(text).toContain(`exec '/opt/node 20/bin/node' '/srv/it'\\''s/bin/staplecheck-host.js' "$@"`);
    expect(shellQuote("a'b")).toBe(`'a'\\''b'`);
  });

  it('the host sets every flag of its HOST_V8_FLAGS on this Node, silently, and they hold', () => {
    // An unknown flag would only print a warning (on the host's stderr) and leave V8 as it was.
    const script = [
      "globalThis[Symbol.for('staplecheck.bin.loader-only')] = true;",
      `const bin = require(${JSON.stringify(HOST_BIN)});`,
      'bin.setHostV8Flags();',
      // --no-turbofan holds: a function V8 is told to optimize next stays unoptimized (status bit 16).
      'function f(x) { return x + 1; }',
      '%PrepareFunctionForOptimization(f); f(1); f(2); %OptimizeFunctionOnNextCall(f); f(3);',
      'process.stdout.write(JSON.stringify({ flags: bin.HOST_V8_FLAGS, optimized: (%GetOptimizationStatus(f) & 16) !== 0 }));',
    ].join('\n');
    const run = spawnSync(process.execPath, ['--allow-natives-syntax', '-e', script], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual({
      flags: [
        '--semi-space-growth-factor=1',
        '--no-turbofan',
        '--no-maglev',
        '--optimize-for-size',
        '--no-regexp-tier-up',
      ],
      optimized: false,
    });
  });

  it('passes IDs from --extension-id to the host', () => {
    const id = 'c'.repeat(32);
    expect(renderLauncher('darwin', { ...spec, extraIds: [id] })).toContain(`'--allow-extension-id=${id}' "$@"`);
  });

  it('Windows: a .cmd with CRLF line ends, quoted paths, %* and escaped %', () => {
    const text = renderLauncher('win32', {
      nodePath: 'C:\\Program Files\\nodejs\\node.exe',
      hostScript: 'C:\\Users\\ada\\100%\\staplecheck\\bin\\staplecheck-host.js',
      extraIds: [],
    });
    expect(text.startsWith('@echo off\r\n')).toBe(true);
    expect(text).toContain(
      '"C:\\Program Files\\nodejs\\node.exe" "C:\\Users\\ada\\100%%\\staplecheck\\bin\\staplecheck-host.js" %*\r\n',
    );
    expect(text).not.toMatch(/[^\r]\n/);
  });
});

describe('install and uninstall plans', () => {
  const launcher = { nodePath: 'C:\\nodejs\\node.exe', hostScript: 'C:\\sc\\bin\\staplecheck-host.js', extraIds: [] };

  it('Windows: writes the .cmd launcher and manifests, and sets HKCU keys with reg add', () => {
    const layout = computeLayout('win32', 'C:\\Users\\ada', { LOCALAPPDATA: 'C:\\L', APPDATA: 'C:\\R' });
    const targets = layout.registrations.filter((r) => r.browser === 'chrome' || r.browser === 'firefox');
    const actions = planInstall({ layout, targets, launcher, recorded: [] });
    expect(actions.map((a) => a.kind)).toEqual([
      'write-file',
      'write-file',
      'registry-set',
      'write-file',
      'registry-set',
      'write-file',
    ]);
    expect(actions[0]).toMatchObject({ path: 'C:\\L\\staplecheck\\staplecheck-host.cmd', executable: true });
    expect(actions[2]).toEqual({
      kind: 'registry-set',
      key: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.staplecheck.host',
      value: 'C:\\L\\staplecheck\\manifests\\chrome\\dev.staplecheck.host.json',
      command: [
        'reg',
        'add',
        'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.staplecheck.host',
        '/ve',
        '/t',
        'REG_SZ',
        '/d',
        'C:\\L\\staplecheck\\manifests\\chrome\\dev.staplecheck.host.json',
        '/f',
      ],
      what: 'chrome registry key',
    });
    const chromeManifest = actions[1];
    expect(chromeManifest?.kind === 'write-file' && JSON.parse(chromeManifest.content)).toMatchObject({
      path: 'C:\\L\\staplecheck\\staplecheck-host.cmd',
      allowed_origins: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`],
    });
    const firefoxManifest = actions[3];
    expect(firefoxManifest?.kind === 'write-file' && JSON.parse(firefoxManifest.content)).toMatchObject({
      allowed_extensions: [FIREFOX_EXTENSION_ID],
    });
    expect(actions[4]).toMatchObject({ key: 'HKCU\\Software\\Mozilla\\NativeMessagingHosts\\dev.staplecheck.host' });
  });

  it('Windows: uninstall deletes the keys with reg delete, then the launcher', () => {
    const layout = computeLayout('win32', 'C:\\Users\\ada', { LOCALAPPDATA: 'C:\\L' });
    const chrome = layout.registrations.filter((r) => r.browser === 'chrome');
    const actions = planUninstall({ layout, targets: chrome, recorded: chrome, hostCopies: ['0.0.9'] });
    expect(actions).toContainEqual({
      kind: 'registry-delete',
      key: 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.staplecheck.host',
      command: ['reg', 'delete', 'HKCU\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.staplecheck.host', '/f'],
      what: 'chrome registry key',
    });
    expect(actions).toContainEqual({
      kind: 'remove-file',
      path: 'C:\\L\\staplecheck\\staplecheck-host.cmd',
      recognise: 'launcher',
      what: 'launcher',
    });
    expect(actions).toContainEqual(
      expect.objectContaining({ kind: 'remove-host-copy', path: 'C:\\L\\staplecheck\\host\\0.0.9' }),
    );
  });

  it('macOS: manifests in Application Support, no registry', () => {
    const layout = computeLayout('darwin', '/Users/ada', {});
    const actions = planInstall({ layout, targets: layout.registrations, launcher, recorded: [] });
    expect(actions.filter((a) => a.kind.startsWith('registry'))).toEqual([]);
    expect(
      actions.filter((a) => a.kind === 'write-file').map((a) => (a.kind === 'write-file' ? a.path : '')),
    ).toContain('/Users/ada/Library/Application Support/Mozilla/NativeMessagingHosts/dev.staplecheck.host.json');
  });

  it('keeps the launcher while another recorded registration still uses it', () => {
    const layout = computeLayout('linux', '/home/ada', {});
    const custom = userDataDirRegistration('linux', '/tmp/p');
    const chromium = layout.registrations.filter((r) => r.browser === 'chromium');
    const actions = planUninstall({
      layout,
      targets: [custom],
      recorded: [custom, ...chromium],
      hostCopies: ['0.1.0'],
    });
    expect(actions.some((a) => a.what === 'launcher')).toBe(false);
    expect(actions.some((a) => a.kind === 'remove-host-copy')).toBe(false);
    const state = actions.find((a) => a.kind === 'write-file');
    expect(state?.kind === 'write-file' && parseState(state.content).map((r) => r.browser)).toEqual(['chromium']);
  });

  it('reads a damaged record as empty', () => {
    expect(parseState('nonsense')).toEqual([]);
    expect(parseState(null)).toEqual([]);
    expect(parseState('{"registrations":[{"browser":"netscape","manifestPath":"/x","family":"chromium"}]}')).toEqual(
      [],
    );
  });
});

describe('registry helpers', () => {
  it('builds reg command lines', () => {
    expect(regCommands.query('HKCU\\K')).toEqual(['reg', 'query', 'HKCU\\K', '/ve']);
  });

  it('reads the default value from reg query output, whatever the language', () => {
    const out =
      '\r\nHKEY_CURRENT_USER\\Software\\Google\\Chrome\\NativeMessagingHosts\\dev.staplecheck.host\r\n    (Standard)    REG_SZ    C:\\L\\staplecheck\\manifests\\chrome\\dev.staplecheck.host.json\r\n\r\n';
    expect(parseRegQuery(out)).toBe('C:\\L\\staplecheck\\manifests\\chrome\\dev.staplecheck.host.json');
    expect(parseRegQuery('ERROR: The system was unable to find the specified registry key or value.')).toBeNull();
  });
});

describe('parseInstallerArgs', () => {
  it('reads browsers, all, a user data dir and extension IDs', () => {
    const id = 'd'.repeat(32);
    expect(
      parseInstallerArgs([
        '--browser',
        'chrome,firefox',
        '--browser=chrome',
        '--user-data-dir=/p',
        '--extension-id',
        id,
      ]),
    ).toEqual({
      ok: true,
      options: { browsers: ['chrome', 'firefox'], userDataDir: '/p', extensionIds: [id], help: false },
    });
    const all = parseInstallerArgs(['--browser', 'all']);
    expect(all.ok && all.options.browsers).toEqual(['chrome', 'chromium', 'edge', 'brave', 'vivaldi', 'firefox']);
  });

  it.each([
    [['--browser', 'netscape'], /Unknown browser "netscape"/],
    [['--browser'], /--browser needs a value/],
    [['--extension-id', 'ABC'], /not a Chromium extension ID/],
    [['--extension-id', 'q'.repeat(32)], /not a Chromium extension ID/],
    [['--frobnicate'], /Unknown argument/],
    [['--user-data-dir', '/a', '--user-data-dir', '/b'], /once/],
  ])('refuses %j', (args, pattern) => {
    const parsed = parseInstallerArgs(args);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.message).toMatch(pattern);
  });
});

describe('the host copy (docs/install-layout.md)', () => {
  it('names its directory by a version only: never a path, never . or ..', () => {
    for (const good of ['0.1.0', '1.2.3-beta.1', '1.0.0+build.5']) expect(isVersionName(good), good).toBe(true);
    for (const bad of ['', '.', '..', '../x', '1.0/..', 'a/b', 'a\\b', '1..2', '.hidden', `${'1'.repeat(65)}`])
      expect(isVersionName(bad), bad).toBe(false);
  });

  it('writes package.json first, with the digests of the two files it then writes', () => {
    const layout = computeLayout('win32', 'C:\\Users\\ada', { LOCALAPPDATA: 'C:\\L' });
    const files = hostCopyFiles(layout, { version: '0.1.0', bin: 'bin text', bundle: 'bundle text' });
    expect(files.map((f) => [f.path, f.executable])).toEqual([
      ['C:\\L\\staplecheck\\host\\0.1.0\\package.json', false],
      ['C:\\L\\staplecheck\\host\\0.1.0\\bin\\staplecheck-host.js', true],
      ['C:\\L\\staplecheck\\host\\0.1.0\\build\\node\\staplecheck-host.js', false],
    ]);
    const manifest = readCopyManifest(files[0]!.content);
    expect(manifest).toEqual({
      version: '0.1.0',
      files: {
        'bin/staplecheck-host.js': createHash('sha256').update('bin text').digest('hex'),
        'build/node/staplecheck-host.js': createHash('sha256').update('bundle text').digest('hex'),
      },
    });
    expect(JSON.parse(files[0]!.content)).toMatchObject({ name: 'staplecheck', type: 'commonjs' });
  });

  it('recognises only a package.json it wrote', () => {
    expect(readCopyManifest('{"name":"staplecheck","version":"0.1.0"}')).toBeNull();
    expect(readCopyManifest('{"name":"other","version":"1","staplecheckHostCopy":{"files":{}}}')).toBeNull();
    expect(
      readCopyManifest(
        '{"name":"staplecheck","version":"1","staplecheckHostCopy":{"files":{"bin/staplecheck-host.js":"x","build/node/staplecheck-host.js":"y"}}}',
      ),
    ).toBeNull();
    expect(readCopyManifest('not json')).toBeNull();
  });

  it('install removes the copies of other versions after writing the launcher; uninstall all of them', () => {
    const layout = computeLayout('linux', '/home/ada', {});
    const { before, after } = planHostCopy({
      layout,
      source: { version: '0.2.0', bin: 'b', bundle: 'c' },
      installed: ['0.1.0', '0.2.0'],
    });
    expect(before.map((a) => a.kind)).toEqual([
      ...Array(6).fill('make-directory'),
      'write-file',
      'write-file',
      'write-file',
    ]);
    expect(before.slice(0, 3).map((a) => ('path' in a ? a.path : ''))).toEqual([
      '/home/ada/.local/share/staplecheck',
      '/home/ada/.local/share/staplecheck/host',
      '/home/ada/.local/share/staplecheck/host/0.2.0',
    ]);
    expect(after).toEqual([expect.objectContaining({ kind: 'remove-host-copy', version: '0.1.0' })]);
    expect(hostCopyEntry(layout, '0.2.0')).toBe(
      '/home/ada/.local/share/staplecheck/host/0.2.0/bin/staplecheck-host.js',
    );
  });
});
