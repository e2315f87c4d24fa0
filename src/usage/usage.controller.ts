import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { BudgetsService } from '../budgets/budgets.service.js';
import { UsageQuery, UsageReport } from './usage.dto.js';
import { UsageService } from './usage.service.js';

@ApiTags('usage')
@Controller('api/usage')
export class UsageController {
  constructor(
    private readonly usage: UsageService,
    private readonly budgets: BudgetsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Tokens and cost of every call made with your key (replies, titles, summaries): in total, by purpose, and grouped by day, assistant, thread or model; with the budget of the current period' })
  @ApiOkResponse({ type: UsageReport })
  async report(@CurrentUser() user: AuthUser, @Query() query: UsageQuery): Promise<UsageReport> {
    const [report, budget] = await Promise.all([this.usage.report(user.id, query), this.budgets.status(user.id)]);
    return { ...report, budget };
  }
}
