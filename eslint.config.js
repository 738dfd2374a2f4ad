// One ESLint config for the whole repository (decision 083). Formatting is Prettier's job
// (`npm run format:check`); nothing here is a style rule.
//
// The layer rules of DESIGN.md ("Layers") are `@typescript-eslint/no-restricted-imports` blocks per
// folder, matched on the import string. Imports in this repository are relative (or `~/`), so
// "any number of ../ then <folder>/" names the folder from anywhere below it. Flat config replaces
// a rule's options per block instead of merging them, so every block lists all the restrictions of
// its folder (built by `layer()` below); a file gets the block of its most specific folder.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** An import of `<folder>/…` spelled relatively (../…/folder) or with the `~/` alias (app only). */
const folder = (...names) => `^(?:~/|(?:\\.\\./)+)(?:${names.join('|')})(?:/|$)`;
/** The same for top-level folders outside app/ (`~/` points into app/, so only ../ reaches them). */
const topFolder = (...names) => `^(?:\\.\\./)+(?:${names.join('|')})(?:/|$)`;

const restrict = {
  service: {
    regex: topFolder('service'),
    message: 'app/ never imports service/: the app and the service share only the database (DESIGN.md, Layers).',
  },
  coreUpward: {
    regex: folder('web', 'ui', 'routes'),
    message: 'app/core never imports app/web, app/ui or app/routes: data flows top to bottom (DESIGN.md, Layers).',
  },
  platformUpward: {
    regex: folder('core', 'web', 'ui', 'routes'),
    message: 'app/platform is the bottom layer: it never imports core, web, ui or routes (DESIGN.md, Layers).',
  },
  webUpward: {
    regex: folder('ui', 'routes'),
    message: 'app/web is HTTP plumbing for routes: it never imports app/ui or app/routes (DESIGN.md, Layers).',
  },
  uiUpward: {
    regex: folder('web', 'routes'),
    message: 'app/ui never imports app/web or app/routes: components get their data as props (DESIGN.md, Layers).',
  },
  uiServerModule: {
    // Type-only imports are erased before bundling, so a component may name the row type a data
    // module returns; a value import would pull server code into the browser bundle.
    regex: '\\.server(?:\\.[cm]?[jt]sx?)?$',
    allowTypeImports: true,
    message: 'app/ui never imports a *.server module (core data modules, web plumbing): only browser-safe modules, or `import type`.',
  },
  uiData: {
    regex: `${topFolder('db')}|^(?:drizzle-orm|drizzle-kit|@libsql/.*|bcryptjs|zod)(?:/|$)`,
    message: "app/ui never touches data access or validation (db/, drizzle-orm, @libsql/*, bcryptjs, zod): that is app/core's job.",
  },
  nodeOnly: {
    regex: `^(?:node:|@remix-run/(?:node|express)(?:/|$)|(?:${builtinModules.join('|')})(?:/|$))`,
    message: 'app/core and app/ui run on Node and on Workers: no node:* or @remix-run/node (DESIGN.md, Layers).',
  },
  coreRemix: {
    regex: '^@remix-run/(?!(?:node|express)(?:/|$))', // those two already fail as nodeOnly
    message: 'app/core is runtime-neutral: no Remix imports (DESIGN.md, Layers); routes and app/web speak HTTP.',
  },
  serviceRoutes: {
    regex: `${topFolder('app/routes', 'app/ui', 'app/web')}|^~/(?:routes|ui|web)(?:/|$)`,
    message: 'service/ imports app/core, app/platform and db/, never app/routes, app/ui or app/web (DESIGN.md, Layers).',
  },
};

/** One block per folder, with every restriction that applies to it. */
const layer = (files, ...rules) => ({
  files,
  rules: {
    '@typescript-eslint/no-restricted-imports': ['error', { patterns: rules }],
  },
});

export default defineConfig([
  globalIgnores(['build/', 'public/build/', '.cache/', '.wrangler/', '.tmp/', 'data/', 'bench/out/', 'test-results/', 'playwright-report/']),

  {
    files: ['**/*.{js,mjs,cjs,ts,tsx}'],
    extends: [js.configs.recommended, tseslint.configs.recommended],
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      ecmaVersion: 2022,
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: {
      // The recommended sets, with these options (decision 083 lists what each one spared):
      // `catch {}` is the idiom for "best effort" in scripts;
      'no-empty': ['error', { allowEmptyCatch: true }],
      // `let [rows, [{ total }]]` where only rows is reassigned, and a `let` a callback reads before
      // the one assignment (a const there would be a TDZ error);
      'prefer-const': ['error', { destructuring: 'all', ignoreReadBeforeAssign: true }],
      // `_name` marks a deliberately unused binding.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },

  {
    // Tests cast loader and action replies loosely (67 of the 69 `any` in the repository).
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },

  {
    files: ['app/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'warn',
    },
  },

  // Layers (DESIGN.md). Most specific folder last.
  layer(['app/**'], restrict.service),
  layer(['app/core/**'], restrict.service, restrict.coreUpward, restrict.nodeOnly, restrict.coreRemix),
  layer(['app/platform/**'], restrict.service, restrict.platformUpward),
  layer(['app/web/**'], restrict.service, restrict.webUpward),
  layer(['app/ui/**'], restrict.service, restrict.uiUpward, restrict.uiServerModule, restrict.uiData, restrict.nodeOnly),
  layer(['service/**'], restrict.serviceRoutes),
]);
