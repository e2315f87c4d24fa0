import { extname } from 'node:path';
import { sampleOf, type ContentSample } from './content-sample.js';

export type FileKind = 'document' | 'image';

export interface DetectedType {
  kind: FileKind;
  mimeType: string;
  /** Extension that matches the content, used for the upstream file name. */
  extension: string;
}

export class UnsupportedFileType extends Error {}

const IMAGE_EXTENSIONS = new Set(['.png', '.jpg', '.jpeg', '.gif', '.webp', '.svg', '.bmp', '.ico', '.tif', '.tiff', '.heic', '.avif']);
const BINARY_DOCUMENT_EXTENSIONS = new Set(['.pdf', '.docx', '.pptx', '.doc', '.ppt', '.xlsx', '.xls', '.zip']);

/** Text formats accepted as documents, by extension; anything else that is text is plain text. */
const TEXT_TYPES: Record<string, string> = {
  '.txt': 'text/plain',
  '.text': 'text/plain',
  '.log': 'text/plain',
  '.md': 'text/markdown',
  '.markdown': 'text/markdown',
  '.csv': 'text/csv',
  '.tsv': 'text/tab-separated-values',
  '.json': 'application/json',
  '.html': 'text/html',
  '.htm': 'text/html',
  '.xml': 'application/xml',
  '.yaml': 'application/yaml',
  '.yml': 'application/yaml',
  '.tex': 'text/x-tex',
  '.css': 'text/css',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.cjs': 'text/javascript',
  '.jsx': 'text/javascript',
  '.ts': 'text/x-typescript',
  '.tsx': 'text/x-typescript',
  '.py': 'text/x-python',
  '.rb': 'text/x-ruby',
  '.php': 'text/x-php',
  '.java': 'text/x-java',
  '.kt': 'text/x-kotlin',
  '.scala': 'text/x-scala',
  '.go': 'text/x-go',
  '.rs': 'text/x-rust',
  '.c': 'text/x-c',
  '.h': 'text/x-c',
  '.cpp': 'text/x-c++',
  '.cc': 'text/x-c++',
  '.hpp': 'text/x-c++',
  '.cs': 'text/x-csharp',
  '.swift': 'text/x-swift',
  '.sh': 'text/x-sh',
  '.bash': 'text/x-sh',
  '.sql': 'application/sql',
  '.r': 'text/x-r',
  '.lua': 'text/x-lua',
  '.pl': 'text/x-perl',
  '.ini': 'text/plain',
  '.toml': 'text/plain',
  '.cfg': 'text/plain',
  '.conf': 'text/plain',
};

function startsWith(bytes: Buffer, signature: number[], offset = 0): boolean {
  return signature.every((value, index) => bytes[offset + index] === value);
}

function detectImage(bytes: Buffer): DetectedType | undefined {
  if (startsWith(bytes, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) {
    return { kind: 'image', mimeType: 'image/png', extension: '.png' };
  }
  if (startsWith(bytes, [0xff, 0xd8, 0xff])) return { kind: 'image', mimeType: 'image/jpeg', extension: '.jpg' };
  const head = bytes.subarray(0, 12).toString('latin1');
  if (head.startsWith('GIF87a') || head.startsWith('GIF89a')) return { kind: 'image', mimeType: 'image/gif', extension: '.gif' };
  if (head.startsWith('RIFF') && head.slice(8, 12) === 'WEBP') return { kind: 'image', mimeType: 'image/webp', extension: '.webp' };
  return undefined;
}

function detectBinaryDocument(sample: ContentSample): DetectedType | undefined {
  if (sample.head.subarray(0, 5).toString('latin1') === '%PDF-') {
    return { kind: 'document', mimeType: 'application/pdf', extension: '.pdf' };
  }
  if (startsWith(sample.head, [0x50, 0x4b, 0x03, 0x04])) {
    const names = sample.zipEntryNames;
    if (names?.includes('word/document.xml')) {
      return {
        kind: 'document',
        mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
        extension: '.docx',
      };
    }
    if (names?.includes('ppt/presentation.xml')) {
      return {
        kind: 'document',
        mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
        extension: '.pptx',
      };
    }
  }
  return undefined;
}

function looksLikeMarkup(bytes: Buffer): boolean {
  const head = bytes.subarray(0, 1024).toString('utf8').trimStart().toLowerCase();
  return head.startsWith('<') && /<(svg|html|!doctype|\?xml|script|body|head)/.test(head);
}

function isSvg(bytes: Buffer): boolean {
  return /<svg[\s>]/i.test(bytes.subarray(0, 4096).toString('utf8'));
}

function detectText(sample: ContentSample, extension: string): DetectedType | undefined {
  if (!sample.isText) return undefined;
  if (isSvg(sample.head)) return undefined;
  const mimeType = TEXT_TYPES[extension];
  if (mimeType === 'application/json' && !sample.isJson) return { kind: 'document', mimeType: 'text/plain', extension: '.txt' };
  if (mimeType) return { kind: 'document', mimeType, extension };
  if (looksLikeMarkup(sample.head)) return { kind: 'document', mimeType: 'text/html', extension: '.html' };
  return { kind: 'document', mimeType: 'text/plain', extension: '.txt' };
}

/**
 * Decides a file's type from its content (the bytes themselves, or the sample
 * taken as they streamed). The name and the client's content type are only
 * used to refuse a mismatch (an "image" that is not one) and to pick between
 * text formats.
 */
export function detectContentType(content: Buffer | ContentSample, filename: string, claimedType?: string): DetectedType {
  const sample = Buffer.isBuffer(content) ? sampleOf(content) : content;
  if (sample.size === 0) throw new UnsupportedFileType('the file is empty');
  const extension = extname(filename).toLowerCase();
  const claimsImage = IMAGE_EXTENSIONS.has(extension) || (claimedType ?? '').toLowerCase().startsWith('image/');
  const detected = detectImage(sample.head) ?? detectBinaryDocument(sample);
  if (detected) {
    if (claimsImage && detected.kind !== 'image') {
      throw new UnsupportedFileType(`the file claims to be an image but its content is ${detected.mimeType}`);
    }
    return detected;
  }
  if (claimsImage) throw new UnsupportedFileType('the file claims to be an image but is not a PNG, JPEG, GIF or WebP');
  if (BINARY_DOCUMENT_EXTENSIONS.has(extension)) {
    throw new UnsupportedFileType(`the content does not match the ${extension} extension`);
  }
  const text = detectText(sample, extension);
  if (text) return text;
  throw new UnsupportedFileType(
    'unsupported file type: documents (PDF, DOCX, PPTX, text, Markdown, CSV, JSON, HTML, code) and images (PNG, JPEG, GIF, WebP) are accepted',
  );
}
