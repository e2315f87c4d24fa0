import { Body, Controller, Delete, Get, HttpCode, Post, Req } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ConfirmationResponse } from '../auth/auth.dto.js';
import { SessionOnly } from '../common/auth/bearer.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { BudgetsService } from '../budgets/budgets.service.js';
import { SetApiKeyDto, SetDefaultAssistantDto, SettingsResponse } from './settings.dto.js';
import { SettingsService } from './settings.service.js';

@ApiTags('settings')
@Controller('api/settings')
export class SettingsController {
  constructor(
    private readonly settings: SettingsService,
    private readonly budgets: BudgetsService,
  ) {}

  @Get()
  @ApiOperation({ summary: 'API key status (hint only), default assistant, and the budget of the current period' })
  @ApiOkResponse({ type: SettingsResponse })
  async get(@CurrentUser() user: AuthUser): Promise<SettingsResponse> {
    const [settings, budget] = await Promise.all([this.settings.get(user.id), this.budgets.status(user.id)]);
    return { ...settings, budget };
  }

  @Post('apikey')
  @SessionOnly()
  @HttpCode(200)
  @ApiOperation({ summary: 'Check the OpenAI API key upstream and store it encrypted' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async setApiKey(@CurrentUser() user: AuthUser, @Body() dto: SetApiKeyDto, @Req() request: Request): Promise<ConfirmationResponse> {
    await this.settings.setApiKey(user.id, dto.apiKey, request.ip ?? '');
    return { message: 'API key saved' };
  }

  @Delete('apikey')
  @SessionOnly()
  @ApiOperation({ summary: 'Remove the stored OpenAI API key' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async deleteApiKey(@CurrentUser() user: AuthUser, @Req() request: Request): Promise<ConfirmationResponse> {
    await this.settings.deleteApiKey(user.id, request.ip ?? '');
    return { message: 'API key removed' };
  }

  @Post('default-assistant')
  @HttpCode(200)
  @ApiOperation({ summary: 'Set (or clear with null) the assistant used when none is given' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async setDefaultAssistant(
    @CurrentUser() user: AuthUser,
    @Body() dto: SetDefaultAssistantDto,
  ): Promise<ConfirmationResponse> {
    await this.settings.setDefaultAssistant(user.id, dto.assistantId);
    return { message: dto.assistantId === null ? 'Default assistant cleared' : 'Default assistant saved' };
  }
}
