import { Injectable } from '@nestjs/common';
import type { AppConfig } from '../config/config.js';
import { InjectConfig } from '../config/config.module.js';
import { DomainError } from '../common/errors/domain-error.js';
import { RateLimiterService, type RateLimitRule } from '../common/rate-limit/rate-limiter.service.js';
import { AccountEvents } from './account-events.js';
import type { ChangePasswordDto, LoginDto, RegisterDto } from './auth.dto.js';
import { PasswordHasher } from './password-hasher.js';
import { SessionsService } from './sessions.service.js';
import type { User } from './user.entity.js';
import { UsersService } from './users.service.js';

const LOGIN_THROTTLED = 'Too many failed sign-ins; wait before trying again';

@Injectable()
export class AuthService {
  private readonly loginPerEmail: RateLimitRule;
  private readonly loginPerIp: RateLimitRule;
  private readonly registrationsPerIp: RateLimitRule;

  constructor(
    private readonly users: UsersService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly limiter: RateLimiterService,
    private readonly accountEvents: AccountEvents,
    @InjectConfig() config: AppConfig,
  ) {
    const { loginFailuresPerWindow, loginWindowSeconds, registrationsPerWindow, registrationWindowSeconds } =
      config.rateLimits;
    this.loginPerEmail = { scope: 'login-email', limit: loginFailuresPerWindow, windowSeconds: loginWindowSeconds };
    this.loginPerIp = { scope: 'login-ip', limit: loginFailuresPerWindow, windowSeconds: loginWindowSeconds };
    this.registrationsPerIp = {
      scope: 'register-ip',
      limit: registrationsPerWindow,
      windowSeconds: registrationWindowSeconds,
    };
  }

  async register(dto: RegisterDto, ip: string): Promise<User> {
    await this.limiter.consume(this.registrationsPerIp, ip, 'Too many accounts created from this address; try later');
    const passwordHash = await this.hasher.hash(dto.password);
    return this.users.create(dto.email, passwordHash, dto.name?.length ? dto.name : null);
  }

  /**
   * Unknown e-mail and wrong password give the same answer after the same
   * amount of hashing. Failures count per e-mail and per client address: each
   * attempt is counted before the password is checked (so parallel guesses
   * cannot all slip under the limit) and given back when it succeeds.
   */
  async login(dto: LoginDto, ip: string): Promise<User> {
    await this.countAttempt(dto.email, ip);
    const user = await this.users.findByEmail(dto.email);
    const valid = user
      ? await this.hasher.verify(dto.password, user.passwordHash)
      : await this.hasher.verifyAgainstNothing(dto.password);
    if (!user || !valid) throw new DomainError('invalid_credentials', 'The e-mail or password is not correct');
    await Promise.all([this.limiter.reset(this.loginPerEmail, dto.email), this.limiter.release(this.loginPerIp, ip)]);
    return user;
  }

  /** Counts a sign-in attempt for the address, then for the e-mail; an address over its limit counts nothing against the e-mail. */
  private async countAttempt(email: string, ip: string): Promise<void> {
    await this.limiter.consume(this.loginPerIp, ip, LOGIN_THROTTLED);
    try {
      await this.limiter.consume(this.loginPerEmail, email, LOGIN_THROTTLED);
    } catch (error) {
      await this.limiter.release(this.loginPerIp, ip);
      throw error;
    }
  }

  /** Changes the password and ends every other session of the user. */
  async changePassword(userId: string, dto: ChangePasswordDto, currentSessionId: string): Promise<void> {
    const user = await this.verifiedUser(userId, dto.currentPassword, 'currentPassword');
    await this.users.setPasswordHash(user.id, await this.hasher.hash(dto.newPassword));
    await this.sessions.endOthers(user.id, currentSessionId);
  }

  /** Removes the account, everything it owns, and all its sessions. */
  async deleteAccount(userId: string, password: string): Promise<void> {
    const user = await this.verifiedUser(userId, password, 'password');
    await this.accountEvents.accountDeleting(user);
    await this.users.delete(user.id);
    await this.sessions.endAll(user.id);
  }

  private async verifiedUser(userId: string, password: string, field: string): Promise<User> {
    const user = await this.users.get(userId);
    await this.limiter.consume(this.loginPerEmail, user.email, LOGIN_THROTTLED);
    if (!(await this.hasher.verify(password, user.passwordHash))) {
      throw new DomainError('validation_failed', 'The current password is not correct', [
        { field, message: 'The current password is not correct' },
      ]);
    }
    await this.limiter.release(this.loginPerEmail, user.email);
    return user;
  }
}
