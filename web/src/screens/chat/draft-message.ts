// Messages the client shows before the server has stored them: the user's
// message on its way, and the reply being written.
import type { Message } from '../../api/types';

function shownMessage(fields: Pick<Message, 'id' | 'threadId' | 'role' | 'content' | 'status'> & Partial<Message>): Message {
  return {
    statusReason: null,
    replyToId: null,
    parentId: null,
    fileIds: [],
    citations: [],
    usage: null,
    cost: null,
    model: null,
    assistantId: null,
    createdAt: new Date().toISOString(),
    feedback: null,
    ...fields,
  };
}

export const PENDING_PREFIX = 'pending:';

export const isPending = (message: Message) => message.id.startsWith(PENDING_PREFIX);

/** The user's message as sent, until the server answers with the stored one. */
export function pendingMessage(threadId: string, content: string, fileIds: string[], parentId: string | null = null): Message {
  return shownMessage({ id: `${PENDING_PREFIX}${Date.now()}`, threadId, role: 'user', content, status: 'completed', fileIds, parentId });
}

/** The reply being written, as a message. */
export function liveMessage(threadId: string, content: string): Message {
  return shownMessage({ id: 'live', threadId, role: 'assistant', content, status: 'streaming' });
}
