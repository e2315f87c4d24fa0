/**
 * Jest in ESM mode with ts-jest, one run of four projects (`npm test` runs them
 * all and gives one result; `--selectProjects <name>` runs one of them):
 *
 * - unit: specs that need nothing running (src/**\/*.spec.ts beside the code,
 *   and the pure specs of the web client's helpers). No global setup: they run
 *   without any database.
 * - e2e: test/e2e (but the fuzz specs) and the fake OpenAI server's specs; they
 *   boot the real application against a real PostgreSQL (global setup).
 * - fuzz: the fuzz specs, same setup as e2e.
 * - browser: the web client in real Chromium against the real application; its
 *   global setup builds the client first.
 *
 * Files run in parallel across projects (JEST_MAX_WORKERS, default half the cores):
 * each test file gets a database and a server of its own.
 */
const shared = {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: '<rootDir>/tsconfig.json' }],
  },
};

const withDatabase = {
  globalSetup: '<rootDir>/test/support/global-setup.mjs',
  globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
  setupFilesAfterEnv: ['<rootDir>/test/support/after-each-file.ts'],
};

const unitSpecs = ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/browser/*.spec.ts'];
const fuzzSpecs = ['<rootDir>/test/e2e/fuzz*.e2e-spec.ts'];

export default {
  // A test or hook (booting an application on a fresh database) gets longer under CI, where the
  // machine runs two test files, their servers and Chromium on two cores.
  testTimeout: process.env.CI ? 60000 : 30000,
  maxWorkers: process.env.JEST_MAX_WORKERS ?? '50%',
  passWithNoTests: false,
  projects: [
    {
      ...shared,
      displayName: 'unit',
      roots: ['<rootDir>/src', '<rootDir>/test/browser'],
      testMatch: unitSpecs,
    },
    {
      ...shared,
      ...withDatabase,
      displayName: 'e2e',
      roots: ['<rootDir>/test/e2e', '<rootDir>/test/fake-openai'],
      testMatch: ['<rootDir>/test/e2e/*.e2e-spec.ts', '<rootDir>/test/fake-openai/**/*.spec.ts'],
      testPathIgnorePatterns: ['/node_modules/', '/test/e2e/fuzz[^/]*\\.e2e-spec\\.ts$'],
    },
    {
      ...shared,
      ...withDatabase,
      displayName: 'fuzz',
      roots: ['<rootDir>/test/e2e'],
      testMatch: fuzzSpecs,
    },
    {
      ...shared,
      displayName: 'browser',
      roots: ['<rootDir>/test/browser'],
      testMatch: ['<rootDir>/test/browser/*.browser-spec.ts'],
      globalSetup: '<rootDir>/test/browser/support/global-setup.mjs',
      globalTeardown: '<rootDir>/test/support/global-teardown.mjs',
      setupFilesAfterEnv: ['<rootDir>/test/browser/support/test-timeout.ts'],
    },
  ],
};
