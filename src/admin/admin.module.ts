import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { AuthModule } from '../auth/auth.module.js';
import { BudgetsModule } from '../budgets/budgets.module.js';
import { UsageModule } from '../usage/usage.module.js';
import { AdminBudgetsController } from './admin-budgets.controller.js';
import { AdminAuditController } from './admin-audit.controller.js';
import { AdminSignupController } from './admin-signup.controller.js';
import { AdminUsersController } from './admin-users.controller.js';
import { AdminUsersService } from './admin-users.service.js';
import { AdminGuard } from './admin.guard.js';

/** Administration under /api/admin/: accounts, the sign-up policy and invites, the audit log, budgets (every route @AdminOnly()). */
@Module({
  imports: [AuthModule, UsageModule, BudgetsModule],
  controllers: [AdminUsersController, AdminSignupController, AdminAuditController, AdminBudgetsController],
  // After the session and rate guards of AuthModule (imported, so installed first).
  providers: [{ provide: APP_GUARD, useClass: AdminGuard }, AdminUsersService],
})
export class AdminModule {}
