// Jest loads global setup outside its own module system, so the TypeScript
// launcher is loaded through tsx here.
import { register } from 'tsx/esm/api';

register();
const { setupTestDatabaseServer } = await import('./test-database-server.ts');

/**
 * Several projects of one run (e2e, fuzz, browser) use this setup: the first
 * one starts (or checks) the database server, the others share it.
 */
export default async function globalSetup() {
  globalThis.__testDatabaseServerSetup ??= (async () => {
    // Lets tests that build the server once per run recognise a build of this run.
    process.env.TEST_RUN_ID = `${Date.now()}-${process.pid}`;
    await setupTestDatabaseServer();
  })();
  await globalThis.__testDatabaseServerSetup;
}
