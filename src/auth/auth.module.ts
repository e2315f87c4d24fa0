import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ApiTokenResolver } from '../api-tokens/api-token-resolver.js';
import { ApiTokensRepository } from '../api-tokens/api-tokens.repository.js';
import { AuditModule } from '../audit/audit.module.js';
import { BearerTokens } from '../common/auth/bearer.js';
import { SessionAuthGuard } from '../common/auth/session-auth.guard.js';
import { SessionCache } from '../common/auth/session-cache.js';
import { UserRateLimitGuard } from '../common/auth/user-rate-limit.guard.js';
import { AccountEvents } from './account-events.js';
import { AuthController } from './auth.controller.js';
import { AuthService } from './auth.service.js';
import { LoginLimits } from './login-limits.js';
import { PasswordHasher } from './password-hasher.js';
import { RegistrationService } from './registration.service.js';
import { SessionsRepository } from './sessions.repository.js';
import { SessionsService } from './sessions.service.js';
import { SignupPolicyService } from './signup-policy.service.js';
import { SignupRepository } from './signup.repository.js';
import { UsersRepository } from './users.repository.js';
import { UsersService } from './users.service.js';

@Module({
  imports: [AuditModule],
  controllers: [AuthController],
  providers: [
    AuthService,
    LoginLimits,
    UsersRepository,
    UsersService,
    SessionsRepository,
    SessionsService,
    SessionCache,
    PasswordHasher,
    AccountEvents,
    RegistrationService,
    SignupRepository,
    SignupPolicyService,
    ApiTokensRepository,
    { provide: BearerTokens, useClass: ApiTokenResolver },
    // Guards run in this order: who is asking, then whether they are within budget.
    { provide: APP_GUARD, useClass: SessionAuthGuard },
    { provide: APP_GUARD, useClass: UserRateLimitGuard },
  ],
  exports: [UsersService, AccountEvents, SessionCache, AuthService, SessionsService, SignupPolicyService, ApiTokensRepository, AuditModule],
})
export class AuthModule {}
