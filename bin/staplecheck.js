#!/usr/bin/env node
// The `staplecheck` CLI (docs/contract.md §3); the code is compiled into build/ by `npm run build`.
import { main } from '../build/src/cli/main.js';

await main();
