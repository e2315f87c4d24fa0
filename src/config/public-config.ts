import type { AppConfig } from './app-config.js';

/** The settings that are safe to show anyone (GET /config). */
export function publicConfig(config: AppConfig) {
  return {
    environment: config.nodeEnv,
    defaultModel: config.openai.defaultModel,
    titleModel: config.openai.titleModel,
    /** The model of chats without an assistant (null: such chats are refused). */
    chatModel: config.openai.plainChat.enabled ? config.openai.plainChat.model : null,
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
      searchQueryChars: config.search.maxQueryChars,
      searchCandidates: config.search.maxCandidates,
      feedbackCommentChars: config.feedback.maxCommentChars,
      sharesPerUser: config.shares.maxPerUser,
      messageVersions: config.chat.maxMessageVersions,
      threadMessages: config.chat.maxThreadMessages,
    },
    features: {
      sharedApiKey: config.openai.fallbackApiKey !== undefined,
      serverDirectoryImport: config.uploads.importRoot !== undefined,
      embeddedDatabase: config.database.url === undefined,
    },
  };
}

export type PublicConfig = ReturnType<typeof publicConfig>;
