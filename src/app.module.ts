import { Module, type DynamicModule, type Type } from '@nestjs/common';
import type { AppConfig } from './config/config.js';
import { ConfigModule } from './config/config.module.js';
import type { AppLogger } from './common/logging/logger.js';
import { LoggingModule } from './common/logging/logging.module.js';
import { DatabaseModule } from './database/database.module.js';
import { HealthModule } from './health/health.module.js';
import { AssistantsModule } from './assistants/assistants.module.js';
import { AuthModule } from './auth/auth.module.js';
import { CryptoModule } from './common/crypto/crypto.module.js';
import { LifecycleModule } from './common/lifecycle/shutdown-state.js';
import { RateLimitModule } from './common/rate-limit/rate-limit.module.js';
import { ChatModule } from './chat/chat.module.js';
import { DocumentsModule } from './documents/documents.module.js';
import { FileRoutesModule } from './files/file-routes.module.js';
import { ThreadsModule } from './threads/threads.module.js';
import { UsageModule } from './usage/usage.module.js';
import { LlmModule } from './llm/llm.module.js';
import { MetricsModule } from './metrics/metrics.module.js';
import { UpstreamSyncModule } from './upstream-sync/upstream-sync.module.js';
import { SettingsModule } from './settings/settings.module.js';
import { TrashModule } from './trash/trash.module.js';
import { SearchModule } from './search/search.module.js';
import { SharesModule } from './shares/shares.module.js';
import { FeedbackModule } from './feedback/feedback.module.js';
import { AdminModule } from './admin/admin.module.js';
import { ApiTokensModule } from './api-tokens/api-tokens.module.js';
import { OpenAiCompatModule } from './openai-compat/openai-compat.module.js';

export interface AppModuleOptions {
  config: AppConfig;
  logger: AppLogger;
  /** Extra modules mounted beside the application's own (tests use this for probe routes). */
  extraImports?: Array<Type | DynamicModule>;
}

@Module({})
export class AppModule {
  static forRoot({ config, logger, extraImports = [] }: AppModuleOptions): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggingModule.forRoot(logger),
        DatabaseModule.forRoot(config, logger),
        LifecycleModule,
        CryptoModule,
        RateLimitModule,
        LlmModule,
        UpstreamSyncModule,
        MetricsModule,
        HealthModule,
        AuthModule,
        SettingsModule,
        AssistantsModule,
        FileRoutesModule,
        DocumentsModule,
        ThreadsModule,
        ChatModule,
        UsageModule,
        TrashModule,
        SearchModule,
        FeedbackModule,
        SharesModule,
        AdminModule,
        ApiTokensModule,
        OpenAiCompatModule,
        ...extraImports,
      ],
    };
  }
}
