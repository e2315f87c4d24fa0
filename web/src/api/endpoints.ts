// Typed calls for every route the client uses (see DESIGN.md).
import { requestJson, requestPage, withQuery, type Page } from './http';
import type {
  Assistant,
  AssistantFields,
  Message,
  Confirmation,
  CreatedShare,
  SearchResult,
  Settings,
  Share,
  SharedThread,
  StoredFile,
  Thread,
  UploadResult,
  UsageGroupBy,
  UsageReport,
  User,
} from './types';

const id = (value: string) => encodeURIComponent(value);

export const auth = {
  register: (body: { email: string; password: string; name?: string; inviteToken?: string }) =>
    requestJson<User>('POST', '/api/register', { body, ignoreUnauthorized: true }),
  login: (body: { email: string; password: string }) =>
    requestJson<User>('POST', '/api/login', { body, ignoreUnauthorized: true }),
  logout: () => requestJson<Confirmation>('POST', '/api/logout', { ignoreUnauthorized: true }),
  /** The signed-in user; a 401 here just means "not signed in". */
  currentUser: () => requestJson<User>('GET', '/api/user', { ignoreUnauthorized: true }),
  changePassword: (body: { currentPassword: string; newPassword: string }) =>
    requestJson<Confirmation>('POST', '/api/user/password', { body }),
  deleteAccount: (password: string) => requestJson<Confirmation>('DELETE', '/api/user', { body: { password } }),
};

export const settings = {
  get: () => requestJson<Settings>('GET', '/api/settings'),
  setApiKey: (apiKey: string) => requestJson<Confirmation>('POST', '/api/settings/apikey', { body: { apiKey } }),
  deleteApiKey: () => requestJson<Confirmation>('DELETE', '/api/settings/apikey'),
  setDefaultAssistant: (assistantId: string | null) =>
    requestJson<Confirmation>('POST', '/api/settings/default-assistant', { body: { assistantId } }),
};

export const assistants = {
  list: () => requestJson<Assistant[]>('GET', '/api/assistants'),
  get: (assistantId: string) => requestJson<Assistant>('GET', `/api/assistants/${id(assistantId)}`),
  /** Fields left out take the server's defaults (e.g. the configured model). */
  create: (fields: Partial<AssistantFields> & { name: string }) =>
    requestJson<Assistant>('POST', '/api/assistants', { body: fields }),
  update: (assistantId: string, fields: Partial<AssistantFields>) =>
    requestJson<Assistant>('PATCH', `/api/assistants/${id(assistantId)}`, { body: fields }),
  remove: (assistantId: string) => requestJson<Confirmation>('DELETE', `/api/assistants/${id(assistantId)}`),
  files: (assistantId: string) =>
    requestJson<{ vectorStoreId: string | null; files: StoredFile[] }>('GET', `/api/assistants/${id(assistantId)}/files`),
  upload: (assistantId: string, files: File[]) => {
    const form = new FormData();
    for (const file of files) form.append('files', file, file.name);
    return requestJson<UploadResult>('POST', `/api/assistants/${id(assistantId)}/files`, { form });
  },
  detachFile: (assistantId: string, fileId: string) =>
    requestJson<Confirmation>('DELETE', `/api/assistants/${id(assistantId)}/files/${id(fileId)}`),
};

/** A file picked from a folder, with its path inside the folder. */
export interface FolderEntry {
  file: File;
  relativePath: string;
}

export const files = {
  /** Images for chat (or documents when an assistant is given). */
  upload: (picked: File[], assistantId?: string) => {
    const form = new FormData();
    if (assistantId) form.append('assistantId', assistantId);
    for (const file of picked) form.append('files', file, file.name);
    return requestJson<UploadResult>('POST', '/api/upload', { form });
  },
  /** A whole folder: each file's relative path travels as its file name, as browsers send a chosen folder. */
  uploadFolder: (entries: FolderEntry[], assistantId: string) => {
    const form = new FormData();
    form.append('assistantId', assistantId);
    for (const { file, relativePath } of entries) form.append('files', file, relativePath);
    return requestJson<UploadResult>('POST', '/api/upload-directory', { form });
  },
  get: (fileId: string) => requestJson<StoredFile>('GET', `/api/files/${id(fileId)}`),
  retry: (fileId: string) => requestJson<StoredFile>('POST', `/api/files/${id(fileId)}/retry`),
  contentUrl: (fileId: string) => `/api/files/${id(fileId)}/content`,
};

export interface ThreadFilter {
  assistantId?: string;
  archived?: boolean;
  /** Title search, done by the server over every conversation. */
  search?: string;
  limit?: number;
  offset?: number;
}

export const threads = {
  list: (filter: ThreadFilter): Promise<Page<Thread>> =>
    requestPage<Thread>(withQuery('/api/threads', { ...filter, archived: filter.archived ?? false })),
  get: (threadId: string) => requestJson<Thread>('GET', `/api/threads/${id(threadId)}`),
  update: (threadId: string, body: { title?: string; isArchived?: boolean; assistantId?: string | null }) =>
    requestJson<Thread>('PATCH', `/api/threads/${id(threadId)}`, { body }),
  remove: (threadId: string) => requestJson<Confirmation>('DELETE', `/api/threads/${id(threadId)}`),
  messages: (threadId: string, query: { limit?: number; before?: string } = {}) =>
    requestJson<Message[]>('GET', withQuery(`/api/threads/${id(threadId)}/messages`, query)),
  /** The files used in the thread (a list, or `{files}`: both shapes are read). */
  files: async (threadId: string): Promise<StoredFile[]> => {
    const result = await requestJson<StoredFile[] | { files: StoredFile[] }>('GET', `/api/threads/${id(threadId)}/files`);
    return Array.isArray(result) ? result : (result.files ?? []);
  },
  cancel: (threadId: string) => requestJson<Confirmation>('POST', `/api/threads/${id(threadId)}/cancel`),
  exportUrl: (threadId: string, format: 'markdown' | 'json') =>
    withQuery(`/api/threads/${id(threadId)}/export`, { format }),
  archiveUrl: (threadId: string) => `/api/threads/${id(threadId)}/files/archive`,
  regeneratePath: (threadId: string) => `/api/threads/${id(threadId)}/regenerate`,
  /** Runs the assistant on the thread as it stands (answers a message left without a reply). */
  runPath: (threadId: string) => `/api/threads/${id(threadId)}/run`,
};

export const search = {
  /** Full text over messages and titles, best first. */
  find: (query: { q: string; includeArchived?: boolean; limit?: number }, signal?: AbortSignal) =>
    requestJson<SearchResult>('GET', withQuery('/api/search', query), { signal }),
};

export const shares = {
  create: (threadId: string, body: { includeFiles?: boolean } = {}) =>
    requestJson<CreatedShare>('POST', `/api/threads/${id(threadId)}/shares`, { body }),
  list: () => requestJson<Share[]>('GET', '/api/shares'),
  revoke: (shareId: string) => requestJson<Confirmation>('DELETE', `/api/shares/${id(shareId)}`),
  /** A shared conversation, read without a session. */
  read: (token: string) => requestJson<SharedThread>('GET', `/api/shared/${id(token)}`, { ignoreUnauthorized: true }),
};

export const CHAT_PATH = '/api/chat';

export const usage = {
  report: (query: { from?: string; to?: string; groupBy: UsageGroupBy }) =>
    requestJson<UsageReport>('GET', withQuery('/api/usage', query)),
};
