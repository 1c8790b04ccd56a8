// The layer map of docs/architecture.md ("Layers"), as an ESLint rule: every import, export-from and
// import() in src/ is resolved to the file it names and checked against what the importing layer may
// use. Resolving the path (rather than matching the written specifier, as no-restricted-imports does)
// makes the answer the same at every folder depth, the way eslint-plugin-import's no-restricted-paths
// zones work in Dark Reader; the table below is the whole policy.
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = import.meta.dirname;

/** Folders (or single files) and the layer they form. The first match wins. */
export const LAYER_OF_PATH = [
  ['src/core/', 'core'],
  ['src/protocol/', 'protocol'],
  ['src/view/', 'view'],
  ['src/probe/', 'probe'],
  ['src/host/', 'host'],
  ['src/io/', 'io'],
  ['src/installer/', 'installer'],
  ['src/cli/', 'cli'],
  ['src/index.ts', 'library'],
  ['src/extension/', 'extension'],
  ['src/pki/', 'pki'],
  ['src/demo/', 'demo'],
  ['public/_locales/', 'catalogue'],
];

/**
 * What each layer may import. `layers`: value imports; `typesOnly`: `import type` / `export type`
 * only (erased at build time, so nothing of that layer ends up in the bundle); `node`: Node built-in
 * modules; `packages`: npm packages restricted to a few places (any other package is free).
 */
export const MAY_IMPORT = {
  core: { layers: ['core'], node: false },
  protocol: { layers: ['protocol', 'core'], node: false },
  view: { layers: ['view', 'core', 'catalogue'], typesOnly: ['protocol'], node: false },
  probe: { layers: ['probe', 'core'], node: true },
  host: { layers: ['host', 'probe', 'io', 'protocol', 'core'], node: true },
  io: { layers: ['io'], node: true },
  installer: { layers: ['installer', 'io', 'protocol', 'core'], node: true },
  cli: { layers: ['cli', 'installer', 'io', 'host', 'probe', 'view', 'protocol', 'core', 'catalogue'], node: true },
  library: { layers: ['probe', 'view', 'protocol', 'core'], node: true },
  extension: { layers: ['extension', 'view', 'protocol', 'catalogue'], typesOnly: ['core'], node: false },
  pki: { layers: ['pki', 'core'], node: true },
  // The demo is a developer tool on top of everything that runs in Node; it does not ship.
  demo: {
    layers: ['demo', 'pki', 'cli', 'installer', 'io', 'host', 'probe', 'view', 'protocol', 'core', 'catalogue'],
    node: true,
  },
  catalogue: { layers: [], node: false },
};

/** npm packages allowed only in the files listed (paths from the repository root). */
export const RESTRICTED_PACKAGES = [
  {
    names: ['webextension-polyfill'],
    only: (file) => file === 'src/extension/browser-api.ts',
    why: 'only src/extension/browser-api.ts imports webextension-polyfill (docs/architecture.md rule 6)',
  },
  {
    names: ['preact'],
    only: (file) => file.startsWith('src/extension/'),
    why: 'Preact components live in src/extension; src/view is a pure view model (docs/architecture.md rule 12)',
  },
];

const NODE_BUILTINS = new Set(builtinModules);

function relativeToRoot(file) {
  return path.relative(ROOT, file).split(path.sep).join('/');
}

export function layerOf(file) {
  for (const [prefix, layer] of LAYER_OF_PATH) if (file === prefix || file.startsWith(prefix)) return layer;
  return null;
}

function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function isNodeBuiltin(specifier) {
  return specifier.startsWith('node:') || NODE_BUILTINS.has(packageName(specifier));
}

/** Why `specifier` may not be imported from `file` (both repository-relative), or null when it may. */
export function refusalOf(file, specifier, typeOnly) {
  const from = layerOf(file);
  if (!from) return null;
  const policy = MAY_IMPORT[from];

  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = relativeToRoot(path.resolve(ROOT, path.dirname(file), specifier));
    const to = layerOf(target);
    if (!to) return `${from} imports ${target}, which is in no layer`;
    if (policy.layers.includes(to)) return null;
    if (typeOnly && policy.typesOnly?.includes(to)) return null;
    if (policy.typesOnly?.includes(to)) return `${from} may import only types from ${to} (\`import type\`)`;
    return `${from} may not import ${to}`;
  }

  if (isNodeBuiltin(specifier)) {
    return policy.node ? null : `${from} runs without Node: no ${specifier}`;
  }
  const name = packageName(specifier);
  for (const rule of RESTRICTED_PACKAGES) {
    if (rule.names.includes(name) && !rule.only(file)) return rule.why;
  }
  return null;
}

/** `import type {…}` and `export type {…} from` are erased; `import { type X }` still loads the module. */
function isTypeOnly(node) {
  return node.importKind === 'type' || node.exportKind === 'type';
}

const layerRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the layer map of docs/architecture.md' },
    schema: [],
  },
  create(context) {
    const file = relativeToRoot(context.filename);
    if (!layerOf(file)) return {};
    function check(node, source, typeOnly) {
      if (!source || source.type !== 'Literal' || typeof source.value !== 'string') return;
      const why = refusalOf(file, source.value, typeOnly);
      if (why) context.report({ node: source, message: `${why} (docs/architecture.md, "Layers").` });
    }
    return {
      ImportDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ExportNamedDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ExportAllDeclaration: (node) => check(node, node.source, isTypeOnly(node)),
      ImportExpression: (node) => check(node, node.source, false),
      // typescript-eslint 8 names the specifier `source`; older versions `argument.literal`.
      TSImportType: (node) => check(node, node.source ?? node.argument?.literal, true),
    };
  },
};

export const layersPlugin = { rules: { imports: layerRule } };
