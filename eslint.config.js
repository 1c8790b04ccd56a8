// One linter for the whole tree. Layer rules keep the engine pure (docs/architecture.md rule 1) and keep
// webextension-polyfill behind one module (habit 6).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'build/', 'dist/', 'coverage/', '.tmp/', 'test-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        globalThis: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        performance: 'readonly',
        TextEncoder: 'readonly',
        TextDecoder: 'readonly',
        URL: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/core/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'net', 'tls', 'dns', 'child_process', 'os', 'path'],
              message: 'src/core is pure: no Node APIs.',
            },
            {
              group: ['webextension-polyfill', 'preact', 'preact/*'],
              message: 'src/core is pure: no browser or UI code.',
            },
            {
              group: ['../probe/*', '../cli/*', '../host/*', '../extension/*'],
              message: 'src/core depends on nothing above it.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src/extension/**/*.{ts,tsx}'],
    ignores: ['src/extension/browser-api.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['webextension-polyfill'],
              message: 'Only src/extension/browser-api.ts imports webextension-polyfill.',
            },
            {
              // extension-ids.ts is pure constants, shared so the IDs are written in one place.
              group: ['node:*', '../../probe/*', '../../cli/*', '../../host/*', '!../../host/extension-ids.js'],
              message: 'The extension runs in the browser.',
            },
          ],
        },
      ],
    },
  },
);
