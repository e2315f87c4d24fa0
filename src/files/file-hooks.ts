import { Injectable } from '@nestjs/common';
import type { SqlExecutor } from '../database/sql.js';
import { notFound } from '../common/errors/domain-error.js';
import type { FileAttachmentResponse } from './files.dto.js';
import type { StoredFile } from './stored-file.entity.js';

/**
 * Told when one of a user's files is deleted. `beforeDelete` runs in the
 * deletion's transaction, with the file's row locked (FOR UPDATE) and still
 * there; `afterDelete` once the deletion is committed.
 */
export interface FileDeletionHook {
  beforeDelete(file: StoredFile, db: SqlExecutor): Promise<void>;
  afterDelete?(file: StoredFile): void;
}

/**
 * Where uploaded files go besides storage (an upload's `assistantId`): checked
 * before any byte is stored, handed the stored files in the storing transaction.
 */
export interface UploadTarget {
  /** Throws (404) unless the user may upload to this target. */
  check(userId: string, targetId: string): Promise<void>;
  /** Takes the stored files in the storing transaction. */
  receive(userId: string, targetId: string, files: StoredFile[], db: SqlExecutor): Promise<void>;
  /** After the upload was committed. */
  afterCommit?(): void;
}

/** What other features do with stored files, as a file's response shows it. */
export interface FileUses {
  /** Each file's attachments, by file id. */
  attachmentsOf(userId: string, fileIds: string[]): Promise<Map<string, FileAttachmentResponse[]>>;
  /** The ids of the user's files attached to an assistant (none for anyone else's). */
  attachedTo(userId: string, assistantId: string): Promise<string[]>;
}

/**
 * The points where other features hook into stored files. Files know nothing
 * of what uses them: features register here when their module starts.
 */
@Injectable()
export class FileHooks {
  private readonly deletionHooks: FileDeletionHook[] = [];
  private uploadTarget: UploadTarget | undefined;
  private uses: FileUses | undefined;

  onDeletion(hook: FileDeletionHook): void {
    this.deletionHooks.push(hook);
  }

  setUploadTarget(target: UploadTarget): void {
    this.uploadTarget = target;
  }

  setFileUses(uses: FileUses): void {
    this.uses = uses;
  }

  get deletion(): readonly FileDeletionHook[] {
    return this.deletionHooks;
  }

  /** The upload target; 404 (as for an unknown assistant) when no feature takes uploads. */
  target(): UploadTarget {
    if (!this.uploadTarget) throw notFound('Assistant');
    return this.uploadTarget;
  }

  attachmentsOf(userId: string, fileIds: string[]): Promise<Map<string, FileAttachmentResponse[]>> {
    return this.uses?.attachmentsOf(userId, fileIds) ?? Promise.resolve(new Map());
  }

  attachedTo(userId: string, assistantId: string): Promise<string[]> {
    return this.uses?.attachedTo(userId, assistantId) ?? Promise.resolve([]);
  }
}
