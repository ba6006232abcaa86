// Lint rules for the whole repository. Besides style, it guards the architecture: the core
// (language, engine, traces, graph, bundle) stays pure TypeScript with no environment imports.
import { builtinModules } from 'node:module';
import { defineConfig } from 'eslint/config';
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Folders whose code must run unchanged in the browser, a Web Worker and Node. */
export const CORE_FOLDERS = ['src/language', 'src/engine', 'src/traces', 'src/graph', 'src/bundle'];

const WHY_PURE =
  'the core is pure TS that runs unchanged in browser, worker and Node; wire environments in cli/ or workers/';

const escapeRegex = (text) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const nodeBuiltins = [...new Set(builtinModules.map((name) => name.split('/')[0]))]
  .filter((name) => !name.startsWith('_'))
  .map(escapeRegex)
  .join('|');

const coreRestrictedImports = [
  {
    regex: '^(react|react-dom|monaco-editor|zustand|xstate|d3)(/.*)?$',
    message: `UI and state libraries are not allowed here: ${WHY_PURE}.`,
  },
  { regex: '^d3-[^/]+(/.*)?$', message: `d3 modules are not allowed here: ${WHY_PURE}.` },
  { regex: '^node:', message: `Node built-ins are not allowed here: ${WHY_PURE}.` },
  { regex: `^(${nodeBuiltins})(/.*)?$`, message: `Node built-ins are not allowed here: ${WHY_PURE}.` },
];

const coreRestrictedGlobals = ['window', 'document', 'localStorage', 'indexedDB', 'navigator'].map((name) => ({
  name,
  message: `\`${name}\` is a browser global: ${WHY_PURE}.`,
}));

export default defineConfig(
  { ignores: ['dist/', 'node_modules/', '.tmp/', 'test-results/', 'coverage/'] },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.browser, ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: CORE_FOLDERS.map((folder) => `${folder}/**/*.{ts,tsx}`),
    rules: {
      'no-restricted-imports': ['error', { patterns: coreRestrictedImports }],
      'no-restricted-globals': ['error', ...coreRestrictedGlobals],
    },
  },
);
