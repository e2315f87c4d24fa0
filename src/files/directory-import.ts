import { lstat, readdir, readFile, realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { DomainError, validationFailed } from '../common/errors/domain-error.js';
import type { IncomingFile } from './files.service.js';

export interface DirectoryLimits {
  maxFiles: number;
  maxFileBytes: number;
}

export interface DirectoryContents {
  files: IncomingFile[];
  skipped: Array<{ name: string; reason: string }>;
}

function isInside(root: string, candidate: string): boolean {
  return candidate === root || candidate.startsWith(root + sep);
}

/**
 * Reads a folder on the server, but only inside the operator's import root:
 * the path must be relative, must not climb with "..", and may not leave the
 * root through a symbolic link.
 */
export async function readImportDirectory(importRoot: string | undefined, dir: string, limits: DirectoryLimits): Promise<DirectoryContents> {
  if (!importRoot) {
    throw new DomainError(
      'import_root_not_configured',
      'Reading folders on the server is off; upload the folder from your browser instead (multipart form)',
    );
  }
  if (dir.includes('\0') || isAbsolute(dir) || dir.split(/[\\/]/).includes('..')) {
    throw validationFailed('dir', 'dir must be a relative folder inside the import root, without ".."');
  }
  const root = await realpath(importRoot);
  const target = resolve(root, dir);
  let real: string;
  try {
    real = await realpath(target);
  } catch {
    throw validationFailed('dir', 'dir does not exist inside the import root');
  }
  if (!isInside(root, real) || !(await stat(real)).isDirectory()) {
    throw validationFailed('dir', 'dir must be a folder inside the import root');
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
          contents.skipped.push({ name, reason: 'a link that leads outside the import root' });
          continue;
        }
      }
      const target = await stat(resolved);
      if (target.isDirectory()) {
        if (!info.isSymbolicLink()) await walk(path);
        continue;
      }
      if (!target.isFile()) continue;
      if (target.size > limits.maxFileBytes) {
        contents.skipped.push({ name, reason: 'larger than the upload limit' });
        continue;
      }
      if (contents.files.length >= limits.maxFiles) {
        throw new DomainError('too_many_files', `The folder holds more than ${limits.maxFiles} files`);
      }
      contents.files.push({ originalName: entry.name, relativePath: name, bytes: await readFile(resolved) });
    }
  };
  await walk(real);
  return contents;
}
