// Jest loads global setup outside its own module system, so the TypeScript
// launcher is loaded through tsx here.
import { register } from 'tsx/esm/api';

register();
const { setupTestDatabaseServer } = await import('./test-database-server.ts');

export default async function globalSetup() {
  // Lets tests that build the server once per run recognise a build of this run.
  process.env.TEST_RUN_ID = `${Date.now()}-${process.pid}`;
  await setupTestDatabaseServer();
}
