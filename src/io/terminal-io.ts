// What a command-line command may touch, injected so commands run in tests without a terminal.
// Its own layer (docs/architecture.md, "Layers"): both the CLI and the installer's commands take it,
// and the installer must not import the CLI above it.
export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Whether stdout is a terminal (colour, layout). */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Where relative file arguments are resolved. */
  cwd: string;
}

export function processIo(): CliIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
    env: process.env,
    cwd: process.cwd(),
  };
}
