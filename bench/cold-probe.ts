// Ad-hoc: cold start variants side by side (not part of `npm run bench`).
import { spawnSync } from 'node:child_process';
import { mintSites, startServerFarm } from './sites.js';
import { encodeFrame } from './host-client.js';
import { median } from './table.js';

const minted = await mintSites(1);
const farm = await startServerFarm(minted);
const input = encodeFrame({ id: 1, type: 'check', host: 'localhost', address: '127.0.0.1', port: farm.ports[0] });
const variants: Record<string, string[]> = Object.fromEntries(
  process.argv.slice(2).map((v) => [v, v === 'zero' ? ['-e', '0'] : [v]]),
);
const t: Record<string, number[]> = Object.fromEntries(Object.keys(variants).map((k) => [k, []]));
for (let i = 0; i < Number(process.env.ROUNDS ?? 11); i++)
  for (const [k, args] of Object.entries(variants)) {
    const s = performance.now();
    const r = spawnSync(process.execPath, args, { input });
    t[k]!.push(performance.now() - s);
    if (k !== 'zero' && !r.stdout.includes('stapled-good'))
      throw new Error(`${k} ${String(r.stdout)} ${String(r.stderr)}`);
  }
for (const k in t) console.log(k, median(t[k]!).toFixed(1));
await farm.stop();
