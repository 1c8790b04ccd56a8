// The layer map of docs/architecture.md ("Layers") holds: small fixture files are linted with the
// project's own ESLint config, at paths in each layer, and every import one layer may not make is
// rejected while every one it may make is accepted. The expectations are written out here, not read
// from the config, so a change to the policy has to be made in two places on purpose.
import path from 'node:path';
import { ESLint } from 'eslint';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({ cwd: ROOT, overrideConfigFile: path.join(ROOT, 'eslint.config.js') });
});

/** The layer rule's messages for `code` linted as if it were the file at `filePath`. */
async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [report] = await eslint.lintText(code, { filePath });
  return (report?.messages ?? []).filter((m) => m.ruleId === 'layers/imports').map((m) => m.message);
}

/** A specifier from `fromFile` to `toFile` (repository-relative), written as the source would. */
function specifier(fromFile: string, toFile: string): string {
  const relative = path.posix.relative(path.posix.dirname(fromFile), toFile);
  return relative.startsWith('.') ? relative : `./${relative}`;
}

// One file in each layer that imports, at different folder depths, and one file in each layer to import.
const IMPORTERS = {
  core: 'src/core/fixture.ts',
  protocol: 'src/protocol/fixture.ts',
  view: 'src/view/fixture.ts',
  probe: 'src/probe/fixture.ts',
  host: 'src/host/fixture.ts',
  io: 'src/io/fixture.ts',
  installer: 'src/installer/fixture.ts',
  cli: 'src/cli/fixture.ts',
  library: 'src/index.ts',
  extension: 'src/extension/popup/fixture.tsx',
  pki: 'src/pki/fixture.ts',
  demo: 'src/demo/fixture.ts',
} as const;
type Importer = keyof typeof IMPORTERS;

const TARGETS = {
  core: 'src/core/result.js',
  protocol: 'src/protocol/fixture.js',
  view: 'src/view/fixture.js',
  probe: 'src/probe/check-site.js',
  host: 'src/host/host.js',
  io: 'src/io/terminal-io.js',
  installer: 'src/installer/command.js',
  cli: 'src/cli/main.js',
  library: 'src/index.js',
  extension: 'src/extension/shared/fixture.js',
  pki: 'src/pki/mint.js',
  demo: 'src/demo/main.js',
  catalogue: 'public/_locales/en/messages.json',
} as const;
type Target = keyof typeof TARGETS;

/** What each layer may import with a value import (its own layer included). */
const MAY_IMPORT: Record<Importer, readonly Target[]> = {
  core: ['core'],
  protocol: ['protocol', 'core'],
  view: ['view', 'core', 'catalogue'],
  probe: ['probe', 'core'],
  host: ['host', 'probe', 'io', 'protocol', 'core'],
  io: ['io'],
  installer: ['installer', 'io', 'protocol', 'core'],
  cli: ['cli', 'installer', 'io', 'host', 'probe', 'view', 'protocol', 'core', 'catalogue'],
  library: ['probe', 'view', 'protocol', 'core'],
  extension: ['extension', 'view', 'protocol', 'catalogue'],
  pki: ['pki', 'core'],
  demo: ['demo', 'pki', 'cli', 'installer', 'io', 'host', 'probe', 'view', 'protocol', 'core', 'catalogue'],
};

const RUNS_IN_NODE: Record<Importer, boolean> = {
  core: false,
  protocol: false,
  view: false,
  probe: true,
  host: true,
  io: true,
  installer: true,
  cli: true,
  library: true,
  extension: false,
  pki: true,
  demo: true,
};

describe('every layer pair (value imports)', () => {
  for (const [importer, file] of Object.entries(IMPORTERS) as [Importer, string][]) {
    it(`${importer} imports only ${MAY_IMPORT[importer].join(', ')}`, async () => {
      const targets = Object.keys(TARGETS) as Target[];
      const lines = targets.map((target) => `import '${specifier(file, TARGETS[target])}';`);
      const [report] = await eslint.lintText(lines.join('\n') + '\n', { filePath: file });
      const refusedLines = new Set(
        (report?.messages ?? []).filter((m) => m.ruleId === 'layers/imports').map((m) => m.line),
      );
      const refused = targets.filter((_, i) => refusedLines.has(i + 1));
      const expected = targets.filter((target) => !MAY_IMPORT[importer].includes(target));
      expect(refused).toEqual(expected);
      // Something is refused and something accepted in every zone (the library and the demo may import
      // neither the extension nor each other).
      expect(refused.length).toBeGreaterThan(0);
      expect(refused.length).toBeLessThan(targets.length);
    });
  }
});

