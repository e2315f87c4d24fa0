import type { AddressInfo } from 'node:net';
import type { DynamicModule, Type } from '@nestjs/common';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DataSource } from 'typeorm';
import { createApp } from '../../src/app.factory.js';
import { loadConfig, type AppConfig } from '../../src/config/config.js';
import { createLogger } from '../../src/common/logging/logger.js';
import { FakeOpenAI } from './fake-openai/index.js';
import { LogCapture } from './log-capture.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

export const TEST_SESSION_SECRET = 'test-session-secret-0123456789abcdefghijklmnop';
export const TEST_ENCRYPTION_KEY = `k1:${Buffer.alloc(32, 7).toString('base64')}`;

export interface TestAppOptions {
  /** Environment entries on top of the test defaults. */
  env?: Record<string, string | undefined>;
  /** Reuse a database (e.g. for a second instance); a fresh one is created otherwise. */
  database?: TestDatabase;
  /** Overrides the database URL the application connects to (e.g. through a proxy). */
  databaseUrl?: string;
  extraImports?: Array<Type | DynamicModule>;
  /** Serve OpenAI from this fake; `true` starts one owned (and stopped) by the test app. */
  fake?: FakeOpenAI | true;
  /** Serve the web client from this folder instead of the build (dist/web). */
  webClientDir?: string;
}

export interface TestApp {
  app: NestExpressApplication;
  config: AppConfig;
  database: TestDatabase;
  dataSource: DataSource;
  /** http://127.0.0.1:port of the listening server. */
  baseUrl: string;
  logs: LogCapture;
  /** The fake OpenAI server the app talks to, when one was asked for. */
  fake: FakeOpenAI;
  close(): Promise<void>;
}

export function testEnv(database: string, extra: Record<string, string | undefined> = {}) {
  return {
    NODE_ENV: 'test',
    DATABASE_URL: database,
    SESSION_SECRETS: TEST_SESSION_SECRET,
    ENCRYPTION_KEYS: TEST_ENCRYPTION_KEY,
    BCRYPT_COST: '4',
    LOG_LEVEL: 'info',
    OPENAI_BASE_URL: 'http://127.0.0.1:9/v1',
    OPENAI_MAX_RETRIES: '0',
    UPSTREAM_SYNC_POLL_MS: '50',
    UPSTREAM_SYNC_MAX_ATTEMPTS: '1',
    // Title calls would take scripted replies meant for chat; the title tests turn them on.
    AUTO_TITLES: 'false',
    DATA_DIR: '.data/test',
    // Tests sign up many users from one address; the limits have their own tests.
    RATE_LIMIT_REGISTRATIONS: '10000',
    RATE_LIMIT_LOGIN_FAILURES: '10000',
    RATE_LIMIT_REQUESTS_PER_MINUTE: '100000',
    RATE_LIMIT_CHAT_PER_MINUTE: '10000',
    RATE_LIMIT_SIGNINS_PER_ADDRESS: '10000',
    RATE_LIMIT_SIGNINS_PER_ACCOUNT: '10000',
    LOGIN_BACKOFF_AFTER_FAILURES: '10000',
    SESSION_MAX_PER_USER: '10000',
    // Suites send bursts of sign-ups from one address; the admission queue has its own tests.
    BCRYPT_QUEUE_LENGTH: '10000',
    BCRYPT_QUEUE_WAIT_MS: '60000',
    // Suites move hundreds of megabytes for one user; pacing has its own tests.
    USER_TRANSFER_BYTES_PER_SECOND: '0',
    // Suites send hundreds of refused bodies on purpose; the refusal gate has its own tests.
    REFUSALS_PER_CLIENT: '0',
    ...extra,
  };
}

/** Boots the real application on a fresh database and a random port. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database = options.database ?? (await createTestDatabase());
  const ownsDatabase = !options.database;
  const fake = options.fake === true ? await FakeOpenAI.start() : options.fake;
  const ownsFake = options.fake === true;
  const config = loadConfig(
    testEnv(options.databaseUrl ?? database.url, { ...(fake ? { OPENAI_BASE_URL: fake.baseUrl } : {}), ...options.env }),
  );
  const logs = new LogCapture();
  const logger = createLogger(config.logLevel, logs);
  const app = await createApp({ config, logger, extraImports: options.extraImports, webClientDir: options.webClientDir });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return {
    app,
    config,
    database,
    dataSource: app.get(DataSource),
    baseUrl: `http://127.0.0.1:${port}`,
    logs,
    get fake(): FakeOpenAI {
      if (!fake) throw new Error('this test app was started without a fake OpenAI server');
      return fake;
    },
    async close() {
      await app.close();
      if (ownsDatabase) await database.drop();
      if (ownsFake && fake) {
        await fake.stop();
        // Every request the platform sent must have matched the official API schema.
        fake.assertNoSchemaViolations();
      }
    },
  };
}
