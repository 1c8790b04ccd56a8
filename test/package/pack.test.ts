// The published package holds what runs and nothing else (docs/architecture.md, "What ships"): the
// CLI, the host, the library and both built extensions, but no tests, no test CA (src/pki), no demo,
// no TypeScript sources. Reads `npm pack --dry-run --json` on the tree `npm test` has just built.
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

interface PackageJson {
  main: string;
  types: string;
  bin: Record<string, string>;
  scripts: Record<string, string>;
}
const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as PackageJson;

let packed: Set<string>;

beforeAll(async () => {
  if (!existsSync(path.join(ROOT, 'build/src/cli/main.js')) || !existsSync(path.join(ROOT, 'dist/chrome'))) {
    throw new Error('Nothing is built: run `npm run build` first (`npm test` does).');
  }
  // --ignore-scripts: the tree is already built; prepack would build it again.
  const { stdout } = await promisify(execFile)('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: ROOT,
    maxBuffer: 16 * 1024 * 1024,
  });
  const [report] = JSON.parse(stdout) as { files: { path: string }[] }[];
  packed = new Set(report?.files.map((file) => file.path));
}, 60_000);

function filesUnder(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.relative(ROOT, path.join(entry.parentPath, entry.name)).split(path.sep).join('/'));
}

describe('npm pack', () => {
  it('holds no test, no test CA, no demo and no TypeScript source', () => {
    const unwanted = [...packed].filter(
      (file) =>
        /^(test|src|scripts|bench|docs|\.ci)\//.test(file) ||
        /^build\/(test|scripts|bench)\//.test(file) ||
        file.startsWith('build/src/pki/') ||
        file.startsWith('build/src/demo/') ||
        file.startsWith('build/src/extension/') ||
        /\.test\.|(?<!\.d)\.tsx?$/.test(file),
    );
    expect(unwanted).toEqual([]);
  });

  it('holds both bin targets and what they load', () => {
    for (const [name, bin] of Object.entries(packageJson.bin)) {
      const binFile = path.posix.normalize(bin);
      expect(packed, name).toContain(binFile);
      // The package is "type": "module"; bin/package.json makes the CommonJS entries CommonJS.
      expect(packed, `${binFile}'s package.json`).toContain(
        path.posix.join(path.posix.dirname(binFile), 'package.json'),
      );
      // Static and dynamic imports, requires (the bin entries are CommonJS, bin/package.json), and
      // files it reads by URL; Node's built-ins are no files of ours.
      const source = readFileSync(path.join(ROOT, binFile), 'utf8');
      const specs = [
        ...source.matchAll(/import [^;]*?'([^']+)'/g),
        ...source.matchAll(/import\(\s*'([^']+)'\s*\)/g),
        ...source.matchAll(/require\(\s*'([^']+)'\s*\)/g),
        ...source.matchAll(/new URL\(\s*'([^']+)',\s*(?:import\.meta\.url|pathToFileURL\(__filename\))\s*\)/g),
      ].map(([, spec]) => spec!);
      expect(
        specs.some((spec) => spec.startsWith('../build/node/')),
        `${binFile} loads a bundle`,
      ).toBe(true);
      for (const spec of specs.filter((s) => !s.startsWith('node:'))) {
        expect(packed, `${binFile} loads ${spec}`).toContain(path.posix.join(path.posix.dirname(binFile), spec));
      }
    }
  });

  it('holds the library entry point and its types', () => {
    expect(packed).toContain(path.posix.normalize(packageJson.main));
    expect(packed).toContain(path.posix.normalize(packageJson.types));
  });

  it('holds every module that a shipped module imports', () => {
    const missing: string[] = [];
    for (const file of packed) {
      if (!file.endsWith('.js')) continue;
      const source = readFileSync(path.join(ROOT, file), 'utf8');
      // `from './x.js'` (import and export-from), `import './x.js'` and `import('./x.js')`.
      const specifiers = source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*['"](\.{1,2}\/[^'"]+)['"]/g);
      for (const [, spec] of specifiers) {
        const target = path.posix.join(path.posix.dirname(file), spec!);
        if (!packed.has(target)) missing.push(`${file} -> ${target}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('holds both built extensions whole (dist/chrome, dist/firefox)', () => {
    for (const dir of ['dist/chrome', 'dist/firefox']) {
      expect(packed).toContain(`${dir}/manifest.json`);
      const absent = filesUnder(dir).filter((file) => !packed.has(file));
      expect(absent, dir).toEqual([]);
    }
  });

  it('holds the licence and the README', () => {
    expect(packed).toContain('LICENSE');
    expect(packed).toContain('README.md');
  });

  it('builds before packing, so `npm pack` in a fresh clone gives a package that runs', () => {
    expect(packageJson.scripts.prepack).toBe('npm run build');
  });
});
