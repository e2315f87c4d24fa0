// Files dropped on the page: plain files, or whole folders walked through the
// File and Directory Entries API (what `webkitGetAsEntry` gives).
import type { FolderEntry } from '../api/endpoints';

export interface DroppedFiles {
  /** Files dropped on their own. */
  files: File[];
  /** Files found inside dropped folders, with their paths from the folder up. */
  folderFiles: FolderEntry[];
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

function readAll(directory: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = directory.createReader();
  const entries: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    // readEntries answers in batches; an empty batch means the end.
    const next = () =>
      reader.readEntries((batch) => {
        if (batch.length === 0) return resolve(entries);
        entries.push(...batch);
        next();
      }, reject);
    next();
  });
}

async function walk(entry: FileSystemEntry, into: FolderEntry[]): Promise<void> {
  if (entry.isFile) {
    const file = await fileOf(entry as FileSystemFileEntry);
    into.push({ file, relativePath: entry.fullPath.replace(/^\//, '') });
  } else if (entry.isDirectory) {
    for (const child of await readAll(entry as FileSystemDirectoryEntry)) await walk(child, into);
  }
}

export async function readDroppedFiles(transfer: DataTransfer): Promise<DroppedFiles> {
  const result: DroppedFiles = { files: [], folderFiles: [] };
  // Entries must be taken synchronously, before the first await ends the drop event.
  const items = Array.from(transfer.items).filter((item) => item.kind === 'file');
  const entries = items.map((item) => ({ entry: item.webkitGetAsEntry?.() ?? null, file: item.getAsFile() }));
  for (const { entry, file } of entries) {
    if (entry?.isDirectory) await walk(entry, result.folderFiles);
    else if (file) result.files.push(file);
  }
  return result;
}

/** Files from `<input webkitdirectory>`: each knows its path inside the chosen folder. */
export function folderEntriesOf(list: FileList): FolderEntry[] {
  return Array.from(list).map((file) => ({ file, relativePath: file.webkitRelativePath || file.name }));
}
