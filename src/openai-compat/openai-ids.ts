import { notFound } from '../common/errors/domain-error.js';

/**
 * The platform's ids are UUIDs; the OpenAI wire format names objects with a
 * type prefix. The mapping is reversible: the prefix, then the UUID's 32 hex
 * digits (`asst_` + uuid without dashes; `file-` for files), so an object made over /v1 is the
 * same object under /api.
 */
export type OpenAiPrefix = 'asst' | 'thread' | 'msg' | 'run' | 'file' | 'vs' | 'vsfb';

const WHAT: Record<OpenAiPrefix, string> = { asst: 'Assistant', thread: 'Thread', msg: 'Message', run: 'Run', file: 'File', vs: 'Vector store', vsfb: 'File batch' };

/** OpenAI writes file ids with a dash (`file-…`), every other id with an underscore. */
const separator = (prefix: OpenAiPrefix) => (prefix === 'file' ? '-' : '_');

export function toOpenAiId(prefix: OpenAiPrefix, uuid: string): string {
  return `${prefix}${separator(prefix)}${uuid.replace(/-/g, '')}`;
}

/** The UUID an OpenAI-style id names; anything else names nothing of the user's (404). */
export function fromOpenAiId(prefix: OpenAiPrefix, id: string): string {
  const match = new RegExp(`^${prefix}${separator(prefix)}([0-9a-f]{32})$`).exec(id);
  if (!match) throw notFound(WHAT[prefix]);
  const hex = match[1];
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** Seconds since the epoch, as the wire format counts time. */
export function unixSeconds(date: Date): number {
  return Math.floor(date.getTime() / 1000);
}
