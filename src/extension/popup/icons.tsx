// Inline SVG marks for the headline, one per tone (no remote images; CSP `img-src` stays default).
// Decorative: the headline text says the same, so they are aria-hidden.
import type { Tone } from './words.js';

const PATHS: Record<Tone | 'missing' | 'checking', string> = {
  // check mark
  good: 'M6.5 12.5l3.5 3.5 7.5-8',
  // cross
  bad: 'M7.5 7.5l9 9M16.5 7.5l-9 9',
  // exclamation
  warn: 'M12 6.5v7M12 17v.5',
  // question mark
  neutral: 'M9.2 9.2a2.9 2.9 0 1 1 4.1 2.6c-.8.4-1.3 1-1.3 1.9v.6M12 17v.5',
  missing: 'M12 6.5v7M12 17v.5',
  checking: 'M12 7v5l3 2',
};

export function StateIcon({ kind }: { kind: Tone | 'missing' | 'checking' }) {
  return (
    <svg class={`state-icon state-icon--${kind}`} viewBox="0 0 24 24" width="32" height="32" aria-hidden="true">
      <circle cx="12" cy="12" r="11" />
      <path d={PATHS[kind]} />
    </svg>
  );
}
