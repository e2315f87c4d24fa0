import request from 'supertest';
import { registerUser } from './session-client.js';
import type { TestApp } from './test-app.js';

export interface ConversationUser {
  cookie: string;
  userId: string;
}

export async function conversationUser(app: TestApp): Promise<ConversationUser> {
  const { cookie, userId } = await registerUser(app.baseUrl);
  return { cookie, userId };
}

/** A thread (without assistant) holding these messages, alternating user and assistant from the first; answers its id and the message ids. */
export async function threadWith(
  app: TestApp,
  cookie: string,
  title: string | null,
  contents: string[],
): Promise<{ threadId: string; messageIds: string[] }> {
  const thread = await request(app.baseUrl)
    .post('/api/thread/new')
    .set('Cookie', cookie)
    .send(title === null ? {} : { title })
    .expect(201);
  const messageIds: string[] = [];
  for (const [index, content] of contents.entries()) {
    const message = await request(app.baseUrl)
      .post(`/api/threads/${thread.body.id}/messages`)
      .set('Cookie', cookie)
      .send({ role: index % 2 === 0 ? 'user' : 'assistant', content })
      .expect(201);
    messageIds.push(message.body.id);
  }
  return { threadId: thread.body.id, messageIds };
}

/** The plain text of a search hit's snippet, and its highlighted words. */
export function snippetOf(hit: { snippet: Array<{ text: string; highlight: boolean }> }): { text: string; highlighted: string[] } {
  return { text: hit.snippet.map((part) => part.text).join(''), highlighted: hit.snippet.filter((part) => part.highlight).map((part) => part.text) };
}
