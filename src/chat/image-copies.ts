import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { FilesService } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import type { UpstreamFile } from '../llm/llm-types.js';
import { retryWaitMs } from '../llm/retry-rule.js';
import type { UserLlm } from '../llm/user-llm.js';
import { UpstreamJobsService } from '../upstream-sync/upstream-jobs.service.js';
import { UpstreamWorker } from '../upstream-sync/upstream-worker.js';
import { PDF_MIME } from '../threads/attachment-limits.js';
import { ChatFilesRepository } from './chat-files.repository.js';

/** A copy this close to its expiry is made again rather than sent (a turn may take minutes). */
const MIN_REMAINING_LIFETIME_MS = 15 * 60 * 1000;

const EXTENSIONS: Record<string, string> = { 'image/png': '.png', 'image/jpeg': '.jpg', 'image/gif': '.gif', 'image/webp': '.webp', [PDF_MIME]: '.pdf' };
/** OpenAI's shortest `expires_after`: a turn's own copy outlives the turn by little if its deletion is lost. */
const TURN_COPY_SECONDS = 3_600;

/**
 * Images go to the model by reference: each is copied to OpenAI Files once
 * (streamed from storage), and the copy is kept on the file's row with the
 * key that made it and its expiry, so later turns send its id again. A copy
 * made with another key (another OpenAI project may not see it), expiring,
 * or reported gone by OpenAI is made again.
 *
 * The copy is recorded only if the row still holds what was read, so two
 * turns copying one image at once keep one copy and delete the other, and a
 * copy of a file deleted meanwhile is deleted too (file deletion removes the
 * recorded copy; see FilesService.delete).
 */
@Injectable()
export class ImageCopies {
  constructor(
    private readonly copies: ChatFilesRepository,
    private readonly files: FilesService,
    private readonly jobs: UpstreamJobsService,
    private readonly worker: UpstreamWorker,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** The id of the image's copy for this key; null when the file was deleted meanwhile. */
  async ensure(file: StoredFile, llm: UserLlm, signal: AbortSignal): Promise<string | null> {
    if (usable(file, llm.keyRef)) return file.upstreamFileId;
    const copy = await this.upload(file, llm, signal);
    return this.record(file, copy, llm.keyRef);
  }

  /**
   * A copy of a PDF for one turn (`purpose: user_data`, sent as `input_file`).
   * It is not kept on the file's row, which holds the copy an assistant's
   * vector store uses when the PDF is also a document; `discard` deletes it
   * once the turn is over, and it expires within the hour in any case.
   */
  async turnCopy(file: StoredFile, llm: UserLlm, signal: AbortSignal): Promise<string> {
    return (await this.upload(file, llm, signal, 'user_data', TURN_COPY_SECONDS)).id;
  }

  /** Deletes a turn's own copies at OpenAI, through the background queue. */
  async discard(userId: string, upstreamFileIds: string[]): Promise<void> {
    if (upstreamFileIds.length === 0) return;
    await this.jobs.enqueue(upstreamFileIds.map((upstreamFileId) => ({ userId, kind: 'delete_upstream_file' as const, payload: { upstreamFileId } })));
    this.worker.nudge();
  }

  /** Forgets copies OpenAI no longer has, so that the next use makes them again. */
  async forget(userId: string, upstreamFileIds: string[]): Promise<void> {
    await this.copies.forgetCopies(userId, upstreamFileIds);
  }

  private async upload(
    file: StoredFile,
    llm: UserLlm,
    signal: AbortSignal,
    purpose: 'vision' | 'user_data' = 'vision',
    expiresAfterSeconds = this.config.chat.attachments.upstreamCopySeconds,
  ): Promise<UpstreamFile> {
    const image = {
      purpose,
      filename: `${file.id}${EXTENSIONS[file.mimeType] ?? ''}`,
      mimeType: file.mimeType,
      sizeBytes: file.sizeBytes,
      open: () => this.files.content(file),
      expiresAfterSeconds,
    };
    for (let attempt = 0; ; attempt++) {
      try {
        return await llm.uploadImage(image, signal);
      } catch (error) {
        if (signal.aborted || !(error instanceof DomainError)) throw error;
        const wait = retryWaitMs(error, 'call', attempt, 0, { maxRetries: this.config.openai.maxRetries });
        if (wait === null) throw error;
        await sleep(wait, undefined, { signal });
      }
    }
  }

  private async record(file: StoredFile, copy: UpstreamFile, keyRef: string): Promise<string | null> {
    const made = { upstreamFileId: copy.id, keyRef, expiresAt: copy.expiresAt };
    if (await this.copies.recordCopyIfUnchanged(file.userId, file.id, made, file.upstreamFileId)) return copy.id;
    const row = await this.copies.copyOf(file.userId, file.id);
    const theirs = row && usable({ upstreamFileId: row.upstream_file_id, upstreamKeyRef: row.upstream_key_ref, upstreamExpiresAt: row.upstream_expires_at }, keyRef);
    if (!row || theirs) {
      // Deleted meanwhile, or another turn recorded a good copy first: this one is not needed.
      await this.jobs.enqueue([{ userId: file.userId, kind: 'delete_upstream_file', payload: { upstreamFileId: copy.id } }]);
      this.worker.nudge();
      return row ? row.upstream_file_id : null;
    }
    await this.copies.recordCopy(file.userId, file.id, made);
    return copy.id;
  }
}

function usable(file: Pick<StoredFile, 'upstreamFileId' | 'upstreamKeyRef' | 'upstreamExpiresAt'>, keyRef: string): boolean {
  if (file.upstreamFileId === null || file.upstreamKeyRef !== keyRef) return false;
  return file.upstreamExpiresAt === null || file.upstreamExpiresAt.getTime() - Date.now() > MIN_REMAINING_LIFETIME_MS;
}
