// The chat models the user's key may use (GET /api/models), for the model
// picker and the assistant editor; `available` is false when the server
// could not read the list (then any name is accepted).
import { useEffect, useState } from 'preact/hooks';
import { conversation, type ModelList } from '../../api/conversation';

export function useChatModels(): ModelList | null {
  const [list, setList] = useState<ModelList | null>(null);
  useEffect(() => {
    let active = true;
    conversation.models().then(
      (loaded) => active && setList(loaded),
      () => active && setList({ models: [], available: false }),
    );
    return () => {
      active = false;
    };
  }, []);
  return list;
}
