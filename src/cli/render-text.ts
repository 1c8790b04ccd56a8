// The human rendering of a Result: it draws the prepared description of src/view/describe-result.ts
// (the same one the popup draws) and words nothing itself, so the terminal and the popup agree.
//
// Everything a server sends is hostile (certificate names, URLs, staples, error texts): every
// string of the description reaches the terminal through `draw`, which escapes control characters
// first; only this file's own colour codes are added after that, and only when `style.colour`.
import type { Severity, Verdict } from '../core/result.js';
import type { Colour, ResultView } from '../view/describe-result.js';
import { describeResult } from '../view/describe-result.js';
import type { Result } from '../core/result.js';
import type { Translate } from '../view/translate.js';
import { englishTranslate } from './message-catalogue.js';

export interface Style {
  colour: boolean;
}

const ANSI = { green: '32', red: '31', amber: '33', grey: '90', bold: '1', dim: '2' } as const;
export type Paint = keyof typeof ANSI;

/** One piece of a line: text, and how to paint it. */
export interface Segment {
  text: string;
  paint?: Paint;
}

// C0 controls and DEL, the C1 controls U+0080–U+009F (U+009B is a one-character CSI to some
// terminals, U+009D an OSC), the Unicode line and paragraph separators, and the bidi embeddings,
// overrides and isolates (U+202A–U+202E, U+2066–U+2069), which reorder what the rest of a line shows.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text as the terminal will only ever show it, never obey it: each control character becomes its
 * visible escape (`ESC` → `\x1b`, U+202E → `\u202e`). Tabs and newlines too: a name cannot start a
 * fake line of output.
 */
export function inert(text: string): string {
  return text.replace(UNSAFE, (c) => {
    const code = c.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * The one way a line reaches the output: escape each piece, then paint it. The CLI's other text
 * (render-exit-status.ts) is drawn by it too.
 */
export function draw(style: Style, segments: readonly Segment[]): string {
  let line = '';
  for (const segment of segments) {
    const text = inert(segment.text);
    line += style.colour && segment.paint && text ? `\u001b[${ANSI[segment.paint]}m${text}\u001b[0m` : text;
  }
  return `${line}\n`;
}

const VERDICT_MARK: Record<Verdict, string> = {
  'stapled-good': '✔',
  'stapled-revoked': '✖',
  'stapled-unknown': '?',
  'stapled-invalid': '✖',
  'not-stapled': '!',
  'no-ocsp': '–',
  'must-staple-violation': '✖',
  error: '?',
};

const SEVERITY_MARK: Record<Severity, string> = { error: '✖', warning: '!', info: 'i' };
const SEVERITY_PAINT: Record<Severity, Colour> = { error: 'red', warning: 'amber', info: 'grey' };

const LABEL_WIDTH = 15;

function row(label: string, value: string): Segment[] {
  return [{ text: '  ' }, { text: label.padEnd(LABEL_WIDTH - 1), paint: 'dim' }, { text: ` ${value}` }];
}

/** The lines of one result, as segments: what `renderText` draws. */
function linesOf(view: ResultView): Segment[][] {
  const lines: Segment[][] = [
    [
      { text: view.target, paint: 'bold' },
      { text: '  ' },
      { text: `${VERDICT_MARK[view.verdict]} ${view.verdict}`, paint: view.colour },
      { text: ` — ${view.headline}` },
    ],
    [{ text: `  ${view.summary}` }],
  ];
  if (view.error) {
    lines.push(row(view.words.error, `${view.error.code}: ${view.error.meaning}`));
    lines.push(row('', `${view.words.whatToDo} ${view.error.action}`));
  }
  for (const fact of view.facts) lines.push(row(fact.label, fact.value));
  view.addresses.forEach((address, i) => {
    lines.push([
      ...row(i === 0 ? view.words.addresses : '', `${address.label} → `),
      { text: `${VERDICT_MARK[address.verdict]} ${address.verdict}`, paint: address.colour },
    ]);
  });
  view.variants.forEach((variant, i) => {
    lines.push([
      ...row(i === 0 ? view.words.variants : '', `${variant.label} (${variant.offer}) → `),
      { text: `${VERDICT_MARK[variant.verdict]} ${variant.verdict}`, paint: variant.colour },
    ]);
  });
  // A label wider than the label column ("What browsers do") gets a line of its own, so that the
  // values below it stay in their column and never run into the label.
  view.browsers.forEach((browser, i) => {
    if (i === 0 && view.words.browsers.length >= LABEL_WIDTH) {
      lines.push([{ text: '  ' }, { text: view.words.browsers, paint: 'dim' }]);
    }
    const label = i === 0 && view.words.browsers.length < LABEL_WIDTH ? view.words.browsers : '';
    lines.push(row(label, `${browser.name}: ${browser.sentence}`));
  });
  for (const finding of view.findings) {
    lines.push([
      { text: '  ' },
      { text: `${SEVERITY_MARK[finding.severity]} ${finding.code}`, paint: SEVERITY_PAINT[finding.severity] },
      { text: `: ${finding.message}` },
    ]);
    lines.push([{ text: '    ' }, { text: `${view.words.whatToDo} ${finding.action}`, paint: 'dim' }]);
  }
  if (view.fixIt) {
    const fix = view.fixIt;
    lines.push([{ text: `  ${fix.title}`, paint: 'bold' }]);
    lines.push([{ text: `    ${fix.intro}` }]);
    // The lapse goes on the server's line: the number of lines never depends on the findings.
    lines.push([
      { text: `    ${fix.server}` },
      ...(fix.lapsed ? [{ text: ` ${fix.lapsed}`, paint: 'amber' as const }] : []),
    ]);
    for (const recipe of fix.recipes) {
      lines.push([{ text: `    ${recipe.name}:` }]);
      for (const line of recipe.lines) lines.push([{ text: `      ${line}` }]);
      lines.push([{ text: `      ${recipe.documentation}`, paint: 'dim' }]);
    }
  }
  return lines;
}

/** A result for people. `translate` defaults to the English catalogue the package ships. */
export function renderText(result: Result, style: Style, now: Date, translate: Translate = englishTranslate()): string {
  const view = describeResult(result, { now, translate });
  return linesOf(view)
    .map((segments) => draw(style, segments))
    .join('');
}
