import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminSignupController } from './admin-signup.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { AdminGuard } from './admin.guard.js';

/** Administration under /api/admin/: accounts, the sign-up policy and invites, the audit log (every route @AdminOnly()). */
@Module({
  imports: [AuthModule, UsageModule],
  controllers: [AdminUsersController, AdminSignupController, AdminAuditController],
  providers: [AdminGuard, AdminUsersService],
})
export class AdminModule {}
