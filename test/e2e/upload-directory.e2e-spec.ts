import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import request from 'supertest';
import { registerUser } from '../support/session-client.js';
import { chatUser } from '../support/chat-helpers.js';
import { download, folderEntry, rawBytes, storedRowCounts } from '../support/platform-api.js';
import { minimalDocx, minimalPdf, peExecutable } from '../support/sample-files.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { unzip } from '../support/unzip.js';

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Twenty documents spread over nested folders, as a browser sends a chosen folder. */
function nestedFolder(): Array<{ path: string; bytes: Buffer }> {
  const files: Array<{ path: string; bytes: Buffer }> = [];
  for (let index = 0; index < 20; index++) {
    const folder = ['docs', 'docs/sub', 'docs/sub/deeper', 'docs/other'][index % 4];
    const path = `${folder}/note-${String(index).padStart(2, '0')}.md`;
    files.push({ path, bytes: Buffer.from(`# Note ${index}\nIn ${folder}.\n`) });
  }
  files[0] = { path: 'docs/report.pdf', bytes: minimalPdf('Folder report') };
  files[1] = { path: 'docs/sub/letter.docx', bytes: minimalDocx('Folder letter') };
  return files;
}

describe('folder uploads from the browser (multipart)', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp();
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const api = () => request(testApp.baseUrl);

  it('stores 20 files from nested folders with their relative paths, and skips what it cannot accept', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const folder = nestedFolder();
    const upload = api().post('/api/upload-directory').set('Cookie', cookie);
    for (const file of folder) upload.attach('files', file.bytes, folderEntry(file.path));
    upload.attach('files', peExecutable(), folderEntry('docs/tools/setup.exe'));
    const response = await upload.expect(201);

    expect(response.body.fileIds).toHaveLength(20);
    expect(response.body.skipped).toEqual([{ name: 'docs/tools/setup.exe', reason: expect.any(String) }]);
    expect(response.body.files.map((file: { relativePath: string }) => file.relativePath)).toEqual(folder.map((file) => file.path));
    expect(response.body.files.map((file: { filename: string }) => file.filename)).toEqual(folder.map((file) => file.path.split('/').at(-1)));

    const listed = await api().get('/api/files?limit=200').set('Cookie', cookie).expect(200);
    expect(listed.body.map((file: { relativePath: string }) => file.relativePath).sort()).toEqual(folder.map((file) => file.path).sort());
    const letter = listed.body.find((file: { relativePath: string }) => file.relativePath === 'docs/sub/letter.docx');
    expect(letter.mimeType).toContain('wordprocessingml');
    const content = await download(testApp.baseUrl, cookie, letter.id).expect(200);
    expect(Buffer.compare(content.body as Buffer, folder[1].bytes)).toBe(0);
  });

  it('takes relative paths from the paths fields when the file names carry none, and never keeps ".."', async () => {
    const { cookie } = await registerUser(testApp.baseUrl);
    const response = await api()
      .post('/api/upload-directory')
      .set('Cookie', cookie)
      .field('paths', 'project/src/main.py')
      .field('paths', '../../etc/cron.d/job.txt')
      .attach('files', Buffer.from('print("hi")\n'), 'main.py')
      .attach('files', Buffer.from('* * * * * true\n'), 'job.txt')
      .expect(201);
    expect(response.body.files.map((file: { relativePath: string }) => file.relativePath)).toEqual(['project/src/main.py', 'etc/cron.d/job.txt']);

    const mismatched = await api()
      .post('/api/upload-directory')
      .set('Cookie', cookie)
      .field('paths', 'only/one.txt')
      .attach('files', Buffer.from('a'), 'a.txt')
      .attach('files', Buffer.from('b'), 'b.txt');
    expect(mismatched.status).toBe(400);
    expect(mismatched.body.details).toEqual([expect.objectContaining({ field: 'paths' })]);
  });

  it('refuses the JSON {dir} form with 400 when no import root is configured', async () => {
    const user = await registerUser(testApp.baseUrl);
    const response = await api().post('/api/upload-directory').set('Cookie', user.cookie).send({ dir: 'docs' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('import_root_not_configured');
    const missingDir = await api().post('/api/upload-directory').set('Cookie', user.cookie).send({});
    expect(missingDir.status).toBe(400);
    expect(missingDir.body.details).toEqual([expect.objectContaining({ field: 'dir' })]);
    expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });
  });
});

