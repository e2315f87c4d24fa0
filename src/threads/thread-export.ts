import type { Message } from './message.entity.js';
import type { Thread } from './thread.entity.js';
import { toMessageResponse, toThreadResponse } from './thread.mapper.js';

const STOPPED_NOTE: Partial<Record<Message['status'], string>> = {
  incomplete: 'the reply broke off',
  cancelled: 'the reply was stopped',
  streaming: 'the reply was still being written',
};

/** The conversation as a readable Markdown document. */
export function threadToMarkdown(thread: Thread, messages: Message[]): string {
  const lines = [`# ${thread.title ?? 'Conversation'}`, '', `Exported ${new Date().toISOString()}`, ''];
  for (const message of messages) {
    const speaker = message.role === 'user' ? 'You' : 'Assistant';
    lines.push('---', '', `### ${speaker} · ${message.createdAt.toISOString()}`, '', message.content, '');
    const note = STOPPED_NOTE[message.status];
    if (note) lines.push(`_(${note}${message.statusReason ? `: ${message.statusReason}` : ''})_`, '');
    if (message.citations.length > 0) {
      lines.push(`Sources: ${[...new Set(message.citations.map((citation) => citation.filename))].join(', ')}`, '');
    }
  }
  return lines.join('\n');
}

export function threadToJson(thread: Thread, messages: Message[]) {
  return { thread: toThreadResponse(thread), messages: messages.map(toMessageResponse), exportedAt: new Date().toISOString() };
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
