// The host's and the CLI's V8 code caches (bin/staplecheck-host.js, docs/install-layout.md "The code cache"): written
// on exit into the user's cache directory, private to the user, replaced when it is unusable or came
// from a run that checked nothing; never read or written through a symbolic link or when someone
// else could have written it; and never needed: the host answers the same without it.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  assertBuilt,
  HostProcess,
  ROOT,
  mintSelfSigned,
  startStaplingServer,
  tempDir,
  type StaplingServer,
} from './host-harness.js';

const VERSION = (await import('../../package.json', { with: { type: 'json' } })).default.version;
/** 'staplecheck v8 cache 1\n', the SHA-256 key, then one byte: 1 when written after a check. */
const FLAG_AT = 23 + 32;

let dir: ReturnType<typeof tempDir>;
let server: StaplingServer;
const hosts: HostProcess[] = [];
let n = 0;

beforeAll(async () => {
  assertBuilt();
  dir = tempDir('code-cache');
  const { certPem, keyPem } = mintSelfSigned(dir.path);
  server = await startStaplingServer({ certPem, keyPem });
});

afterEach(() => {
  for (const host of hosts.splice(0)) host.kill();
});

afterAll(async () => {
  await server?.stop();
  dir?.remove();
});

/** A fresh XDG_CACHE_HOME: the cache is `<it>/staplecheck/host.v8-cache`. */
function cacheHome(): string {
  const path = join(dir.path, `cache-${n++}`);
  mkdirSync(path, { mode: 0o700 });
  return path;
}

async function run(cache: string, what: 'ping' | 'check', env: NodeJS.ProcessEnv = {}): Promise<void> {
  const host = HostProcess.start({ env: { ...process.env, XDG_CACHE_HOME: cache, ...env } });
  hosts.push(host);
  if (what === 'ping') {
    host.request({ id: 1, type: 'ping' });
    expect(await host.answerFor(1)).toEqual({ id: 1, ok: true, result: { version: VERSION } });
  } else {
    host.request({ id: 1, type: 'check', host: '127.0.0.1', port: server.port, timeoutMs: 5000 });
    const answer = await host.answerFor(1);
    expect(answer.ok).toBe(true);
    expect(answer.result?.verdict).not.toBe('error');
  }
  host.end();
  expect(await host.exited).toEqual({ code: 0, signal: null });
}

