#!/usr/bin/env node
// The `staplecheck` CLI (docs/contract.md §3): the one-file bundle `npm run build` writes
// (vite.node.config.ts), with Node's compile cache where this Node has one (22.1+).
const { default: module } = await import('node:module');
try {
  module.enableCompileCache?.();
} catch {
  // A cache directory we cannot write is no reason not to start.
}
const { main } = await import('../build/node/staplecheck.js');
await main();
