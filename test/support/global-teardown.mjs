import { rm } from 'node:fs/promises';

export default async function globalTeardown() {
  await globalThis.__embeddedTestPostgres?.stop();
  // A run that could not use the shared folder removes its own.
  if (globalThis.__embeddedTestPostgresDir) {
    await rm(globalThis.__embeddedTestPostgresDir, { recursive: true, force: true });
    await rm(`${globalThis.__embeddedTestPostgresDir}.password`, { force: true });
    await rm(`${globalThis.__embeddedTestPostgresDir}.log`, { force: true });
  }
}
