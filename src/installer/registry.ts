// Windows: browsers find a host manifest through the default value of a key under
// HKCU\Software\<vendor>\NativeMessagingHosts\<name>. Set with the stock `reg` tool, so the
// installer needs no native module.
import { execFile } from 'node:child_process';

export interface Registry {
  /** Set the key's default value (creating the key). */
  setDefault(key: string, value: string): Promise<void>;
  /** The key's default value, or null when the key or value is missing. */
  getDefault(key: string): Promise<string | null>;
  /** Delete the key; a missing key is not an error. */
  deleteKey(key: string): Promise<void>;
}

/** The `reg` command lines, exposed so the Windows layout can be tested on any OS. */
export const regCommands = {
  add: (key: string, value: string): string[] => ['reg', 'add', key, '/ve', '/t', 'REG_SZ', '/d', value, '/f'],
  query: (key: string): string[] => ['reg', 'query', key, '/ve'],
  delete: (key: string): string[] => ['reg', 'delete', key, '/f'],
};

/** The value from `reg query KEY /ve` output; the "(Default)" label is localised, the type is not. */
export function parseRegQuery(output: string): string | null {
  for (const line of output.split(/\r?\n/)) {
    const match = /\sREG_(?:EXPAND_)?SZ\s+(.*)$/.exec(line);
    if (match?.[1] !== undefined) return match[1].trim();
  }
  return null;
}

function run(command: string[]): Promise<{ ok: boolean; stdout: string; stderr: string }> {
  const [file, ...args] = command;
  return new Promise((resolve) => {
    execFile(file ?? 'reg', args, { windowsHide: true }, (error, stdout, stderr) =>
      resolve({ ok: error === null, stdout: String(stdout), stderr: String(stderr) }),
    );
  });
}

export function systemRegistry(): Registry {
  return {
    async setDefault(key, value) {
      const outcome = await run(regCommands.add(key, value));
      if (!outcome.ok) throw new Error(`reg add ${key} failed: ${outcome.stderr.trim()}`);
    },
    async getDefault(key) {
      const outcome = await run(regCommands.query(key));
      return outcome.ok ? parseRegQuery(outcome.stdout) : null;
    },
    async deleteKey(key) {
      await run(regCommands.delete(key));
    },
  };
}
