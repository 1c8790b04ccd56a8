#!/usr/bin/env node
// The native-messaging host (PROTOCOL.md). Browsers start it through the launcher that
// `staplecheck install` writes, which names the Node binary by absolute path. It runs the one-file
// bundle `npm run build` writes (vite.node.config.ts), with Node's compile cache where this Node
// has one (22.1+): a browser starts the host again after every idle exit.
const { default: module } = await import('node:module');
try {
  module.enableCompileCache?.();
} catch {
  // A cache directory we cannot write is no reason not to start.
}
await import('../build/node/staplecheck-host.js');
