// The host's own copy in the user's data directory (docs/install-layout.md). `npm install -g`,
// `npx` and a clone all put the package somewhere that may vanish (npx's cache is pruned, a global
// install is replaced by the next one, a clone is deleted), and a launcher pointing into it would
// then leave the browser with "Native host has exited". So `install` copies what the host runs into
// `<data>/host/<version>/` and the launcher names that copy:
//
//   package.json                    name, version and "type": "commonjs" (the bin entry is
//                                   CommonJS, whatever a package.json above the copy says), plus the
//                                   SHA-256 of the two files below
//   bin/staplecheck-host.js         the package's bin entry (compiles the bundle with its code cache)
//   build/node/staplecheck-host.js  the one-file bundle (vite.node.config.ts): our code and pkijs,
//                                   asn1js; only Node's built-ins are imports
//
// The same relative layout as the package, so the bundle finds its version the way it does there
// (the nearest package.json named staplecheck with a bin/ beside it). Nothing else is read at run
// time: the host has no messages of its own to word (the extension words results).
//
// Removal touches only what it recognises: a version directory whose package.json carries our
// mark, and in it only the two files whose digests that package.json records, nothing through a
// symbolic link. Anything else found there is left, and so is the directory holding it.
import { createHash } from 'node:crypto';
import type { Stats } from 'node:fs';
import { lstat, readdir, readFile, rmdir } from 'node:fs/promises';
import type { Layout } from './layout.js';
import { pathFor } from './layout.js';
import { removeRecognisedFile, UnsafeTargetError } from './safe-files.js';

/** The copy's files, relative to its version directory, as they are in the package. */
export const HOST_COPY_BIN = ['bin', 'staplecheck-host.js'] as const;
export const HOST_COPY_BUNDLE = ['build', 'node', 'staplecheck-host.js'] as const;
const PACKAGE_JSON = 'package.json';

/** The field in the copy's package.json that marks it as ours and lists its files' digests. */
const COPY_MARK = 'staplecheckHostCopy';
const COPY_DESCRIPTION =
  'Written by `staplecheck install`: the Staple Check native-messaging host, copied so that it runs after the npm package is gone.';

/** The largest bundle `uninstall` reads to recognise it (today's is under 1 MiB). */
const MAX_BUNDLE_BYTES = 32 * 1024 * 1024;

/**
 * A version is a directory name: letters, digits, dots, `+` and `-` (semver's alphabet), never
 * `.` or `..`. package.json is ours, but its version becomes a path, so it is checked anyway.
 */
export function isVersionName(text: string): boolean {
  return /^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$/.test(text) && !text.includes('..');
}

/** What `install` copies: the package's version and the text of the two files. */
export interface HostCopySource {
  version: string;
  bin: string;
  bundle: string;
}

export interface HostCopyFile {
  path: string;
  content: string;
  executable: boolean;
  what: string;
}

function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

export function hostCopyDir(layout: Layout, version: string): string {
  return pathFor(layout.platform).join(layout.hostDir, version);
}

/** The launcher runs this: the copy's bin entry. */
export function hostCopyEntry(layout: Layout, version: string): string {
  return pathFor(layout.platform).join(hostCopyDir(layout, version), ...HOST_COPY_BIN);
}

interface CopyPackageJson {
  name: 'staplecheck';
  version: string;
  private: true;
  type: 'commonjs';
  description: string;
  [COPY_MARK]: { files: Record<string, string> };
}

/**
 * The files to write, package.json first: a copy cut short by a failure is then still one
 * `uninstall` recognises (the digests are known before the files are written).
 */
export function hostCopyFiles(layout: Layout, source: HostCopySource): HostCopyFile[] {
  const p = pathFor(layout.platform);
  const dir = hostCopyDir(layout, source.version);
  const manifest: CopyPackageJson = {
    name: 'staplecheck',
    version: source.version,
    private: true,
    type: 'commonjs',
    description: COPY_DESCRIPTION,
    [COPY_MARK]: {
      files: { [HOST_COPY_BIN.join('/')]: sha256(source.bin), [HOST_COPY_BUNDLE.join('/')]: sha256(source.bundle) },
    },
  };
  return [
    {
      path: p.join(dir, PACKAGE_JSON),
      content: `${JSON.stringify(manifest, null, 2)}\n`,
      executable: false,
      what: `host ${source.version} package.json`,
    },
    {
      path: p.join(dir, ...HOST_COPY_BIN),
      content: source.bin,
      executable: true,
      what: `host ${source.version} entry`,
    },
    {
      path: p.join(dir, ...HOST_COPY_BUNDLE),
      content: source.bundle,
      executable: false,
      what: `host ${source.version} bundle`,
    },
  ];
}

