export { FakeOpenAI, DEFAULT_MODELS, type FakeOpenAIOptions } from './fake-openai.js';
export type { HeldRequest } from './request-holds.js';
export type { MultipartBody, RecordedRequest, RequestPredicate, UploadedFilePart } from './request-log.js';
export type { SchemaViolation, ViolationDetail } from './schema-validator.js';
export type {
  Citation,
  Fault,
  RequestFault,
  Responder,
  ResponseRequestBody,
  ResponseScript,
  RouteGroup,
  StreamFault,
} from './scripting.js';
export type {
  FileProcessingOptions,
  StoredFile,
  StoredVectorStore,
  StoredVectorStoreFile,
  VectorStoreFileError,
} from './stores.js';
