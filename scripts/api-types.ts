/**
 * npm run api:types: builds the server (npm run build, so dist/ keeps the web client), takes its OpenAPI document
 * without a database, and writes the web client's types (web/src/api/schema.d.ts).
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openApiDocument, SCHEMA_FILE, schemaTypes, type AppModules } from './api-schema.js';

// The build, not src/: its decorators carry the design types the document is made of.
const built = (path: string) => import(pathToFileURL(join(process.cwd(), 'dist', 'src', path)).href);
const modules: AppModules = {
  AppModule: ((await built('app.module.js')) as typeof import('../src/app.module.js')).AppModule,
  loadConfig: ((await built('config/config.js')) as typeof import('../src/config/config.js')).loadConfig,
  createLogger: ((await built('common/logging/logger.js')) as typeof import('../src/common/logging/logger.js')).createLogger,
};
writeFileSync(SCHEMA_FILE, await schemaTypes(await openApiDocument(modules)));
process.stdout.write(`written ${SCHEMA_FILE}\n`);
