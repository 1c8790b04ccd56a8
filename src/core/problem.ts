// Builders for findings (docs/contract.md §2): every step of a check reports what it found as a list of these.
import type { Problem } from './result.js';

export function error(code: Problem['code'], message: string): Problem {
  return { code, severity: 'error', message };
}

export function warning(code: Problem['code'], message: string): Problem {
  return { code, severity: 'warning', message };
}

export function info(code: Problem['code'], message: string): Problem {
  return { code, severity: 'info', message };
}
