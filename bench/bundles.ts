// The extension's bundles: what the popup loads, gzipped, and no ASN.1 toolkit anywhere (the
// extension handles results, never certificates: docs/architecture.md's layers).
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Row } from './table.js';

const DIST = join(import.meta.dirname, '..', 'dist');
/** Names and idioms only asn1js / pkijs (or our engine's pkijs wrappers) bring into a bundle. */
const ASN1_MARKERS = [
  /asn1js/i,
  /pkijs/i,
  /\bfromBER\b/,
  /LocalBaseBlock/,
  /src\/core\/(certificate|der|verify-staple|inspect)\.ts/,
];

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

/** popup.html and everything it loads: its scripts and styles, and the chunks those import. */
function popupFiles(root: string): string[] {
  const seen = new Set<string>();
  const visit = (path: string): void => {
    if (seen.has(path) || !existsSync(path)) return;
    seen.add(path);
    const text = readFileSync(path, 'utf8');
    const refs = path.endsWith('.html')
      ? [...text.matchAll(/(?:src|href)="\.?\/?([^"]+\.(?:js|css))"/g)].map((m) => join(root, m[1]!))
      : [...text.matchAll(/(?:from|import)\s*\(?\s*["']\.\/([^"']+\.(?:js|css))["']/g)].map((m) =>
          join(dirname(path), m[1]!),
        );
    for (const ref of refs) visit(ref);
  };
  visit(join(root, 'popup.html'));
  return [...seen];
}

export function bundleFigures(): Row[] {
  const chrome = join(DIST, 'chrome');
  if (!existsSync(join(chrome, 'popup.html'))) {
    const missing = 'dist/chrome is missing: run `npm run build`';
    return [
      { figure: 'popup bundle', reference: '—', measured: '—', ratio: '—', target: '', met: false, broken: missing },
    ];
  }
  const files = popupFiles(chrome);
  const gzipBytes = files.reduce((n, f) => n + gzipSync(readFileSync(f), { level: 9 }).length, 0);
  const scripts = filesUnder(DIST).filter((f) => f.endsWith('.js'));
  const withAsn1 = scripts.filter((f) => {
    const text = readFileSync(f, 'utf8');
    return ASN1_MARKERS.some((m) => m.test(text));
  });
  return [
    {
      figure: `popup bundle (${files.map((f) => relative(chrome, f)).join(', ')})`,
      reference: '—',
      measured: `${(gzipBytes / 1024).toFixed(1)} KB gzip`,
      ratio: '—',
      target: '≤ 25 KB gzip',
      met: gzipBytes <= 25 * 1024,
      broken: files.some((f) => f.endsWith('.js')) ? null : 'popup.html loads no script',
    },
    {
      figure: `ASN.1 code in extension bundles (${scripts.length} scripts)`,
      reference: '—',
      measured: withAsn1.length ? withAsn1.map((f) => relative(DIST, f)).join(', ') : 'none',
      ratio: '—',
      target: 'none',
      met: withAsn1.length === 0,
      broken: withAsn1.length ? `ASN.1 code in ${withAsn1.map((f) => relative(DIST, f)).join(', ')}` : null,
    },
  ];
}
