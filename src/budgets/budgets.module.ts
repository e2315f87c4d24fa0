import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module.js';
import { BudgetAdmission } from './budget-admission.js';
import { BudgetsRepository } from './budgets.repository.js';
import { BudgetsService } from './budgets.service.js';

/** Spending budgets per period and the shared key's policy: admission of turns, and where each user stands. */
@Module({
  imports: [AuditModule],
  providers: [BudgetsRepository, BudgetsService, BudgetAdmission],
  exports: [BudgetsService, BudgetAdmission],
})
export class BudgetsModule {}
