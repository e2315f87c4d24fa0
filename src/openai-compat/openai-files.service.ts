import { Injectable } from '@nestjs/common';
import { DomainError } from '../common/errors/domain-error.js';
import type { FileKind } from '../files/content-type.js';
import { FilesService, type IncomingFile } from '../files/files.service.js';
import type { StoredFile } from '../files/stored-file.entity.js';
import { UploadsService } from '../files/uploads.service.js';
import type { FilePurpose, OpenAiFileListQuery } from './openai-files.dto.js';
import { fromOpenAiId, toOpenAiId, unixSeconds } from './openai-ids.js';
import { keysetPageOf, openAiList, type OpenAiList } from './openai-wire.js';

export interface OpenAiFile {
  id: string;
  object: 'file';
  bytes: number;
  created_at: number;
  filename: string;
  purpose: 'assistants' | 'vision';
  status: 'uploaded' | 'processed' | 'error';
  status_details?: string;
}

/** A file's purpose follows what it is: documents are for assistants, images for vision. */
const PURPOSE_OF: Record<FileKind, OpenAiFile['purpose']> = { document: 'assistants', image: 'vision' };

export function toOpenAiFile(file: StoredFile): OpenAiFile {
  const status = file.status === 'failed' ? 'error' : file.status === 'processing' ? 'uploaded' : 'processed';
  return {
    id: toOpenAiId('file', file.id),
    object: 'file',
    bytes: file.sizeBytes,
    created_at: unixSeconds(file.createdAt),
    filename: file.filename,
    purpose: PURPOSE_OF[file.kind],
    status,
    ...(file.statusError ? { status_details: file.statusError } : {}),
  };
}

/** OpenAI's Files API over the platform's uploaded files (the same files as /api/files). */
@Injectable()
export class OpenAiFilesService {
  constructor(
    private readonly files: FilesService,
    private readonly uploads: UploadsService,
  ) {}

  /** Stores one file as POST /api/upload does (same limits and quota); an image is for vision, anything else must be a document. */
  async upload(userId: string, incoming: IncomingFile[], purpose: FilePurpose): Promise<OpenAiFile> {
    if (incoming.length !== 1) {
      throw new DomainError('validation_failed', 'Send exactly one file in the file field', [{ field: 'file', message: 'Send exactly one file' }]);
    }
    const { type } = await this.files.accept(incoming[0]);
    if ((purpose === 'vision') !== (type.kind === 'image')) {
      const message = type.kind === 'image' ? 'An image is uploaded with purpose "vision"' : `purpose "${purpose}" takes documents; images take "vision"`;
      throw new DomainError('validation_failed', message, [{ field: 'purpose', message }]);
    }
    const { fileIds } = await this.uploads.upload(userId, incoming);
    return toOpenAiFile(await this.files.findOwned(userId, fileIds[0]));
  }

  async list(userId: string, query: OpenAiFileListQuery): Promise<OpenAiList<OpenAiFile>> {
    const kind = query.purpose === undefined ? undefined : (Object.keys(PURPOSE_OF) as FileKind[]).find((key) => PURPOSE_OF[key] === query.purpose);
    const page = keysetPageOf({ limit: query.limit ?? 10_000, order: query.order, after: query.after }, 'file');
    // A purpose the platform keeps no files for lists nothing.
    if (!page || (query.purpose !== undefined && kind === undefined)) return openAiList([], false);
    const { files, hasMore } = await this.files.keysetPage(userId, kind, page);
    return openAiList(files.map(toOpenAiFile), hasMore);
  }

  async get(userId: string, id: string): Promise<OpenAiFile> {
    return toOpenAiFile(await this.files.findOwned(userId, fromOpenAiId('file', id)));
  }

  findOwned(userId: string, id: string): Promise<StoredFile> {
    return this.files.findOwned(userId, fromOpenAiId('file', id));
  }

  content(file: StoredFile): AsyncIterable<Buffer> {
    return this.files.content(file);
  }

  /** Deletes as DELETE /api/files/:id does (and the file leaves the vector stores and assistants that had it). */
  async delete(userId: string, id: string): Promise<{ id: string; object: 'file'; deleted: true }> {
    await this.files.delete(userId, fromOpenAiId('file', id));
    return { id, object: 'file', deleted: true };
  }
}
