import { createReadStream } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DomainError, validationFailed } from '../common/errors/domain-error.js';
import type { SpooledFile, UploadSpool } from './upload-spool.js';

export interface DirectoryContents {
  files: SpooledFile[];
  skipped: Array<{ name: string; reason: string }>;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + sep);
}

export function importRootNotConfigured(): DomainError {
  return new DomainError(
    'import_root_not_configured',
    'Reading folders on the server is off; upload the folder from your browser instead (multipart form)',
  );
}

/**
 * Reads a folder on the server, but only inside the user's own folder of the
 * operator's import root (<root>/<userId>): the path must be relative, must
 * not climb with "..", and may not leave that folder through a symbolic link.
 * Each file streams into the spool, counted against the upload's budget like
 * a file sent in a form.
 */
export async function readImportDirectory(
  importRoot: string,
  userId: string,
  dir: string,
  spool: UploadSpool,
  maxFileBytes: number,
): Promise<DirectoryContents> {
  if (dir.includes('\0') || isAbsolute(dir) || dir.split(/[\\/]/).includes('..')) {
    throw validationFailed('dir', 'dir must be a relative folder inside your import folder, without ".."');
  }
  const root = await realpath(join(importRoot, userId)).catch(() => {
    throw validationFailed('dir', 'You have no folder in the import root; the operator creates it as <import root>/<your user id>');
  });
  const target = resolve(root, dir);
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    throw validationFailed('dir', 'dir does not exist inside your import folder');
  }
  if (!isInside(root, real) || !(await stat(real)).isDirectory()) {
    throw validationFailed('dir', 'dir must be a folder inside your import folder');
  }

  const contents: DirectoryContents = { files: [], skipped: [] };
  const walk = async (folder: string): Promise<void> => {
    const entries = (await readdir(folder, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(folder, entry.name);
      const name = relative(real, path);
      const info = await lstat(path);
      let resolved = path;
      if (info.isSymbolicLink()) {
        resolved = await realpath(path).catch(() => '');
        if (!resolved || !isInside(root, resolved)) {
          contents.skipped.push({ name, reason: 'a link that leads outside your import folder' });
          continue;
        }
      }
      const target = await stat(resolved);
      if (target.isDirectory()) {
        if (!info.isSymbolicLink()) await walk(path);
        continue;
      }
      if (!target.isFile()) continue;
      if (target.size > maxFileBytes) {
        contents.skipped.push({ name, reason: 'larger than the upload limit' });
        continue;
      }
      const slot = spool.claim();
      contents.files.push(await spool.receive(slot, createReadStream(resolved), { fieldName: 'files', originalName: entry.name, relativePath: name }));
    }
  };
  await walk(real);
  return contents;
}
