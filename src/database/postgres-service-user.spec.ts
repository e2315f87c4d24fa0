import { firstClosedFolder, type FolderAccess } from './postgres-service-user.js';

const ROOT = { uid: 0, gid: 0 };
const POSTGRES = { uid: 999, gid: 998 };

/** A stat over a fixed tree: every folder not listed is root's, mode 755. */
function tree(folders: Record<string, Partial<FolderAccess>>): (path: string) => FolderAccess {
  return (path) => ({ mode: 0o755, ...ROOT, ...folders[path] });
}

describe('firstClosedFolder', () => {
  it('finds nothing when every folder lets others through', () => {
    expect(firstClosedFolder('/srv/app/.data', POSTGRES, tree({}))).toBeUndefined();
  });

  it('names a folder of root with mode 700, such as /root', () => {
    expect(firstClosedFolder('/root/app/.data', POSTGRES, tree({ '/root': { mode: 0o700 } }))).toBe('/root');
  });

  it('names the closed folder nearest the root when several are closed', () => {
    const stat = tree({ '/home': { mode: 0o750 }, '/home/ann': { mode: 0o700 } });
    expect(firstClosedFolder('/home/ann/app/.data', POSTGRES, stat)).toBe('/home');
  });

  it('checks the folder itself', () => {
    expect(firstClosedFolder('/srv/data', POSTGRES, tree({ '/srv/data': { mode: 0o710 } }))).toBe('/srv/data');
  });

  it("uses the owner's bit for the user's own folders and the group's bit for its group's", () => {
    const stat = tree({
      '/srv': { mode: 0o700, uid: POSTGRES.uid },
      '/srv/app': { mode: 0o750, gid: POSTGRES.gid },
    });
    expect(firstClosedFolder('/srv/app', POSTGRES, stat)).toBeUndefined();
  });

  it("does not fall back on the others' bit for the owner or the group", () => {
    expect(firstClosedFolder('/srv', POSTGRES, tree({ '/srv': { mode: 0o071, uid: POSTGRES.uid } }))).toBe('/srv');
    expect(firstClosedFolder('/srv', POSTGRES, tree({ '/srv': { mode: 0o701, gid: POSTGRES.gid } }))).toBe('/srv');
  });
});
