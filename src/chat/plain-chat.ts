import type { AppConfig } from '../config/config.js';
import { noAssistant } from '../threads/threads.service.js';
import type { TurnAssistant } from './turn-scopes.repository.js';

/**
 * Who answers a turn without an assistant (none asked for, none on the
 * thread, no default one): the plain chat, on CHAT_DEFAULT_MODEL, without
 * instructions or tools; the turn's own options still apply. With
 * CHAT_WITHOUT_ASSISTANT=false such a turn is refused (400 no_assistant).
 */
export function answererOf(assistant: TurnAssistant | null, plainChat: AppConfig['openai']['plainChat']): TurnAssistant {
  if (assistant) return assistant;
  if (!plainChat.enabled) throw noAssistant();
  return { id: null, name: 'Plain chat', isActive: true, model: plainChat.model, instructions: null, temperature: null, tools: [], vectorStoreId: null };
}
