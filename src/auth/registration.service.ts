import { Inject, Injectable } from '@nestjs/common';
import { AuditService } from '../audit/audit.service.js';
import { DomainError } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { Transactions } from '../database/sql.js';
import { isUniqueViolation } from '../database/sql-errors.js';
import { SignupPolicyService } from './signup-policy.service.js';
import type { User } from './user.entity.js';
import { UsersRepository } from './users.repository.js';
import type { UsersStore } from './users.service.js';

/**
 * Creates an account under the sign-up policy. The first account of an
 * empty installation and the e-mails of ADMIN_EMAILS become administrators
 * (and are let in whatever the policy). Registrations take turns on a
 * transaction lock, so two first accounts racing cannot both be first.
 */
@Injectable()
export class RegistrationService {
  private readonly adminEmails: ReadonlySet<string>;

  constructor(
    @Inject(UsersRepository) private readonly users: UsersStore,
    private readonly policy: SignupPolicyService,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @InjectConfig() config: AppConfig,
  ) {
    this.adminEmails = new Set(config.governance.adminEmails);
  }

  isListedAdmin(email: string): boolean {
    return this.adminEmails.has(email);
  }

  async create(account: { email: string; passwordHash: string; name: string | null; inviteToken?: string }, address: string): Promise<User> {
    let inviteId: string | undefined;
    let user: User;
    try {
      user = await this.transactions.run(async (tx) => {
        await this.users.lockRegistrations(tx);
        const first = !(await this.users.anyExists(tx));
        const admin = first || this.isListedAdmin(account.email);
        if (!admin) ({ inviteId } = await this.policy.admit(account.email, account.inviteToken, tx));
        return this.users.insert(account.email, account.passwordHash, account.name, admin ? 'admin' : 'user', tx);
      });
    } catch (error) {
      if (isUniqueViolation(error, 'users_email_key')) throw new DomainError('email_taken', 'An account with this e-mail already exists');
      throw error;
    }
    await this.audit.record({
      action: 'sign_up',
      actor: { id: user.id, email: user.email },
      target: { id: user.id, email: user.email },
      address,
      detail: { role: user.role, ...(inviteId ? { inviteId } : {}) },
    });
    return user;
  }
}
