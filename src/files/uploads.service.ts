import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { importRootNotConfigured, readImportDirectory } from './directory-import.js';
import type { SkippedFile, UploadResponse } from './files.dto.js';
import { FileHooks } from './file-hooks.js';
import { FilesService, type AcceptedFile, type IncomingFile } from './files.service.js';
import { UploadSpools } from './upload-spools.js';

export interface UploadOptions {
  assistantId?: string;
  /** Folder uploads leave out files of unsupported types instead of refusing the whole folder. */
  skipUnsupported?: boolean;
}

@Injectable()
export class UploadsService {
  constructor(
    private readonly files: FilesService,
    private readonly hooks: FileHooks,
    private readonly spools: UploadSpools,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /**
   * Stores the files (all or none) and hands them to the upload target (the
   * assistant) when one is given, in the same transaction.
   */
  async upload(userId: string, incoming: IncomingFile[], options: UploadOptions = {}): Promise<UploadResponse> {
    if (incoming.length === 0) {
      throw new DomainError('validation_failed', 'No file was sent', [{ field: 'file', message: 'Send at least one file' }]);
    }
    const { assistantId } = options;
    const target = assistantId ? this.hooks.target() : undefined;
    if (target && assistantId) await target.check(userId, assistantId);
    const accepted: AcceptedFile[] = [];
    const skipped: SkippedFile[] = [];
    for (const file of incoming) {
      try {
        accepted.push(await this.files.accept(file));
      } catch (error) {
        if (!options.skipUnsupported || !(error instanceof DomainError) || error.code !== 'unsupported_media_type') throw error;
        skipped.push({ name: file.relativePath ?? file.originalName, reason: error.message });
      }
    }
    if (accepted.length === 0) {
      throw new DomainError('unsupported_media_type', 'None of the files has a supported type', skipped.map((item) => ({ field: item.name, message: item.reason })));
    }
    const { files: stored, existingIds } = await this.files.store(userId, accepted, async (tx, rows) => {
      if (target && assistantId) await target.receive(userId, assistantId, rows, tx);
    });
    target?.afterCommit?.();
    // Read back: the target may have changed their status after the rows were built.
    const current = await this.files.findOwnedMany(userId, stored.map((file) => file.id));
    const kept = existingIds.length ? `; ${existingIds.length} already stored` : '';
    const response: UploadResponse = {
      assistantId: assistantId ?? null,
      fileIds: stored.map((file) => file.id),
      existingFileIds: existingIds,
      assistantFileIds: assistantId ? await this.hooks.attachedTo(userId, assistantId) : null,
      message: `Uploaded ${stored.length - existingIds.length} file(s)${kept}${skipped.length ? `; skipped ${skipped.length}` : ''}`,
      files: await this.files.toResponses(userId, current),
    };
    if (options.skipUnsupported) response.skipped = skipped;
    return response;
  }

  /** The JSON form of a folder upload: reads the user's folder under the operator's import root. */
  async importDirectory(userId: string, dir: string, assistantId?: string): Promise<UploadResponse> {
    if (assistantId) await this.hooks.target().check(userId, assistantId);
    const { importRoot, maxFileBytes } = this.config.uploads;
    if (!importRoot) throw importRootNotConfigured();
    const spool = await this.spools.open(userId);
    try {
      const contents = await readImportDirectory(importRoot, userId, dir, spool, maxFileBytes);
      const response = await this.upload(userId, contents.files, { assistantId, skipUnsupported: true });
      response.skipped = [...contents.skipped, ...(response.skipped ?? [])];
      return response;
    } finally {
      await spool.dispose();
    }
  }
}
