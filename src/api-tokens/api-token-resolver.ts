import { Injectable } from '@nestjs/common';
import { BearerTokens, type ResolvedToken } from '../common/auth/bearer.js';
import { apiTokenHash, hasTokenForm } from './api-token-secret.js';
import { ApiTokensRepository } from './api-tokens.repository.js';

/** Resolves `Authorization: Bearer ap_…` for the session guard (common/auth/session-auth.guard.ts). */
@Injectable()
export class ApiTokenResolver extends BearerTokens {
  constructor(private readonly tokens: ApiTokensRepository) {
    super();
  }

  async resolve(token: string): Promise<ResolvedToken | undefined> {
    if (!hasTokenForm(token)) return undefined;
    const row = await this.tokens.findActive(apiTokenHash(token));
    if (!row) return undefined;
    if (row.stale) await this.tokens.touch(row.user_id, row.id);
    return { id: row.id, userId: row.user_id, scopes: row.scopes };
  }
}
