#!/usr/bin/env node
// The native-messaging host (PROTOCOL.md). Browsers start it through the launcher that
// `staplecheck install` writes, which names the Node binary by absolute path.
import '../build/src/host/main.js';
