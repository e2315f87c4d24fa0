import { execFile } from 'node:child_process';
import { statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { dirname, resolve } from 'node:path';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

export const SERVICE_USER = 'postgres';

export interface ServiceUser {
  uid: number;
  gid: number;
}

/** Owner and permission bits of a folder, as `fs.statSync` reports them. */
export interface FolderAccess {
  mode: number;
  uid: number;
  gid: number;
}

/** PostgreSQL refuses to run as root: as root, run it as the postgres user (created if missing). */
export async function resolveServiceUser(): Promise<ServiceUser | undefined> {
  if (userInfo().uid !== 0) return undefined;
  const lookup = async (): Promise<ServiceUser> => {
    const [uid, gid] = await Promise.all([
      execFileAsync('id', ['-u', SERVICE_USER]),
      execFileAsync('id', ['-g', SERVICE_USER]),
    ]);
    return { uid: Number(uid.stdout.trim()), gid: Number(gid.stdout.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await execFileAsync('useradd', ['--system', '--user-group', '--no-create-home', SERVICE_USER]);
    return lookup();
  }
}

/**
 * The first folder on the way from the root down to `folder` (itself
 * included) that `user` may not enter, or undefined when it can reach
 * `folder`. As in the kernel, the owner's search bit applies to the owner, the
 * group's to the group, and the others' to everyone else (supplementary
 * groups and ACLs aside).
 */
export function firstClosedFolder(
  folder: string,
  user: ServiceUser,
  stat: (path: string) => FolderAccess,
): string | undefined {
  const path: string[] = [];
  for (let current = resolve(folder); ; current = dirname(current)) {
    path.unshift(current);
    if (dirname(current) === current) break;
  }
  return path.find((current) => {
    const { mode, uid, gid } = stat(current);
    const searchBit = uid === user.uid ? 0o100 : gid === user.gid ? 0o010 : 0o001;
    return (mode & searchBit) === 0;
  });
}

export function closedFolderProblem(folder: string): string {
  const mode = (statSync(folder).mode & 0o777).toString(8);
  return `as root, the embedded PostgreSQL runs as the ${SERVICE_USER} user, which cannot enter ${folder} (mode ${mode})`;
}
