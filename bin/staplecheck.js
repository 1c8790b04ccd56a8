#!/usr/bin/env node
// The `staplecheck` CLI (docs/contract.md §3): the one-file bundle `npm run build` writes
// (vite.node.config.ts), run with its V8 code cache by bin/staplecheck-host.js's runBundle (that
// file holds the loader because the installed host copy holds only it and its bundle).
globalThis[Symbol.for('staplecheck.bin.loader-only')] = true;
const { runBundle } = await import('./staplecheck-host.js');
await runBundle(new URL('../build/node/staplecheck.js', import.meta.url), 'cli').main();
