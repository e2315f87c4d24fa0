import { posix } from 'node:path';

/** Control characters, and the invisible bidirectional marks that can disguise an extension. */
const UNSAFE_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
const MAX_NAME = 255;
const MAX_PATH = 1024;

function cleanSegment(segment: string): string {
  return segment.normalize('NFC').replace(UNSAFE_CHARACTERS, '').trim();
}

/**
 * A display name that is only a name: no folders, no control or bidi
 * characters, not empty, not "." or "..".
 */
export function safeFileName(original: string): string {
  const base = original.split(/[\\/]/).pop() ?? '';
  let name = cleanSegment(base);
  if (name === '.' || name === '..') name = '';
  name = name.replace(/^\.+/, (dots) => (dots.length === name.length ? '' : dots));
  if (name.length > MAX_NAME) {
    const dot = name.lastIndexOf('.');
    const extension = dot > 0 && name.length - dot <= 16 ? name.slice(dot) : '';
    name = name.slice(0, MAX_NAME - extension.length) + extension;
  }
  return name.length > 0 ? name : 'file';
}

/**
 * The folder path a browser reports for a file of a chosen directory, kept as
 * metadata only: normalized, relative, without "..", and never used to touch
 * the server's file system.
 */
export function safeRelativePath(original: string): string | null {
  const segments = original
    .split(/[\\/]+/)
    .map(cleanSegment)
    .filter((segment) => segment.length > 0 && segment !== '.' && segment !== '..');
  if (segments.length === 0) return null;
  const path = posix.join(...segments);
  return path.length > MAX_PATH ? path.slice(path.length - MAX_PATH) : path;
}
