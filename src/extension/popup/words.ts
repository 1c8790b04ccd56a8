// Verdict headlines indexed by verdict, in the user's language (see shared/i18n.ts), for code that
// names a verdict outside a result. A result's own words come prepared from src/view/describe-result.ts.
import type { Verdict } from '../../protocol/result.js';
import { VERDICTS } from '../../protocol/result.js';
import { localizedRecord, messageKey } from '../shared/i18n.js';

export { toneOf, type Tone } from '../../view/describe-result.js';

export const HEADLINE: Record<Verdict, string> = localizedRecord(VERDICTS, (v) => messageKey('headline', v));
