import type { Readable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
  type CompletedPart,
  type S3Client,
} from '@aws-sdk/client-s3';

/** S3's smallest part (but the last). */
export const PART_BYTES = 5 * 1024 * 1024;

const asBuffer = (piece: unknown): Buffer => (Buffer.isBuffer(piece) ? piece : Buffer.from(String(piece)));

/**
 * Streams `content` into one object and resolves with its size. A stream that
 * ends within one part is a single PutObject; a longer one is a multipart
 * upload whose parts all pass through one buffer, filled and sent in turn:
 * whatever the file's size, the memory held is one part, and nothing is left
 * behind for the collector (the parts of lib-storage's Upload are each a new
 * copy, which let a 50 MB upload grow the process by more than the file's
 * share). A failed multipart upload is aborted.
 */
export async function uploadStream(client: S3Client, bucket: string, key: string, content: Readable): Promise<number> {
  const head: Buffer[] = [];
  let total = 0;
  let part: Buffer | undefined;
  let filled = 0;
  let uploadId: string | undefined;
  const parts: CompletedPart[] = [];

  const sendPart = async (): Promise<void> => {
    uploadId ??= (await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key }))).UploadId;
    if (!uploadId) throw new Error(`no upload id for ${key}`);
    const PartNumber = parts.length + 1;
    const answer = await client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: part!.subarray(0, filled) }));
    parts.push({ ETag: answer.ETag, PartNumber });
    filled = 0;
  };

  try {
    for await (const chunk of content) {
      let piece = asBuffer(chunk);
      total += piece.length;
      if (!part) {
        if (total < PART_BYTES) {
          head.push(piece);
          continue;
        }
        // More than one part's worth: from here on every byte goes through the one part buffer.
        part = Buffer.allocUnsafe(PART_BYTES);
        for (const held of head) filled += held.copy(part, filled);
        head.length = 0;
      }
      while (piece.length > 0) {
        const taken = piece.copy(part, filled, 0, Math.min(piece.length, PART_BYTES - filled));
        filled += taken;
        piece = piece.subarray(taken);
        if (filled === PART_BYTES) await sendPart();
      }
    }
    if (!part) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: Buffer.concat(head) }));
      return total;
    }
    if (filled > 0) await sendPart();
    await client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } }));
    return total;
  } catch (error) {
    if (uploadId) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => undefined);
    throw error;
  }
}
