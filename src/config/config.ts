import { resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import type { AppConfig, LogLevel, LogPretty, NodeEnv } from './app-config.js';
import { readBudgetsConfig } from './budgets.js';
import { readApiTokensConfig } from './api-tokens.js';
import { readVectorStoresConfig } from './vector-stores.js';
import { readAssistantsConfig } from './assistants.js';
import { readChatConfig } from './chat.js';
import { readDatabaseConfig } from './database.js';
import { EnvReader, type EnvSource } from './env-reader.js';
import { readGovernanceConfig } from './governance.js';
import { readHttpConfig } from './http.js';
import { readOpenAiConfig } from './openai.js';
import { requireStrongSecrets } from './production-secrets.js';
import { readSearchConfig } from './search.js';
import { readSecrets } from './secrets.js';
import { checkSessionTimeouts, readRateLimitsConfig, readSecurityConfig, readSessionConfig } from './session.js';
import { readFeedbackConfig, readSharesConfig } from './sharing.js';
import { readSignInConfig } from './sign-in-config.js';
import { readFileStorageConfig } from './storage.js';
import { readTrashConfig } from './trash.js';
import { readUploadsConfig, readUpstreamSyncConfig } from './uploads.js';

export { ConfigError } from './env-reader.js';
export { parseEncryptionKeys, type EncryptionKey } from './secrets.js';
export type { ModelPrice } from './openai.js';
export type { ContextMode } from './chat.js';
export type { SearchLanguage } from './search.js';
export type { FileStorageConfig, S3Config } from './storage.js';
export type { AppConfig, LogLevel, LogPretty, NodeEnv } from './app-config.js';

/**
 * Builds the typed configuration from an environment map. The config folder
 * is the only code that reads process.env (through the default argument);
 * each area reads its own variables (http.ts, chat.ts, uploads.ts ...).
 */
export function loadConfig(source: EnvSource = process.env): AppConfig {
  const env = new EnvReader(source);
  const nodeEnv = env.oneOf<NodeEnv>('NODE_ENV', ['development', 'production', 'test'], 'development');
  const isProduction = nodeEnv === 'production';
  const dataDir = resolve(env.string('DATA_DIR', '.data'));
  const secrets = readSecrets(env, isProduction, dataDir);
  const uploads = readUploadsConfig(env, dataDir);

  const config: AppConfig = {
    nodeEnv,
    isProduction,
    host: env.string('HOST', '0.0.0.0'),
    port: env.integer('PORT', { default: 3000, min: 0, max: 65535 }),
    dataDir,
    logLevel: env.oneOf<LogLevel>('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    logPretty: env.oneOf<LogPretty>('LOG_PRETTY', ['auto', 'true', 'false'], 'auto'),
    shutdownGraceMs: env.integer('SHUTDOWN_GRACE_MS', { default: 10_000, min: 0, max: 600_000 }),
    workers: env.raw('WEB_CONCURRENCY') === 'auto' ? availableParallelism() : env.integer('WEB_CONCURRENCY', { default: 1, min: 1, max: 64 }),
    database: readDatabaseConfig(env, dataDir),
    http: readHttpConfig(env),
    session: readSessionConfig(env, secrets),
    security: readSecurityConfig(env, secrets),
    rateLimits: readRateLimitsConfig(env),
    signIn: readSignInConfig(env),
    openai: readOpenAiConfig(env),
    chat: readChatConfig(env),
    uploads,
    fileStorage: readFileStorageConfig(env),
    upstreamSync: readUpstreamSyncConfig(env),
    trash: readTrashConfig(env),
    search: readSearchConfig(env),
    shares: readSharesConfig(env),
    feedback: readFeedbackConfig(env),
    governance: readGovernanceConfig(env),
    budgets: readBudgetsConfig(env),
    apiTokens: readApiTokensConfig(env),
    vectorStores: readVectorStoresConfig(env),
    assistants: readAssistantsConfig(env),
    metrics: { token: env.optionalString('METRICS_TOKEN') },
  };

  checkSessionTimeouts(config.session);
  if (isProduction) requireStrongSecrets(config, secrets.encryptionKeys);
  return config;
}
