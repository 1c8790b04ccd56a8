// The result contract (docs/contract.md §2) as the extension uses it: the verdict names, the badge
// colours and the contract's key order. They are defined once, in src/core/result.ts, which the
// engine builds results with; the extension takes values only from the contract layer
// (docs/architecture.md, "Layers"), so this module names them for it (rule 11: one home, no copy).
export { orderResultKeys, VERDICT_COLOUR, VERDICTS } from '../core/result.js';
export type { Result, Verdict } from '../core/result.js';
