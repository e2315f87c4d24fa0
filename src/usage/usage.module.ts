import { Module } from '@nestjs/common';
import { BudgetsModule } from '../budgets/budgets.module.js';
import { ModelCallsRepository } from './model-calls.repository.js';
import { UsageController } from './usage.controller.js';
import { UsageRepository } from './usage.repository.js';
import { UsageService } from './usage.service.js';

@Module({ imports: [BudgetsModule], controllers: [UsageController], providers: [UsageRepository, UsageService, ModelCallsRepository], exports: [ModelCallsRepository, UsageService] })
export class UsageModule {}
