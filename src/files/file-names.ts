import { posix } from 'node:path';

/** Control characters, and the invisible bidirectional marks that can disguise an extension. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const MAX_NAME = 255;
const MAX_PATH = 1024;
const DRIVE = /^[a-z]:/i;

function cleanSegment(segment: string): string {
  return segment.normalize('NFC').replace(UNSAFE_CHARACTERS, '').trim();
}

/** A path segment no longer than a file name may be, its extension kept. */
function shortSegment(segment: string): string {
  if (segment.length <= MAX_NAME) return segment;
  const dot = segment.lastIndexOf('.');
  const extension = dot > 0 && segment.length - dot <= 16 ? segment.slice(dot) : '';
  return segment.slice(0, MAX_NAME - extension.length) + extension;
}

/**
 * A display name that is only a name: no folders, no control or bidi
 * characters, not empty, not "." or "..".
 */
export function safeFileName(original: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  // "C:report.pdf" names a file relative to a Windows drive; the drive is no part of the name.
  let name = cleanSegment(base).replace(DRIVE, '').trim();
  if (name === '.' || name === '..') name = '';
  name = shortSegment(name.replace(/^\.+/, (dots) => (dots.length === name.length ? '' : dots)));
  return name.length > 0 ? name : 'file';
}

/** Folders kept above a file; a deeper path keeps its innermost folders. */
export const MAX_PATH_DEPTH = 32;
/** `//?/`, `//./` (Windows device paths) and `//server/share/` (UNC) at the start of a path. */
const WINDOWS_ROOT = /^\/\/(?:[?.]\/(?:UNC\/[^/]*\/[^/]*\/?)?|[^/]+\/[^/]*\/?)/i;

/**
 * The folder path a browser reports for a file of a chosen directory, kept as
 * metadata only and never used to touch the server's file system: relative
 * (Windows drive letters and UNC or device prefixes dropped), without "." or
 * "..", at most MAX_PATH_DEPTH folders deep and MAX_PATH characters long, so
 * that it can always be an entry name in a zip archive.
 */
export function safeRelativePath(original: string): string | null {
  const clean = (segments: string[]) =>
    segments.map(cleanSegment).filter((segment) => segment.length > 0 && segment !== '.' && segment !== '..');
  let segments = clean(original.replace(/\\/g, '/').replace(WINDOWS_ROOT, '').split(/\/+/));
  while (segments.length > 0 && DRIVE.test(segments[0])) segments = clean([segments[0].replace(DRIVE, ''), ...segments.slice(1)]);
  segments = segments.map(shortSegment);
  if (segments.length === 0) return null;
  if (segments.length > MAX_PATH_DEPTH + 1) segments = segments.slice(segments.length - MAX_PATH_DEPTH - 1);
  // Whole folders go from the top until the path fits; the file's own name always stays.
  while (segments.length > 1 && posix.join(...segments).length > MAX_PATH) segments = segments.slice(1);
  return posix.join(...segments);
}
