import OpenAI, { toFile } from 'openai';
import type { Completion, ImageUpload, LlmEvent, LlmRequest, StreamOptions, UpstreamFile } from './llm-types.js';
import { outputText, streamResponse, toResponseParams, toUsage } from './responses-stream.js';
import { streamedForm } from './streamed-form.js';
import { toUpstreamError } from './upstream-errors.js';

export type IndexingState =
  | { status: 'in_progress' }
  | { status: 'completed' }
  | { status: 'failed'; error: string };

async function upstream<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw toUpstreamError(error);
  }
}

/** Deleting something that is already gone upstream is a success. */
async function idempotentDelete(call: () => Promise<unknown>): Promise<void> {
  try {
    await call();
  } catch (error) {
    if (error instanceof OpenAI.NotFoundError) return;
    throw toUpstreamError(error);
  }
}

/**
 * What the platform does at OpenAI on behalf of one user, with that user's
 * client. Callers never see the SDK; failures arrive as the platform's
 * upstream_* errors.
 */
export class UserLlm {
  /**
   * @param keyRef names the key behind the client (not the key itself): what a
   *   copy made at OpenAI with this client belongs to, since another key may be
   *   another OpenAI project that cannot see it.
   */
  constructor(
    private readonly client: OpenAI,
    readonly keyRef: string,
  ) {}

  /** A reply, streamed as batches of normalized events (see streamResponse). */
  stream(request: LlmRequest, options: StreamOptions): AsyncGenerator<LlmEvent[]> {
    return streamResponse(this.client, request, options);
  }

  /** A short reply in one piece (titles, summaries). */
  async complete(request: LlmRequest, timeoutMs: number): Promise<string> {
    return (await this.completion(request, timeoutMs)).text;
  }

  /** A short reply in one piece, with the model that wrote it and what it used (for the user's usage). */
  async completion(request: LlmRequest, timeoutMs: number): Promise<Completion> {
    const response = await upstream(() => this.client.responses.create(toResponseParams(request), { timeout: timeoutMs, maxRetries: 0 }));
    return { text: outputText(response).trim(), model: response.model || request.model, usage: toUsage(response.usage) };
  }

  async uploadFile(filename: string, bytes: Buffer): Promise<string> {
    const file = await upstream(async () =>
      this.client.files.create({ file: await toFile(bytes, filename), purpose: 'assistants' }),
    );
    return file.id;
  }

  /**
   * Copies an image to OpenAI Files for vision input (`purpose: vision`, as the
   * spec asks of images referenced by `file_id`), or a PDF for `input_file`
   * (`purpose: user_data`), streamed from storage. A
   * stream cannot be sent twice, so the SDK does not retry it; the caller may
   * call again (the bytes are opened again).
   */
  async uploadImage(image: ImageUpload, signal?: AbortSignal): Promise<UpstreamFile> {
    const form = streamedForm(
      {
        purpose: image.purpose,
        'expires_after[anchor]': 'created_at',
        'expires_after[seconds]': String(image.expiresAfterSeconds),
      },
      { field: 'file', filename: image.filename, mimeType: image.mimeType, sizeBytes: image.sizeBytes, open: image.open },
    );
    const file = await upstream(() =>
      this.client.post<OpenAI.FileObject>('/files', {
        body: form.body,
        headers: { 'Content-Type': form.contentType, 'Content-Length': String(form.contentLength) },
        maxRetries: 0,
        signal,
      }),
    );
    return { id: file.id, expiresAt: typeof file.expires_at === 'number' ? new Date(file.expires_at * 1000) : null };
  }

  deleteFile(fileId: string): Promise<void> {
    return idempotentDelete(() => this.client.files.delete(fileId));
  }

  async createVectorStore(name: string, metadata: Record<string, string>): Promise<string> {
    const store = await upstream(() => this.client.vectorStores.create({ name: name.slice(0, 256), metadata }));
    return store.id;
  }

  deleteVectorStore(vectorStoreId: string): Promise<void> {
    return idempotentDelete(() => this.client.vectorStores.delete(vectorStoreId));
  }

  async attachFile(vectorStoreId: string, fileId: string): Promise<IndexingState> {
    const attached = await upstream(() => this.client.vectorStores.files.create(vectorStoreId, { file_id: fileId }));
    return indexingState(attached);
  }

  async indexingState(vectorStoreId: string, fileId: string): Promise<IndexingState> {
    const file = await upstream(() =>
      this.client.vectorStores.files.retrieve(fileId, { vector_store_id: vectorStoreId }),
    );
    return indexingState(file);
  }

  detachFile(vectorStoreId: string, fileId: string): Promise<void> {
    return idempotentDelete(() => this.client.vectorStores.files.delete(fileId, { vector_store_id: vectorStoreId }));
  }
}

function indexingState(file: OpenAI.VectorStores.VectorStoreFile): IndexingState {
  switch (file.status) {
    case 'completed':
      return { status: 'completed' };
    case 'in_progress':
      return { status: 'in_progress' };
    default:
      return { status: 'failed', error: file.last_error?.message ?? `indexing ${file.status}` };
  }
}
