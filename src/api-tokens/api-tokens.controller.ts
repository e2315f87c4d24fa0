import { Body, Controller, Delete, Get, Post, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Request } from 'express';
import { ConfirmationResponse } from '../auth/auth.dto.js';
import { SessionOnly } from '../common/auth/bearer.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { ApiTokenResponse, CreateApiTokenDto, CreatedApiTokenResponse } from './api-tokens.dto.js';
import { ApiTokensService } from './api-tokens.service.js';

@ApiTags('api-tokens')
@SessionOnly()
@Controller('api/tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @ApiOperation({ summary: 'Make a personal API token (Authorization: Bearer); the token is shown this once' })
  @ApiCreatedResponse({ type: CreatedApiTokenResponse })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateApiTokenDto, @Req() request: Request): Promise<CreatedApiTokenResponse> {
    return this.tokens.create(user.id, dto, request.ip ?? '');
  }

  @Get()
  @ApiOperation({ summary: 'Your API tokens, newest first (without the tokens themselves)' })
  @ApiOkResponse({ type: [ApiTokenResponse] })
  list(@CurrentUser() user: AuthUser): Promise<ApiTokenResponse[]> {
    return this.tokens.list(user.id);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Revoke an API token: it stops working at once' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async revoke(@CurrentUser() user: AuthUser, @IdParam('id', 'API token') id: string, @Req() request: Request): Promise<ConfirmationResponse> {
    await this.tokens.revoke(user.id, id, request.ip ?? '');
    return { message: 'API token revoked' };
  }
}
