import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { UsageQuery, UsageReport } from './usage.dto.js';
import { UsageService } from './usage.service.js';

@ApiTags('usage')
@Controller('api/usage')
export class UsageController {
  constructor(private readonly usage: UsageService) {}

  @Get()
  @ApiOperation({ summary: 'Tokens and cost of every call made with your key (replies, titles, summaries): in total, by purpose, and grouped by day, assistant, thread or model' })
  @ApiOkResponse({ type: UsageReport })
  report(@CurrentUser() user: AuthUser, @Query() query: UsageQuery): Promise<UsageReport> {
    return this.usage.report(user.id, query);
  }
}
