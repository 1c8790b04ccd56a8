// Issue 9's "Done when": what a user does, from a clean clone to a browser starting the host, with
// the npm copy of the package gone by then (docs/install-layout.md):
//   git clone → npm pack (prepack builds) → npm install -g --prefix TMP the tarball →
//   TMP/bin/staplecheck install (HOME and the XDG directories in a temporary directory) →
//   rm -rf TMP → start the registered launcher as a browser would and send it a real ping frame.
// The clone gets node_modules as a symbolic link to this checkout's (`npm ci --offline` would
// install the same tree again, for minutes on a small machine); everything after `npm pack` sees
// only the tarball. `npm install -g` takes the two runtime dependencies from npm's cache when it has
// them (--prefer-offline). Bounded: each step has its own timeout, the whole test ten minutes.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_ID } from '../../src/protocol/extension-ids.js';
import { HostProcess, ROOT, tempDir } from '../host/host-harness.js';

const run = promisify(execFile);
const MINUTE = 60_000;
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const work = tempDir('clean-install');
afterAll(() => work.remove());

/** PATH with this Node first: the `npm` and `#!/usr/bin/env node` the user would have. */
const PATH = `${dirname(process.execPath)}:${process.env.PATH ?? ''}`;

describe('from a clean clone to a host the browser can start, without the npm copy', () => {
  it(
    'packs, installs into a throwaway prefix, registers, deletes the prefix, and the host still answers a ping',
    async () => {
      const clone = join(work.path, 'clone');
      await run('git', ['clone', '--quiet', '--no-hardlinks', ROOT, clone], { timeout: MINUTE });
      symlinkSync(join(ROOT, 'node_modules'), join(clone, 'node_modules'));

      const packed = join(work.path, 'packed');
      mkdirSync(packed);
      const pack = await run('npm', ['pack', '--json', '--pack-destination', packed], {
        cwd: clone,
        env: { ...process.env, PATH },
        timeout: 5 * MINUTE,
        maxBuffer: 64 * 1024 * 1024,
      });
      // npm prints the build's output first, then the JSON report.
      const report = JSON.parse(pack.stdout.slice(pack.stdout.indexOf('\n[') + 1)) as Array<{ filename: string }>;
      const tarball = join(packed, report[0]!.filename);
      expect(existsSync(tarball)).toBe(true);

      const prefix = join(work.path, 'prefix');
      await run(
        'npm',
        [
          'install',
          '-g',
          '--prefix',
          prefix,
          '--prefer-offline',
          '--no-audit',
          '--no-fund',
          '--ignore-scripts',
          tarball,
        ],
        { env: { ...process.env, PATH }, timeout: 3 * MINUTE },
      );
      const cli = join(prefix, 'bin', 'staplecheck');
      expect(existsSync(cli)).toBe(true);

      const home = join(work.path, 'home');
      const env = {
        PATH,
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_DATA_HOME: join(home, 'data'),
      };
      const install = await run(cli, ['install', '--browser', 'chromium'], { env, timeout: MINUTE });
      expect(install.stdout).toContain(
        `Host ${VERSION} copied to ${join(home, 'data', 'staplecheck', 'host', VERSION)}`,
      );

      rmSync(prefix, { recursive: true, force: true });
      rmSync(clone, { recursive: true, force: true });
      expect(existsSync(cli)).toBe(false);

      const manifestPath = join(home, 'config', 'chromium', 'NativeMessagingHosts', 'dev.staplecheck.host.json');
      const manifest = JSON.parse(readFileSync(manifestPath, 'utf8')) as { path: string };
      expect(manifest.path).toBe(join(home, 'data', 'staplecheck', 'staplecheck-host'));
      // What the copy is: three files, nothing of the package besides.
      expect(
        readdirSync(join(home, 'data', 'staplecheck', 'host', VERSION), { recursive: true, withFileTypes: true })
          .filter((entry) => entry.isFile())
          .map((entry) => entry.name)
          .sort(),
      ).toEqual(['package.json', 'staplecheck-host.js', 'staplecheck-host.js']);

      // As Chromium starts it: the launcher, our origin as the argument, no Node on PATH.
      const host = HostProcess.start({
        command: manifest.path,
        args: [`chrome-extension://${CHROMIUM_EXTENSION_ID}/`],
        env: { PATH: '/nonexistent', HOME: home },
      });
      try {
        host.request({ id: 'after-npm-is-gone', type: 'ping' });
        const answer = await host.answerFor('after-npm-is-gone', 30_000);
        expect(answer, host.stderr).toEqual({ id: 'after-npm-is-gone', ok: true, result: { version: VERSION } });
        host.end();
        expect((await host.exited).code).toBe(0);
      } finally {
        host.kill();
      }
    },
    10 * MINUTE,
  );
});
