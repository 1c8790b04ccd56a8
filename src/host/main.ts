// `staplecheck-host`: started by the browser with stdin/stdout as the message pipe. Before anything
// else can run, stdout is taken away from everyone but the framer: one stray console.log from us or
// a library would corrupt the stream and make the browser drop the connection.

import type { HostOptions } from './host.js';

const writeFrameBytes = process.stdout.write.bind(process.stdout);
const toStderr = (...args: unknown[]): void => {
  process.stderr.write(`${args.map((a) => (typeof a === 'string' ? a : String(a))).join(' ')}\n`);
};
console.log = toStderr;
console.info = toStderr;
console.debug = toStderr;
console.dir = toStderr;
console.table = toStderr;
process.stdout.write = ((chunk: unknown, ...rest: unknown[]): boolean =>
  (process.stderr.write as (...a: unknown[]) => boolean)(chunk, ...rest)) as typeof process.stdout.write;

const log = (message: string): void => {
  process.stderr.write(`staplecheck-host: ${message}\n`);
};

// No input may crash the host (PROTOCOL.md): a bug is logged, the other requests carry on.
process.on('uncaughtException', (err) => log(`uncaught exception: ${err.stack ?? err.message}`));
process.on('unhandledRejection', (reason) =>
  log(`unhandled rejection: ${reason instanceof Error ? (reason.stack ?? reason.message) : String(reason)}`),
);

let pendingWrites = 0;
let drained: (() => void) | null = null;
function writeFrame(frame: Uint8Array): void {
  pendingWrites++;
  writeFrameBytes(frame, () => {
    pendingWrites--;
    if (pendingWrites === 0) drained?.();
  });
}
function flushed(): Promise<void> {
  if (pendingWrites === 0) return Promise.resolve();
  return new Promise((resolve) => {
    drained = resolve;
  });
}

// The browser closed its end: nobody is left to answer.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  log(`stdout closed (${err.code ?? err.message}); exiting`);
  process.exit(err.code === 'EPIPE' ? 0 : 1);
});

/** STAPLECHECK_HOST_IDLE_MS overrides the idle exit (tests; 0 turns it off). */
function idleExitMs(defaultMs: number): number | undefined {
  const raw = process.env.STAPLECHECK_HOST_IDLE_MS;
  if (raw === undefined || !/^\d{1,9}$/.test(raw)) return defaultMs;
  return Number(raw) === 0 ? undefined : Number(raw);
}

// The probe and the engine (most of the code) load on the first check, not on start: a ping never
// pays for them (measured by `npm run bench`).
let probe: Promise<{ checkSite: HostOptions['check'] }> | null = null;

/**
 * Whether this run loaded the probe. bin/staplecheck-host.js asks on exit: a code cache written by a
 * run that only answered pings holds none of a check's compiled code, and is written again after a
 * run that checked.
 */
export function hasRunACheck(): boolean {
  return probe !== null;
}

async function main(): Promise<never> {
  // Imported only now, so nothing they run at load time can reach the real stdout. The caller is
  // checked first and fails closed (src/host/origin.ts): a refused caller exits before stdin is read
  // and before the probe is even loaded.
  const { identifyCaller } = await import('./origin.js');
  const caller = identifyCaller(process.argv.slice(2));
  if (!caller.ok) {
    log(caller.message);
    process.exit(2);
  }

  const [{ serve, DEFAULT_IDLE_EXIT_MS }, { readPackageVersion }] = await Promise.all([
    import('./host.js'),
    import('../io/package-info.js'),
  ]);
  const checkSite: HostOptions['check'] = async (options) => {
    probe ??= import('../probe/check-site.js');
    return (await probe).checkSite(options);
  };

  const status = await serve(
    { input: process.stdin, idleExitMs: idleExitMs(DEFAULT_IDLE_EXIT_MS) },
    { version: readPackageVersion(), check: checkSite, write: writeFrame, log },
  );
  await flushed();
  // Exit outright: a timed-out check may still hold a socket, and the browser waits for our exit.
  process.exit(status);
}

void main();
