// `staplecheck`: parse, run the command on the engine, render. Returns the exit status (docs/contract.md §3).
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { inspectResponse } from '../core/inspect.js';
import { nodeVerifier } from '../probe/node-verifier.js';
import { blankResult, errorResult, exitStatusOf, type Result } from '../core/result.js';
import { parseTarget } from '../core/target.js';
import { checkSite } from '../probe/check-site.js';
import { parseArgs, type CheckCommand, type InspectCommand } from './args.js';
import { processIo, type CliIo } from '../io/terminal-io.js';
import { renderJsonLine } from './render-json.js';
import { renderText } from './render-text.js';
import { packageVersion } from './version.js';

const USAGE_ERROR = 3;

function usageError(io: CliIo, message: string): number {
  io.stderr(`staplecheck: ${message}\nRun "staplecheck --help" for usage.\n`);
  return USAGE_ERROR;
}

function wantsColour(io: CliIo): boolean {
  // https://no-color.org: any non-empty NO_COLOR turns colour off.
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY && io.env.TERM !== 'dumb';
}

function emit(result: Result, json: boolean, io: CliIo): void {
  if (json) io.stdout(renderJsonLine(result));
  // Relative times are as of the check (inspect --at sets it), not as of printing.
  else io.stdout(`${renderText(result, { colour: wantsColour(io) }, new Date(result.checkedAt))}\n`);
}

function badTargetResult(target: string, message: string): Result {
  return errorResult(blankResult(new Date(), { host: target }), { code: 'bad-request', message });
}

async function runCheck(command: CheckCommand, io: CliIo): Promise<number> {
  let ca: string | undefined;
  if (command.caFile) {
    try {
      ca = await readFile(resolve(io.cwd, command.caFile), 'utf8');
    } catch (err) {
      return usageError(io, `cannot read --ca ${command.caFile}: ${(err as Error).message}`);
    }
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      return usageError(io, `--ca ${command.caFile} holds no PEM certificate.`);
  }
  const results: (Result | undefined)[] = new Array(command.targets.length);
  let nextToPrint = 0;
  let nextToStart = 0;
  let worst = 0;
  // Results print in the order the targets were given, each as soon as those before it are done.
  const flush = () => {
    while (nextToPrint < results.length && results[nextToPrint]) {
      const result = results[nextToPrint] as Result;
      worst = Math.max(worst, exitStatusOf(result.verdict));
      emit(result, command.json, io);
      nextToPrint++;
    }
  };
  const worker = async () => {
    while (nextToStart < command.targets.length) {
      const index = nextToStart++;
      const text = command.targets[index] ?? '';
      const parsed = parseTarget(text);
      results[index] = parsed.ok
        ? await checkSite({
            host: parsed.target.host,
            port: parsed.target.port,
            ...(command.servername ? { servername: command.servername } : {}),
            timeoutMs: command.timeoutMs,
            ...(ca ? { ca } : {}),
            ...(command.address ? { address: command.address } : {}),
            compareResponder: command.compareResponder,
          })
        : badTargetResult(text, parsed.message);
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, command.targets.length) }, worker));
  return worst;
}

async function readInput(io: CliIo, file: string, what: string): Promise<Uint8Array | string> {
  try {
    return new Uint8Array(await readFile(resolve(io.cwd, file)));
  } catch (err) {
    return `cannot read ${what} ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`;
  }
}

async function runInspect(command: InspectCommand, io: CliIo): Promise<number> {
  const response = await readInput(io, command.responseFile, '--response');
  if (typeof response === 'string') return usageError(io, response);
  const issuer = await readInput(io, command.issuerFile, '--issuer');
  if (typeof issuer === 'string') return usageError(io, issuer);
  let certificate: Uint8Array | null = null;
  if (command.certificateFile) {
    const read = await readInput(io, command.certificateFile, '--certificate');
    if (typeof read === 'string') return usageError(io, read);
    certificate = read;
  }
  const result = await inspectResponse({
    response,
    issuer,
    certificate,
    at: command.at ?? new Date(),
    crypto: globalThis.crypto,
    verifier: nodeVerifier,
  });
  emit(result, command.json, io);
  return exitStatusOf(result.verdict);
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) return usageError(io, parsed.message);
  const command = parsed.command;
  switch (command.kind) {
    case 'help':
      io.stdout(command.text);
      return 0;
    case 'version':
      io.stdout(`${packageVersion()}\n`);
      return 0;
    case 'check':
      return runCheck(command, io);
    case 'inspect':
      return runInspect(command, io);
    case 'install':
    case 'uninstall':
    case 'doctor': {
      const { runInstallerCommand } = await import('../installer/command.js');
      return runInstallerCommand(command.kind, command.args, io);
    }
  }
}

export async function main(): Promise<void> {
  try {
    process.exitCode = await run(process.argv.slice(2), processIo());
  } catch (err) {
    process.stderr.write(`staplecheck: internal error: ${(err as Error).stack ?? String(err)}\n`);
    process.exitCode = USAGE_ERROR;
  }
}
