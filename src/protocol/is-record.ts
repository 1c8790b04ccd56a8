// The first question about any JSON that crossed a boundary (docs/architecture.md rule 4): is it an
// object with named fields? Arrays and null are not.

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
