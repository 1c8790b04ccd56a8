// What each problem, error and helper failure means, in the user's language: the wording lives in
// src/view/explanations.ts (shared with the CLI); this binds it to the extension's lookup and adds
// the helper failures, which only the extension meets.
import type { Explanation } from '../../view/explanations.js';
import {
  explainCode,
  explainError as explainErrorIn,
  explainProblem as explainProblemIn,
} from '../../view/explanations.js';
import { msg } from './i18n.js';
import type { FailureCode } from './tab-view.js';

export type { Explanation };
export { EXPLAINED_ERROR_CODES, EXPLAINED_PROBLEM_CODES } from '../../view/explanations.js';

export function explainProblem(code: string): Explanation {
  return explainProblemIn(msg, code);
}

export function explainError(code: string): Explanation {
  return explainErrorIn(msg, code);
}

export function explainFailure(code: FailureCode): Explanation {
  return explainCode(msg, 'failure', code);
}
