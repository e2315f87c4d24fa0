/**
 * Browser tests: real Chromium (Debian's package, driven by playwright-core)
 * against the real application, serving the built client (`npm run build:web`
 * first; `npm run test:browser` does both). Same ESM ts-jest setup and
 * PostgreSQL global setup as jest.config.js; one file at a time, since each
 * runs a browser and a server on a small machine.
 */
import base from './jest.config.js';

export default {
  ...base,
  roots: ['<rootDir>/test/browser'],
  testMatch: ['**/*.browser-spec.ts'],
  testTimeout: 60000,
  maxWorkers: 1,
};
