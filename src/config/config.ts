import { randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { availableParallelism } from 'node:os';
import type { JsonShapeLimits } from '../common/http/json-shape.js';
import { readChatAttachmentLimits, type ChatAttachmentLimits } from './chat-attachments.js';
import { ConfigError, EnvReader, type EnvSource } from './env-reader.js';
import { requireStrongSecrets } from './production-secrets.js';
import { readSignInConfig, type SignInConfig } from './sign-in-config.js';

export { ConfigError } from './env-reader.js';

export type NodeEnv = 'development' | 'production' | 'test';
export type ContextMode = 'full' | 'summary_window';

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export interface ModelPrice {
  /** US dollars per million input tokens. */
  input: number;
  /** US dollars per million output tokens. */
  output: number;
}

export interface AppConfig {
  nodeEnv: NodeEnv;
  isProduction: boolean;
  host: string;
  port: number;
  /** Folder for everything the platform keeps on local disk in development. */
  dataDir: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  shutdownGraceMs: number;
  /** Server processes on this machine (node:cluster workers sharing the port); 1 runs the server in this process. */
  workers: number;
  database: {
    /** Unset: the embedded PostgreSQL is started and its URL used. */
    url: string | undefined;
    poolSize: number;
    connectTimeoutMs: number;
    /** Upper bound for one statement; keeps a stuck query from holding a request forever. */
    statementTimeoutMs: number;
    runMigrationsOnStart: boolean;
    embedded: { dir: string; port: number };
  };
  http: {
    jsonBodyLimitBytes: number;
    /** Body limit of the sign-up, sign-in, password change and account deletion routes. */
    authBodyLimitBytes: number;
    /** JSON bodies of a larger shape are refused before they are parsed. */
    jsonShape: JsonShapeLimits;
    trustProxyHops: number;
    allowedOrigins: string[];
  };
  session: {
    secrets: string[];
    idleTimeoutSeconds: number;
    absoluteTimeoutSeconds: number;
    pruneIntervalSeconds: number;
    /** How long an instance may answer from its session cache before reading the row again; 0 turns it off. */
    cacheSeconds: number;
  };
  security: {
    encryptionKeys: EncryptionKey[];
    bcryptCost: number;
  };
  rateLimits: {
    loginFailuresPerWindow: number;
    loginWindowSeconds: number;
    registrationsPerWindow: number;
    registrationWindowSeconds: number;
    requestsPerMinute: number;
    chatTurnsPerMinute: number;
  };
  signIn: SignInConfig;
  openai: {
    baseUrl: string;
    /** Shared fallback key for users without their own; off unless set. */
    fallbackApiKey: string | undefined;
    requestTimeoutMs: number;
    firstTokenTimeoutMs: number;
    maxRetries: number;
    maxRetryWaitMs: number;
    defaultModel: string;
    titleModel: string;
    summaryModel: string;
    pricing: Record<string, ModelPrice>;
  };
  chat: {
    maxInputChars: number;
    contextMode: ContextMode;
    /** Newest messages kept verbatim in summary_window mode. */
    windowMessages: number;
    summarizeAfterMessages: number;
    summaryUpdateInterval: number;
    contextTokenBudget: number;
    runStaleAfterSeconds: number;
    heartbeatIntervalMs: number;
    autoTitles: boolean;
    titleWaitMs: number;
    attachments: ChatAttachmentLimits;
  };
  uploads: {
    maxFileBytes: number;
    maxFilesPerRequest: number;
    maxBytesPerUser: number;
    /** Files one account may keep, however small. */
    maxFilesPerUser: number;
    maxRequestBytes: number;
    /** Each user imports from their own folder under it: <importRoot>/<userId>. */
    importRoot: string | undefined;
    /** Where upload parts wait, on disk, until they are stored or refused. */
    tempDir: string;
  };
  upstreamSync: {
    enabled: boolean;
    pollIntervalMs: number;
    maxAttempts: number;
  };
  metrics: { token: string | undefined };
}

const DEFAULT_PRICING: Record<string, ModelPrice> = {
  'gpt-4o': { input: 2.5, output: 10 },
  'gpt-4o-mini': { input: 0.15, output: 0.6 },
  'gpt-4.1': { input: 2, output: 8 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4 },
  'gpt-5': { input: 1.25, output: 10 },
  'gpt-5-mini': { input: 0.25, output: 2 },
  'gpt-5-nano': { input: 0.05, output: 0.4 },
};

interface DevSecrets {
  sessionSecret: string;
  encryptionKey: string;
}

/** Reads development secrets from the data folder, creating them on first use. */
function loadOrCreateDevSecrets(dataDir: string): DevSecrets {
  const file = join(dataDir, 'secrets.json');
  if (existsSync(file)) {
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>;
    if (stored.sessionSecret && stored.encryptionKey) return stored as DevSecrets;
  }
  const secrets: DevSecrets = {
    sessionSecret: randomBytes(32).toString('base64url'),
    encryptionKey: `dev1:${randomBytes(32).toString('base64')}`,
  };
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  chmodSync(file, 0o600);
  return secrets;
}

export function parseEncryptionKeys(name: string, entries: string[]): EncryptionKey[] {
  const seen = new Set<string>();
  return entries.map((entry) => {
    const separator = entry.indexOf(':');
    if (separator <= 0) {
      throw new ConfigError(`${name} entries must look like id:base64-32-bytes`);
    }
    const id = entry.slice(0, separator);
    if (!/^[A-Za-z0-9_-]{1,32}$/.test(id)) {
      throw new ConfigError(`${name} key ids must be 1-32 letters, digits, _ or -`);
    }
    if (seen.has(id)) throw new ConfigError(`${name} has the key id "${id}" twice`);
    seen.add(id);
    const key = Buffer.from(entry.slice(separator + 1), 'base64');
    if (key.length !== 32) {
      throw new ConfigError(`${name} key "${id}" must decode to 32 bytes (got ${key.length})`);
    }
    return { id, key };
  });
}

function parsePricing(name: string, value: string | undefined): Record<string, ModelPrice> {
  if (value === undefined) return DEFAULT_PRICING;
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    throw new ConfigError(`${name} must be JSON like {"gpt-4o":{"input":2.5,"output":10}}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${name} must be a JSON object keyed by model`);
  }
  const pricing: Record<string, ModelPrice> = {};
  for (const [model, price] of Object.entries(parsed as Record<string, unknown>)) {
    const candidate = price as Partial<ModelPrice> | null;
    if (
      !candidate ||
      typeof candidate.input !== 'number' ||
      typeof candidate.output !== 'number' ||
      candidate.input < 0 ||
      candidate.output < 0
    ) {
      throw new ConfigError(`${name} entry "${model}" needs non-negative numbers input and output`);
    }
    pricing[model] = { input: candidate.input, output: candidate.output };
  }
  return pricing;
}

