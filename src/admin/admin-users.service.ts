import { Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import type { AuditAction, AuditDetail } from '../audit/audit-log.js';
import { AuthService } from '../auth/auth.service.js';
import { SessionsService } from '../auth/sessions.service.js';
import type { Acting } from '../auth/signup-policy.service.js';
import type { User, UserRole } from '../auth/user.entity.js';
import { UsersService } from '../auth/users.service.js';
import { DomainError, notFound } from '../common/errors/domain-error.js';
import { UsageService } from '../usage/usage.service.js';
import type { AdminUserResponse } from './admin-users.dto.js';

/** The period usage counts over in the list: the calendar month so far, UTC. */
function periodStart(now: Date): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

/**
 * What administrators do to accounts. Each action is audited; disabling or
 * deleting another administrator is refused (demote first), so the last
 * administrator can only go through a role change, which refuses it.
 */
@Injectable()
export class AdminUsersService {
  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly auth: AuthService,
    private readonly usage: UsageService,
    private readonly audit: AuditService,
  ) {}

  async list(query: { search?: string; limit?: number; offset?: number }): Promise<{ users: AdminUserResponse[]; total: number }> {
    const { users, total } = await this.users.page(query.search?.length ? query.search : null, query.limit ?? 50, query.offset ?? 0);
    return { users: await this.withUsage(users), total };
  }

  async get(id: string): Promise<AdminUserResponse> {
    const [user] = await this.withUsage([await this.users.get(id)]);
    return user;
  }

  async changeRole(id: string, role: UserRole, acting: Acting): Promise<AdminUserResponse> {
    const before = await this.users.changeRole(id, role);
    await this.record('admin.role_changed', before, acting, { from: before.role, to: role });
    return this.get(id);
  }

  /** Disables the account and ends every session of it on every instance (announced in the same transaction). */
  async disable(id: string, acting: Acting): Promise<AdminUserResponse> {
    const user = await this.nonAdmin(id, 'disabled');
    const found = await this.sessions.endAllWith(id, (tx) => this.users.setDisabled(id, true, tx));
    if (!found) throw notFound('User');
    await this.record('admin.user_disabled', user, acting);
    return this.get(id);
  }

  async enable(id: string, acting: Acting): Promise<AdminUserResponse> {
    const user = await this.users.get(id);
    if (!(await this.users.setDisabled(id, false))) throw notFound('User');
    await this.record('admin.user_enabled', user, acting);
    return this.get(id);
  }

  async requirePasswordChange(id: string, acting: Acting): Promise<AdminUserResponse> {
    const user = await this.users.get(id);
    if (!(await this.users.requirePasswordChange(id))) throw notFound('User');
    await this.record('admin.password_change_forced', user, acting);
    return this.get(id);
  }

  /** The same full deletion as the user's own (AuthService.removeAccount). */
  async delete(id: string, acting: Acting): Promise<void> {
    const user = await this.nonAdmin(id, 'deleted');
    await this.auth.removeAccount(user);
    await this.record('admin.user_deleted', user, acting);
  }

  private async nonAdmin(id: string, what: string): Promise<User> {
    const user = await this.users.get(id);
    if (user.role === 'admin') throw new DomainError('target_is_admin', `An administrator cannot be ${what}; change their role to user first`);
    return user;
  }

  private record(action: AuditAction, target: User, acting: Acting, detail: AuditDetail = {}): Promise<void> {
    return this.audit.record({ action, actor: acting.actor, target: { id: target.id, email: target.email }, address: acting.address, detail });
  }

  private async withUsage(users: User[]): Promise<AdminUserResponse[]> {
    const now = new Date();
    const from = periodStart(now);
    const usage = await this.usage.totalsByUser(users.map((user) => user.id), from, now);
    return users.map((user) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      disabledAt: user.disabledAt?.toISOString() ?? null,
      mustChangePassword: user.mustChangePassword,
      hasApiKey: user.apiKeyCiphertext !== null,
      createdAt: user.createdAt.toISOString(),
      periodStart: from.toISOString(),
      usage: usage.get(user.id)!,
    }));
  }
}
