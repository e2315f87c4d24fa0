// Browser specs serve the built client: build it once per run, then share the
// database server of the other projects.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import databaseSetup from '../../support/global-setup.mjs';

export default async function globalSetup(globalConfig, projectConfig) {
  const started = Date.now();
  const build = spawnSync(process.execPath, [join(projectConfig.rootDir, 'web', 'build.mjs')], {
    cwd: projectConfig.rootDir,
    encoding: 'utf8',
  });
  if (build.status !== 0) {
    throw new Error(`building the web client failed (npm run build:web):\n${build.stdout}${build.stderr}`);
  }
  process.stdout.write(`\nweb client built in ${Date.now() - started} ms\n`);
  await databaseSetup();
}