describe('types only', () => {
  const popup = IMPORTERS.extension;
  const core = specifier(popup, TARGETS.core);

  it('lets the extension import types from core, and nothing else from it', async () => {
    expect(await layerErrors(popup, `import type { Result } from '${core}';\n`)).toEqual([]);
    expect(await layerErrors(popup, `export type { Verdict } from '${core}';\n`)).toEqual([]);
    expect(await layerErrors(popup, `type R = import('${core}').Result;\nexport type { R };\n`)).toEqual([]);
    expect(await layerErrors(popup, `import { VERDICTS } from '${core}';\nexport { VERDICTS };\n`)).toHaveLength(1);
    expect(await layerErrors(popup, `export { isVerdict } from '${core}';\n`)).toHaveLength(1);
    expect(await layerErrors(popup, `export * from '${core}';\n`)).toHaveLength(1);
    expect(await layerErrors(popup, `export async function f() { return import('${core}'); }\n`)).toHaveLength(1);
  });

  it('counts `import { type X }` as a value import: the module is still loaded (verbatimModuleSyntax)', async () => {
    expect(await layerErrors(popup, `import { type Result } from '${core}';\nexport type { Result };\n`)).toHaveLength(
      1,
    );
  });

  it('lets the view import types from protocol, not values', async () => {
    const view = IMPORTERS.view;
    const protocol = specifier(view, TARGETS.protocol);
    expect(await layerErrors(view, `import type { CheckRequest } from '${protocol}';\n`)).toEqual([]);
    expect(await layerErrors(view, `import { parseRequest } from '${protocol}';\nparseRequest();\n`)).toHaveLength(1);
  });

  it('does not excuse a type import where even types are refused', async () => {
    const core = IMPORTERS.core;
    expect(await layerErrors(core, `import type { CliIo } from '${specifier(core, TARGETS.io)}';\n`)).toHaveLength(1);
  });
});

describe('Node built-ins', () => {
  for (const [importer, file] of Object.entries(IMPORTERS) as [Importer, string][]) {
    const verb = RUNS_IN_NODE[importer] ? 'may' : 'may not';
    it(`${importer} ${verb} import node:fs, fs or node:dns/promises`, async () => {
      for (const module of ['node:fs', 'fs', 'node:dns/promises']) {
        const errors = await layerErrors(file, `import '${module}';\n`);
        expect(errors, module).toHaveLength(RUNS_IN_NODE[importer] ? 0 : 1);
      }
    });
  }
});

describe('restricted packages', () => {
  it('lets only src/extension/browser-api.ts import webextension-polyfill', async () => {
    const code = `import browser from 'webextension-polyfill';\nexport { browser };\n`;
    expect(await layerErrors('src/extension/browser-api.ts', code)).toEqual([]);
    for (const file of ['src/extension/popup/fixture.tsx', 'src/extension/background/fixture.ts', 'src/view/x.ts']) {
      expect(await layerErrors(file, code), file).not.toEqual([]);
    }
  });

  it('keeps Preact in the extension, out of the pure view model', async () => {
    const code = `import { h } from 'preact';\nimport { useState } from 'preact/hooks';\nexport { h, useState };\n`;
    expect(await layerErrors('src/extension/popup/fixture.tsx', code)).toEqual([]);
    expect(await layerErrors('src/view/fixture.ts', code)).toHaveLength(2);
  });

  it('leaves other packages free (the engine parses with pkijs)', async () => {
    expect(await layerErrors('src/core/fixture.ts', `import * as pkijs from 'pkijs';\nexport { pkijs };\n`)).toEqual(
      [],
    );
  });
});

describe('outside the layers', () => {
  it('refuses an import from src/ into a folder that is in no layer (tests, scripts)', async () => {
    const errors = await layerErrors('src/cli/fixture.ts', `import '../../test/support/summary-reporter.js';\n`);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(/in no layer/);
  });

  it('leaves test/, scripts/ and bench/ free', async () => {
    for (const file of ['test/unit/fixture.test.ts', 'scripts/fixture.ts', 'bench/fixture.ts']) {
      const code = `import '../src/demo/main.js';\nimport '../src/pki/mint.js';\nimport 'node:fs';\n`;
      expect(await layerErrors(file, code), file).toEqual([]);
    }
  });
});
