import { extname } from 'node:path';
import { fileTypeFromBuffer } from 'file-type';
import { isZipStart, sampleOf, type ContentSample } from './content-sample.js';

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

/** The binary formats the platform accepts, by the extension file-type names them with. */
const PNG: DetectedType = { kind: 'image', mimeType: 'image/png', extension: '.png' };
const PDF: DetectedType = { kind: 'document', mimeType: 'application/pdf', extension: '.pdf' };
const DOCX: DetectedType = {
  kind: 'document',
  mimeType: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  extension: '.docx',
};
const PPTX: DetectedType = {
  kind: 'document',
  mimeType: 'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  extension: '.pptx',
};
const BINARY_TYPES: Record<string, DetectedType> = {
  png: PNG,
  apng: PNG,
  jpg: { kind: 'image', mimeType: 'image/jpeg', extension: '.jpg' },
  gif: { kind: 'image', mimeType: 'image/gif', extension: '.gif' },
  webp: { kind: 'image', mimeType: 'image/webp', extension: '.webp' },
  pdf: PDF,
  // Illustrator files are PDF documents with extra data.
  ai: PDF,
  // Word and PowerPoint packages of every flavour (macros, templates, shows) are read as documents and presentations.
  docx: DOCX,
  docm: DOCX,
  dotx: DOCX,
  dotm: DOCX,
  pptx: PPTX,
  pptm: PPTX,
  potx: PPTX,
  potm: PPTX,
  ppsx: PPTX,
  ppsm: PPTX,
};

/**
 * Images and binary documents by their signature (file-type). An Office
 * package whose [Content_Types].xml names no main part is a plain ZIP to
 * file-type; its central directory (listed as the upload streamed in) still
 * tells a Word document or a presentation.
 */
async function detectBinary(content: Buffer, sample: ContentSample): Promise<DetectedType | undefined> {
  const found = await fileTypeFromBuffer(content).catch(() => undefined);
  const known = found && BINARY_TYPES[found.ext];
  if (known) return known;
  const names = sample.zipEntryNames;
  if ((found === undefined || found.ext === 'zip') && isZipStart(sample.head) && names) {
    if (names.includes('word/document.xml')) return DOCX;
    if (names.includes('ppt/presentation.xml')) return PPTX;
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
export async function detectContentType(content: Buffer | ContentSample, filename: string, claimedType?: string): Promise<DetectedType> {
  const sample = Buffer.isBuffer(content) ? sampleOf(content) : content;
  if (sample.size === 0) throw new UnsupportedFileType('the file is empty');
  const extension = extname(filename).toLowerCase();
  const claimsImage = IMAGE_EXTENSIONS.has(extension) || (claimedType ?? '').toLowerCase().startsWith('image/');
  const detected = await detectBinary(Buffer.isBuffer(content) ? content : sample.head, sample);
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

/**
 * The extension that matches a stored file's content, as detection gave it:
 * the name's own for a text format it names, else the type's usual one.
 */
export function contentExtension(filename: string, mimeType: string): string {
  const extension = extname(filename).toLowerCase();
  if (TEXT_TYPES[extension] === mimeType) return extension;
  const binary = Object.values(BINARY_TYPES).find((type) => type.mimeType === mimeType);
  if (binary) return binary.extension;
  if (mimeType === 'text/html') return '.html';
  return '.txt';
}
