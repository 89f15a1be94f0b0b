// @ts-check
/**
 * Lint that guards the house (README "Architecture"): TypeScript rules, React hooks, no import
 * cycles, layers that only point down, and error codes only from shared/codes.ts. Run by
 * `npm run lint` and by `npm test`.
 */
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Domain layers: they serve the composition root and the console, never the other way round. */
const DOMAIN = ['sdk', 'business', 'gateway', 'queueing', 'media', 'audit', 'cluster'];
/** What a domain layer must not import: the layers above it, and the console's DTOs. */
const ABOVE_DOMAIN = ['./electron/core', './electron/ipc', './electron/console', './electron/host', './shared/ipc'];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'release/**', 'test-results/**', 'playwright-report/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    plugins: { 'import-x': importX },
    languageOptions: { globals: { ...globals.node } },
    settings: {
      'import-x/extensions': ['.ts', '.tsx', '.js', '.mjs'],
      'import-x/external-module-folders': ['node_modules', 'node_modules/@types'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.node.json', 'tsconfig.web.json'], noWarnOnMultipleProjects: true })],
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-non-null-assertion': 'off',
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-self-import': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            ...DOMAIN.map((d) => ({
              target: `./electron/${d}`,
              from: ABOVE_DOMAIN,
              message: `electron/${d}/ is a domain layer: it must not import the composition root, IPC, console, host or the console's DTOs (layers point down only).`,
            })),
            { target: './renderer', from: './electron', message: 'renderer/ talks to the main process only through shared/ipc (the typed ConsoleClient).' },
            { target: './shared', from: ['./electron', './renderer'], message: 'shared/ imports neither side.' },
          ],
        },
      ],
      // Error codes are named in shared/codes.ts; a raw 9xxxxx elsewhere hides which error it is.
      'no-restricted-syntax': [
        'error',
        {
          selector: 'Literal[raw=/^9\\d{5}$/]',
          message: 'Use the named code from shared/codes.ts instead of a raw 9xxxxx literal.',
        },
      ],
    },
  },
  {
    files: ['shared/codes.ts'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },
  {
    files: ['e2e/**/page/**/*.js'],
    languageOptions: { globals: { ...globals.browser } },
  },
);
