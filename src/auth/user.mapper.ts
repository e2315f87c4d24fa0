import type { UserResponse } from './auth.dto.js';
import type { User } from './user.entity.js';

export function toUserResponse(user: User): UserResponse {
  return {
    id: user.id,
    email: user.email,
    name: user.name,
    hasApiKey: user.apiKeyCiphertext !== null,
    apiKeyHint: user.apiKeyHint,
    defaultAssistantId: user.defaultAssistantId,
    role: user.role,
    mustChangePassword: user.mustChangePassword,
    createdAt: user.createdAt.toISOString(),
  };
}
