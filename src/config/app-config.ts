import type { BudgetsConfig } from './budgets.js';
import type { ApiTokensConfig } from './api-tokens.js';
import type { VectorStoresConfig } from './vector-stores.js';
import type { AssistantsConfig } from './assistants.js';
import type { ChatConfig } from './chat.js';
import type { DatabaseConfig } from './database.js';
import type { GovernanceConfig } from './governance.js';
import type { HttpConfig } from './http.js';
import type { OpenAiConfig } from './openai.js';
import type { RateLimitsConfig, SecurityConfig, SessionConfig } from './session.js';
import type { SearchConfig } from './search.js';
import type { FeedbackConfig, SharesConfig } from './sharing.js';
import type { SignInConfig } from './sign-in-config.js';
import type { FileStorageConfig } from './storage.js';
import type { TrashConfig } from './trash.js';
import type { UploadsConfig, UpstreamSyncConfig } from './uploads.js';

/** The whole configuration, typed; built once at start by loadConfig (config.ts) from each area's reader. */
export type NodeEnv = 'development' | 'production' | 'test';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
/** LOG_PRETTY: `auto` prints readable lines in development on a terminal, JSON lines otherwise. */
export type LogPretty = 'auto' | 'true' | 'false';

export interface AppConfig {
  nodeEnv: NodeEnv;
  isProduction: boolean;
  host: string;
  port: number;
  /** Folder for everything the platform keeps on local disk in development. */
  dataDir: string;
  logLevel: LogLevel;
  logPretty: LogPretty;
  shutdownGraceMs: number;
  /** Server processes on this machine (node:cluster workers sharing the port); 1 runs the server in this process. */
  workers: number;
  database: DatabaseConfig;
  http: HttpConfig;
  session: SessionConfig;
  security: SecurityConfig;
  rateLimits: RateLimitsConfig;
  signIn: SignInConfig;
  openai: OpenAiConfig;
  chat: ChatConfig;
  uploads: UploadsConfig;
  fileStorage: FileStorageConfig;
  upstreamSync: UpstreamSyncConfig;
  trash: TrashConfig;
  search: SearchConfig;
  shares: SharesConfig;
  feedback: FeedbackConfig;
  governance: GovernanceConfig;
  budgets: BudgetsConfig;
  apiTokens: ApiTokensConfig;
  vectorStores: VectorStoresConfig;
  assistants: AssistantsConfig;
  metrics: { token: string | undefined };
}