describe('folder import from the server under UPLOAD_IMPORT_ROOT/<user id>', () => {
  const secret = 'TOP SECRET: outside the import root\n';
  let base: string;
  let root: string;
  let outside: string;
  let testApp: TestApp;

  const put = async (path: string, content: string | Buffer) => {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, content);
  };

  /** A user whose own folder under the import root holds a project, with links that lead out of it. */
  const userWithProject = async () => {
    const user = await registerUser(testApp.baseUrl);
    const home = join(root, user.userId);
    await put(join(home, 'project', 'readme.md'), '# Project\n');
    await put(join(home, 'project', 'data.csv'), 'a,b\n1,2\n');
    await put(join(home, 'project', 'notes', 'a.md'), '# A\n');
    await put(join(home, 'project', 'notes', 'deep', 'b.txt'), 'b\n');
    await put(join(home, 'project', 'spec.pdf'), minimalPdf('Spec'));
    await symlink(join(outside, 'secret.txt'), join(home, 'project', 'leak.txt'));
    await symlink(outside, join(home, 'project', 'leaked-folder'));
    await symlink(outside, join(home, 'escape'));
    return { ...user, home };
  };

  beforeAll(async () => {
    base = await mkdtemp(join(tmpdir(), 'import-root-e2e-'));
    root = join(base, 'root');
    outside = join(base, 'outside');
    await put(join(outside, 'secret.txt'), secret);
    await mkdir(root);
    testApp = await startTestApp({ env: { UPLOAD_IMPORT_ROOT: root } });
  });

  afterAll(async () => {
    await testApp?.close();
    await rm(base, { recursive: true, force: true });
  });

  const importDir = (cookie: string, dir: string) => request(testApp.baseUrl).post('/api/upload-directory').set('Cookie', cookie).send({ dir });

  it('imports a folder inside the user\'s own folder with relative paths, leaving out links that lead outside', async () => {
    const user = await userWithProject();
    const response = await importDir(user.cookie, 'project');
    expect(response.status).toBe(201);
    const imported = response.body.files.map((file: { relativePath: string; filename: string }) => [file.relativePath, file.filename]);
    expect(imported.sort()).toEqual([
      ['data.csv', 'data.csv'],
      ['notes/a.md', 'a.md'],
      ['notes/deep/b.txt', 'b.txt'],
      ['readme.md', 'readme.md'],
      ['spec.pdf', 'spec.pdf'],
    ]);
    expect(response.body.skipped.map((item: { name: string }) => item.name).sort()).toEqual(['leak.txt', 'leaked-folder']);
    const hashes = response.body.files.map((file: { sha256: string }) => file.sha256);
    expect(hashes).not.toContain(sha256(secret));
    const spec = response.body.files.find((file: { filename: string }) => file.filename === 'spec.pdf');
    expect(spec.mimeType).toBe('application/pdf');
    expect(spec.sha256).toBe(sha256(minimalPdf('Spec')));
    const content = await download(testApp.baseUrl, user.cookie, spec.id).expect(200);
    expect(Buffer.compare(content.body as Buffer, minimalPdf('Spec'))).toBe(0);
  });

  it('refuses "..", absolute paths and a linked folder that leads outside with 400, storing nothing', async () => {
    const user = await userWithProject();
    for (const dir of ['../outside', 'project/../../outside', '..', outside, join(user.home, 'project'), '/etc', 'escape', 'escape/', 'missing']) {
      const response = await importDir(user.cookie, dir);
      expect({ dir, status: response.status, code: response.body.code }).toEqual({ dir, status: 400, code: 'validation_failed' });
      expect(response.body.details).toEqual([expect.objectContaining({ field: 'dir' })]);
    }
    expect(await storedRowCounts(testApp.dataSource, user.userId)).toEqual({ files: 0, chunks: 0 });
  });

  it("never lets a user import another user's folder, by its name, by climbing to it, or through a link to it", async () => {
    const owner = await userWithProject();
    const other = await registerUser(testApp.baseUrl);
    // The owner's folder as a sub-folder of the shared root: what any user could import before.
    const shared = await importDir(other.cookie, `${owner.userId}/project`);
    expect({ status: shared.status, code: shared.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    // Without a folder of their own, the other user is told so.
    const noFolder = await importDir(other.cookie, 'project');
    expect({ status: noFolder.status, code: noFolder.body.code }).toEqual({ status: 400, code: 'validation_failed' });
    expect(noFolder.body.error).toMatch(/no folder/i);

    const otherHome = join(root, other.userId);
    await mkdir(otherHome);
    await symlink(join(owner.home, 'project'), join(otherHome, 'borrowed'));
    await symlink(join(owner.home, 'project', 'readme.md'), join(otherHome, 'readme-link.md'));
    await put(join(otherHome, 'own', 'mine.txt'), 'mine\n');
    await symlink(join(owner.home, 'project', 'data.csv'), join(otherHome, 'own', 'their-data.csv'));
    for (const dir of [`${owner.userId}/project`, owner.userId, 'project', `../${owner.userId}/project`, 'borrowed', join(owner.home, 'project')]) {
      const response = await importDir(other.cookie, dir);
      expect({ dir, status: response.status, code: response.body.code }).toEqual({ dir, status: 400, code: 'validation_failed' });
    }
    const own = await importDir(other.cookie, 'own');
    expect(own.status).toBe(201);
    expect(own.body.files.map((file: { relativePath: string }) => file.relativePath)).toEqual(['mine.txt']);
    expect(own.body.skipped).toEqual([{ name: 'their-data.csv', reason: expect.stringMatching(/outside your import folder/) }]);
    expect(await storedRowCounts(testApp.dataSource, other.userId)).toEqual({ files: 1, chunks: 1 });
  });
});

describe('folder paths from other systems, and archives of what is stored', () => {
  let testApp: TestApp;

  beforeAll(async () => {
    testApp = await startTestApp({ fake: true });
  });

  afterAll(async () => {
    await testApp?.close();
  });

  const api = () => request(testApp.baseUrl);

  it('stores C:/x, UNC and 400-level paths as safe relative paths, and zips the thread that holds them (200)', async () => {
    const user = await chatUser(testApp);
    const deep = `${Array.from({ length: 400 }, (_, index) => `d${index}`).join('/')}/deep.txt`;
    // As a browser sends a chosen folder: each file's path in its file name.
    const upload = await api()
      .post('/api/upload-directory')
      .set('Cookie', user.cookie)
      .attach('files', Buffer.from('x\n'), folderEntry('C:/x'))
      .attach('files', Buffer.from('unc\n'), folderEntry('\\\\server\\share\\folder\\unc.txt'))
      .attach('files', Buffer.from('device\n'), folderEntry('\\\\?\\D:\\device\\dev.txt'))
      .attach('files', Buffer.from('deep\n'), folderEntry(deep))
      .expect(201);
    const paths: string[] = upload.body.files.map((file: { relativePath: string }) => file.relativePath);
    expect(paths.slice(0, 3)).toEqual(['x', 'folder/unc.txt', 'device/dev.txt']);
    expect(paths[3].split('/')).toHaveLength(33);
    expect(paths[3].endsWith('/d399/deep.txt')).toBe(true);

    const thread = await api().post('/api/thread/new').set('Cookie', user.cookie).send({ assistantId: user.assistant.id }).expect(201);
    await api()
      .post(`/api/threads/${thread.body.id}/messages`)
      .set('Cookie', user.cookie)
      .send({ role: 'user', content: 'Files', fileIds: upload.body.fileIds })
      .expect(201);
    const archive = () => api().get(`/api/threads/${thread.body.id}/files/archive`).set('Cookie', user.cookie).buffer(true).parse(rawBytes);
    const first = await archive().expect(200);
    expect([...(await unzip(first.body as Buffer)).keys()]).toEqual(paths);

    // Rows stored under older rules (or by hand) still make a valid archive.
    const odd = ['C:/evil.txt', '../../up.txt', '/abs/root.txt', 'trailing/', '\\\\host\\share', ''];
    for (const [index, path] of odd.entries()) {
      await testApp.dataSource.query('UPDATE files SET relative_path = $1, filename = $2 WHERE id = $3 AND user_id = $4', [
        path,
        index === 5 ? 'C:name.txt' : `odd-${index}.txt`,
        upload.body.fileIds[index % upload.body.fileIds.length],
        user.userId,
      ]);
      const response = await archive();
      expect({ path, status: response.status }).toEqual({ path, status: 200 });
      const names = [...(await unzip(response.body as Buffer)).keys()];
      for (const name of names) expect(name).not.toMatch(/^([a-z]:|\/)|(^|\/)\.\.(\/|$)|\/$/i);
    }
  });
});
