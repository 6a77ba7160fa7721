// Lint (`npm run lint`, run by .ci/run): typescript-eslint's recommended rules, and the package
// arrows of docs/architecture.md § The dependency rule enforced by Nx's module-boundary rule from
// the `scope:*` tags each package.json declares. packages/core/test/dependencyRule.test.ts checks
// the same arrows a second way (and that every import is a declared dependency).
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'runs/**', 'packages/core/vendor/**', '**/coverage/**'] },
  ...tseslint.configs.recommended,
  {
    // The arrows bind what a package ships (src); tests may use any package as a devDependency.
    files: ['packages/*/src/**/*.ts', 'examples/*/src/**/*.ts'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:base', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'scope:core', onlyDependOnLibsWithTags: ['scope:base'] },
            // Types of core only (an optional peer): the module-boundary rule ignores type-only imports.
            { sourceTag: 'scope:tasks', onlyDependOnLibsWithTags: ['scope:base', 'scope:core'] },
            { sourceTag: 'scope:models', onlyDependOnLibsWithTags: ['scope:base', 'scope:core'] },
            { sourceTag: 'scope:probes', onlyDependOnLibsWithTags: ['scope:base', 'scope:core'] },
            { sourceTag: 'scope:analysis', onlyDependOnLibsWithTags: ['scope:base'] },
            { sourceTag: 'scope:dashboard', onlyDependOnLibsWithTags: ['scope:base', 'scope:analysis'] },
            // The lab's page bundles the packages that train and chart; its Node entry serves it.
            {
              sourceTag: 'scope:lab',
              onlyDependOnLibsWithTags: [
                'scope:base',
                'scope:core',
                'scope:tasks',
                'scope:models',
                'scope:probes',
                'scope:analysis',
                'scope:dashboard',
              ],
            },
            {
              sourceTag: 'scope:cli',
              onlyDependOnLibsWithTags: [
                'scope:base',
                'scope:core',
                'scope:tasks',
                'scope:models',
                'scope:probes',
                'scope:analysis',
                'scope:dashboard',
                'scope:lab',
              ],
            },
            // An extension written outside the repository's packages: only their public entry points.
            {
              sourceTag: 'scope:example',
              onlyDependOnLibsWithTags: [
                'scope:base',
                'scope:core',
                'scope:tasks',
                'scope:models',
                'scope:probes',
                'scope:analysis',
              ],
            },
          ],
        },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    rules: {
      // require() is deliberate where it is used: a backend or command module loaded only when
      // needed, and Node's module objects that a patch must reach (an `import * as` copy is read-only).
      '@typescript-eslint/no-require-imports': 'off',
      // `_`-prefixed names are deliberately unused (a parameter a signature requires).
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
    },
  },
  {
    // Scripts, benches and fixtures are CommonJS Node programs.
    files: ['**/*.js', '**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: {
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        process: 'readonly',
        console: 'readonly',
        Buffer: 'readonly',
      },
    },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
