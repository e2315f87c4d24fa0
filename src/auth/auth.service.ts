import { setTimeout as sleep } from 'node:timers/promises';
import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RateLimiterService, type RateLimitRule } from '../common/rate-limit/rate-limiter.service.js';
import { AuditService } from '../audit/audit.service.js';
import { AccountEvents } from './account-events.js';
import type { ChangePasswordDto, LoginDto, RegisterDto } from './auth.dto.js';
import { LoginLimits } from './login-limits.js';
import { PasswordHasher } from './password-hasher.js';
import { RegistrationService } from './registration.service.js';
import { SessionsService } from './sessions.service.js';
import type { User } from './user.entity.js';
import { UsersService } from './users.service.js';

/** Whose turn a password hash is in the hashing queue: anonymous clients by address, signed-in ones by user. */
const fromAddress = (ip: string) => `address:${ip}`;
const fromUser = (userId: string) => `user:${userId}`;

const accountDisabled = () => new DomainError('account_disabled', 'This account is disabled; ask an administrator');

@Injectable()
export class AuthService {
  private readonly registrationsPerIp: RateLimitRule;
  private readonly passwordChecksPerUser: RateLimitRule;
  private readonly maxSessionsPerUser: number;

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: RateLimiterService,
    private readonly loginLimits: LoginLimits,
    private readonly accountEvents: AccountEvents,
    private readonly registration: RegistrationService,
    private readonly audit: AuditService,
    @InjectConfig() config: AppConfig,
  ) {
    const { loginFailuresPerWindow, loginWindowSeconds, registrationsPerWindow, registrationWindowSeconds } = config.rateLimits;
    this.registrationsPerIp = { scope: 'register-ip', limit: registrationsPerWindow, windowSeconds: registrationWindowSeconds };
    this.passwordChecksPerUser = { scope: 'password-check-user', limit: loginFailuresPerWindow, windowSeconds: loginWindowSeconds };
    this.maxSessionsPerUser = config.signIn.maxSessionsPerUser;
  }

  async register(dto: RegisterDto, ip: string): Promise<User> {
    await this.limiter.consume(this.registrationsPerIp, ip, 'Too many accounts created from this address; try later');
    let passwordHash: string;
    try {
      passwordHash = await this.hasher.hash(dto.password, fromAddress(ip));
    } catch (error) {
      // Refused before any work (server busy): it was no registration.
      await this.limiter.release(this.registrationsPerIp, ip).catch(() => undefined);
      throw error;
    }
    return this.registration.create({ email: dto.email, passwordHash, name: dto.name?.length ? dto.name : null, inviteToken: dto.inviteToken }, ip);
  }

  /**
   * Unknown e-mail and wrong password give the same answer after the same
   * amount of hashing (and the same back-off). See LoginLimits for what is
   * counted and why.
   */
  async login(dto: LoginDto, ip: string): Promise<User> {
    const attempt = await this.loginLimits.begin(dto.email, ip);
    let user: User | null;
    let valid: boolean;
    try {
      if (attempt.delayMs > 0) await sleep(attempt.delayMs);
      user = await this.users.findByEmail(dto.email);
      valid = user
        ? await this.hasher.verify(dto.password, user.passwordHash, fromAddress(ip))
        : await this.hasher.verifyAgainstNothing(dto.password, fromAddress(ip));
    } catch (error) {
      await this.loginLimits.abandoned(attempt).catch(() => undefined);
      throw error;
    }
    const target = { id: user?.id ?? null, email: dto.email };
    if (!user || !valid) {
      await this.loginLimits.failed(attempt);
      await this.audit.record({ action: 'sign_in.failed', target, address: ip, detail: { reason: user ? 'wrong_password' : 'unknown_email' } });
      throw new DomainError('invalid_credentials', 'The e-mail or password is not correct');
    }
    await this.loginLimits.succeeded(attempt);
    if (user.disabledAt) {
      await this.audit.record({ action: 'sign_in.refused', target, address: ip, detail: { reason: 'account_disabled' } });
      throw accountDisabled();
    }
    await this.upgradeHash(user, dto.password, fromAddress(ip));
    if (user.role !== 'admin' && this.registration.isListedAdmin(user.email)) {
      await this.users.setRole(user.id, 'admin');
      user.role = 'admin';
    }
    return user;
  }

  /**
   * After a sign-in stored the session: the user's oldest sessions beyond
   * SESSION_MAX_PER_USER end (never the new one). An account disabled since
   * the password was checked loses every session, this one too.
   */
  async signedIn(user: User, sessionId: string, ip: string): Promise<void> {
    const admitted = await this.sessions.endOldest(user.id, sessionId, this.maxSessionsPerUser, (tx) => this.users.isDisabled(user.id, tx));
    if (!admitted) throw accountDisabled();
    await this.audit.record({
      action: 'sign_in.succeeded',
      actor: { id: user.id, email: user.email },
      target: { id: user.id, email: user.email },
      address: ip,
      detail: user.mustChangePassword ? { passwordChangeRequired: true } : {},
    });
  }

  /** Changes the password (a forced change is then done) and ends every other session of the user. */
  async changePassword(userId: string, dto: ChangePasswordDto, currentSessionId: string, ip: string): Promise<void> {
    const user = await this.verifiedUser(userId, dto.currentPassword, 'currentPassword');
    await this.users.setPasswordHash(user.id, await this.hasher.hash(dto.newPassword, fromUser(user.id)));
    await this.sessions.endOthers(user.id, currentSessionId);
    const self = { id: user.id, email: user.email };
    await this.audit.record({ action: 'password.changed', actor: self, target: self, address: ip });
  }

  /** Removes the account, everything it owns, and all its sessions, once the password is confirmed. */
  async deleteAccount(userId: string, password: string, ip: string): Promise<void> {
    const user = await this.verifiedUser(userId, password, 'password');
    await this.removeAccount(user);
    const self = { id: user.id, email: user.email };
    await this.audit.record({ action: 'account.deleted', actor: self, target: self, address: ip });
  }

  /**
   * The one full deletion of an account (by its owner, or by an
   * administrator). The last administrator goes only with the last account.
   */
  async removeAccount(user: User): Promise<void> {
    await this.users.assertNotLastAdmin(user.id);
    await this.accountEvents.accountDeleting(user);
    await this.users.deleteKeepingAnAdmin(user.id);
    await this.sessions.endAll(user.id);
    await this.accountEvents.accountDeleted(user);
  }

  /**
   * The signed-in user's password check has its own limit, by user: failed
   * sign-ins by others on the same e-mail never block it.
   */
  private async verifiedUser(userId: string, password: string, field: string): Promise<User> {
    const user = await this.users.get(userId);
    await this.limiter.consume(this.passwordChecksPerUser, user.id, 'Too many wrong passwords; wait before trying again');
    let valid: boolean;
    try {
      valid = await this.hasher.verify(password, user.passwordHash, fromUser(user.id));
    } catch (error) {
      await this.limiter.release(this.passwordChecksPerUser, user.id).catch(() => undefined);
      throw error;
    }
    if (!valid) {
      throw new DomainError('validation_failed', 'The current password is not correct', [
        { field, message: 'The current password is not correct' },
      ]);
    }
    await this.limiter.release(this.passwordChecksPerUser, user.id);
    return user;
  }

  /** Replaces a hash made at another cost than BCRYPT_COST, now that the password is known. */
  private async upgradeHash(user: User, password: string, client: string): Promise<void> {
    if (!this.hasher.needsRehash(user.passwordHash)) return;
    let upgraded: string;
    try {
      upgraded = await this.hasher.hash(password, client);
    } catch (error) {
      // Busy: the next sign-in tries again.
      if (error instanceof DomainError && error.code === 'server_busy') return;
      throw error;
    }
    await this.users.replacePasswordHash(user.id, user.passwordHash, upgraded);
  }
}
