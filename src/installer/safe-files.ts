// How the installer touches the file system, safe to run in a home directory someone else could
// have prepared (SECURITY.md "A malicious local process"):
// - a file is written to a new temporary file beside it (O_CREAT|O_EXCL: never an existing file,
//   never through a symbolic link), given its mode explicitly, then renamed into place; rename(2)
//   replaces a link planted at the target, it never writes through it;
// - a target that is a symbolic link or not a regular file is refused, as is a directory we write
//   into that is a symbolic link (`<profile>/NativeMessagingHosts` pointing elsewhere);
// - directories we create get their mode set explicitly afterwards, so `umask 000` cannot make
//   them world-writable;
// - a file is removed only when it is a regular file whose content shows we wrote it.
import { randomBytes } from 'node:crypto';
import type { Stats } from 'node:fs';
import { chmod, lstat, mkdir, open, readFile, rename, rm, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Directories the installer creates: the user may read and search them; only the user may write. */
export const DIRECTORY_MODE = 0o755;
export const EXECUTABLE_MODE = 0o755;
export const FILE_MODE = 0o644;

/** A refusal the user must read: what is there and what to do about it. */
export class UnsafeTargetError extends Error {}

async function lstatOrNull(path: string): Promise<Stats | null> {
  try {
    return await lstat(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

function describeNonFile(stats: Stats): string {
  if (stats.isSymbolicLink()) return 'a symbolic link';
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Creates `dir` and its missing parents with {@link DIRECTORY_MODE} whatever the umask, and checks
 * that `dir` itself is a real directory (a symbolic link there would send our file elsewhere).
 * Existing parents above it are the user's business (a dotfile manager may link ~/.config).
 */
export async function ensureDirectory(dir: string): Promise<void> {
  const missing: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    const stats = await lstatOrNull(d);
    if (stats) break;
    missing.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing) {
    try {
      await mkdir(d, { mode: DIRECTORY_MODE });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    await chmod(d, DIRECTORY_MODE);
  }
  const stats = await lstat(dir);
  if (!stats.isDirectory()) {
    throw new UnsafeTargetError(
      `refusing to write into ${dir}: it is ${describeNonFile(stats)}, not a directory. Remove it if you did not put it there, then run the command again.`,
    );
  }
}

/** Refuses a target that exists and is not a plain file. */
async function assertReplaceable(path: string): Promise<void> {
  const stats = await lstatOrNull(path);
  if (stats && !stats.isFile()) {
    throw new UnsafeTargetError(
      `refusing to write ${path}: it is ${describeNonFile(stats)}. Staple Check writes only regular files; remove it if you did not put it there, then run the command again.`,
    );
  }
}

/** Writes `content` to `path` with exactly `mode`: temporary file in the same directory, then rename. */
export async function writeFileAtomically(path: string, content: string, mode: number): Promise<void> {
  const dir = dirname(path);
  await ensureDirectory(dir);
  await assertReplaceable(path);
  const temporary = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temporary, 'wx', mode);
  try {
    try {
      await handle.writeFile(content, 'utf8');
      await handle.chmod(mode); // open's mode is filtered by the umask
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (err) {
    await unlink(temporary).catch(() => undefined);
    throw err;
  }
}

/** The largest file the installer writes, but for the host's bundle (host-copy.ts gives its own bound); anything bigger is not ours and is not read. */
const MAX_RECOGNISED_BYTES = 64 * 1024;

/**
 * Removes `path` if it is a regular file whose content `isOurs` recognises. `'absent'` when there
 * is nothing; throws {@link UnsafeTargetError} when something else is there (left alone).
 */
export async function removeRecognisedFile(
  path: string,
  isOurs: (content: string) => boolean,
  what: string,
  maxBytes: number = MAX_RECOGNISED_BYTES,
): Promise<'removed' | 'absent'> {
  const stats = await lstatOrNull(path);
  if (!stats) return 'absent';
  if (!stats.isFile()) {
    throw new UnsafeTargetError(
      `left ${path} alone: it is ${describeNonFile(stats)}, not the ${what} Staple Check wrote`,
    );
  }
  const content = stats.size <= maxBytes ? await readFile(path, 'utf8') : null;
  if (content === null || !isOurs(content)) {
    throw new UnsafeTargetError(`left ${path} alone: its content is not the ${what} Staple Check wrote`);
  }
  await rm(path);
  return 'removed';
}
