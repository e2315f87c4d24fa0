import 'reflect-metadata';
import { ConfigError, loadConfig } from '../config/config.js';
import { SecretBox } from '../common/crypto/secret-box.js';
import { createLogger } from '../common/logging/logger.js';
import { resolveDatabase } from '../database/database-server.js';
import { openStandaloneSql } from '../database/standalone-sql.js';
import { rotateApiKeys } from './key-rotation.js';
import { SettingsRepository } from './settings.repository.js';

/** `npm run keys:rotate`: re-encrypts stored API keys with the first key of ENCRYPTION_KEYS. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger('warn');
  const database = await resolveDatabase(config, logger);
  const connection = await openStandaloneSql(database.config);
  try {
    const secrets = new SecretBox(database.config.security.encryptionKeys);
    const result = await rotateApiKeys(new SettingsRepository(connection.sql), secrets);
    process.stdout.write(
      `re-encrypted ${result.rotated} API key(s) with key "${secrets.primaryKeyId}"; ${result.alreadyCurrent} already used it\n`,
    );
  } finally {
    await connection.close();
    await database.stop();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof ConfigError ? 'Configuration error: ' : ''}${(error as Error).message}\n`);
  process.exit(1);
});
