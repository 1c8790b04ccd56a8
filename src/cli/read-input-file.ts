// The files a command is given (`--ca`, `inspect --response/--issuer/--certificate`), read with a
// size cap. A file that cannot be read is a file error naming the path and the operating system's
// reason (docs/contract.md §3: exit 3), never a usage message: the command line was right.
import { open } from 'node:fs/promises';
import { resolve } from 'node:path';

/**
 * Far above any input (an OCSP response is a few KiB; a bundle of every public root is under 1 MiB),
 * and low enough that `--response /dev/zero` or a FIFO that never ends cannot eat the memory.
 */
export const MAX_INPUT_FILE_BYTES = 16 * 1024 * 1024;

/** The OS's reasons in words; the code stays in parentheses for searching. */
const REASONS: Readonly<Record<string, string>> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
  ELOOP: 'too many symbolic links',
  ENAMETOOLONG: 'the name is too long',
  EMFILE: 'too many open files',
  EIO: 'input/output error',
};

export type InputFileRead = { ok: true; bytes: Uint8Array } | { ok: false; message: string };

/** `cannot read --ca "x.pem": no such file (ENOENT)`. `path` is user input: the caller escapes the message. */
export function fileErrorMessage(option: string, path: string, reason: string): string {
  return `cannot read ${option} "${path}": ${reason}.`;
}

export async function readInputFile(cwd: string, path: string, option: string): Promise<InputFileRead> {
  let handle;
  try {
    handle = await open(resolve(cwd, path), 'r');
    const chunks: Uint8Array[] = [];
    let total = 0;
    for (;;) {
      const chunk = new Uint8Array(64 * 1024);
      const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
      if (bytesRead === 0) break;
      total += bytesRead;
      if (total > MAX_INPUT_FILE_BYTES)
        return { ok: false, message: fileErrorMessage(option, path, `larger than ${MAX_INPUT_FILE_BYTES >> 20} MiB`) };
      chunks.push(chunk.subarray(0, bytesRead));
    }
    return { ok: true, bytes: new Uint8Array(Buffer.concat(chunks)) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason = code ? `${REASONS[code] ?? 'cannot be read'} (${code})` : 'cannot be read';
    return { ok: false, message: fileErrorMessage(option, path, reason) };
  } finally {
    await handle?.close();
  }
}
