import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query, UseFilters } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { OpenAiListQuery } from './openai-assistants.dto.js';
import { OpenAiErrorFilter } from './openai-error.filter.js';
import { OpenAiMessagesService } from './openai-messages.service.js';
import { CreateOpenAiMessageDto, CreateOpenAiThreadDto, ModifyOpenAiMessageDto, ModifyOpenAiThreadDto } from './openai-threads.dto.js';
import type { OpenAiMessage, OpenAiThread } from './openai-threads.mapper.js';
import { OpenAiThreadsService } from './openai-threads.service.js';
import type { OpenAiList } from './openai-wire.js';

@ApiTags('openai-compatible')
@UseFilters(OpenAiErrorFilter)
@Controller('v1/threads')
export class OpenAiThreadsController {
  constructor(
    private readonly threads: OpenAiThreadsService,
    private readonly messages: OpenAiMessagesService,
  ) {}

  @Post()
  @HttpCode(200)
  @ApiOperation({ summary: 'Create a thread, with messages (OpenAI wire format)' })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateOpenAiThreadDto): Promise<OpenAiThread> {
    return this.threads.create(user.id, dto);
  }

  @Get(':threadId')
  @ApiOperation({ summary: 'Retrieve a thread (OpenAI wire format)' })
  get(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string): Promise<OpenAiThread> {
    return this.threads.get(user.id, threadId);
  }

  @Post(':threadId')
  @HttpCode(200)
  @ApiOperation({ summary: "Modify a thread's metadata (OpenAI wire format)" })
  modify(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string, @Body() dto: ModifyOpenAiThreadDto): Promise<OpenAiThread> {
    return this.threads.modify(user.id, threadId, dto);
  }

  @Delete(':threadId')
  @ApiOperation({ summary: 'Delete a thread (OpenAI wire format; to the trash, as DELETE /api/threads/:id)' })
  delete(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string): Promise<{ id: string; object: 'thread.deleted'; deleted: true }> {
    return this.threads.delete(user.id, threadId);
  }

  @Post(':threadId/messages')
  @HttpCode(200)
  @ApiOperation({ summary: 'Add a message to a thread without running it (OpenAI wire format)' })
  createMessage(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string, @Body() dto: CreateOpenAiMessageDto): Promise<OpenAiMessage> {
    return this.messages.create(user.id, threadId, dto);
  }

  @Get(':threadId/messages')
  @ApiOperation({ summary: "List a thread's messages (its active branch; OpenAI wire format)" })
  listMessages(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string, @Query() query: OpenAiListQuery): Promise<OpenAiList<OpenAiMessage>> {
    return this.messages.list(user.id, threadId, query);
  }

  @Get(':threadId/messages/:messageId')
  @ApiOperation({ summary: 'Retrieve a message (OpenAI wire format)' })
  getMessage(@CurrentUser() user: AuthUser, @Param('threadId') threadId: string, @Param('messageId') messageId: string): Promise<OpenAiMessage> {
    return this.messages.get(user.id, threadId, messageId);
  }

  @Post(':threadId/messages/:messageId')
  @HttpCode(200)
  @ApiOperation({ summary: "Modify a message's metadata (OpenAI wire format)" })
  modifyMessage(
    @CurrentUser() user: AuthUser,
    @Param('threadId') threadId: string,
    @Param('messageId') messageId: string,
    @Body() dto: ModifyOpenAiMessageDto,
  ): Promise<OpenAiMessage> {
    return this.messages.modify(user.id, threadId, messageId, dto);
  }
}
