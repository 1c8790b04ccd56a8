// readSystemRoots (src/probe/system-trust.ts) where this machine's own layout cannot show it: the
// other distributions' bundle paths, a directory listed out of name order, and how many files are
// read once 4096 certificates are found. `node:fs` is wrapped for the file: a path under /etc/ is
// served from a throwaway tree (so each distribution's layout can be built), reads are recorded,
// and a directory can be listed in reverse. Nothing outside the throwaway tree is read.
import type * as nodeFs from 'node:fs';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { readSystemRoots } from '../../src/probe/system-trust.js';

const fsState = { root: '', reads: [] as string[], reverse: false };

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof nodeFs>();
  const at = (path: unknown) =>
    typeof path === 'string' && fsState.root !== '' && path.startsWith('/etc/') ? join(fsState.root, path) : path;
  const wrapped = {
    ...fs,
    statSync: ((path: string, ...rest: never[]) => fs.statSync(at(path) as string, ...rest)) as typeof fs.statSync,
    // The reader opens each file once (open, fstat, read): an open is a read.
    openSync: ((path: string, flags: nodeFs.OpenMode, mode?: nodeFs.Mode) => {
      fsState.reads.push(path);
      return fs.openSync(at(path) as string, flags, mode);
    }) as typeof fs.openSync,
    readlinkSync: ((path: string, ...rest: never[]) =>
      fs.readlinkSync(at(path) as string, ...rest)) as typeof fs.readlinkSync,
    readdirSync: ((path: string, ...rest: never[]) => {
      const names = fs.readdirSync(at(path) as string, ...rest) as unknown[];
      return fsState.reverse ? names.slice().reverse() : names;
    }) as typeof fs.readdirSync,
  };
  return { ...wrapped, default: wrapped };
});

/** A PEM block the reader takes (it matches the block's shape; it never parses a certificate). */
const pem = (n: number) =>
  `-----BEGIN CERTIFICATE-----\n${Buffer.from(`certificate ${n}`).toString('base64')}\n-----END CERTIFICATE-----`;

let scratch = '';

beforeEach(() => {
  scratch = mkdtempSync(join(tmpdir(), 'staplecheck-trust-'));
  fsState.root = join(scratch, 'root');
  fsState.reads = [];
  fsState.reverse = false;
});

afterEach(() => {
  fsState.root = '';
  rmSync(scratch, { recursive: true, force: true });
});

/** Writes `text` at `path` inside the throwaway root (`/etc/...`) or the scratch directory. */
function put(path: string, text: string): string {
  const real = path.startsWith('/etc/') ? join(fsState.root, path) : join(scratch, path);
  mkdirSync(dirname(real), { recursive: true });
  writeFileSync(real, text);
  return path.startsWith('/etc/') ? path : real;
}

const linux = (env: NodeJS.ProcessEnv = {}) => readSystemRoots({ env, platform: 'linux' });

const BUNDLES = [
  '/etc/ssl/certs/ca-certificates.crt',
  '/etc/pki/tls/certs/ca-bundle.crt',
  '/etc/ssl/ca-bundle.pem',
  '/etc/ssl/cert.pem',
];

describe('the usual bundle locations, first that exists', () => {
  it.each(BUNDLES.map((path, i) => [path, i] as const))('%s', (path, i) => {
    // This one and every later one exist; the earlier ones do not.
    for (let j = i; j < BUNDLES.length; j++) put(BUNDLES[j] as string, pem(j));
    expect(linux()).toEqual([pem(i)]);
  });

  it('a directory where a bundle would be is passed over', () => {
    mkdirSync(join(fsState.root, '/etc/ssl/certs/ca-certificates.crt'), { recursive: true });
    put('/etc/ssl/cert.pem', pem(4));
    expect(linux()).toEqual([pem(4)]);
  });

  it('with no bundle anywhere, the hashed directory /etc/ssl/certs', () => {
    put('/etc/ssl/certs/5ad8a5d6.0', pem(7));
    put('/etc/ssl/certs/README', pem(8));
    expect(linux()).toEqual([pem(7)]);
  });

  it('with nothing at all, nothing', () => {
    expect(linux()).toEqual([]);
  });
});

describe('reading a directory', () => {
  it('in name order even when it lists otherwise', () => {
    fsState.reverse = true;
    put('dir/a.pem', pem(1));
    put('dir/b.pem', pem(2));
    put('dir/c.crt', pem(3));
    expect(linux({ SSL_CERT_DIR: join(scratch, 'dir') })).toEqual([pem(1), pem(2), pem(3)]);
  });

  it('no further file is read once 4096 certificates are found', () => {
    put('dir/a.pem', Array.from({ length: 4096 }, (_, i) => pem(i)).join('\n'));
    const next = put('dir/b.pem', pem(5000));
    const roots = linux({ SSL_CERT_DIR: join(scratch, 'dir') });
    expect(roots.length).toBe(4096);
    expect(fsState.reads).toContain(join(scratch, 'dir/a.pem'));
    expect(fsState.reads).not.toContain(next);
  });
});
