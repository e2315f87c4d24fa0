// What the conversation adds around the chat: the model chosen for the next
// turns (defaulting to the assistant's, or the plain chat's), and forking.
import { useEffect, useState } from 'preact/hooks';
import { conversation, publicConfig, type PublicConfig } from '../../api/conversation';
import type { Assistant, Message, Thread } from '../../api/types';
import { navigate } from '../../router';

export function useConversationExtras(
  threadId: string | undefined,
  thread: Thread | null,
  assistants: Assistant[],
  newAssistantId: string | undefined,
  onThreadsChanged: () => void,
) {
  const [turnModel, setTurnModel] = useState<string | undefined>(undefined);
  const [config, setConfig] = useState<PublicConfig | null>(null);
  useEffect(() => {
    publicConfig().then(setConfig, () => undefined);
  }, []);
  // A model chosen for one conversation is not carried into another.
  useEffect(() => setTurnModel(undefined), [threadId]);

  const assistantId = threadId ? thread?.assistantId : newAssistantId;
  const assistant = assistants.find((candidate) => candidate.id === assistantId);
  const defaultModel = assistant?.model ?? config?.chatModel ?? config?.defaultModel;

  const [forkError, setForkError] = useState<unknown>(null);
  useEffect(() => setForkError(null), [threadId]);
  const forkFrom = async (message: Message): Promise<void> => {
    if (!threadId) return;
    setForkError(null);
    try {
      const forked = await conversation.fork(threadId, message.id);
      onThreadsChanged();
      navigate(`/threads/${forked.id}`);
    } catch (caught) {
      setForkError(caught);
    }
  };

  return { turnModel, setTurnModel, defaultModel, forkFrom, forkError, limits: config?.limits };
}
