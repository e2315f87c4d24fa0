import { DomainError } from '../common/errors/domain-error.js';
import type { ChatAttachmentLimits } from '../config/chat-attachments.js';
import type { FileKind } from '../files/content-type.js';

/**
 * How a file attached to a message reaches the model: an image or a PDF by
 * reference (a copy in OpenAI Files), text read into the input, a Word
 * document as its extracted text, anything else by name only.
 */
export type AttachmentKind = 'image' | 'pdf' | 'text' | 'document' | 'other';

export interface AttachedFile {
  id: string;
  kind: FileKind;
  mimeType: string;
  sizeBytes: number;
}

const TEXT_MIME = /^(text\/|application\/(json|xml|yaml|sql))/;
export const PDF_MIME = 'application/pdf';
export const DOCX_MIME = 'application/vnd.openxmlformats-officedocument.wordprocessingml.document';

export function attachmentKind(file: Pick<AttachedFile, 'kind' | 'mimeType'>): AttachmentKind {
  if (file.kind === 'image') return 'image';
  if (file.mimeType === PDF_MIME) return 'pdf';
  if (file.mimeType === DOCX_MIME) return 'document';
  return TEXT_MIME.test(file.mimeType) ? 'text' : 'other';
}

/**
 * The most bytes read of a text attachment: enough for its character cap
 * (a UTF-16 unit never takes more than three bytes of UTF-8), never the whole file.
 */
export function textReadBytes(maxTextChars: number): number {
  return maxTextChars * 3;
}

/**
 * What a file costs a turn's attachment budget, from its stored size alone:
 * an image or a PDF all of it (sent whole), a Word document all of it (read
 * whole to extract its text), text what is read of it, a file sent by name
 * nothing.
 */
export function attachmentCost(kind: AttachmentKind, sizeBytes: number, maxTextChars: number): number {
  if (kind === 'image' || kind === 'pdf' || kind === 'document') return sizeBytes;
  if (kind === 'text') return Math.min(sizeBytes, textReadBytes(maxTextChars));
  return 0;
}

function megabytes(bytes: number): string {
  return `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;
}

/**
 * Refuses a message whose files could never go with a turn: more images than
 * a message (or a whole turn) may carry, or more bytes than a turn's budget.
 * Checked before the message is stored, from the files' rows, without
 * reading their bytes. (Older messages' files are fitted to a turn's limits
 * by leaving the oldest out, so a thread never becomes unanswerable.)
 *
 * @param fileIds the message's file ids as given (a repeated id counts each time it is sent)
 */
export function assertMessageAttachments(files: AttachedFile[], fileIds: string[], limits: ChatAttachmentLimits): void {
  const byId = new Map(files.map((file) => [file.id, file]));
  const images = fileIds.filter((id) => byId.get(id)?.kind === 'image').length;
  const maxImages = Math.min(limits.maxImagesPerMessage, limits.maxImagesPerTurn);
  if (images > maxImages) {
    const message = `A message may carry at most ${maxImages} image${maxImages === 1 ? '' : 's'} (this one has ${images})`;
    throw new DomainError('too_many_images', message, [{ field: 'fileIds', message, limit: maxImages, count: images }]);
  }
  const bytes = files.reduce((total, file) => total + attachmentCost(attachmentKind(file), file.sizeBytes, limits.maxTextChars), 0);
  if (bytes > limits.maxBytesPerTurn) {
    const message = `The attached files come to ${megabytes(bytes)}; a turn may carry at most ${megabytes(limits.maxBytesPerTurn)}`;
    throw new DomainError('attachments_too_large', message, [{ field: 'fileIds', message, limit: limits.maxBytesPerTurn, bytes }]);
  }
}
