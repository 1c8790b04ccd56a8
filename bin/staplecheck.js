#!/usr/bin/env node
// The `staplecheck` CLI (docs/contract.md §3): the one-file bundle `npm run build` writes
// (vite.node.config.ts), run with its V8 code cache by bin/staplecheck-host.js's runBundle (that
// file holds the loader because the installed host copy holds only it and its bundle). CommonJS,
// like it (bin/package.json): Node 20 starts a CommonJS entry sooner than an ES module one.
'use strict';
const { pathToFileURL } = require('node:url');

globalThis[Symbol.for('staplecheck.bin.loader-only')] = true;
const { runBundle } = require('./staplecheck-host.js');
// main() catches its own errors and sets the exit status; a rejection here is a bug, and an
// unhandled rejection ends Node with a non-zero status, as the ES module's top-level await did.
void runBundle(new URL('../build/node/staplecheck.js', pathToFileURL(__filename)), 'cli').main();
