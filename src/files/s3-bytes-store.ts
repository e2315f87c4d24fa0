import { Readable } from 'node:stream';
import type { OnApplicationShutdown } from '@nestjs/common';
import { DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { S3Config } from '../config/config.js';
import type { SqlExecutor } from '../database/sql.js';
import { FileBytesStore, type FileRef } from './file-bytes-store.js';
import { uploadStream } from './s3-upload.js';

/** Keys one DeleteObjects request may name. */
const DELETE_BATCH = 1000;

/** The object of a file: under its owner's prefix, so an account's bytes are one listing. */
export function objectKey(file: FileRef): string {
  return `${file.userId}/${file.id}`;
}

export function ownerPrefix(userId: string): string {
  return `${userId}/`;
}

/**
 * Bytes in an S3-compatible service, one object per file (`<userId>/<fileId>`).
 * Uploads stream from the spool in parts (s3-upload.ts), downloads stream from the response
 * body; removal happens after the file's row is gone (FileByteDeletions).
 */
export class S3BytesStore extends FileBytesStore implements OnApplicationShutdown {
  readonly removedWithRows = false;
  private readonly client: S3Client;

  constructor(private readonly config: S3Config) {
    super();
    this.client = new S3Client({
      endpoint: config.endpoint,
      region: config.region,
      forcePathStyle: config.forcePathStyle,
      credentials: config.credentials,
      // Checksums only where the API requires them: S3-compatible services
      // do not all read the streamed (aws-chunked) bodies that carry them.
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** The bucket's bytes are outside the database's transaction: the caller removes them if it rolls back. */
  async save(_db: SqlExecutor, file: FileRef, content: Readable): Promise<number> {
    try {
      return await uploadStream(this.client, this.config.bucket, objectKey(file), content);
    } finally {
      // A failed upload stops reading where it was; the spool file is closed either way.
      content.destroy();
    }
  }

  async *stream(file: FileRef): AsyncIterable<Buffer> {
    const answer = await this.client.send(new GetObjectCommand({ Bucket: this.config.bucket, Key: objectKey(file) }));
    const body = answer.Body;
    if (!(body instanceof Readable)) throw new Error(`object ${objectKey(file)} came without a readable body`);
    // Leaving the loop early (a download cut short) destroys the body and frees its connection.
    for await (const piece of body) yield Buffer.isBuffer(piece) ? piece : Buffer.from(String(piece));
  }

  async remove(file: FileRef): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.config.bucket, Key: objectKey(file) }));
  }

  async removeOwner(userId: string): Promise<void> {
    const prefix = ownerPrefix(userId);
    for (;;) {
      // Always the first page: each pass deletes what it listed.
      const listed = await this.client.send(new ListObjectsV2Command({ Bucket: this.config.bucket, Prefix: prefix, MaxKeys: DELETE_BATCH }));
      const keys = (listed.Contents ?? []).map((object) => object.Key).filter((key): key is string => key !== undefined);
      if (keys.length === 0) return;
      const deleted = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.config.bucket, Delete: { Objects: keys.map((Key) => ({ Key })), Quiet: true } }),
      );
      const failed = deleted.Errors ?? [];
      if (failed.length > 0) throw new Error(`${failed.length} object(s) under ${prefix} were not deleted: ${failed[0].Code ?? 'unknown error'}`);
    }
  }

  /** Closes the client's connections once the application has stopped (Nest calls it on the provider). */
  onApplicationShutdown(): void {
    this.client.destroy();
  }
}
