// Shared Jest settings: every package tests its TypeScript sources (CommonJS via ts-jest,
// transpile-only); workspace imports resolve to the sibling package's src/ so tests never
// depend on a stale build. Type-checking is `tsc -b`, its own step.
const path = require('node:path');

module.exports = (dir) => ({
  rootDir: dir,
  testEnvironment: 'node',
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  maxWorkers: 2,
  testTimeout: 120000,
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.jest.json') }],
  },
  moduleNameMapper: {
    '^@grokscope/core/(facts|internal|browser)$': path.join(__dirname, 'packages/core/src/$1.ts'),
    '^@grokscope/(base|core|tasks|models|probes|analysis|dashboard|lab|cli)$': path.join(
      __dirname,
      'packages/$1/src/index.ts',
    ),
  },
});
