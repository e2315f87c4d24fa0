import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

interface PackageInfo {
  name: string;
  version: string;
  description: string;
}

function findPackageJson(): PackageInfo {
  let folder = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(folder, 'package.json');
    if (existsSync(candidate)) return JSON.parse(readFileSync(candidate, 'utf8')) as PackageInfo;
    folder = dirname(folder);
  }
  return { name: 'assistants-platform', version: '0.0.0', description: '' };
}

/** Name and version of this build, read once from package.json. */
export const APP_INFO: PackageInfo = findPackageJson();