describe('the host code cache', () => {
  it('is written on exit, private to the user, and written again once a run has checked a site', async () => {
    const cache = cacheHome();
    const file = join(cache, 'staplecheck', 'host.v8-cache');
    await run(cache, 'ping');
    expect(statSync(join(cache, 'staplecheck')).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const afterPing = readFileSync(file);
    expect(afterPing[FLAG_AT]).toBe(0);
    await run(cache, 'ping');
    expect(readFileSync(file)).toEqual(afterPing);
    await run(cache, 'check');
    const afterCheck = readFileSync(file);
    expect(afterCheck[FLAG_AT]).toBe(1);
    expect(afterCheck.length).toBeGreaterThan(afterPing.length);
    // A cache from a run that checked is kept, and serves both.
    await run(cache, 'ping');
    await run(cache, 'check');
    expect(readFileSync(file)).toEqual(afterCheck);
  });

  it('a damaged cache is rejected and replaced, and the host answers the same', async () => {
    const cache = cacheHome();
    const file = join(cache, 'staplecheck', 'host.v8-cache');
    await run(cache, 'check');
    const good = readFileSync(file);
    const damaged = Buffer.from(good);
    for (let i = FLAG_AT + 1; i < damaged.length; i += 7) damaged[i] = damaged[i]! ^ 0x5a;
    writeFileSync(file, damaged, { mode: 0o600 });
    await run(cache, 'check');
    expect(readFileSync(file).equals(damaged)).toBe(false);
    expect(readFileSync(file)[FLAG_AT]).toBe(1);
  });

  it('is neither read nor written through a symbolic link or when others could write it', async () => {
    const cache = cacheHome();
    const elsewhere = join(dir.path, `elsewhere-${n++}`);
    mkdirSync(elsewhere, { mode: 0o700 });
    symlinkSync(elsewhere, join(cache, 'staplecheck'));
    await run(cache, 'check');
    expect(readdirSync(elsewhere)).toEqual([]);

    const shared = cacheHome();
    mkdirSync(join(shared, 'staplecheck'), { mode: 0o700 });
    chmodSync(join(shared, 'staplecheck'), 0o777);
    await run(shared, 'check');
    expect(readdirSync(join(shared, 'staplecheck'))).toEqual([]);

    // A file someone else could have written is not used, and is replaced by one of our own.
    const loose = cacheHome();
    await run(loose, 'check');
    const file = join(loose, 'staplecheck', 'host.v8-cache');
    chmodSync(file, 0o666);
    await run(loose, 'ping');
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it('the CLI keeps its own cache beside it, the same way', () => {
    const cache = cacheHome();
    const file = join(cache, 'staplecheck', 'cli.v8-cache');
    const cli = (...args: string[]) =>
      spawnSync(process.execPath, [join(ROOT, 'bin', 'staplecheck.js'), ...args], {
        env: { ...process.env, XDG_CACHE_HOME: cache },
        encoding: 'utf8',
      });
    expect(cli('--version').stdout).toBe(`${VERSION}\n`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file)[FLAG_AT]).toBe(0);
    const check = cli('check', `127.0.0.1:${server.port}`, '--json', '--timeout', '5000');
    expect((JSON.parse(check.stdout) as { port: number }).port).toBe(server.port);
    expect(readFileSync(file)[FLAG_AT]).toBe(1);
    expect(existsSync(join(cache, 'staplecheck', 'host.v8-cache'))).toBe(false);
  });

  it("compiles a bundle's section (pkijs and asn1js) only when it is asked for, with a cache of its own", () => {
    const cache = cacheHome();
    const bundle = join(dir.path, `sectioned-${n++}.js`);
    const main = [
      'module.exports.before = typeof globalThis.sectionRan;',
      "if (process.argv.includes('load')) module.exports.value = __staplecheckSection('asn1').value;",
      "if (process.argv.includes('load')) module.exports.same = __staplecheckSection('asn1') === __staplecheckSection('asn1');",
      "try { __staplecheckSection('other'); } catch (err) { module.exports.other = err.message.endsWith('has no section other'); }",
    ].join('\n');
    const section = "globalThis.sectionRan = true;\nmodule.exports.value = new Error('here').stack.split('\\n')[1];";
    writeFileSync(bundle, `${main}\n//# staplecheck section asn1 5\n${section}`);
    const run = (what: string) => {
      const script = [
        "globalThis[Symbol.for('staplecheck.bin.loader-only')] = true;",
        `const { runBundle } = require(${JSON.stringify(join(ROOT, 'bin', 'staplecheck-host.js'))});`,
        `console.log(JSON.stringify(runBundle(require('node:url').pathToFileURL(${JSON.stringify(bundle)}), 'sectioned')));`,
      ].join('\n');
      const child = spawnSync(process.execPath, ['-e', script, what], {
        env: { ...process.env, XDG_CACHE_HOME: cache },
        encoding: 'utf8',
      });
      expect(child.stderr).toBe('');
      return JSON.parse(child.stdout) as Record<string, unknown>;
    };
    const sectionCache = join(cache, 'staplecheck', 'sectioned-asn1.v8-cache');
    expect(run('skip')).toEqual({ before: 'undefined', other: true });
    expect(existsSync(sectionCache)).toBe(false);
    // Loaded once, with its lines numbered as in the file (its second is the seventh), and a private cache.
    const loaded = run('load');
    expect(loaded).toMatchObject({ before: 'undefined', same: true, other: true });
    expect(loaded.value).toMatch(/sectioned-\d+\.js:7:/);
    expect(statSync(sectionCache).mode & 0o777).toBe(0o600);
    const written = readFileSync(sectionCache);
    expect(run('load')).toEqual(loaded);
    expect(readFileSync(sectionCache)).toEqual(written);
  });

  it('STAPLECHECK_CODE_CACHE=off: no cache at all', async () => {
    const cache = cacheHome();
    await run(cache, 'check', { STAPLECHECK_CODE_CACHE: 'off' });
    expect(existsSync(join(cache, 'staplecheck'))).toBe(false);
  });
});
