// Targets as users write them (docs/contract.md §3) and the endpoint written back: the extension
// reads a tab's host with the same rules the host's `check` and the CLI apply. Defined once in
// src/core (target.ts, host-port.ts), where the check options validate hosts with them; named here
// for the layers that take values only from the contract (docs/architecture.md, "Layers").
export { normalizeHost, parseTarget } from '../core/target.js';
export { formatHostPort } from '../core/host-port.js';
