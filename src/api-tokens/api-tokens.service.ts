import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { AuditAction } from '../audit/audit-log.js';
import { UsersService } from '../auth/users.service.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { Transactions } from '../database/sql.js';
import { apiTokenHash, apiTokenPrefix, newApiToken } from './api-token-secret.js';
import type { ApiTokenResponse, CreateApiTokenDto, CreatedApiTokenResponse } from './api-tokens.dto.js';
import { ApiTokensRepository, type ApiTokenRow } from './api-tokens.repository.js';

const DAY_MS = 86_400_000;

function toApiToken(row: ApiTokenRow): ApiTokenResponse {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    prefix: row.prefix,
    createdAt: row.created_at.toISOString(),
    expiresAt: row.expires_at?.toISOString() ?? null,
    lastUsedAt: row.last_used_at?.toISOString() ?? null,
  };
}

/** Personal API tokens: made and revoked from a session only, each audited. */
@Injectable()
export class ApiTokensService {
  constructor(
    private readonly tokens: ApiTokensRepository,
    private readonly transactions: Transactions,
    private readonly users: UsersService,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  /** A new token, answered this once; only its hash is stored. */
  async create(userId: string, dto: CreateApiTokenDto, address: string): Promise<CreatedApiTokenResponse> {
    const token = newApiToken();
    const max = this.config.apiTokens.maxPerUser;
    const expiresAt = dto.expiresInDays === undefined ? null : new Date(Date.now() + dto.expiresInDays * DAY_MS);
    const row = await this.transactions.run(async (tx) => {
      await this.tokens.lockUser(userId, tx);
      return this.tokens.insert({ userId, name: dto.name, scopes: dto.scopes, tokenHash: apiTokenHash(token), prefix: apiTokenPrefix(token), expiresAt }, max, tx);
    });
    if (!row) throw new DomainError('api_token_limit_reached', `You have ${max} API tokens already; delete one to make another`);
    await this.record('api_token.created', row, address);
    return { ...toApiToken(row), token };
  }

  async list(userId: string): Promise<ApiTokenResponse[]> {
    return (await this.tokens.list(userId, this.config.apiTokens.maxPerUser)).map(toApiToken);
  }

  /** Deletes the token: it stops working on the next request, on every instance. */
  async revoke(userId: string, id: string, address: string): Promise<void> {
    const row = await this.tokens.delete(userId, id);
    if (!row) throw notFound('API token');
    await this.record('api_token.revoked', row, address);
  }

  private async record(action: AuditAction, row: ApiTokenRow, address: string): Promise<void> {
    const user = await this.users.get(row.user_id);
    const party = { id: user.id, email: user.email };
    await this.audit.record({ action, actor: party, target: party, address, detail: { tokenId: row.id, name: row.name, scopes: row.scopes } });
  }
}
