import { Body, Controller, Delete, Get, Put } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { BudgetsService } from '../budgets/budgets.service.js';
import { IdParam } from '../common/http/id-param.js';
import { AdminOnly, CurrentAdmin } from './admin.guard.js';
import type { Acting } from '../auth/signup-policy.service.js';
import { BudgetLimitsDto, BudgetPolicyDto, UserBudgetResponse } from './admin-budgets.dto.js';

/** Budgets per period and the shared key's policy, for the installation and per user. */
@ApiTags('admin')
@AdminOnly()
@Controller('api/admin')
export class AdminBudgetsController {
  constructor(private readonly budgets: BudgetsService) {}

  @Get('budgets')
  @ApiOperation({ summary: "The budget policy: period, time zone, warning threshold, every user's limits and the shared key's" })
  @ApiOkResponse({ type: BudgetPolicyDto })
  policy(): Promise<BudgetPolicyDto> {
    return this.budgets.policy();
  }

  @Put('budgets')
  @ApiOperation({ summary: 'Replace the budget policy (null: no limit)' })
  @ApiOkResponse({ type: BudgetPolicyDto })
  setPolicy(@Body() dto: BudgetPolicyDto, @CurrentAdmin() acting: Acting): Promise<BudgetPolicyDto> {
    return this.budgets.setPolicy(dto, acting);
  }

  @Get('users/:id/budget')
  @ApiOperation({ summary: "A user's own limits, the limits that hold, and what they spent this period" })
  @ApiOkResponse({ type: UserBudgetResponse })
  userBudget(@IdParam('id', 'User') id: string): Promise<UserBudgetResponse> {
    return this.budgets.userBudget(id);
  }

  @Put('users/:id/budget')
  @ApiOperation({ summary: "Set a user's own limits, in place of the installation's whoever pays (null: no limit)" })
  @ApiOkResponse({ type: UserBudgetResponse })
  setUserBudget(@IdParam('id', 'User') id: string, @Body() dto: BudgetLimitsDto, @CurrentAdmin() acting: Acting): Promise<UserBudgetResponse> {
    return this.budgets.setUserBudget(id, { tokens: dto.tokens, usd: dto.usd }, acting);
  }

  @Delete('users/:id/budget')
  @ApiOperation({ summary: "Remove a user's own limits: the installation's apply again" })
  @ApiOkResponse({ type: UserBudgetResponse })
  clearUserBudget(@IdParam('id', 'User') id: string, @CurrentAdmin() acting: Acting): Promise<UserBudgetResponse> {
    return this.budgets.clearUserBudget(id, acting);
  }
}