/** The digests a copy's package.json records, when it is one `install` wrote; otherwise null. */
export function readCopyManifest(text: string): { version: string; files: Record<string, string> } | null {
  try {
    const value = JSON.parse(text) as Partial<CopyPackageJson> | null;
    const files = value?.[COPY_MARK]?.files;
    if (value?.name !== 'staplecheck' || typeof value.version !== 'string' || typeof files !== 'object') return null;
    if (files === null) return null;
    const digests: Record<string, string> = {};
    for (const name of [HOST_COPY_BIN.join('/'), HOST_COPY_BUNDLE.join('/')]) {
      const digest = (files as Record<string, unknown>)[name];
      if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) return null;
      digests[name] = digest;
    }
    return { version: value.version, files: digests };
  } catch {
    return null;
  }
}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

async function readOurManifest(dir: string, p: ReturnType<typeof pathFor>): Promise<Record<string, string> | null> {
  const path = p.join(dir, PACKAGE_JSON);
  const stats = await lstatOrNull(path);
  if (!stats?.isFile() || stats.size > 64 * 1024) return null;
  return readCopyManifest(await readFile(path, 'utf8'))?.files ?? null;
}

/**
 * The versions under `layout.hostDir` that `install` wrote (a real directory holding our
 * package.json), oldest name first. A host directory that is not there, or is a symbolic link, has none.
 */
export async function listHostCopies(layout: Layout): Promise<string[]> {
  const p = pathFor(layout.platform);
  const stats = await lstatOrNull(layout.hostDir).catch(() => null);
  if (!stats?.isDirectory()) return [];
  const versions: string[] = [];
  for (const entry of await readdir(layout.hostDir, { withFileTypes: true })) {
    if (!entry.isDirectory() || !isVersionName(entry.name)) continue;
    if (await readOurManifest(p.join(layout.hostDir, entry.name), p).catch(() => null)) versions.push(entry.name);
  }
  return versions.sort();
}

async function assertRealDirectory(path: string): Promise<boolean> {
  const stats = await lstatOrNull(path);
  if (!stats) return false;
  if (!stats.isDirectory()) {
    throw new UnsafeTargetError(`left ${path} alone: it is not a directory Staple Check made (a link or a file)`);
  }
  return true;
}

/**
 * Removes one copy `install` wrote: its two files when their digests match, its package.json, then
 * its directories if nothing else is in them. `'absent'` when there is no such directory.
 */
export async function removeHostCopy(layout: Layout, version: string): Promise<'removed' | 'absent'> {
  const p = pathFor(layout.platform);
  if (!isVersionName(version)) throw new UnsafeTargetError(`"${version}" is not a version Staple Check writes`);
  const dir = hostCopyDir(layout, version);
  if (!(await assertRealDirectory(dir))) return 'absent';
  const digests = await readOurManifest(dir, p);
  if (!digests) throw new UnsafeTargetError(`left ${dir} alone: it holds no package.json Staple Check wrote`);
  // Each file on its own: one that is not ours stays, the others still go, and the first refusal is
  // reported once the rest is done. package.json goes too, so the next install does not retry.
  let refusal: unknown = null;
  for (const parts of [HOST_COPY_BIN, HOST_COPY_BUNDLE]) {
    try {
      const parents = parts.slice(0, -1);
      let present = true;
      for (let i = 1; i <= parents.length && present; i++) {
        present = await assertRealDirectory(p.join(dir, ...parents.slice(0, i)));
      }
      if (!present) continue;
      const expected = digests[parts.join('/')];
      await removeRecognisedFile(
        p.join(dir, ...parts),
        (content) => sha256(content) === expected,
        `host file ${parts.join('/')}`,
        MAX_BUNDLE_BYTES,
      );
    } catch (err) {
      refusal ??= err;
    }
  }
  await removeRecognisedFile(p.join(dir, PACKAGE_JSON), (t) => readCopyManifest(t) !== null, 'host package.json');
  // Deepest first; a directory that still holds something not ours stays, with it.
  for (const sub of [p.join(dir, 'build', 'node'), p.join(dir, 'build'), p.join(dir, 'bin'), dir]) {
    await rmdir(sub).catch(() => undefined);
  }
  if (refusal) throw refusal;
  return 'removed';
}
