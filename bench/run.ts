// `npm run bench`: every figure of the performance targets, each a ratio against a reference
// measured in the same run on the same machine, interleaved so noise hits both alike (these
// machines are shared: absolute times mean little, ratios travel). Prints one table.
//
// `--short` (CI, `npm run bench:ci`): fewer rounds; exits non-zero only when a figure is *broken*
// (the host does not answer or answers wrongly, ASN.1 code in an extension bundle, RSS that keeps
// growing, a popup that does not render), never because something is slow.
import { cpus } from 'node:os';
import { batchFigure } from './batch.js';
import { bundleFigures } from './bundles.js';
import { engineFigures } from './engine.js';
import { coldFigure, memoryFigure, throughputFigure, trustedFigure, warmFigures } from './host-figures.js';
import { popupFigure } from './popup.js';
import { mintSites, startServerFarm } from './sites.js';
import { printTable, type Row } from './table.js';

const short = process.argv.includes('--short');
/** One site checked again and again, then 40 first-seen ones. */
const FIRST_SEEN = 40;

async function guarded(name: string, figure: () => Promise<Row | Row[]>): Promise<Row[]> {
  const started = performance.now();
  try {
    const rows = await figure();
    process.stderr.write(`bench: ${name} measured in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
    return Array.isArray(rows) ? rows : [rows];
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return [{ figure: name, reference: '—', measured: '—', ratio: '—', target: '', met: false, broken: message }];
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const minted = await mintSites(FIRST_SEEN + 1);
  const farm = await startServerFarm(minted);
  try {
    const context = { minted, ports: farm.ports, short };
    rows.push(...(await guarded('warm host', () => warmFigures(context, 'default-offer'))));
    rows.push(...(await guarded('warm host, trusted chain', () => trustedFigure(context))));
    if (!short) rows.push(...(await guarded('warm host, full probe', () => warmFigures(context, 'full'))));
    rows.push(...(await guarded('engine', () => engineFigures(short))));
    rows.push(...(await guarded('cold start', () => coldFigure(context))));
    rows.push(...(await guarded('host RSS', () => memoryFigure(context))));
    rows.push(...(await guarded('throughput', () => throughputFigure(context))));
  } finally {
    await farm.stop();
  }
  rows.push(...(await guarded('batch', () => batchFigure(minted, short))));
  rows.push(...(await guarded('popup LCP', () => popupFigure(short))));
  rows.push(...bundleFigures());

  const cpu = cpus()[0]?.model.trim() ?? 'unknown CPU';
  console.log(`Node ${process.version}, ${cpus().length} × ${cpu}${short ? ', short run' : ''}\n`);
  printTable(rows, (line) => console.log(line));
  const broken = rows.filter((r) => r.broken);
  const missed = rows.filter((r) => !r.met);
  console.log(`\n${rows.length - missed.length} of ${rows.length} targets met; ${broken.length} broken.`);
  // The short run fails on broken figures only; the full one on any missed target.
  process.exitCode = broken.length > 0 || (!short && missed.length > 0) ? 1 : 0;
}

await main();
