import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { CreateOpenAiAssistantDto, ModifyOpenAiAssistantDto, OpenAiListQuery } from './openai-assistants.dto.js';
import { OpenAiAssistantsService, type OpenAiAssistant } from './openai-assistants.service.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import type { OpenAiList } from './openai-wire.js';

@ApiTags('openai-compatible')
@UseFilters(OpenAiErrorFilter)
@Controller('v1/assistants')
export class OpenAiAssistantsController {
  constructor(private readonly assistants: OpenAiAssistantsService) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create an assistant (OpenAI Assistants API wire format; Authorization: Bearer <personal API token>)' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOpenAiAssistantDto): Promise<OpenAiAssistant> {
    return this.assistants.create(user.id, dto);
  }

  @Get()
  @ApiOperation({ summary: 'List assistants (OpenAI wire format)' })
  list(@CurrentUser() user: AuthUser, @Query() query: OpenAiListQuery): Promise<OpenAiList<OpenAiAssistant>> {
    return this.assistants.list(user.id, query);
  }

  @Get(':id')
  @ApiOperation({ summary: 'Retrieve an assistant (OpenAI wire format)' })
  get(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<OpenAiAssistant> {
    return this.assistants.get(user.id, id);
  }

  @Post(':id')
  @HttpCode(200)
  @ApiOperation({ summary: 'Modify an assistant (OpenAI wire format)' })
  modify(@CurrentUser() user: AuthUser, @Param('id') id: string, @Body() dto: ModifyOpenAiAssistantDto): Promise<OpenAiAssistant> {
    return this.assistants.modify(user.id, id, dto);
  }

  @Delete(':id')
  @ApiOperation({ summary: 'Delete an assistant (OpenAI wire format; to the trash, as DELETE /api/assistants/:id)' })
  delete(@CurrentUser() user: AuthUser, @Param('id') id: string): Promise<{ id: string; object: 'assistant.deleted'; deleted: true }> {
    return this.assistants.delete(user.id, id);
  }
}