function parseByteSize(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const match = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(value);
  if (!match) throw new ConfigError(`${name} must be a size like 1048576, 512kb or 20mb (got "${value}")`);
  const units: Record<string, number> = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 };
  const bytes = Math.floor(Number(match[1]) * units[(match[2] ?? 'b').toLowerCase()]);
  if (bytes < 1) throw new ConfigError(`${name} must be at least 1 byte`);
  return bytes;
}

/**
 * Builds the typed configuration from an environment map. This module is the
 * only code that reads process.env (through the default argument).
 */
export function loadConfig(source: EnvSource = process.env): AppConfig {
  const env = new EnvReader(source);
  const nodeEnv = env.oneOf<NodeEnv>('NODE_ENV', ['development', 'production', 'test'], 'development');
  const isProduction = nodeEnv === 'production';
  const dataDir = resolve(env.string('DATA_DIR', '.data'));

  let sessionSecrets = env.list('SESSION_SECRETS');
  let rawEncryptionKeys = env.list('ENCRYPTION_KEYS');
  if (isProduction) {
    if (sessionSecrets.length === 0) throw new ConfigError('SESSION_SECRETS is required in production');
    if (rawEncryptionKeys.length === 0) throw new ConfigError('ENCRYPTION_KEYS is required in production');
  } else if (sessionSecrets.length === 0 || rawEncryptionKeys.length === 0) {
    const generated = loadOrCreateDevSecrets(dataDir);
    if (sessionSecrets.length === 0) sessionSecrets = [generated.sessionSecret];
    if (rawEncryptionKeys.length === 0) rawEncryptionKeys = [generated.encryptionKey];
  }

  const fileBytes = parseByteSize('UPLOAD_MAX_FILE_BYTES', env.raw('UPLOAD_MAX_FILE_BYTES'), 20 * 1024 ** 2);
  const importRoot = env.optionalString('UPLOAD_IMPORT_ROOT');

  const config: AppConfig = {
    nodeEnv,
    isProduction,
    host: env.string('HOST', '0.0.0.0'),
    port: env.integer('PORT', { default: 3000, min: 0, max: 65535 }),
    dataDir,
    logLevel: env.oneOf('LOG_LEVEL', ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    shutdownGraceMs: env.integer('SHUTDOWN_GRACE_MS', { default: 10_000, min: 0, max: 600_000 }),
    workers: env.raw('WEB_CONCURRENCY') === 'auto' ? availableParallelism() : env.integer('WEB_CONCURRENCY', { default: 1, min: 1, max: 64 }),
    database: {
      url: env.url('DATABASE_URL'),
      // Two at least: migrations hold an advisory lock on one connection while they run on another.
      poolSize: env.integer('DATABASE_POOL_SIZE', { default: 10, min: 2, max: 500 }),
      connectTimeoutMs: env.integer('DATABASE_CONNECT_TIMEOUT_MS', { default: 5_000, min: 100, max: 120_000 }),
      statementTimeoutMs: env.integer('DATABASE_STATEMENT_TIMEOUT_MS', { default: 30_000, min: 0, max: 3_600_000 }),
      runMigrationsOnStart: env.boolean('MIGRATIONS_RUN_ON_START', true),
      embedded: {
        dir: resolve(env.string('EMBEDDED_POSTGRES_DIR', join(dataDir, 'postgres'))),
        port: env.integer('EMBEDDED_POSTGRES_PORT', { default: 54329, min: 1, max: 65535 }),
      },
    },
    http: {
      jsonBodyLimitBytes: parseByteSize('JSON_BODY_LIMIT', env.raw('JSON_BODY_LIMIT'), 1024 * 1024),
      // Two passwords of 1,024 characters each, even written as \u escapes (12 bytes for an emoji), fit.
      authBodyLimitBytes: parseByteSize('AUTH_BODY_LIMIT', env.raw('AUTH_BODY_LIMIT'), 32 * 1024),
      // The largest legitimate bodies: 16 metadata pairs, 500 file ids, about 1,050 values (an assistant update).
      jsonShape: {
        maxDepth: env.integer('JSON_MAX_DEPTH', { default: 32, min: 1, max: 1_000 }),
        maxKeys: env.integer('JSON_MAX_KEYS', { default: 128, min: 1, max: 1_000_000 }),
        maxArrayLength: env.integer('JSON_MAX_ARRAY_LENGTH', { default: 1_000, min: 1, max: 10_000_000 }),
        maxNodes: env.integer('JSON_MAX_NODES', { default: 5_000, min: 1, max: 10_000_000 }),
      },
      trustProxyHops: env.integer('TRUST_PROXY', { default: 0, min: 0, max: 10 }),
      allowedOrigins: env.list('ALLOWED_ORIGINS').map((origin) => {
        try {
          return new URL(origin).origin;
        } catch {
          throw new ConfigError(`ALLOWED_ORIGINS entry "${origin}" is not an origin like https://app.example.org`);
        }
      }),
    },
    session: {
      secrets: sessionSecrets,
      idleTimeoutSeconds: env.integer('SESSION_IDLE_TIMEOUT_SECONDS', { default: 2 * 60 * 60, min: 1 }),
      absoluteTimeoutSeconds: env.integer('SESSION_ABSOLUTE_TIMEOUT_SECONDS', { default: 7 * 24 * 60 * 60, min: 1 }),
      pruneIntervalSeconds: env.integer('SESSION_PRUNE_INTERVAL_SECONDS', { default: 15 * 60, min: 0 }),
      cacheSeconds: env.integer('SESSION_CACHE_SECONDS', { default: 5, min: 0, max: 60 }),
    },
    security: {
      encryptionKeys: parseEncryptionKeys('ENCRYPTION_KEYS', rawEncryptionKeys),
      bcryptCost: env.integer('BCRYPT_COST', { default: 12, min: 4, max: 15 }),
    },
    rateLimits: {
      loginFailuresPerWindow: env.integer('RATE_LIMIT_LOGIN_FAILURES', { default: 10, min: 1 }),
      loginWindowSeconds: env.integer('RATE_LIMIT_LOGIN_WINDOW_SECONDS', { default: 15 * 60, min: 1 }),
      registrationsPerWindow: env.integer('RATE_LIMIT_REGISTRATIONS', { default: 10, min: 1 }),
      registrationWindowSeconds: env.integer('RATE_LIMIT_REGISTRATION_WINDOW_SECONDS', { default: 60 * 60, min: 1 }),
      requestsPerMinute: env.integer('RATE_LIMIT_REQUESTS_PER_MINUTE', { default: 600, min: 1 }),
      chatTurnsPerMinute: env.integer('RATE_LIMIT_CHAT_PER_MINUTE', { default: 20, min: 1 }),
    },
    signIn: readSignInConfig(env),
    openai: {
      baseUrl: env.url('OPENAI_BASE_URL', 'https://api.openai.com/v1') as string,
      fallbackApiKey: env.optionalString('OPENAI_API_KEY'),
      requestTimeoutMs: env.integer('OPENAI_TIMEOUT_MS', { default: 120_000, min: 100 }),
      firstTokenTimeoutMs: env.integer('OPENAI_FIRST_TOKEN_TIMEOUT_MS', { default: 60_000, min: 100 }),
      maxRetries: env.integer('OPENAI_MAX_RETRIES', { default: 2, min: 0, max: 10 }),
      maxRetryWaitMs: env.integer('OPENAI_MAX_RETRY_WAIT_MS', { default: 10_000, min: 0 }),
      defaultModel: env.string('DEFAULT_MODEL', 'gpt-4o'),
      titleModel: env.string('TITLE_MODEL', 'gpt-4o-mini'),
      summaryModel: env.string('SUMMARY_MODEL', 'gpt-4o-mini'),
      pricing: parsePricing('MODEL_PRICING', env.raw('MODEL_PRICING')),
    },
    chat: {
      maxInputChars: env.integer('CHAT_MAX_INPUT_CHARS', { default: 32_000, min: 1 }),
      contextMode: env.oneOf<ContextMode>('CONTEXT_MODE', ['full', 'summary_window'], 'summary_window'),
      windowMessages: env.integer('CONTEXT_WINDOW_MESSAGES', { default: 20, min: 1 }),
      summarizeAfterMessages: env.integer('CONTEXT_SUMMARIZE_AFTER', { default: 30, min: 1 }),
      summaryUpdateInterval: env.integer('CONTEXT_SUMMARY_INTERVAL', { default: 10, min: 1 }),
      contextTokenBudget: env.integer('CONTEXT_TOKEN_BUDGET', { default: 60_000, min: 100 }),
      runStaleAfterSeconds: env.integer('RUN_STALE_AFTER_SECONDS', { default: 60, min: 1 }),
      heartbeatIntervalMs: env.integer('SSE_HEARTBEAT_MS', { default: 15_000, min: 10 }),
      autoTitles: env.boolean('AUTO_TITLES', true),
      titleWaitMs: env.integer('TITLE_WAIT_MS', { default: 3_000, min: 0 }),
      attachments: readChatAttachmentLimits(env, (name, fallback) => parseByteSize(name, env.raw(name), fallback)),
    },
    uploads: {
      maxFileBytes: fileBytes,
      maxFilesPerRequest: env.integer('UPLOAD_MAX_FILES', { default: 100, min: 1, max: 10_000 }),
      maxBytesPerUser: parseByteSize('UPLOAD_MAX_BYTES_PER_USER', env.raw('UPLOAD_MAX_BYTES_PER_USER'), 1024 ** 3),
      maxFilesPerUser: env.integer('UPLOAD_MAX_FILES_PER_USER', { default: 10_000, min: 1 }),
      maxRequestBytes: parseByteSize('UPLOAD_MAX_REQUEST_BYTES', env.raw('UPLOAD_MAX_REQUEST_BYTES'), 200 * 1024 ** 2),
      importRoot: importRoot === undefined ? undefined : resolve(importRoot),
      tempDir: resolve(env.string('UPLOAD_TEMP_DIR', join(dataDir, 'upload-tmp'))),
    },
    upstreamSync: {
      enabled: env.boolean('UPSTREAM_SYNC_ENABLED', true),
      pollIntervalMs: env.integer('UPSTREAM_SYNC_POLL_MS', { default: 1_000, min: 10, max: 60_000 }),
      maxAttempts: env.integer('UPSTREAM_SYNC_MAX_ATTEMPTS', { default: 5, min: 1, max: 100 }),
    },
    metrics: { token: env.optionalString('METRICS_TOKEN') },
  };

  if (config.session.absoluteTimeoutSeconds < config.session.idleTimeoutSeconds) {
    throw new ConfigError('SESSION_ABSOLUTE_TIMEOUT_SECONDS must not be shorter than SESSION_IDLE_TIMEOUT_SECONDS');
  }
  if (isProduction) requireStrongSecrets(config, rawEncryptionKeys);
  return config;
}

/** The settings that are safe to show anyone (GET /config). */
export function publicConfig(config: AppConfig) {
  return {
    environment: config.nodeEnv,
    defaultModel: config.openai.defaultModel,
    titleModel: config.openai.titleModel,
    models: Object.keys(config.openai.pricing),
    pricing: config.openai.pricing,
    contextManagement: {
      mode: config.chat.contextMode,
      windowMessages: config.chat.windowMessages,
      summarizeAfterMessages: config.chat.summarizeAfterMessages,
      summaryUpdateInterval: config.chat.summaryUpdateInterval,
    },
    limits: {
      jsonBodyBytes: config.http.jsonBodyLimitBytes,
      uploadFileBytes: config.uploads.maxFileBytes,
      uploadFilesPerRequest: config.uploads.maxFilesPerRequest,
      uploadBytesPerUser: config.uploads.maxBytesPerUser,
      uploadFilesPerUser: config.uploads.maxFilesPerUser,
      chatInputChars: config.chat.maxInputChars,
      chatImagesPerMessage: Math.min(config.chat.attachments.maxImagesPerMessage, config.chat.attachments.maxImagesPerTurn),
      chatAttachmentBytesPerTurn: config.chat.attachments.maxBytesPerTurn,
      chatTurnsPerMinute: config.rateLimits.chatTurnsPerMinute,
    },
    features: {
      sharedApiKey: config.openai.fallbackApiKey !== undefined,
      serverDirectoryImport: config.uploads.importRoot !== undefined,
      embeddedDatabase: config.database.url === undefined,
    },
  };
}

export type PublicConfig = ReturnType<typeof publicConfig>;
