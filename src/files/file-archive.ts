import { Readable } from 'node:stream';
import yazl from 'yazl';
import { safeFileName, safeRelativePath } from './file-names.js';
import type { StoredFile } from './stored-file.entity.js';

type ArchivedFile = Pick<StoredFile, 'id' | 'filename' | 'relativePath' | 'createdAt' | 'sizeBytes'>;

/**
 * The name a stored file takes inside a zip: its folder path, else its name,
 * both cleaned again here so that a row stored under older rules (a drive
 * letter, a UNC prefix, "..", hundreds of folders) still makes a valid entry.
 */
export function archiveEntryName(file: Pick<StoredFile, 'filename' | 'relativePath'>): string {
  return (file.relativePath ? safeRelativePath(file.relativePath) : null) ?? safeFileName(file.filename);
}

/** Names inside a zip must be unique: "a.txt", "a (2).txt", ... (case-insensitively, for the file systems that are). */
function uniqueName(name: string, used: Set<string>): string {
  const folderEnd = name.lastIndexOf('/') + 1;
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > folderEnd ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  let candidate = name;
  for (let counter = 2; used.has(candidate.toLowerCase()); counter++) candidate = `${stem} (${counter})${extension}`;
  used.add(candidate.toLowerCase());
  return candidate;
}

/**
 * The files as one zip archive, each entry streamed from `content` when its
 * turn comes. A name the zip writer still refuses falls back to the file's id,
 * so no stored row can make an archive fail.
 */
export function zipOfFiles<File extends ArchivedFile>(files: File[], content: (file: File) => AsyncIterable<Buffer>): Readable {
  const zip = new yazl.ZipFile();
  const used = new Set<string>();
  for (const file of files) {
    const options = { mtime: file.createdAt, size: file.sizeBytes };
    try {
      zip.addReadStream(Readable.from(content(file)), uniqueName(archiveEntryName(file), used), options);
    } catch {
      zip.addReadStream(Readable.from(content(file)), uniqueName(`file-${file.id}`, used), options);
    }
  }
  zip.end();
  return zip.outputStream as unknown as Readable;
}
