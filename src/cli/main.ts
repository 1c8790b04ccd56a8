// `staplecheck`: parse, run the command on the engine, render. Returns the exit status (docs/contract.md §3).
import { inspectResponse } from '../core/inspect.js';
import { nodeVerifier } from '../probe/node-verifier.js';
import { blankResult, errorResult, type Result } from '../core/result.js';
import { parseTarget } from '../core/target.js';
import { checkSite } from '../probe/check-site.js';
import { parseArgs, type CheckCommand, type InspectCommand } from './args.js';
import { processIo, type CliIo } from '../io/terminal-io.js';
import { readInputFile } from './read-input-file.js';
import { renderSummary, renderThresholdNote } from './render-exit-status.js';
import { renderJsonLine } from './render-json.js';
import { renderNagios, renderNagiosUnknown } from './render-nagios.js';
import { inert, renderText, type Style } from './render-text.js';
import { NO_THRESHOLDS, judgeThresholds, worstStatus, type JudgedResult, type Thresholds } from './thresholds.js';
import { readPackageVersion } from '../io/package-info.js';

const USAGE_ERROR = 3;
/** A file that cannot be read (docs/contract.md §3): the status of an error, and no usage text. */
const FILE_ERROR = 3;

// Messages quote what the user typed (a target, a path, an --at value): `inert` keeps a control
// character in them from driving the terminal (render-text.ts).
function usageError(io: CliIo, message: string): number {
  io.stderr(`staplecheck: ${inert(message)}\nRun "staplecheck --help" for usage.\n`);
  return USAGE_ERROR;
}

/** A file error: on stderr, or for `--nagios` as the UNKNOWN line on stdout, where monitoring looks. */
function fileError(io: CliIo, message: string, nagios = false): number {
  if (nagios) io.stdout(renderNagiosUnknown(message));
  else io.stderr(`staplecheck: ${inert(message)}\n`);
  return FILE_ERROR;
}

function wantsColour(io: CliIo): boolean {
  // https://no-color.org: any non-empty NO_COLOR turns colour off.
  if (io.env.NO_COLOR) return false;
  if (io.env.FORCE_COLOR && io.env.FORCE_COLOR !== '0') return true;
  return io.isTTY && io.env.TERM !== 'dumb';
}

/** One result as a JSON line or as text; under the text, why a threshold raised its exit status. */
function emit(judged: JudgedResult, json: boolean, io: CliIo, thresholds: Thresholds = NO_THRESHOLDS): void {
  const { result } = judged;
  if (json) {
    io.stdout(renderJsonLine(result));
    return;
  }
  const style: Style = { colour: wantsColour(io) };
  // Relative times are as of the check (inspect --at sets it), not as of printing.
  const text = renderText(result, style, new Date(result.checkedAt));
  io.stdout(`${text}${renderThresholdNote(judged, thresholds, style)}\n`);
}

function badTargetResult(target: string, message: string): Result {
  return errorResult(blankResult(new Date(), { host: target }), { code: 'bad-request', message });
}

/** Set by a check or an inspection: the code those compile is what bin/*.js's code cache is for. */
let checked = false;

/** Whether this run checked or inspected something (bin/staplecheck-host.js's runBundle asks on exit). */
export function hasRunACheck(): boolean {
  return checked;
}

async function runCheck(command: CheckCommand, io: CliIo): Promise<number> {
  checked = true;
  let ca: string | undefined;
  if (command.caFile) {
    const read = await readInputFile(io.cwd, command.caFile, '--ca');
    if (!read.ok) return fileError(io, read.message, command.nagios);
    ca = new TextDecoder().decode(read.bytes);
    if (!ca.includes('-----BEGIN CERTIFICATE-----'))
      return fileError(io, `--ca "${command.caFile}" holds no PEM certificate.`, command.nagios);
  }
  const thresholds: Thresholds = { warnLeftMs: command.warnLeftMs, critLeftMs: command.critLeftMs };
  const judged: (JudgedResult | undefined)[] = new Array(command.targets.length);
  let nextToPrint = 0;
  let nextToStart = 0;
  // Results print in the order the targets were given, each as soon as those before it are done;
  // --nagios prints its one line when all are done.
  const flush = () => {
    if (command.nagios) return;
    while (nextToPrint < judged.length && judged[nextToPrint]) {
      emit(judged[nextToPrint] as JudgedResult, command.json, io, thresholds);
      nextToPrint++;
    }
  };
  const worker = async () => {
    while (nextToStart < command.targets.length) {
      const index = nextToStart++;
      const text = command.targets[index] ?? '';
      const parsed = parseTarget(text);
      const result = parsed.ok
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
      judged[index] = judgeThresholds(result, thresholds);
      flush();
    }
  };
  await Promise.all(Array.from({ length: Math.min(command.concurrency, command.targets.length) }, worker));
  const all = judged.filter((j): j is JudgedResult => j !== undefined);
  if (command.nagios) io.stdout(renderNagios(all, thresholds));
  // JSON Lines stays one result per line: the summary is for people.
  else if (!command.json && all.length > 1) io.stdout(renderSummary(all, { colour: wantsColour(io) }));
  return worstStatus(all);
}

async function runInspect(command: InspectCommand, io: CliIo): Promise<number> {
  checked = true;
  const response = await readInputFile(io.cwd, command.responseFile, '--response');
  if (!response.ok) return fileError(io, response.message);
  const issuer = await readInputFile(io.cwd, command.issuerFile, '--issuer');
  if (!issuer.ok) return fileError(io, issuer.message);
  let certificate: Uint8Array | null = null;
  if (command.certificateFile) {
    const read = await readInputFile(io.cwd, command.certificateFile, '--certificate');
    if (!read.ok) return fileError(io, read.message);
    certificate = read.bytes;
  }
  const result = await inspectResponse({
    response: response.bytes,
    issuer: issuer.bytes,
    certificate,
    at: command.at ?? new Date(),
    crypto: globalThis.crypto,
    verifier: nodeVerifier,
  });
  const judged = judgeThresholds(result, NO_THRESHOLDS);
  emit(judged, command.json, io);
  return judged.status;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    // A monitoring host shows stdout only: say UNKNOWN there too when --nagios was asked for.
    if (argv[0] === 'check' && argv.includes('--nagios')) io.stdout(renderNagiosUnknown(parsed.message));
    return usageError(io, parsed.message);
  }
  const command = parsed.command;
  switch (command.kind) {
    case 'help':
      io.stdout(command.text);
      return 0;
    case 'version':
      io.stdout(`${readPackageVersion()}\n`);
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
