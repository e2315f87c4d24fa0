import { createHash, randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import type { AuditParty } from '../audit/audit-log.js';
import { AuditService } from '../audit/audit.service.js';
import { DomainError, notFound, validationFailed } from '../common/errors/domain-error.js';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { Transactions, type SqlExecutor } from '../database/sql.js';
import type { SignupPolicy } from './signup-settings.entity.js';
import { SignupRepository, type InviteRecord, type SignupSettingsRecord } from './signup.repository.js';

/** 256 random bits per invite token (base64url, 43 characters). */
const TOKEN_BYTES = 32;

/** An invite's lifetime when none is asked for: a week (or INVITE_MAX_DAYS when shorter). */
const DEFAULT_INVITE_HOURS = 168;

const hashOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

/** Who acts, and from where: for the audit log. */
export interface Acting {
  actor: AuditParty;
  address: string;
}

/**
 * Who may create an account: the policy administrators set at run time
 * (SIGNUP_POLICY and SIGNUP_DOMAINS give the first one), and the invites
 * they hand out. Registration asks `admit` inside its transaction.
 */
@Injectable()
export class SignupPolicyService {
  private readonly initial: { policy: SignupPolicy; domains: string[] };

  constructor(
    private readonly signup: SignupRepository,
    private readonly transactions: Transactions,
    private readonly audit: AuditService,
    @InjectConfig() private readonly config: AppConfig,
  ) {
    this.initial = { policy: config.governance.initialSignupPolicy, domains: config.governance.initialSignupDomains };
  }

  current(): Promise<SignupSettingsRecord> {
    return this.signup.settings(this.initial);
  }

  async setPolicy(policy: SignupPolicy, domains: string[] | undefined, acting: Acting): Promise<SignupSettingsRecord> {
    const before = await this.current();
    const nextDomains = domains ?? before.domains;
    if (policy === 'domain' && nextDomains.length === 0) throw validationFailed('domains', 'The domain policy needs at least one domain');
    const after = await this.signup.setSettings(policy, nextDomains);
    await this.audit.record({
      action: 'policy.signup_changed',
      actor: acting.actor,
      address: acting.address,
      detail: { from: before.policy, to: after.policy, domains: after.domains },
    });
    return after;
  }

  /** A new invite and its token (shown once; only its hash is kept). */
  async createInvite(options: { maxUses: number; expiresInHours?: number }, acting: Acting): Promise<{ invite: InviteRecord; token: string }> {
    const maxHours = this.config.governance.inviteMaxDays * 24;
    const hours = options.expiresInHours ?? Math.min(DEFAULT_INVITE_HOURS, maxHours);
    if (hours > maxHours) {
      throw validationFailed('expiresInHours', `An invite is valid for at most ${this.config.governance.inviteMaxDays} days`);
    }
    const token = randomBytes(TOKEN_BYTES).toString('base64url');
    const expiresAt = new Date(Date.now() + hours * 3_600_000);
    const invite = await this.transactions.run(async (tx) => {
      await this.signup.lockInvites(tx);
      if ((await this.signup.countActiveInvites(tx)) >= this.config.governance.maxActiveInvites) {
        throw new DomainError('invite_limit_reached', `At most ${this.config.governance.maxActiveInvites} invites may be active at once; revoke some first`);
      }
      return this.signup.insertInvite({ tokenHash: hashOf(token), maxUses: options.maxUses, expiresAt, createdBy: acting.actor.id! }, tx);
    });
    await this.audit.record({
      action: 'admin.invite_created',
      actor: acting.actor,
      address: acting.address,
      detail: { inviteId: invite.id, maxUses: invite.maxUses, expiresAt: invite.expiresAt.toISOString() },
    });
    return { invite, token };
  }

  listInvites(limit: number, offset: number): Promise<InviteRecord[]> {
    return this.signup.invites(limit, offset);
  }

  async revokeInvite(id: string, acting: Acting): Promise<InviteRecord> {
    const invite = await this.signup.revokeInvite(id);
    if (!invite) throw notFound('Invite');
    await this.audit.record({ action: 'admin.invite_revoked', actor: acting.actor, address: acting.address, detail: { inviteId: id } });
    return invite;
  }

  /**
   * Throws unless the policy lets `email` sign up; under `invite`, takes one
   * use of the invite in the registration's transaction (a failed sign-up
   * gives it back by rolling back).
   */
  async admit(email: string, inviteToken: string | undefined, db: SqlExecutor): Promise<{ inviteId?: string }> {
    const { policy, domains } = await this.signup.settings(this.initial, db);
    switch (policy) {
      case 'open':
        return {};
      case 'closed':
        throw new DomainError('signup_closed', 'Sign-up is closed on this installation; ask an administrator');
      case 'domain': {
        const domain = email.slice(email.lastIndexOf('@') + 1);
        if (!domains.includes(domain)) throw new DomainError('domain_not_allowed', 'Accounts are only open to some e-mail domains here');
        return {};
      }
      case 'invite': {
        if (!inviteToken) throw new DomainError('invite_required', 'Sign-up needs an invite link here');
        const invite = await this.signup.useInvite(hashOf(inviteToken), db);
        if (!invite) throw new DomainError('invite_required', 'This invite link is not valid: unknown, expired, revoked or used up');
        return { inviteId: invite.id };
      }
    }
  }
}
