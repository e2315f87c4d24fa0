import type { MessageFeedbackResponse } from '../feedback/feedback.dto.js';
import type { Message } from './message.entity.js';
import type { Thread } from './thread.entity.js';
import { toMessageResponse, toThreadResponse } from './thread.mapper.js';

/** A message as exported: with the owner's rating of it, if any. */
export type ExportedMessage = Message & { feedback?: MessageFeedbackResponse | null };

/** Messages read at a time for an export: a thread of any length is never in memory at once. */
export const EXPORT_PAGE_SIZE = 100;

const STOPPED_NOTE: Partial<Record<Message['status'], string>> = {
  incomplete: 'the reply broke off',
  cancelled: 'the reply was stopped',
  streaming: 'the reply was still being written',
};

function markdownLines(message: ExportedMessage): string[] {
  const speaker = message.role === 'user' ? 'You' : 'Assistant';
  const lines = ['---', '', `### ${speaker} · ${message.createdAt.toISOString()}`, '', message.content, ''];
  const note = STOPPED_NOTE[message.status];
  if (note) lines.push(`_(${note}${message.statusReason ? `: ${message.statusReason}` : ''})_`, '');
  if (message.citations.length > 0) {
    lines.push(`Sources: ${[...new Set(message.citations.map((citation) => citation.filename))].join(', ')}`, '');
  }
  if (message.feedback) {
    const comment = message.feedback.comment ? `: ${message.feedback.comment.replace(/\s+/g, ' ')}` : '';
    lines.push(`_(Feedback: ${message.feedback.rating === 'up' ? 'good reply' : 'bad reply'}${comment})_`, '');
  }
  return lines;
}

/** The conversation as a readable Markdown document, written a page of messages at a time. */
export async function* threadToMarkdown(thread: Thread, pages: AsyncIterable<ExportedMessage[]>, exportedAt = new Date()): AsyncGenerator<string> {
  yield [`# ${thread.title ?? 'Conversation'}`, '', `Exported ${exportedAt.toISOString()}`, ''].join('\n');
  for await (const page of pages) yield page.map((message) => `\n${markdownLines(message).join('\n')}`).join('');
}

/** JSON.stringify(value, null, 2), shifted right to sit at the given depth of an enclosing document. */
function nestedJson(value: unknown, indent: string): string {
  // Newlines inside strings are escaped in JSON text, so every newline here is layout.
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${indent}`);
}

/**
 * The conversation as JSON, written a page of messages at a time; the text is
 * exactly JSON.stringify({thread, messages, exportedAt}, null, 2).
 */
export async function* threadToJson(thread: Thread, pages: AsyncIterable<ExportedMessage[]>, exportedAt = new Date()): AsyncGenerator<string> {
  yield `{\n  "thread": ${nestedJson(toThreadResponse(thread), '  ')},\n  "messages": [`;
  let count = 0;
  for await (const page of pages) {
    yield page.map((message) => `${count++ === 0 ? '' : ','}\n    ${nestedJson(toMessageResponse(message, message.feedback ?? null), '    ')}`).join('');
  }
  yield `${count === 0 ? ']' : '\n  ]'},\n  "exportedAt": ${JSON.stringify(exportedAt.toISOString())}\n}`;
}

/** A file name for downloads made from the thread's title. */
export function exportBaseName(thread: Thread): string {
  const slug = (thread.title ?? 'conversation')
    .normalize('NFKD')
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s+/g, '-')
    .slice(0, 60)
    .toLowerCase();
  return slug.length > 0 ? slug : 'conversation';
}
